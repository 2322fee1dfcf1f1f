/**
 * The sign-ups of a drive as a CSV file that opens right in Excel, with what
 * happened at the desk: one file, written the same by the CLI's `export` and
 * the console's download.
 */
import { formatCode } from '../signup/codes.ts';
import { formatMobile } from '../signup/phone.ts';
import type { SignupRecord } from '../signup/store.ts';
import { formatDate, formatDateTime, formatTime } from '../shared/dates.ts';
import { deskStatus } from './desk-status.ts';
import { DEFERRAL_KIND_WORDS, REASON_WORDS, SEX_WORDS, STATUS_WORDS } from './words.ts';
import type { DeferralReason } from './desk-actions.ts';

const CSV_HEADERS = [
  'Mã xác nhận',
  'Đợt hiến máu',
  'Ngày',
  'Khung giờ',
  'Họ và tên',
  'Số điện thoại',
  'Năm sinh',
  'Giới tính',
  'Cân nặng (kg)',
  'Ngày hiến gần nhất',
  'Mã đội',
  'Đăng ký lúc',
  'Đã hiến',
  'Tình trạng',
  'Đến lúc',
  'Lượng máu (ml)',
  'Lý do tạm hoãn',
  'Loại tạm hoãn',
  'Được hiến lại từ',
  'Đăng ký tại chỗ',
  'Vượt số chỗ',
];

export function csvCell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would make Excel run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const dateTime = (iso: string) => formatDateTime(new Date(iso));
const calendarDate = (day: string) => formatDate(new Date(`${day}T00:00:00+07:00`));

function csvRow(s: SignupRecord): string[] {
  const start = new Date(s.slot);
  const desk = s.desk;
  return [
    formatCode(s.code),
    s.drive,
    formatDate(start),
    `${formatTime(start)}–${formatTime(new Date(s.slotEnd))}`,
    s.fullName,
    formatMobile(s.phone),
    String(s.birthYear),
    SEX_WORDS[s.sex],
    String(s.weightKg).replace('.', ','),
    s.lastDonation ? calendarDate(s.lastDonation) : '',
    s.teamCode ?? '',
    dateTime(s.createdAt),
    s.donatedAt ? 'Có' : '',
    STATUS_WORDS[deskStatus(s)],
    desk.arrivedAt ? dateTime(desk.arrivedAt) : '',
    desk.volumeMl ? String(desk.volumeMl) : '',
    desk.deferralReason ? REASON_WORDS[desk.deferralReason as DeferralReason] : '',
    desk.deferralKind ? DEFERRAL_KIND_WORDS[desk.deferralKind] : '',
    desk.returnAfter ? calendarDate(desk.returnAfter) : '',
    desk.walkIn ? 'Có' : '',
    desk.overCapacity ? 'Có' : '',
  ];
}

/** The CSV text: BOM so Excel reads UTF-8, CRLF line ends as RFC 4180 says. */
export function signupsCsv(signups: readonly SignupRecord[]): string {
  const lines = [CSV_HEADERS, ...signups.map(csvRow)].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
