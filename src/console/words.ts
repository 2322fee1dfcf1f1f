/**
 * The console's words: what organisers read at the desk, in one place for
 * its pages, its island and its service. Plain and short; a message says
 * what happened and what to do next.
 */
import type { DeskActionKind, DeskAnswer, DeskProblem, DeferralKind, DeferralReason } from './desk-actions.ts';
import type { DeskStatus } from './desk-status.ts';
import { formatDate, formatDateTime, formatTime, parseCalendarDate, startOfCalendarDate } from '../shared/dates.ts';
import { deskStatus } from './desk-status.ts';

export const STATUS_WORDS: Record<DeskStatus, string> = {
  'signed-up': 'Chưa đến',
  arrived: 'Đã đến',
  gave: 'Đã hiến',
  deferred: 'Tạm hoãn',
  'no-show': 'Vắng',
  cancelled: 'Đã hủy',
};

export const REASON_WORDS: Record<DeferralReason, string> = {
  haemoglobin: 'Huyết sắc tố thấp',
  'blood-pressure': 'Huyết áp',
  weight: 'Cân nặng',
  'illness-medicine': 'Mới ốm hoặc đang dùng thuốc',
  other: 'Lý do khác',
};

export const DEFERRAL_KIND_WORDS: Record<DeferralKind, string> = {
  temporary: 'Tạm thời',
  permanent: 'Vĩnh viễn',
};

export const SEX_WORDS = { female: 'Nữ', male: 'Nam' } as const;

export const FIGURE_WORDS = {
  signedUp: 'Đăng ký',
  arrived: 'Đã đến',
  gave: 'Đã hiến',
  deferred: 'Tạm hoãn',
  noShow: 'Vắng',
  walkIns: 'Đến trực tiếp',
  units: 'Đơn vị máu',
} as const;

export const ACTION_WORDS: Record<DeskActionKind | 'undo', string> = {
  arrive: 'Đã đến',
  gave: 'Đã hiến',
  defer: 'Tạm hoãn',
  'no-show-all': 'Đánh dấu vắng cho người chưa đến',
  undo: 'Hoàn tác',
  'show-phone': 'Xem số điện thoại',
  publish: 'Công bố kết quả',
  'walk-in': 'Đăng ký tại chỗ',
};

const PROBLEM_WORDS: Record<DeskProblem, string> = {
  'not-found': 'Không có đăng ký nào với mã này. Xin kiểm tra lại từng ký tự, hoặc tìm theo tên hay số điện thoại.',
  'other-drive': 'Mã này đăng ký cho một đợt hiến máu khác',
  cancelled: 'Đăng ký này đã bị hủy. Nếu người này vẫn muốn hiến, hãy đăng ký tại chỗ.',
  full: 'Khung giờ này đã đủ chỗ. Chọn khung giờ khác, hoặc đánh dấu "Vẫn nhận dù quá số chỗ".',
  'nothing-to-undo': 'Không còn thao tác nào của bạn ở đợt này để hoàn tác.',
  'changed-since':
    'Không hoàn tác được: người này đã được thay đổi sau thao tác của bạn (có thể đã hủy đăng ký). Không có gì thay đổi.',
  'key-reused':
    'Thao tác này mang mã của một thao tác khác đã ghi trước đó, nên không được ghi. Xin tải lại trang rồi làm lại.',
  invalid: 'Thông tin chưa đúng; xem lời nhắc bên cạnh từng ô.',
  forbidden: 'Tài khoản của bạn không được làm việc này ở đợt hiến máu này.',
  'rate-limited': 'Tài khoản này đã thao tác quá nhiều trong ít phút. Xin đợi vài phút rồi thử lại.',
  unavailable: 'Hệ thống đang gặp sự cố nên chưa ghi được. Xin thử lại sau ít giây.',
  'other-day': 'Hôm nay không phải ngày của đợt này. Chưa ghi gì.',
};

const dayWords = (day: string) => {
  const date = parseCalendarDate(day);
  return date ? formatDate(startOfCalendarDate(date)) : day;
};

