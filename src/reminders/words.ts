/**
 * The reminders' words: page titles, what each message and channel is called
 * on the person's own page, and the text of every message (messages.ts puts
 * them together). Vietnamese for the citizens; short, because a phone's
 * notification shows two lines and an SMS in Vietnamese holds 70 characters.
 * No health data: nothing about a deferral, a test or a volume.
 */
import type { Channel, MessageKind } from '../reminder-choice/reminder-types.ts';
import { formatDateTime } from '../shared/dates.ts';
import type { OutboxState } from './reminder-store.ts';

export const REMINDERS_TITLE = 'Nhắc hẹn hiến máu';
export const STOP_TITLE = 'Dừng nhận nhắc hẹn';
export const OFFER_TITLE = 'Nhận chỗ hiến máu';

export const KIND_LABELS: Record<MessageKind, string> = {
  evening: 'Nhắc hẹn tối hôm trước',
  soon: 'Nhắc hẹn 2 giờ trước giờ hẹn',
  cancelled: 'Báo đợt hiến máu bị hủy',
  thanks: 'Lời cảm ơn sau khi hiến',
  again: 'Báo ngày bạn có thể hiến lại',
  offer: 'Báo có chỗ trống',
  confirm: 'Xác nhận đăng ký qua điện thoại',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'thư điện tử',
  push: 'thông báo trên trình duyệt',
  webhook: 'tin nhắn SMS hoặc Zalo',
  zalo: 'tin Zalo',
  sms: 'tin nhắn SMS',
};

export const WAIT_STATE_LABELS = {
  waiting: 'Đang chờ',
  offered: 'Đang giữ chỗ cho bạn',
  accepted: 'Đã nhận chỗ',
  expired: 'Đã hết thời gian giữ chỗ',
  left: 'Đã rời danh sách chờ',
  closed: 'Danh sách chờ đã đóng',
} as const;

export const STOP_LINK_TEXT = 'Dừng nhận nhắc hẹn';

/** Who every message is from. */
export const SENDER = 'Hội Chữ thập đỏ tỉnh Cà Mau';

export const LINK_LABELS = {
  drive: 'Xem đợt hiến máu',
  calendar: 'Thêm vào lịch',
  cancel: 'Hủy đăng ký',
  accept: 'Nhận chỗ',
  drives: 'Xem lịch các đợt hiến máu',
  stop: STOP_LINK_TEXT,
} as const;

/** The facts a message's words are made of, already written out as people read them. */
export interface MessageWords {
  driveName: string;
  address: string;
  /** "Thứ Bảy, 12/12/2026" */
  day: string;
  /** "07:00" */
  time: string;
  /** "07:00–07:30" */
  times: string;
  /** "12/12/2026" */
  shortDay?: string | undefined;
  /** "7K3Q-9XWD-2P", when there is a sign-up. */
  code?: string | undefined;
  /** Units the drive received (thank-you). */
  units?: number | undefined;
  /** "06/03/2027": the day they may give again (thank-you). */
  againDay?: string | undefined;
  /** "09:15 ngày 05/12/2026": until when a place is held (offer). */
  holdUntil?: string | undefined;
  /** "O": the blood group a blood appeal calls for. */
  bloodGroup?: string | undefined;
  /** Drives to come near the one they gave at ("12/12 07:00: name"), for "you may give again". */
  nextDrives?: readonly string[] | undefined;
}

