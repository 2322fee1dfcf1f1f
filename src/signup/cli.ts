/**
 * The organisers' command line: npm run signups -- <command>.
 *
 *   list [--drive <slug>]                 drives with sign-ups, or the people of one drive
 *   export --drive <slug> [--out f.csv]   a CSV that opens right in Excel (UTF-8 with BOM)
 *   cancel <code>                         frees a place (someone called to cancel)
 *   given <code> [<code> …]               records who gave blood (for the team ranking)
 *   purge [--older-than <days>]           deletes personal data of drives that ended that long ago
 *   erase --phone <number>                deletes every sign-up made with a phone number
 *   backup <file>                         a consistent copy, safe while the server runs
 *   check                                 sign-ups that no longer fit the built drives' slots
 *   team add|remove|list                  the team codes shown on /doi-nhom/
 *   user add|passwd|remove|list           the organisers' console accounts
 *   audit --drive <slug>                  every change made at a drive's desk
 *   reminders send [--at <ISO time>]      sends the reminders due (cron, tests); reminders status
 *   vapid                                 a new key pair for Web Push
 *
 * The database is SIGNUP_DB (default data/signups.sqlite) or --db <file>.
 * Runs on Node 24 as it is (type stripping); it needs no build.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCode, normalizeCode } from './codes.ts';
import { TEAM_CODE } from './form-fields.ts';
import { misfitSignups, readSchedule, SCHEDULE_PATH } from './slot-check.ts';
import { readSettings, signupDbPath } from '../settings.ts';
import { contentDir as contentDirOf } from '../build-settings.ts';
import { SignupStore } from './store.ts';
import { DEFAULT_DB_PATH } from '../store/database.ts';
import { dailyMaintenance, erasePhone, RETENTION_DAYS } from '../privacy/privacy.ts';
import { ConsoleStore, type AuditEntry } from '../console/console-store.ts';
import { DAYS_BETWEEN_GIFTS } from '../console/desk-actions.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../console/passwords.ts';
import { formatMobile, normalizeMobile } from './phone.ts';
import { addDays, calendarDateInVietnam, formatDate, formatDateTime, formatTime } from '../shared/dates.ts';
import { signupsCsv } from '../console/signups-csv.ts';
import { actorWords, auditActionWords, auditStateWords, CLI_ACTOR } from '../console/words.ts';
import { slugify } from '../shared/vietnamese.ts';
import { ReminderCommandError, runReminders, vapidKeys } from '../reminders/reminders-cli.ts';

export const DEFAULT_RETENTION_DAYS = RETENTION_DAYS;
export { signupsCsv };

/** One command's help: its forms (the usage lines) and what it does, as organisers and the IT officer read it. */
interface CommandHelp {
  forms: readonly string[];
  summary: string;
  about: string;
}

