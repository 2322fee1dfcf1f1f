/**
 * `units reserve|list|return`: places of a drive reserved for a unit, as the console's
 * unit pages do (docs/organisers.md "Đơn vị đăng ký theo danh sách"). The drive's slots
 * are the built schedule's (SITE_DIST), as `check` reads them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings } from '../../settings.ts';
import { formatDate, formatDateTime, formatTime, formatTimeRange } from '../../shared/dates.ts';
import { formatCode } from '../../signup/codes.ts';
import { TEAM_CODE } from '../../signup/form-fields.ts';
import { readSchedule, SCHEDULE_PATH } from '../../signup/slot-check.ts';
import { parseDeadline } from '../../units/deadline.ts';
import { previewList } from '../../units/preview.ts';
import { readRows, splitPasted } from '../../units/rows.ts';
import { readUpload } from '../../units/sheet-reading.ts';
import { memberChoice } from '../../site/unit-runtime.ts';
import { roomOf } from '../../units/unit-console.ts';
import { isOpen, UnitStore, type UnitSlot } from '../../units/unit-store.ts';
import { TURNOUT_HEADERS, turnoutCsv, turnoutRow } from '../../units/turnout-csv.ts';
import {
  BAD_DEADLINE,
  BAD_PLACES,
  NO_SUCH_DRIVE,
  NO_SUCH_SLOT,
  NOT_A_UNIT,
  notEnough,
  reservedLine,
  reservedSummary,
  returnedNotice,
} from '../../units/words.ts';
import { UsageError, type Command, type CommandContext, type CommandHelp } from '../command.ts';
import { openStore } from '../database.ts';

/** Who did it, in the reservations' created_by, when it was done from the command line. */
export const CLI_UNIT_ACTOR = 'dòng lệnh';

const help: CommandHelp = {
  forms: [
    'units reserve --drive <mã-đợt> --team <MÃ> --places <số> --until "<ngày/tháng/năm giờ:phút>" [--slot <giờ:phút>]',
    'units list [--team <MÃ>] [--drive <mã-đợt>]',
    'units return',
    'units fill --drive <mã-đợt> --team <MÃ> --file <tệp.xlsx|.csv|.txt> --consent "<người xác nhận>" [--dry-run]',
    'units turnout [--team <MÃ>] [--drive <mã-đợt>] [--out <tệp.csv>]',
  ],
  summary: 'giữ chỗ cho đơn vị, xem chỗ đã giữ',
  about: [
    'Giữ chỗ của một đợt cho một đơn vị (mã đội đã đăng ký bằng team add) đến một hạn: trong một khung giờ (--slot 07:30),',
    'hoặc chia đều cho các khung giờ còn chỗ. Chỗ giữ mà đơn vị chưa điền người được tính là đã có người trên biểu mẫu công khai;',
    'qua hạn, chỗ chưa dùng tự trả lại cho mọi người (danh sách chờ được mời trước).',
    'units list: các lượt giữ chỗ với số đã điền; units return: ghi nhận các lượt đã hết hạn (máy chủ tự làm mỗi vòng gửi).',
    'units fill: lưu danh sách của đơn vị từ tệp (dòng đầu là tiêu đề), như trang của đơn vị: in lỗi của từng dòng, lưu các dòng hợp lệ trong một giao dịch;',
    '  --consent ghi người xác nhận các thành viên đã đồng ý (Luật 91/2025/QH15); --dry-run chỉ xem trước, không lưu.',
    'units turnout: kết quả từng đơn vị theo đợt (chỗ giữ, đã điền, đã đến, đã hiến, tạm hoãn, không đến, đơn vị máu); --out ghi tệp CSV cho Excel.',
  ].join('\n'),
};

function unitCode(typed: string | undefined): string {
  const code = typed?.toUpperCase().replace(/\s+/g, '');
  if (!code || !TEAM_CODE.test(code)) throw new UsageError('Cần ghi --team <MÃ>, ví dụ --team CA-AN-XUYEN');
  return code;
}