/** The desk page's notice on a day that is not the drive's, and its confirmation (DeskPage.astro). */
export const OTHER_DAY_WORDS = {
  before: (driveDay: string, today: string) =>
    `Đợt này diễn ra ngày ${dayWords(driveDay)}; hôm nay mới ${dayWords(today)}. Ghi nhận đến, hiến máu, tạm hoãn và đăng ký tại chỗ chỉ được nhận sau khi bạn xác nhận.`,
  after: (driveDay: string, today: string) =>
    `Đợt này diễn ra ngày ${dayWords(driveDay)}; hôm nay đã là ${dayWords(today)}. Nếu bạn đang ghi bù từ danh sách giấy, hãy xác nhận: ngày được hiến lại vẫn tính từ ngày ${dayWords(driveDay)}.`,
  confirm: (driveDay: string) => `Ghi cho ngày ${dayWords(driveDay)}`,
  confirmed: (driveDay: string) =>
    `Đang ghi cho ngày ${dayWords(driveDay)} của đợt, không phải hôm nay. Ngày được hiến lại tính từ ngày ${dayWords(driveDay)}.`,
  stop: 'Thôi, trở về hôm nay',
} as const;

/** The actor the command line writes in the audit log (`signups given`, src/cli/commands/given.ts). */
export const CLI_ACTOR = 'cli';

/** Who did something, as organisers read it: an account's name, or the command line in words. */
export function actorWords(actor: string): string {
  return actor === CLI_ACTOR ? 'lệnh signups trên máy chủ' : actor;
}

/** One line for the desk about what an action did. `driveName` names the other drive of a code. */
export function answerMessage(answer: DeskAnswer, driveName?: (slug: string) => string | undefined): string {
  if (!answer.ok) {
    if (answer.problem === 'other-drive' && answer.otherDrive) {
      const name = driveName?.(answer.otherDrive);
      return `${PROBLEM_WORDS['other-drive']}${name ? `: ${name}` : ''}. Hướng dẫn người hiến đến đúng đợt, hoặc đăng ký tại chỗ.`;
    }
    if (answer.problem === 'changed-since' && answer.changedBy && answer.changedTo) {
      const when = answer.changedAt ? new Date(answer.changedAt) : undefined;
      const at = when ? ` lúc ${formatTime(when)} ngày ${formatDate(when)}` : '';
      const byCommandLine = answer.changedBy === CLI_ACTOR;
      return `Không hoàn tác được: sau thao tác của bạn, ${actorWords(answer.changedBy)} đã ghi "${ACTION_WORDS[answer.changedTo as DeskActionKind] ?? answer.changedTo}" cho người này${at}. Không có gì thay đổi; nếu cần sửa, xin trao đổi với ${byCommandLine ? 'cán bộ đã chạy lệnh đó' : answer.changedBy}.`;
    }
    if (answer.problem === 'other-day' && answer.driveDay && answer.today) {
      const late = answer.today > answer.driveDay;
      return `${late ? OTHER_DAY_WORDS.after(answer.driveDay, answer.today) : OTHER_DAY_WORDS.before(answer.driveDay, answer.today)} Chưa ghi gì: bấm "${OTHER_DAY_WORDS.confirm(answer.driveDay)}" ở đầu trang rồi làm lại.`;
    }
    return PROBLEM_WORDS[answer.problem];
  }
  switch (answer.done) {
    case 'arrive':
      return answer.already ? 'Người này đã được ghi nhận đến từ trước; không có gì thay đổi.' : 'Đã ghi nhận đến.';
    case 'gave':
      return 'Đã ghi nhận hiến máu. Cảm ơn người hiến!';
    case 'defer':
      return 'Đã ghi nhận tạm hoãn.';
    case 'no-show-all':
      return `Đã đánh dấu vắng ${answer.count ?? 0} người chưa đến.`;
    case 'undo':
      return `Đã hoàn tác: ${ACTION_WORDS[(answer.undid ?? 'undo') as DeskActionKind]}.`;
    case 'publish':
      return `Đã công bố ${answer.count ?? 0} đơn vị máu; trang công khai sẽ hiện con số này từ lần cập nhật trang tới.`;
    case 'walk-in':
      return answer.overCapacity
        ? 'Đã đăng ký tại chỗ (vượt số chỗ của khung giờ, đã ghi lại).'
        : 'Đã đăng ký tại chỗ và ghi nhận đến.';
    case 'show-phone':
      return 'Số điện thoại đã hiện; lần xem này được ghi vào nhật ký.';
  }
}