/** Everything --help prints, in Vietnamese (docs/organisers.md lists the commands in the same order). */
const COMMAND_HELP: Record<string, CommandHelp> = {
  list: {
    forms: ['list [--drive <mã-đợt>]'],
    summary: 'các đợt có đăng ký, hoặc người đăng ký của một đợt',
    about:
      'Không có --drive: các đợt có người đăng ký và số người của mỗi đợt. Có --drive: từng người đăng ký của đợt đó (giờ, mã, họ tên, số điện thoại, mã đội).',
  },
  export: {
    forms: ['export --drive <mã-đợt> [--out <tệp.csv>]'],
    summary: 'tệp CSV cho Excel',
    about:
      'Tệp CSV mở đúng trong Excel (UTF-8 có BOM), đủ các cột của bàn tiếp đón. Không có --out thì in ra màn hình. Tệp chứa dữ liệu cá nhân: chỉ người dùng này đọc được.',
  },
  cancel: {
    forms: ['cancel <mã>'],
    summary: 'hủy một đăng ký, trả lại chỗ',
    about:
      'Hủy một đăng ký và trả lại chỗ (khi người hiến gọi điện báo không đến). Mỗi lần một mã, ví dụ cancel 7K3Q-9XWD-2P.',
  },
  given: {
    forms: ['given <mã> [<mã> ...]'],
    summary: 'ghi nhận đã hiến máu',
    about:
      'Ghi nhận những người này đã hiến máu (cho bảng xếp hạng đội), giống như bấm "Đã hiến" ở bàn tiếp đón; ngày được hiến lại tính từ ngày của đợt.',
  },
  purge: {
    forms: ['purge [--older-than <số-ngày>]'],
    summary: 'xóa dữ liệu cá nhân của các đợt đã xong từ lâu',
    about: `Xóa dữ liệu cá nhân của các đợt đã kết thúc quá <số-ngày> ngày (mặc định ${DEFAULT_RETENTION_DAYS}), và các đăng ký đã hủy khi ngày hiến đã qua.`,
  },
  erase: {
    forms: ['erase --phone <số-điện-thoại>'],
    summary: 'xóa mọi đăng ký của một số điện thoại',
    about:
      'Xóa mọi đăng ký làm bằng số điện thoại này (khi chính người đó yêu cầu). Chỉ in ra số đăng ký đã xóa, không in số điện thoại.',
  },
  backup: {
    forms: ['backup <tệp>'],
    summary: 'sao chép cơ sở dữ liệu',
    about: 'Sao chép cơ sở dữ liệu một cách nhất quán, kể cả khi máy chủ đang chạy. Không ghi đè tệp đã có.',
  },
  check: {
    forms: ['check'],
    summary: 'đăng ký không còn khớp đợt hay khung giờ',
    about:
      'Các đăng ký mà bản dựng mới nhất không còn đợt hoặc khung giờ (sau khi sửa hay xóa tệp của một đợt). Có đăng ký như vậy thì mã thoát là 3: gọi cho những người này.',
  },
  team: {
    forms: ['team add <MÃ-ĐỘI> "<tên đơn vị>"', 'team remove <MÃ-ĐỘI>', 'team list'],
    summary: 'mã đội trên /doi-nhom/',
    about: 'Mã đội hiện trên /doi-nhom/: chỉ đội đã đăng ký mới hiện. Gỡ một đội thì các đăng ký của đội vẫn giữ mã.',
  },
  user: {
    forms: [
      'user add <tên> --role admin|staff [--drive <mã-đợt>]...',
      'user passwd <tên>',
      'user remove <tên>',
      'user list',
    ],
    summary: 'tài khoản trang tổ chức',
    about: `Tài khoản của trang tổ chức (/to-chuc/). admin làm được mọi đợt; staff chỉ làm các đợt ghi sau --drive. Mật khẩu (ít nhất ${MIN_PASSWORD_LENGTH} ký tự) đọc từ đầu vào chuẩn, gõ vào không hiện ra. Đổi mật khẩu hay xóa tài khoản thì mọi phiên đăng nhập của tài khoản đó kết thúc.`,
  },
  audit: {
    forms: ['audit --drive <mã-đợt>'],
    summary: 'nhật ký thay đổi tại bàn tiếp đón',
    about:
      'Nhật ký thay đổi tại bàn tiếp đón của đợt đó: lúc nào, ai làm, mã nào, thao tác gì, trước và sau. Không in họ tên.',
  },
  reminders: {
    forms: ['reminders send [--at <thời-điểm>]', 'reminders status'],
    summary: 'gửi lời nhắc; xem hộp thư đi',
    about:
      'send: lập và gửi các lời nhắc đến hạn vào thời điểm đó (mặc định: bây giờ), ghi cả múi giờ, ví dụ --at 2026-12-11T18:00:00+07:00; dùng với cron khi REMINDER_SCHEDULER=0. status: số tin nhắn theo trạng thái, loại và kênh, và tiến trình nào đang gửi.',
  },
  vapid: {
    forms: ['vapid'],
    summary: 'cặp khóa mới cho thông báo đẩy',
    about: 'In một cặp khóa VAPID mới cho thông báo đẩy (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY).',
  },
};

const OPTIONS_HELP = `Tùy chọn chung: --db <tệp> (mặc định: SIGNUP_DB hoặc ${DEFAULT_DB_PATH}); --help hoặc -h: hướng dẫn này.`;

const USAGE = [
  'Cách dùng: npm run signups -- <lệnh> [tùy chọn]',
  'Các lệnh:',
  ...Object.values(COMMAND_HELP).flatMap(({ forms, summary }) =>
    forms.map((form, index) => `  ${form.padEnd(44)}${index === 0 ? summary : ''}`.trimEnd()),
  ),
  OPTIONS_HELP,
  'Hướng dẫn chi tiết của một lệnh: npm run signups -- <lệnh> --help',
].join('\n');

