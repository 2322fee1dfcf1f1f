/**
 * What the console's unit pages do with a post (/to-chuc/don-vi/…, docs/organisers.md
 * "Units"): rights first (canManageUnit: admins every unit, a focal account its own), a
 * rate limit per account, then the reservation (admins) or the list: read, previewed, and
 * the valid rows stored in one transaction once the focal person confirmed consent.
 * Answers are Vietnamese with the status the page sends; a stored list or reservation is
 * answered by a redirect (303), so a reload stores nothing twice.
 */
import { canManageAccounts, canManageUnit } from '../console/access.ts';
import type { StaffAccount } from '../console/console-store.ts';
import { RateLimiter } from '../signup/rate-limit.ts';
import type { DriveOption } from '../signup/schema.ts';
import { whenFree } from '../store/database.ts';
import { parseLocalInput } from './deadline.ts';
import { previewList, type Preview } from './preview.ts';
import {
  FIELD_LABELS,
  MAX_ROWS,
  readRows,
  splitPasted,
  type ListRow,
  type MemberField,
  type ReadList,
} from './rows.ts';
import { readUpload } from './sheet-reading.ts';
import { isOpen, type UnitStore } from './unit-store.ts';
import { BAD_DEADLINE, BAD_PLACES, NOT_A_UNIT, NOT_YOUR_UNIT, notEnough, reservedSummary } from './words.ts';

export const UNITS_PATH = '/to-chuc/don-vi/';
export const unitHref = (team: string) => `${UNITS_PATH}${encodeURIComponent(team)}/`;
export const unitDriveHref = (team: string, drive: string) => `${unitHref(team)}${encodeURIComponent(drive)}/`;
export const unitPrintHref = (team: string, drive: string) => `${unitDriveHref(team, drive)}in/`;

/** 30 posts a minute per account: a person fixing a list goes far slower; a script stops here. */
const posts = new RateLimiter(30, 60_000);

export interface UnitAnswer {
  status: number;
  ok: boolean;
  lines: string[];
  /** Where to go after a post that stored something (303). */
  redirect?: string | undefined;
  preview?: Preview | undefined;
  /** The rows to store, as tab-separated text (valid ones), and the rows to fix. */
  toStore?: string | undefined;
  toFix?: string | undefined;
  /** How many rows are in the box to fix (the store form says it again). */
  fixCount?: number | undefined;
}

export const RATE_LIMITED: UnitAnswer = {
  status: 429,
  ok: false,
  lines: ['Bạn gửi quá nhiều lần trong một phút (429). Xin đợi một phút rồi gửi lại.'],
};
export const FORBIDDEN: UnitAnswer = { status: 403, ok: false, lines: [NOT_YOUR_UNIT] };

export function allowPost(account: Pick<StaffAccount, 'id'>, now: Date): boolean {
  return posts.allow(String(account.id), now.getTime());
}

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** An admin's reservation from the form of /to-chuc/don-vi/. */
export async function postReservation(
  account: StaffAccount,
  units: UnitStore,
  drives: readonly DriveOption[],
  form: FormData,
  now: Date,
): Promise<UnitAnswer> {
  if (!canManageAccounts(account)) {
    return { status: 403, ok: false, lines: ['Chỉ quản trị viên mới giữ chỗ cho đơn vị (403).'] };
  }
  const team = text(form, 'team').trim().toUpperCase();
  if (!units.hasTeam(team)) return { status: 422, ok: false, lines: [NOT_A_UNIT(team || '…')] };
  const drive = drives.find((d) => d.slug === text(form, 'drive'));
  if (!drive) return { status: 422, ok: false, lines: ['Hãy chọn một đợt còn nhận đăng ký.'] };
  const places = Number(text(form, 'places'));
  if (!Number.isInteger(places) || places < 1 || places > 2000) return { status: 422, ok: false, lines: [BAD_PLACES] };
  const until = parseLocalInput(text(form, 'until'));
  if (!until || until <= now) return { status: 422, ok: false, lines: [BAD_DEADLINE] };
  const slotTyped = text(form, 'slot');
  const slot = slotTyped === '' ? undefined : drive.slots.find((s) => s.id === slotTyped)?.id;
  if (slotTyped !== '' && !slot) return { status: 422, ok: false, lines: ['Đợt này không có khung giờ đó.'] };
  const result = await whenFree(() =>
    units.reserve({
      drive: drive.slug,
      teamCode: team,
      slots: drive.slots,
      slot,
      places,
      until,
      createdBy: account.username,
      now,
    }),
  );
  if (result.status === 'not-enough') return { status: 409, ok: false, lines: [notEnough(result.free, places)] };
  return {
    status: 303,
    ok: true,
    lines: [reservedSummary(places, units.teamName(team) ?? team, until)],
    redirect: `${UNITS_PATH}?da-giu=${places}&don-vi=${encodeURIComponent(team)}`,
  };
}