/** The drive as the latest build published it, with the facts the form's schema reads. */
function builtDrive(slug: string): { slug: string; name: string; start: Date; end: Date; slots: UnitSlot[] } {
  let schedule;
  try {
    schedule = readSchedule(join(readSettings().siteDist, 'client', SCHEDULE_PATH));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const drive = schedule.find((d) => d.slug === slug);
  if (!drive || !drive.start || !drive.end) throw new UsageError(NO_SUCH_DRIVE(slug));
  return {
    slug,
    name: drive.name ?? slug,
    start: new Date(drive.start),
    end: new Date(drive.end),
    slots: drive.slots.map((s) => ({ id: s.id, end: s.end, places: s.places })),
  };
}

/** The drive's slots as the latest build published them. */
function builtSlots(slug: string): UnitSlot[] {
  let schedule;
  try {
    schedule = readSchedule(join(readSettings().siteDist, 'client', SCHEDULE_PATH));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const drive = schedule.find((d) => d.slug === slug);
  if (!drive) throw new UsageError(NO_SUCH_DRIVE(slug));
  return drive.slots.map((s) => ({ id: s.id, end: s.end, places: s.places }));
}

/** A slot named by its start, "07:30", or by its ISO id. */
function slotNamed(slots: readonly UnitSlot[], typed: string): string {
  const found = slots.find((s) => s.id === typed || formatTime(new Date(s.id)) === typed.padStart(5, '0'));
  if (!found)
    throw new UsageError(`${NO_SUCH_SLOT} Các khung: ${slots.map((s) => formatTime(new Date(s.id))).join(', ')}`);
  return found.id;
}

function reserve({ options, out, now }: CommandContext, units: UnitStore): void {
  const drive = options.drive?.[0];
  if (!drive) throw new UsageError('Cần ghi --drive <mã-đợt>, ví dụ --drive gia-rai-12-12-2026');
  const team = unitCode(options.team);
  if (!units.hasTeam(team)) throw new UsageError(NOT_A_UNIT(team));
  const places = Number(options.places);
  if (!Number.isInteger(places) || places < 1 || places > 2000) throw new UsageError(BAD_PLACES);
  const until = parseDeadline(options.until ?? '');
  if (!until || until <= now) throw new UsageError(BAD_DEADLINE);
  const slots = builtSlots(drive);
  const slot = options.slot === undefined ? undefined : slotNamed(slots, options.slot);
  const result = units.reserve({ drive, teamCode: team, slots, slot, places, until, createdBy: CLI_UNIT_ACTOR, now });
  if (result.status === 'not-enough') throw new UsageError(notEnough(result.free, places));
  out(reservedSummary(places, `${units.teamName(team) ?? team} (${team})`, until));
  for (const r of result.reservations) out(`  ${reservedLine(r.places, new Date(r.slot), new Date(r.slotEnd))}`);
}

function list({ options, out, now }: CommandContext, units: UnitStore): void {
  const team = options.team === undefined ? undefined : unitCode(options.team);
  const reservations = units.reservations({ teamCode: team, drive: options.drive?.[0] });
  if (reservations.length === 0) {
    out('Chưa có lượt giữ chỗ nào.');
    return;
  }
  out(['Đơn vị', 'Đợt', 'Ngày', 'Khung giờ', 'Đã giữ', 'Đã điền', 'Hạn', 'Tình trạng'].join('\t'));
  for (const r of reservations) {
    const state = isOpen(r, now)
      ? 'đang giữ'
      : r.returnedAt
        ? `đã trả ${r.returnedPlaces ?? 0} chỗ`
        : 'hết hạn, chờ vòng gửi trả chỗ';
    out(
      [
        r.teamCode,
        r.drive,
        formatDate(new Date(r.slot)),
        formatTimeRange(new Date(r.slot), new Date(r.slotEnd)),
        String(r.places),
        String(r.filled),
        formatDateTime(new Date(r.until)),
        state,
      ].join('\t'),
    );
  }
}

function giveBack({ out, now }: CommandContext, units: UnitStore): void {
  const returned = units.returnExpired(now);
  if (returned.length === 0) {
    out('Không có lượt giữ chỗ nào vừa hết hạn.');
    return;
  }
  for (const r of returned) out(`${r.teamCode}\t${returnedNotice(r.places, r.drive, now)}`);
}

function turnout({ options, out }: CommandContext, units: UnitStore): void {
  const team = options.team === undefined ? undefined : unitCode(options.team);
  const rows = units.turnout({ teamCode: team, drive: options.drive?.[0] });
  if (options.out) {
    writeFileSync(options.out, turnoutCsv(rows), { mode: 0o600 });
    out(`Đã ghi kết quả của ${rows.length} dòng đơn vị theo đợt vào ${options.out}`);
    return;
  }
  if (rows.length === 0) {
    out('Chưa có đơn vị nào được giữ chỗ.');
    return;
  }
  out(TURNOUT_HEADERS.join('\t'));
  for (const row of rows) out(turnoutRow(row).join('\t'));
}

async function fill({ options, out, now }: CommandContext, units: UnitStore): Promise<void> {
  const slug = options.drive?.[0];
  if (!slug) throw new UsageError('Cần ghi --drive <mã-đợt>, ví dụ --drive gia-rai-12-12-2026');
  const team = unitCode(options.team);
  if (!units.hasTeam(team)) throw new UsageError(NOT_A_UNIT(team));
  if (!options.file)
    throw new UsageError('Cần ghi --file <tệp.xlsx|.csv|.txt>: danh sách của đơn vị, dòng đầu là tiêu đề.');
  const consentBy = options.consent?.trim() ?? '';
  if (!options['dry-run'] && consentBy.length < 2) {
    throw new UsageError(
      'Cần ghi --consent "<họ tên người xác nhận>": người đó xác nhận các thành viên đã đồng ý hiến máu và để Hội giữ thông tin (Luật 91/2025/QH15).',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(options.file));
  } catch {
    throw new UsageError(`Không đọc được tệp ${options.file}.`);
  }
  const read = options.file.toLowerCase().endsWith('.txt')
    ? { ok: true as const, cells: splitPasted(new TextDecoder().decode(bytes)) }
    : await readUpload(options.file, bytes);
  if (!read.ok) throw new UsageError(read.problem);
  const list = readRows(read.cells);
  if (!list.ok) throw new UsageError(list.problem);
  const drive = builtDrive(slug);
  const members = units.members(team, slug).map((m) => ({ phone: m.phone, fullName: m.fullName }));
  const preview = await previewList(list.rows, { drive, room: roomOf(units, team, slug, now), members, now });
  for (const row of preview.rows) {
    if (row.problems.length > 0) out(`Dòng ${row.line} (${row.cells.fullName ?? ''}): ${row.problems.join(' ')}`);
  }
  out(
    `${list.rows.length} dòng: ${preview.valid} dòng hợp lệ${preview.noRoom ? `, ${preview.noRoom} dòng không vừa số chỗ` : ''}.`,
  );
  if (options['dry-run'] || preview.valid === 0) return;
  // Each member is told their code and manage link as from the page: the reminders'
  // confirmation, by the channels this server's settings have (the server's sender sends it).
  const stored = preview.rows.flatMap((r) =>
    r.person ? [{ person: r.person, slot: r.slot, reminders: memberChoice(r.email) }] : [],
  );
  const result = units.storeMembers({
    teamCode: team,
    drive: slug,
    members: stored,
    storedBy: CLI_UNIT_ACTOR,
    consentBy,
    now,
  });
  const told = stored.filter((m) => m.reminders).length;
  out(
    told > 0
      ? `Đã lưu ${result.stored.length} người vào danh sách của đơn vị ${team}; máy chủ sẽ gửi mã và đường dẫn cho ${told} người qua các kênh nhắc hẹn đã cài. Mã của từng người:`
      : `Đã lưu ${result.stored.length} người vào danh sách của đơn vị ${team}; máy chủ chưa cài kênh nhắc hẹn nào nên không ai được nhắn: hãy báo mã cho từng người hoặc in danh sách A4. Mã của từng người:`,
  );
  for (const { signup } of result.stored) out(`${formatCode(signup.code)}\t${signup.fullName}`);
}

export const units: Command = {
  help,
  // units fill reads a spreadsheet and checks each row as the page does: it waits.
  waits: true,
  run: async (context) => {
    const [action] = context.rest;
    const actions: Record<string, (context: CommandContext, units: UnitStore) => void | Promise<void>> = {
      reserve,
      list,
      return: giveBack,
      turnout,
      fill,
    };
    const act = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!act) throw new UsageError(`Lệnh units có các dạng: ${help.forms.join('; ')}`);
    const store = openStore(context.dbPath, false);
    try {
      await act(context, new UnitStore(store.db));
    } finally {
      store.close();
    }
  },
};
