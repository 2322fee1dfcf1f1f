/**
 * The units' words, in one home (docs/organisers.md "Đơn vị đăng ký theo danh sách"):
 * what the console's unit pages, the command line and the honour page say.
 */
import { formatDateTime, formatTimeRange } from '../shared/dates.ts';

export const UNITS_TITLE = 'Đơn vị đăng ký theo danh sách';
export const HONOUR_TITLE = 'Đơn vị điển hình';

export const NOT_A_UNIT = (code: string) =>
  `Chưa có đơn vị mã ${code}: quản trị viên đăng ký trước bằng npm run signups -- team add ${code} "<tên đơn vị>".`;
export const NOT_YOUR_UNIT = 'Tài khoản này chỉ xem và lập danh sách cho đơn vị của mình (403).';
export const BAD_PLACES = 'Số chỗ giữ phải là số nguyên từ 1 đến 2000.';
export const BAD_DEADLINE =
  'Hạn giữ chỗ cần ghi dạng ngày/tháng/năm giờ:phút, ví dụ 10/12/2026 17:00 (giờ Việt Nam), và phải sau lúc này.';
export const NO_SUCH_SLOT = 'Đợt này không có khung giờ đó.';
export const NO_SUCH_DRIVE = (slug: string) => `Không có đợt "${slug}" trong lịch đã dựng.`;

export const notEnough = (free: number, asked: number) =>
  `Chỉ còn ${free} chỗ trống, không đủ ${asked} chỗ để giữ. Hãy giữ ít hơn hoặc chọn khung giờ khác.`;

export const reservedLine = (places: number, slot: Date, slotEnd: Date) =>
  `${places} chỗ, khung ${formatTimeRange(slot, slotEnd)}`;

export const reservedSummary = (places: number, unit: string, until: Date) =>
  `Đã giữ ${places} chỗ cho ${unit} đến ${formatDateTime(until)}.`;

export const returnedNotice = (places: number, drive: string, at: Date) =>
  places > 0
    ? `Hết hạn giữ chỗ lúc ${formatDateTime(at)}: ${places} chỗ chưa có người của đợt ${drive} đã trả lại cho mọi người (danh sách chờ được mời trước).`
    : `Hết hạn giữ chỗ lúc ${formatDateTime(at)}: đơn vị đã dùng đủ số chỗ của đợt ${drive}.`;