/** The unit's places left on a drive, by slot: its open reservations less their members. */
export function roomOf(units: UnitStore, team: string, drive: string, now: Date): Map<string, number> {
  const room = new Map<string, number>();
  for (const r of units.reservations({ teamCode: team, drive })) {
    if (!isOpen(r, now)) continue;
    room.set(r.slot, (room.get(r.slot) ?? 0) + Math.max(0, r.places - r.filled));
  }
  return room;
}

/** One member typed in the form's fields: a list of one row with the page's header. */
export function oneRow(form: FormData): string[][] {
  const fields: MemberField[] = ['fullName', 'birthYear', 'sex', 'phone', 'weightKg', 'bloodGroup', 'slot', 'email'];
  const header = ['Họ và tên', 'Năm sinh', 'Giới tính', 'Số điện thoại', 'Cân nặng', 'Nhóm máu', 'Ca', 'Email'];
  return [header, fields.map((f) => text(form, f))];
}

/** The list posted: an uploaded .xlsx or .csv (`file`), one member typed in, or pasted text (`rows`). */
export async function listOf(form: FormData): Promise<ReadList> {
  const file = form.get('file');
  if (file instanceof File && file.size > 0) {
    const read = await readUpload(file.name, new Uint8Array(await file.arrayBuffer()));
    return read.ok ? readRows(read.cells) : { ok: false, problem: read.problem };
  }
  if (text(form, 'intent') === 'one') return readRows(oneRow(form));
  const pasted = text(form, 'rows');
  if (pasted.trim() === '') {
    return {
      ok: false,
      problem: 'Chưa có dòng nào: hãy dán danh sách (có dòng tiêu đề), hoặc chọn tệp .xlsx hay .csv.',
    };
  }
  return readRows(splitPasted(pasted));
}

/**
 * A list posted to a unit's drive page: `preview` shows every row with its problems;
 * `store` (and `one`, a member typed in) stores the valid rows once consent is ticked.
 */