/** Each message's subject (the notification's title) and its lines, shortest first. */
export const MESSAGE_WORDS: Record<MessageKind, (w: MessageWords) => { subject: string; lines: string[] }> = {
  evening: (w) => ({
    subject: `Nhắc hẹn: ngày mai ${w.time} hiến máu tại ${w.driveName}`,
    lines: [
      `Bạn đã đăng ký hiến máu lúc ${w.times}, ${w.day}, tại ${w.driveName}, ${w.address}.`,
      ...(w.code ? [`Mã xác nhận của bạn: ${w.code}.`] : []),
      'Nhớ mang căn cước công dân, ngủ đủ giấc, ăn nhẹ và uống nước trước khi đi.',
    ],
  }),
  soon: (w) => ({
    subject: `Còn 2 giờ: hiến máu lúc ${w.time} tại ${w.driveName}`,
    lines: [
      `Hẹn gặp bạn lúc ${w.time} hôm nay tại ${w.driveName}, ${w.address}.`,
      ...(w.code ? [`Mã xác nhận của bạn: ${w.code}.`] : []),
    ],
  }),
  cancelled: (w) => ({
    subject: `Đợt hiến máu ngày ${w.day} đã bị hủy`,
    lines: [
      `Rất tiếc, đợt hiến máu tại ${w.driveName} (${w.day}) đã bị hủy. Bạn không cần đến.`,
      'Mời bạn chọn một đợt khác trong lịch hiến máu. Xin lỗi vì sự bất tiện.',
    ],
  }),
  thanks: (w) => ({
    subject: 'Cảm ơn bạn đã hiến máu',
    lines: [
      `Cảm ơn bạn đã hiến máu tại ${w.driveName}.` +
        (w.units ? ` Đợt hiến máu đã tiếp nhận ${w.units.toLocaleString('vi-VN')} đơn vị máu cho người bệnh.` : ''),
      ...(w.againDay ? [`Bạn có thể hiến máu lại từ ngày ${w.againDay}; đến hôm đó chúng tôi sẽ báo bạn.`] : []),
    ],
  }),
  again: (w) => ({
    subject: 'Từ hôm nay bạn có thể hiến máu lại',
    lines: [
      `Đã đủ 12 tuần kể từ lần bạn hiến máu tại ${w.driveName}.`,
      ...(w.nextDrives?.length
        ? ['Các đợt sắp tới gần đó:', ...w.nextDrives.map((d) => `– ${d}`)]
        : ['Chưa có đợt nào sắp tới gần đó; mời bạn xem lịch hiến máu.']),
    ],
  }),
  confirm: (w) => ({
    subject: `Đã đăng ký hiến máu ${w.time} ngày ${w.shortDay ?? w.day} tại ${w.driveName}`,
    lines: [
      `Bạn đã đăng ký hiến máu lúc ${w.times}, ${w.day}, tại ${w.driveName}, ${w.address}.`,
      ...(w.code ? [`Mã xác nhận của bạn: ${w.code}. Hãy giữ mã này để làm thủ tục hoặc hủy đăng ký.`] : []),
    ],
  }),
  offer: (w) => ({
    subject: `Có chỗ cho bạn: hiến máu ${w.day} lúc ${w.time}`,
    lines: [
      `Một chỗ lúc ${w.times}, ${w.day}, tại ${w.driveName} vừa trống và đang được giữ cho bạn đến ${w.holdUntil ?? ''}.`,
      'Bấm "Nhận chỗ" để nhận chỗ và có mã xác nhận. Sau giờ đó chỗ sẽ dành cho người chờ kế tiếp.',
    ],
  }),
};

/** The outbox's words for organisers (`reminders status` and the console's `/to-chuc/nhac-hen/`). */
export const OUTBOX_STATE_WORDS: Record<OutboxState, string> = {
  pending: 'chờ gửi',
  sent: 'đã gửi',
  failed: 'thất bại',
  dropped: 'bỏ, không cần nữa',
};
export const OUTBOX_KIND_WORDS: Record<MessageKind, string> = {
  evening: 'tối hôm trước',
  soon: 'hai giờ trước',
  cancelled: 'đợt bị hủy',
  thanks: 'cảm ơn',
  again: 'được hiến lại',
  offer: 'mời vào chỗ trống',
  confirm: 'xác nhận qua điện thoại',
};
export const OUTBOX_CHANNEL_WORDS: Record<Channel, string> = {
  email: 'thư điện tử',
  push: 'thông báo đẩy',
  webhook: 'tin nhắn qua cổng',
  zalo: 'Zalo',
  sms: 'SMS',
};

/** What is wrong with the Zalo tokens, for whoever can fix it; undefined when nothing is. */
export function zaloProblem(
  zalo: { broken: string | null; refreshingSince: string | null } | undefined,
): string | undefined {
  if (zalo?.broken)
    return `${zalo.broken}. Tin Zalo vẫn đi bằng access token cũ đến khi nó hết hạn; hãy cấp quyền lại cho ứng dụng: nút «${ZALO_AUTH_WORDS.button}» ở trang Hộp thư nhắc hẹn (/to-chuc/nhac-hen/), hoặc lệnh npm run signups -- reminders zalo-auth (không cần khởi động lại máy chủ).`;
  if (zalo?.refreshingSince)
    return `lần làm mới token lúc ${formatDateTime(new Date(zalo.refreshingSince))} chưa được ghi lại; lần gửi sau sẽ hỏi lại Zalo. Nếu Zalo từ chối, cần cấp quyền lại.`;
  return undefined;
}