export const LOGIN_WORDS = {
  // One text for a wrong password, an unknown name and a locked account: it must not tell them apart.
  wrong:
    'Tên đăng nhập hoặc mật khẩu không đúng. Sau 10 lần sai liên tiếp, tài khoản bị tạm khóa 15 phút trên mạng này; trên máy khác vẫn đăng nhập được, hoặc nhờ quản trị viên đặt lại mật khẩu.',
  busy: 'Máy chủ đang kiểm tra nhiều lần đăng nhập cùng lúc. Xin đợi vài giây rồi bấm "Đăng nhập" lại.',
  rateLimited: 'Có quá nhiều lần đăng nhập từ mạng này. Xin đợi khoảng 10 phút rồi thử lại.',
  missing: 'Nhập tên đăng nhập và mật khẩu.',
  unavailable: 'Hệ thống đang gặp sự cố. Xin thử lại sau ít phút.',
} as const;

export const CHECK_IN_LABEL = 'Ghi nhận đến';

export const QUEUE_WORDS = {
  pending: (count: number) =>
    `Chưa gửi được ${count} thao tác (mất kết nối). Chúng được giữ trên máy này và sẽ tự gửi khi có mạng lại.`,
  signedOut: 'Phiên đăng nhập đã hết. Hãy đăng nhập lại; các thao tác chưa gửi vẫn được giữ trên máy này.',
  refused: (count: number) =>
    `${count} thao tác giữ trên máy đã gửi nhưng KHÔNG được ghi. Xin xem lý do từng thao tác dưới đây và làm lại nếu cần:`,
} as const;

export const SCAN_WORDS = {
  starting: 'Đang mở camera…',
  aim: 'Đưa mã QR trên điện thoại của người hiến vào khung hình.',
  noCamera: 'Không mở được camera. Hãy cho phép trang dùng camera, hoặc gõ mã vào ô trên.',
} as const;

const when = (iso: string) => formatDateTime(new Date(iso));

/** The desk columns the audit log keeps before and after a change (console-store.ts). */
interface LoggedDeskState {
  arrived_at?: string | null;
  outcome?: string | null;
  volume_ml?: number | null;
  deferral_reason?: string | null;
  deferral_kind?: string | null;
  return_after?: string | null;
  cancelled_at?: string | null;
}

function deskStateWords(state: LoggedDeskState): string {
  const outcome = state.outcome;
  const status = deskStatus({
    cancelledAt: state.cancelled_at ?? null,
    desk: {
      arrivedAt: state.arrived_at ?? null,
      // An outcome the words do not know reads as no outcome, as before.
      outcome: outcome === 'gave' || outcome === 'deferred' || outcome === 'no-show' ? outcome : null,
      volumeMl: null,
      deferralReason: null,
      deferralKind: null,
      returnAfter: null,
      walkIn: false,
      overCapacity: false,
    },
  });
  const parts: string[] = [STATUS_WORDS[status]];
  if (state.arrived_at) parts.push(`đến lúc ${when(state.arrived_at)}`);
  if (state.volume_ml) parts.push(`${state.volume_ml} ml`);
  if (state.deferral_reason) parts.push(REASON_WORDS[state.deferral_reason as DeferralReason] ?? state.deferral_reason);
  if (state.deferral_kind) parts.push(DEFERRAL_KIND_WORDS[state.deferral_kind as DeferralKind] ?? state.deferral_kind);
  if (state.return_after) parts.push(`được hiến lại từ ${dayWords(state.return_after)}`);
  return parts.join(', ');
}

/**
 * One side (before or after) of an audit entry in words: the log keeps JSON
 * with the database's column names and UTC times, which the desk and the
 * CLI show as Vietnamese words and dd/mm/yyyy HH:mm in Cà Mau.
 */
export function auditStateWords(json: string | null): string {
  if (json === null) return '—';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  if (typeof value !== 'object' || value === null) return json;
  const logged = value as Record<string, unknown>;
  if ('outcome' in logged || 'arrived_at' in logged) return deskStateWords(logged);
  if (Array.isArray(logged['codes'])) return `${logged['codes'].length} người được đánh dấu vắng`;
  if (typeof logged['units'] === 'number') return `${logged['units']} đơn vị máu`;
  if (typeof logged['slot'] === 'string')
    return `Khung giờ ${when(logged['slot'])}${logged['overCapacity'] === true ? ', vượt số chỗ' : ''}`;
  if (typeof logged['action'] === 'string')
    return `Hoàn tác: ${ACTION_WORDS[logged['action'] as DeskActionKind] ?? logged['action']}`;
  return json;
}

/** An audit entry's action in words, with "(đã hoàn tác)" once taken back. */
export function auditActionWords(action: string, undone: boolean): string {
  return `${ACTION_WORDS[action as DeskActionKind] ?? action}${undone ? ' (đã hoàn tác)' : ''}`;
}