export async function postList(input: {
  account: StaffAccount;
  team: string;
  drive: DriveOption;
  units: UnitStore;
  form: FormData;
  list: ReadList;
  now: Date;
  /** Stores the valid rows (the site adds how each member is told their code). */
  store: (
    rows: {
      person: NonNullable<Preview['rows'][number]['person']>;
      slot?: string | undefined;
      email?: string | undefined;
    }[],
  ) => Promise<{ stored: number; noRoom: number }>;
}): Promise<UnitAnswer> {
  const { account, team, drive, units, form, list, now } = input;
  if (!canManageUnit(account, team)) return FORBIDDEN;
  if (!list.ok) return { status: 422, ok: false, lines: [list.problem] };
  const intent = text(form, 'intent');
  const members = units.members(team, drive.slug).map((m) => ({ phone: m.phone, fullName: m.fullName }));
  const preview = await previewList(list.rows, { drive, room: roomOf(units, team, drive.slug, now), members, now });
  // The store form carries the rows that will be stored and those past the places (so the
  // answer says again how many do not fit); the rows to fix stay in their own box, counted.
  const fits = (i: number) => preview.rows[i]?.problems.length === 0 || preview.rows[i]?.noRoom === true;
  const valid = list.rows.filter((_, i) => fits(i));
  const invalid = list.rows.filter((_, i) => !fits(i));
  const carried = {
    toStore: joinList(list.columns, valid),
    toFix: invalid.length ? joinList(list.columns, invalid) : '',
    fixCount: invalid.length,
  };
  const fixedElsewhere = Math.min(MAX_ROWS, Math.max(0, Math.trunc(Number(text(form, 'fixCount')) || 0)));
  const summary = summaryLines(preview, list.rows.length);
  if (intent === 'preview') return { status: 200, ok: true, lines: summary, preview, ...carried };
  if (intent !== 'store' && intent !== 'one') return { status: 400, ok: false, lines: ['Không rõ thao tác (400).'] };
  if (text(form, 'consent') !== 'yes') {
    return {
      status: 422,
      ok: false,
      lines: [
        'Hãy đánh dấu ô xác nhận: các thành viên đã đồng ý hiến máu và đồng ý để Hội Chữ thập đỏ giữ thông tin của họ (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).',
        ...summary,
      ],
      preview,
      ...carried,
    };
  }
  const rows = preview.rows.flatMap((r) => (r.person ? [{ person: r.person, slot: r.slot, email: r.email }] : []));
  if (rows.length === 0)
    return { status: 422, ok: false, lines: ['Chưa có dòng nào hợp lệ để lưu.', ...summary], preview, ...carried };
  const { stored, noRoom } = await input.store(rows);
  const notFitting = noRoom + preview.noRoom;
  return {
    status: 303,
    ok: true,
    lines: [],
    redirect: `${unitDriveHref(team, drive.slug)}?da-luu=${stored}&khong-vua=${notFitting}&can-sua=${invalid.length + fixedElsewhere}`,
  };
}

function joinList(columns: readonly MemberField[], rows: readonly ListRow[]): string {
  const clean = (value: string) => value.replace(/[\t\r\n]+/g, ' ');
  return [
    columns.map((c) => FIELD_LABELS[c]).join('\t'),
    ...rows.map((row) => columns.map((c) => clean(row.cells[c] ?? '')).join('\t')),
  ].join('\n');
}

export function summaryLines(preview: Preview, total: number): string[] {
  const problems = preview.rows.filter((r) => r.problems.length > 0).length;
  const lines = [
    `${total} dòng: ${preview.valid} dòng hợp lệ sẽ được lưu, ${problems} dòng cần sửa hoặc không vừa số chỗ.`,
  ];
  if (preview.noRoom > 0) {
    lines.push(
      `${preview.noRoom} dòng hợp lệ không vừa số chỗ đã giữ cho đơn vị: các dòng này không được lưu (hãy nhờ Hội Chữ thập đỏ giữ thêm chỗ).`,
    );
  }
  return lines;
}

/** The notice after the redirect of a stored list, from its query. */
export function storedNotice(query: URLSearchParams): string[] {
  const stored = Number(query.get('da-luu'));
  if (!query.has('da-luu') || !Number.isInteger(stored)) return [];
  const lines = [`Đã lưu ${stored} người vào danh sách của đơn vị.`];
  const noRoom = Number(query.get('khong-vua'));
  if (Number.isInteger(noRoom) && noRoom > 0)
    lines.push(`${noRoom} người không vừa số chỗ đã giữ cho đơn vị, chưa được lưu.`);
  const toFix = Number(query.get('can-sua'));
  if (Number.isInteger(toFix) && toFix > 0) lines.push(`${toFix} dòng có lỗi chưa được lưu: hãy sửa rồi gửi lại.`);
  return lines;
}
