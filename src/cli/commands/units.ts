/**
 * `units reserve|list|return`: places of a drive reserved for a unit, as the console's
 * unit pages do (docs/organisers.md "Đơn vị đăng ký theo danh sách"). The drive's slots
 * are the built schedule's (SITE_DIST), as `check` reads them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings } from '../../settings.ts';
import { formatDate, formatDateTime, formatTime, formatTimeRange } from '../../shared/dates.ts';
import { TEAM_CODE } from '../../signup/form-fields.ts';
import { readSchedule, SCHEDULE_PATH } from '../../signup/slot-check.ts';
import { parseDeadline } from '../../units/deadline.ts';
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
import { withStore } from '../database.ts';

/** Who did it, in the reservations' created_by, when it was done from the command line. */
export const CLI_UNIT_ACTOR = 'dòng lệnh';

const help: CommandHelp = {
  forms: [
    'units reserve --drive <mã-đợt> --team <MÃ> --places <số> --until "<ngày/tháng/năm giờ:phút>" [--slot <giờ:phút>]',
    'units list [--team <MÃ>] [--drive <mã-đợt>]',
    'units return',
    'units turnout [--team <MÃ>] [--drive <mã-đợt>] [--out <tệp.csv>]',
  ],
  summary: 'giữ chỗ cho đơn vị, xem chỗ đã giữ',
  about: [
    'Giữ chỗ của một đợt cho một đơn vị (mã đội đã đăng ký bằng team add) đến một hạn: trong một khung giờ (--slot 07:30),',
    'hoặc chia đều cho các khung giờ còn chỗ. Chỗ giữ mà đơn vị chưa điền người được tính là đã có người trên biểu mẫu công khai;',
    'qua hạn, chỗ chưa dùng tự trả lại cho mọi người (danh sách chờ được mời trước).',
    'units list: các lượt giữ chỗ với số đã điền; units return: ghi nhận các lượt đã hết hạn (máy chủ tự làm mỗi vòng gửi).',
    'units turnout: kết quả từng đơn vị theo đợt (chỗ giữ, đã điền, đã đến, đã hiến, tạm hoãn, không đến, đơn vị máu); --out ghi tệp CSV cho Excel.',
  ].join('\n'),
};

function unitCode(typed: string | undefined): string {
  const code = typed?.toUpperCase().replace(/\s+/g, '');
  if (!code || !TEAM_CODE.test(code)) throw new UsageError('Cần ghi --team <MÃ>, ví dụ --team CA-AN-XUYEN');
  return code;
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

export const units: Command = {
  help,
  waits: false,
  run: (context) => {
    const [action] = context.rest;
    const actions: Record<string, (context: CommandContext, units: UnitStore) => void> = {
      reserve,
      list,
      return: giveBack,
      turnout,
    };
    const act = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!act) throw new UsageError(`Lệnh units có các dạng: ${help.forms.join('; ')}`);
    withStore(context.dbPath, false, (store) => act(context, new UnitStore(store.db)));
  },
};
