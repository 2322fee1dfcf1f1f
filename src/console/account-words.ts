/**
 * What the accounts page (/to-chuc/tai-khoan/), its audit list and `audit --accounts` say
 * (docs/organisers.md, "Tài khoản và vai trò").
 */
import type { AccountAuditEntry } from './accounts-store.ts';
import type { Role } from './console-store.ts';

export const ROLE_WORDS: Record<Role, string> = {
  admin: 'quản trị (mọi đợt, tài khoản)',
  staff: 'cán bộ bàn tiếp đón (các đợt được giao)',
  editor: 'biên tập (tin, trang, đợt hiến máu)',
  unit: 'người phụ trách đơn vị',
};

/** The role's name alone, for the list to choose from. */
export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Quản trị',
  staff: 'Cán bộ bàn tiếp đón',
  editor: 'Biên tập',
  unit: 'Người phụ trách đơn vị',
};

function scope(role: Role, drives: readonly string[], teamCode: string | undefined): string {
  if (role === 'admin') return ' (mọi đợt)';
  if (role === 'unit') return ` cho đơn vị ${teamCode ?? ''}`;
  return drives.length ? `, các đợt: ${drives.join(', ')}` : '';
}

export const ACCOUNT_WORDS = {
  forbidden: 'Chỉ quản trị viên mới quản lý tài khoản (403).',
  rateLimited: 'Bạn đã gửi quá nhiều thay đổi trong 10 phút. Xin đợi một lát rồi làm tiếp (429).',
  busy: 'Máy chủ đang kiểm tra nhiều mật khẩu cùng lúc. Xin thử lại sau vài giây (429).',
  unknownIntent: 'Không rõ thao tác (400).',
  badKey: 'Biểu mẫu thiếu mã gửi hoặc mã không hợp lệ (400). Hãy tải lại trang rồi gửi lại.',
  replayed: 'Biểu mẫu này đã được gửi rồi, không thay đổi gì thêm (409). Tải lại trang để làm thao tác mới.',
  badUsername: 'Tên đăng nhập: 2 đến 32 ký tự gồm chữ thường không dấu, chữ số, . _ hoặc -, ví dụ thu.ha.',
  badRole: 'Hãy chọn vai trò: quản trị, cán bộ bàn tiếp đón, biên tập hoặc người phụ trách đơn vị.',
  staffNeedsDrive: 'Tài khoản cán bộ bàn tiếp đón cần ít nhất một đợt hiến máu.',
  drivesOnlyStaff: 'Chỉ tài khoản cán bộ bàn tiếp đón hoặc biên tập mới được giao đợt; quản trị làm được mọi đợt.',
  tooManyDrives: (max: number) => `Một tài khoản được giao nhiều nhất ${max} đợt.`,
  unknownDrives: (slugs: readonly string[]) => `Không có đợt: ${slugs.join(', ')}.`,
  unknownTeam: (code: string) =>
    code
      ? `Chưa có đơn vị mã ${code}: đăng ký mã đơn vị ở phần "Mã đơn vị" bên dưới trước.`
      : 'Tài khoản người phụ trách đơn vị cần mã đơn vị.',
  exists: (username: string) => `Đã có tài khoản "${username}" (409).`,
  noAccount: (username: string) => `Không có tài khoản "${username}" (404).`,
  notYourself: 'Bạn không thể tự khoá hay xoá tài khoản của chính mình; nhờ một quản trị viên khác.',
  confirmRemove: (username: string) => `Đánh dấu ô xác nhận để xoá tài khoản "${username}".`,
  badTeamCode: 'Mã đơn vị: 2 đến 20 ký tự gồm chữ không dấu, chữ số hoặc -, ví dụ CAT-PC06.',
  badTeamName: 'Tên đơn vị: 2 đến 120 ký tự, không có dấu < hay >.',
  noTeam: (code: string) => `Chưa có đơn vị mã ${code} (404).`,
  added: (username: string, role: Role, drives: readonly string[], teamCode: string | undefined) =>
    `Đã tạo tài khoản ${username}: ${ROLE_WORDS[role]}${scope(role, drives, teamCode)}.`,
  reset: (username: string) =>
    `Đã đặt mật khẩu mới cho ${username}; mọi phiên đăng nhập của tài khoản này đã kết thúc.`,
  disabled: (username: string) =>
    `Đã khoá tài khoản ${username}: không đăng nhập được nữa, các phiên đăng nhập đã kết thúc.`,
  enabled: (username: string) => `Đã mở lại tài khoản ${username}.`,
  alreadyDone: (username: string, intent: 'disable' | 'enable') =>
    intent === 'disable' ? `Tài khoản ${username} đã bị khoá từ trước.` : `Tài khoản ${username} đang mở.`,
  removed: (username: string) => `Đã xoá tài khoản ${username}; các phiên đăng nhập của nó đã kết thúc.`,
  drivesSet: (username: string, drives: readonly string[]) =>
    drives.length ? `${username} làm các đợt: ${drives.join(', ')}.` : `${username} không còn được giao đợt nào.`,
  teamAdded: (code: string, name: string) => `Đã đăng ký đơn vị ${code}: ${name}.`,
  teamRemoved: (code: string) => `Đã gỡ đơn vị ${code} khỏi /doi-nhom/; các đăng ký của đơn vị vẫn giữ mã.`,
  passwordOnce: 'Mật khẩu này chỉ hiện một lần. Hãy chép và trao tận tay người dùng; họ đổi được khi cần.',
} as const;

export const ACCOUNT_ACTION_WORDS: Record<AccountAuditEntry['action'], string> = {
  'account-add': 'tạo tài khoản',
  'account-disable': 'khoá tài khoản',
  'account-enable': 'mở lại tài khoản',
  'account-remove': 'xoá tài khoản',
  'account-password': 'đặt mật khẩu mới',
  'account-drives': 'giao đợt',
  'team-add': 'đăng ký đơn vị',
  'team-remove': 'gỡ đơn vị',
};

/** What an entry changed, in words: the role, the drives, the team's name; never a password. */
export function accountDetailWords(entry: Pick<AccountAuditEntry, 'action' | 'details'>): string {
  const d = entry.details;
  const list = (value: unknown) => (Array.isArray(value) && value.length ? value.join(', ') : 'không đợt nào');
  switch (entry.action) {
    case 'account-add':
      return [
        typeof d['role'] === 'string' ? (ROLE_WORDS[d['role'] as Role] ?? d['role']) : '',
        Array.isArray(d['drives']) ? `đợt ${list(d['drives'])}` : '',
        typeof d['team'] === 'string' ? `đơn vị ${d['team']}` : '',
      ]
        .filter(Boolean)
        .join('; ');
    case 'account-drives':
      return `${list(d['before'])} → ${list(d['after'])}`;
    case 'account-password':
      return d['how'] === 'typed' ? 'gõ trên máy chủ' : 'mật khẩu do trang tạo';
    case 'team-add':
      return typeof d['name'] === 'string' ? d['name'] : '';
    default:
      return '';
  }
}