/** `<command> --help`: that command's forms and what it does. */
function commandUsage(command: string): string {
  const help = COMMAND_HELP[command];
  if (!help) return USAGE;
  return [
    `Cách dùng: npm run signups -- ${help.forms[0] ?? command}`,
    ...help.forms.slice(1).map((form) => `       npm run signups -- ${form}`),
    help.about,
    OPTIONS_HELP,
  ].join('\n');
}

class UsageError extends Error {}

function openStore(path: string, mustExist: boolean): SignupStore {
  if (mustExist && !existsSync(path)) {
    throw new UsageError(
      `Không có cơ sở dữ liệu đăng ký ở ${path}: chưa ai đăng ký, hoặc SIGNUP_DB / --db cần chỉ đến tệp của máy chủ.`,
    );
  }
  return new SignupStore(path);
}

function requireDrive(store: SignupStore, slug: string | undefined, contentDir: string): string {
  if (!slug) throw new UsageError('Cần ghi --drive <mã-đợt>, ví dụ --drive gia-rai-12-12-2026');
  const known = existsSync(`${contentDir}/drives/${slug}.yaml`) || store.drives().some((d) => d.drive === slug);
  if (!known) {
    const withSignups = store.drives().map((d) => d.drive);
    throw new UsageError(
      `Không có đợt "${slug}" (không có tệp content/drives/${slug}.yaml và không có đăng ký nào).` +
        (withSignups.length ? ` Các đợt có đăng ký: ${withSignups.join(', ')}` : ''),
    );
  }
  return slug;
}

/** "gave" through the console's records: the same row, the same audit log, whether typed here or at the desk. */
function recordGiven(store: SignupStore, code: string, now: Date): string {
  const signup = store.byCode(code);
  if (!signup || signup.cancelledAt) return 'không có đăng ký còn hiệu lực với mã này';
  if (signup.desk.outcome === 'gave') return 'đã ghi nhận hiến máu từ trước';
  const answer = new ConsoleStore(store.db).apply(
    {
      kind: 'gave',
      drive: signup.drive,
      code,
      volumeMl: null,
      // From the drive's day, not the day this is typed (often days later, from the paper list).
      returnAfter: addDays(calendarDateInVietnam(new Date(signup.slot)), DAYS_BETWEEN_GIFTS),
    },
    { actor: CLI_ACTOR, now },
  );
  return answer.ok ? 'đã ghi nhận hiến máu' : 'chưa ghi được';
}