/** The words of authorising the Zalo app again (zalo-auth.ts), on the console and the command line. */
export const ZALO_AUTH_WORDS = {
  button: 'Cấp quyền lại cho Zalo',
  heading: 'Quyền gửi tin Zalo',
  about:
    'Khi Zalo từ chối refresh token (ví dụ máy chủ tắt đột ngột đúng lúc làm mới token), hãy cấp quyền lại: bấm nút dưới đây rồi theo liên kết sang Zalo, đăng nhập bằng tài khoản quản trị Official Account và bấm cho phép; Zalo chuyển về trang tổ chức, bạn bấm «Hoàn tất cấp quyền». Không cần dòng lệnh hay khởi động lại máy chủ.',
  healthy: 'Token Zalo đang dùng được.',
  lastAuthorised: (at: string, actor: string) => `Lần cấp quyền gần nhất: ${at}, bởi ${actor}.`,
  alarmFirstPage: 'Zalo cần được cấp quyền lại để tiếp tục gửi nhắc hẹn.',
  alarmLink: 'Mở Hộp thư nhắc hẹn',
  seeAbove: 'Lý do ở mục «Lỗi cài đặt» phía trên.',
  notConfigured: 'Máy chủ này chưa cài Zalo ZNS (ZALO_APP_ID, ZALO_APP_SECRET, ZALO_REFRESH_TOKEN).',
  next: (until: string) =>
    `Bước tiếp theo: mở trang cấp quyền của Zalo, đăng nhập bằng tài khoản quản trị Official Account và bấm cho phép. Liên kết dùng một lần, đến ${until}.`,
  continue: 'Tiếp tục sang trang cấp quyền của Zalo',
  finishHeading: 'Hoàn tất cấp quyền lại cho Zalo',
  finishAbout:
    'Zalo đã chuyển bạn về trang tổ chức. Bấm nút dưới đây để lưu quyền mới: từ tin sau, Zalo gửi bằng token mới.',
  finishButton: 'Hoàn tất cấp quyền',
  finishSignIn:
    'Trình duyệt này cần đang đăng nhập trang tổ chức bằng tài khoản quản trị (trang vừa bấm «Cấp quyền lại cho Zalo»).',
  denied: 'Zalo chưa cấp quyền (bạn đã không bấm cho phép, hoặc Zalo báo lỗi). Có thể thử lại từ Hộp thư nhắc hẹn.',
  done: (until: string) =>
    `Đã lưu quyền Zalo mới. Tin Zalo đi bằng token mới ngay từ tin sau; access token dùng được đến ${until}.`,
  forbidden: 'Chỉ quản trị viên mới cấp quyền lại cho Zalo (403).',
  limited: 'Đã thử cấp quyền quá nhiều lần; hãy chờ 10 phút rồi thử lại (429).',
  badCode: 'Địa chỉ Zalo chuyển về không có mã cấp quyền (code) đúng dạng (400).',
  badState:
    'Lần cấp quyền này không còn dùng được: đã dùng rồi, quá 10 phút, hoặc không phải do trang này bắt đầu. Hãy bấm «Cấp quyền lại cho Zalo» lần nữa (400).',
  refused: (detail: string) =>
    `Zalo không đổi mã cấp quyền lấy token (${detail}): mã sai hoặc đã hết hạn. Hãy bấm «Cấp quyền lại cho Zalo» lần nữa (400).`,
  unreachable: (detail: string) =>
    `Không liên lạc được với Zalo (${detail}); token cũ vẫn giữ nguyên. Lần cấp quyền này đã dùng: sau ít phút, hãy bấm «Cấp quyền lại cho Zalo» lần nữa (503).`,
  noRedirect:
    'Chưa biết địa chỉ Zalo chuyển về: đặt SITE_URL (hoặc ZALO_REDIRECT_URI) rồi chạy lại lệnh, hoặc cấp quyền từ trang /to-chuc/nhac-hen/.',
} as const;