function auditLine(entry: AuditEntry): string {
  return [
    formatDateTime(new Date(entry.at)),
    actorWords(entry.actor),
    entry.code ? formatCode(entry.code) : '-',
    auditActionWords(entry.action, entry.undoneAt !== null),
    `${auditStateWords(entry.before)} → ${auditStateWords(entry.after)}`,
  ].join('\t');
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

async function runUser(
  rest: readonly string[],
  values: { role?: string | undefined; drive?: string[] | undefined },
  dbPath: string,
  out: (line: string) => void,
  now: Date,
  readSecret: () => Promise<string>,
): Promise<void> {
  const [action, username] = rest;
  const store = openStore(dbPath, false);
  try {
    const accounts = new ConsoleStore(store.db);
    if (action === 'list') {
      const users = accounts.listUsers();
      if (users.length === 0) out('Chưa có tài khoản nào.');
      for (const u of users)
        out([u.username, u.role, u.role === 'admin' ? '(mọi đợt)' : u.drives.join(' ')].join('\t'));
      return;
    }
    if (!username || !['add', 'passwd', 'remove'].includes(action ?? '')) {
      throw new UsageError(`Lệnh user có các dạng: ${COMMAND_HELP['user']?.forms.join('; ') ?? ''}`);
    }
    if (action === 'remove') {
      out(
        accounts.removeUser(username)
          ? `${username}: đã xóa tài khoản, các phiên đăng nhập của nó đã kết thúc`
          : `${username}: không có tài khoản này`,
      );
      return;
    }
    if (action === 'passwd' && !accounts.findUser(username))
      throw new UsageError(`${username}: không có tài khoản này`);
    if (action === 'add') {
      if (!USERNAME.test(username))
        throw new UsageError(
          `"${username}" không dùng làm tên đăng nhập được: 2 đến 32 ký tự gồm chữ thường không dấu, chữ số, . _ hoặc -, ví dụ thu.ha`,
        );
      if (values.role !== 'admin' && values.role !== 'staff')
        throw new UsageError('Cần ghi --role admin (mọi đợt) hoặc --role staff (chỉ các đợt ghi sau --drive)');
      if (accounts.findUser(username)) throw new UsageError(`Đã có tài khoản "${username}"`);
      if (values.role === 'staff' && !values.drive?.length)
        throw new UsageError('Tài khoản staff cần ít nhất một --drive <mã-đợt>: các đợt tài khoản được làm việc');
    }
    const password = await readSecret();
    const problem = passwordProblem(password);
    if (problem)
      throw new UsageError(`${problem} ${action === 'add' ? 'Chưa tạo tài khoản.' : 'Mật khẩu chưa được đổi.'}`);
    const passwordHash = await hashPassword(password);
    if (action === 'passwd') {
      accounts.setPassword(username, passwordHash);
      out(`${username}: đã đổi mật khẩu, mọi phiên đăng nhập của tài khoản này đã kết thúc`);
      return;
    }
    const role = values.role === 'admin' ? 'admin' : 'staff';
    accounts.addUser({ username, passwordHash, role, drives: values.drive ?? [] }, now);
    out(
      `${username}: đã tạo tài khoản ${role}${role === 'staff' ? ` cho ${(values.drive ?? []).join(', ')}` : ' (mọi đợt)'}`,
    );
  } finally {
    store.close();
  }
}

/** The first line of standard input; typed at a terminal, it is not shown. */
function readPasswordFromStdin(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return new Promise((resolve) => {
      let text = '';
      input.setEncoding('utf8');
      input.on('data', (chunk: string) => (text += chunk));
      input.on('end', () => resolve(text.split(/\r?\n/, 1)[0] ?? ''));
    });
  }
  process.stderr.write('Mật khẩu: ');
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          input.setRawMode(false);
          input.off('data', onData);
          input.pause();
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (char === '\u0003') process.exit(130);
        text = char === '\u007f' ? text.slice(0, -1) : text + char;
      }
    };
    input.on('data', onData);
  });
}

/**
 * Every command; `user` reads a password and hashes it, so this one is
 * asynchronous. `readSecret` stands in for standard input in tests.
 */
export async function runCommand(
  argv: readonly string[],
  out: (line: string) => void = console.log,
  now = new Date(),
  readSecret: () => Promise<string> = readPasswordFromStdin,
): Promise<void> {
  const { values, positionals } = parseCommand(argv);
  const [command, ...rest] = positionals;
  const dbPath = values.db ?? signupDbPath();
  if (command === 'purge' || command === 'erase') {
    if (!values.help) {
      await runDeletion(command, values, dbPath, out, now);
      return;
    }
  }
  if (values.help || (command !== 'user' && command !== 'reminders' && command !== 'vapid')) {
    run(argv, out, now);
    return;
  }
  if (command === 'vapid') {
    vapidKeys(out);
    return;
  }
  if (command === 'reminders') {
    const store = openStore(dbPath, rest[0] !== 'send');
    try {
      await runReminders(rest[0], { at: values.at }, store.db, out, now);
    } catch (error) {
      if (error instanceof ReminderCommandError) throw new UsageError(error.message);
      throw error;
    } finally {
      store.close();
    }
    return;
  }
  await runUser(rest, values, dbPath, out, now, readSecret);
}

/**
 * purge and erase delete in short batches with pauses between (SignupStore.purge),
 * so the server beside them keeps serving: they run through runCommand, awaited.
 */
async function runDeletion(
  command: 'purge' | 'erase',
  values: { 'older-than'?: string | undefined; phone?: string | undefined },
  dbPath: string,
  out: (line: string) => void,
  now: Date,
): Promise<void> {
  switch (command) {
    case 'purge': {
      const days = Number(values['older-than'] ?? DEFAULT_RETENTION_DAYS);
      if (!Number.isInteger(days) || days < 0)
        throw new UsageError('--older-than cần một số ngày nguyên, từ 0 trở lên, ví dụ --older-than 90');
      const store = openStore(dbPath, true);
      try {
        const deleted = await dailyMaintenance(store.db, now, { olderThanDays: days, commandLine: true });
        out(
          `Đã xóa ${deleted} đăng ký: của các đợt đã kết thúc quá ${days} ngày, và các đăng ký đã hủy khi ngày hiến đã qua.`,
        );
      } finally {
        store.close();
      }
      return;
    }
    case 'erase': {
      const phone = normalizeMobile(values.phone ?? '');
      if (!phone) throw new UsageError('Lệnh erase cần --phone <số di động>, ví dụ erase --phone 0912345678');
      const store = openStore(dbPath, true);
      try {
        // The count only: this output may end up in a log, the number must not.
        out(`Đã xóa ${await erasePhone(store.db, phone, { commandLine: true })} đăng ký làm bằng số điện thoại đó.`);
      } finally {
        store.close();
      }
      return;
    }
  }
}

const OPTION_NAMES = ['--drive', '--role', '--out', '--older-than', '--phone', '--at', '--db', '--help'];

/** parseArgs speaks English ("Unknown option '--x'"); the option it names is said again in Vietnamese. */
function parseCommand(argv: readonly string[]) {
  try {
    return parseOptions(argv);
  } catch (error) {
    const option = /'(-[^' ]*)/.exec((error as Error).message)?.[1] ?? '';
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`Tùy chọn ${option} cần một giá trị, ví dụ ${option || '--drive'} <giá-trị>.`);
    throw new UsageError(
      `Không có tùy chọn ${option || argv.join(' ')}. Các tùy chọn: ${OPTION_NAMES.join(', ')} (xem --help).`,
    );
  }
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      drive: { type: 'string', multiple: true },
      role: { type: 'string' },
      out: { type: 'string' },
      'older-than': { type: 'string' },
      phone: { type: 'string' },
      at: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Every command but `user` (runCommand). */
export function run(argv: readonly string[], out: (line: string) => void = console.log, now = new Date()): void {
  const { values, positionals } = parseCommand(argv);
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(command ? commandUsage(command) : USAGE);
    return;
  }
  const dbPath = values.db ?? signupDbPath();
  if (['user', 'reminders', 'vapid', 'purge', 'erase'].includes(command)) {
    throw new UsageError(`Lệnh ${command} chạy qua runCommand`);
  }
  if ((values.drive?.length ?? 0) > 1) throw new UsageError(`Lệnh ${command} chỉ nhận một --drive`);
  const drive = values.drive?.[0];
  const contentDir = contentDirOf();

  switch (command) {
    case 'list': {
      const store = openStore(dbPath, true);
      try {
        if (!drive) {
          const drives = store.drives();
          if (drives.length === 0) out('Chưa có đăng ký nào.');
          for (const { drive, signups } of drives) out(`${drive}\t${signups}`);
          return;
        }
        const slug = requireDrive(store, drive, contentDir);
        const signups = store.list(slug);
        out(`${signups.length} đăng ký cho ${slug}`);
        for (const s of signups) {
          out(
            [
              formatTime(new Date(s.slot)),
              formatCode(s.code),
              s.fullName,
              formatMobile(s.phone),
              s.teamCode ?? '',
            ].join('\t'),
          );
        }
      } finally {
        store.close();
      }
      return;
    }
    case 'export': {
      const store = openStore(dbPath, true);
      try {
        const slug = requireDrive(store, drive, contentDir);
        const csv = signupsCsv(store.list(slug));
        if (values.out) {
          writeFileSync(values.out, csv, { mode: 0o600 });
          out(`Đã ghi ${store.list(slug).length} đăng ký vào ${values.out}`);
        } else {
          process.stdout.write(csv);
        }
      } finally {
        store.close();
      }
      return;
    }
    case 'cancel':
    case 'given': {
      if (rest.length === 0) throw new UsageError(`Lệnh ${command} cần mã xác nhận, ví dụ ${command} 7K3Q-9XWD-2P`);
      if (command === 'cancel' && rest.length > 1) throw new UsageError('Lệnh cancel hủy mỗi lần một mã');
      const store = openStore(dbPath, true);
      try {
        for (const typed of rest) {
          const code = normalizeCode(typed);
          if (!code) throw new UsageError(`"${typed}" không phải mã xác nhận (10 chữ và số, ví dụ 7K3Q-9XWD-2P)`);
          if (command === 'cancel') {
            out(
              store.cancel(code, null, now)
                ? `${formatCode(code)}: đã hủy, chỗ đã được trả lại`
                : `${formatCode(code)}: không có đăng ký còn hiệu lực với mã này`,
            );
            continue;
          }
          out(`${formatCode(code)}: ${recordGiven(store, code, now)}`);
        }
      } finally {
        store.close();
      }
      return;
    }
    case 'backup': {
      const [file] = rest;
      if (!file)
        throw new UsageError(
          `Lệnh backup cần tên tệp, ví dụ backup backups/signups-${slugify(formatDate(now))}.sqlite`,
        );
      if (existsSync(file)) throw new UsageError(`Tệp ${file} đã có; hãy chọn tên tệp mới`);
      const store = openStore(dbPath, true);
      try {
        store.backup(file);
        out(`Đã sao chép ${dbPath} sang ${file}`);
      } finally {
        store.close();
      }
      return;
    }
    case 'check': {
      const schedule = readSchedule(join(readSettings().siteDist, 'client', SCHEDULE_PATH));
      const store = openStore(dbPath, true);
      try {
        const misfits = misfitSignups(store.activeSpans(), schedule);
        if (misfits.length === 0) {
          out('Mọi đăng ký còn hiệu lực đều khớp một khung giờ của đợt.');
          return;
        }
        out(
          `${misfits.length} đăng ký không còn khớp đợt của mình (hãy gọi cho những người này, hoặc khôi phục tệp của đợt):`,
        );
        for (const m of misfits) {
          const start = new Date(m.slot);
          out(
            [
              formatCode(m.code),
              m.drive,
              `${formatDate(start)} ${formatTime(start)}–${formatTime(new Date(m.slotEnd))}`,
              m.reason === 'drive-missing' ? 'không còn đợt có tên này' : 'không còn khung giờ này',
            ].join('\t'),
          );
        }
        process.exitCode = 3;
      } finally {
        store.close();
      }
      return;
    }
    case 'team': {
      const [action, typed, ...nameWords] = rest;
      const code = typed?.toUpperCase().replace(/\s+/g, '');
      const store = openStore(dbPath, false);
      try {
        if (action === 'list') {
          const teams = store.listTeams();
          if (teams.length === 0) out('Chưa đăng ký đội nào.');
          for (const team of teams) out(`${team.code}\t${team.name}`);
          return;
        }
        if ((action !== 'add' && action !== 'remove') || !code)
          throw new UsageError(`Lệnh team có các dạng: ${COMMAND_HELP['team']?.forms.join('; ') ?? ''}`);
        if (!TEAM_CODE.test(code))
          throw new UsageError(
            `"${typed}" không phải mã đội: 2 đến 20 ký tự gồm chữ không dấu, chữ số hoặc -, ví dụ CAT-PC06`,
          );
        if (action === 'remove') {
          out(store.removeTeam(code) ? `${code}: đã gỡ khỏi /doi-nhom/` : `${code}: chưa được đăng ký`);
          return;
        }
        const name = nameWords.join(' ').trim();
        if (name.length < 2 || name.length > 120 || /[<>]/.test(name))
          throw new UsageError(
            'Lệnh team add cần tên đơn vị (2 đến 120 ký tự), ví dụ team add CAT-PC06 "Phòng PC06, Công an tỉnh"',
          );
        store.addTeam({ code, name }, now);
        out(`${code}: đã đăng ký với tên "${name}"`);
      } finally {
        store.close();
      }
      return;
    }
    case 'audit': {
      const store = openStore(dbPath, true);
      try {
        const slug = requireDrive(store, drive, contentDir);
        const entries = new ConsoleStore(store.db).auditOf(slug, 100_000).reverse();
        if (entries.length === 0) out(`Chưa có thay đổi nào được ghi cho ${slug}.`);
        for (const entry of entries) out(auditLine(entry));
      } finally {
        store.close();
      }
      return;
    }
    default:
      throw new UsageError(`Không có lệnh "${command}".\n${USAGE}`);
  }
}

if (import.meta.main) {
  // Backups and exports hold personal data: readable by this user only.
  process.umask(0o077);
  try {
    await runCommand(process.argv.slice(2));
  } catch (error) {
    console.error(
      error instanceof UsageError ? error.message : `Lỗi không lường trước, chưa làm xong: ${(error as Error).message}`,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
