/**
 * The organisers' command line: npm run signups -- <command>. This file parses
 * the global options, prints --help and hands each command to its module in
 * commands/ (src/cli/README.md):
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
 *   units reserve|list|return|turnout     places reserved for a unit, its turnout (docs/organisers.md)
 *   user add|passwd|remove|list           the organisers' console accounts
 *   audit --drive <slug>                  every change made at a drive's desk
 *   reminders send [--at <ISO time>]      sends the reminders due (cron, tests); reminders status
 *   reminders send --dry-run              per channel, the messages and SMS parts that would go now
 *   reminders zalo-auth [--code <code>]   authorises the Zalo app again (the console's button's twin)
 *   content history|revert|dot|publish|audit  content history, going back, a drive file checked and saved, publishing (docs/editors.md)
 *   vapid                                 a new key pair for Web Push
 *
 * The database is SIGNUP_DB (default data/signups.sqlite) or --db <file>.
 * Runs on Node 24 as it is (type stripping); it needs no build.
 */
import { parseArgs } from 'node:util';
import { signupDbPath } from '../settings.ts';
import { DEFAULT_DB_PATH } from '../store/database.ts';
import { UsageError, type Command, type CommandContext, type Output } from './command.ts';
import { audit } from './commands/audit.ts';
import { backup } from './commands/backup.ts';
import { cancel } from './commands/cancel.ts';
import { check } from './commands/check.ts';
import { erase } from './commands/erase.ts';
import { exportCommand } from './commands/export.ts';
import { given } from './commands/given.ts';
import { list } from './commands/list.ts';
import { needs } from './commands/needs.ts';
import { purge } from './commands/purge.ts';
import { reminders } from './commands/reminders.ts';
import { team } from './commands/team.ts';
import { content } from './commands/content.ts';
import { units } from './commands/units.ts';
import { user } from './commands/user.ts';
import { vapid } from './commands/vapid.ts';
import { readPasswordFromStdin } from './password-input.ts';

/** Every command, in the order --help lists them (docs/organisers.md lists them in the same order). */
const COMMANDS: Readonly<Record<string, Command>> = {
  list,
  export: exportCommand,
  cancel,
  given,
  purge,
  erase,
  backup,
  check,
  team,
  units,
  user,
  audit,
  reminders,
  needs,
  content,
  vapid,
};

function commandNamed(name: string | undefined): Command | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

const OPTIONS_HELP = `Tùy chọn chung: --db <tệp> (mặc định: SIGNUP_DB hoặc ${DEFAULT_DB_PATH}); --help hoặc -h: hướng dẫn này.`;

const USAGE = [
  'Cách dùng: npm run signups -- <lệnh> [tùy chọn]',
  'Các lệnh:',
  ...Object.values(COMMANDS).flatMap(({ help: { forms, summary } }) =>
    forms.map((form, index) => `  ${form.padEnd(44)}${index === 0 ? summary : ''}`.trimEnd()),
  ),
  OPTIONS_HELP,
  'Hướng dẫn chi tiết của một lệnh: npm run signups -- <lệnh> --help',
].join('\n');

/** `<command> --help`: that command's forms and what it does. */
function commandUsage(name: string): string {
  const help = commandNamed(name)?.help;
  if (!help) return USAGE;
  return [
    `Cách dùng: npm run signups -- ${help.forms[0] ?? name}`,
    ...help.forms.slice(1).map((form) => `       npm run signups -- ${form}`),
    help.about,
    OPTIONS_HELP,
  ].join('\n');
}

const OPTION_NAMES = ['--drive', '--role', '--team', '--out', '--older-than', '--phone', '--at', '--db', '--help'];
OPTION_NAMES.push('--dry-run', '--places', '--slot', '--until', '--file', '--consent', '--code', '--state');
OPTION_NAMES.push('--xac-nhan-huy', '--anh');

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
      team: { type: 'string' },
      out: { type: 'string' },
      'older-than': { type: 'string' },
      phone: { type: 'string' },
      at: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'xac-nhan-huy': { type: 'boolean' },
      'xac-nhan-doi-luot': { type: 'boolean' },
      anh: { type: 'string' },
      accounts: { type: 'boolean' },
      places: { type: 'string' },
      slot: { type: 'string' },
      until: { type: 'string' },
      file: { type: 'string' },
      consent: { type: 'string' },
      code: { type: 'string' },
      state: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The context a command runs with; `readSecret` stands in for standard input in tests. */
function contextOf(
  argv: readonly string[],
  out: Output,
  now: Date,
  readSecret: () => Promise<string>,
): { name: string | undefined; help: boolean; context: CommandContext } {
  const { values, positionals } = parseCommand(argv);
  const [name, ...rest] = positionals;
  const { help, ...options } = values;
  return {
    name,
    help: help === true,
    context: { rest, options, dbPath: values.db ?? signupDbPath(), out, now, readSecret },
  };
}

/**
 * Every command, as `npm run signups` runs them: the ones that wait (a
 * password, batches with pauses, the network) are awaited.
 */
export async function runCommand(
  argv: readonly string[],
  out: Output = console.log,
  now = new Date(),
  readSecret: () => Promise<string> = readPasswordFromStdin,
): Promise<void> {
  const { name, help, context } = contextOf(argv, out, now, readSecret);
  const command = commandNamed(name);
  if (help || !command?.waits) {
    run(argv, out, now);
    return;
  }
  await command.run(context);
}

/** Every command that does not wait (runCommand runs the others), and --help. */
export function run(argv: readonly string[], out: Output = console.log, now = new Date()): void {
  const { name, help, context } = contextOf(argv, out, now, readPasswordFromStdin);
  if (help || !name) {
    out(name ? commandUsage(name) : USAGE);
    return;
  }
  const command = commandNamed(name);
  if (command?.waits) throw new UsageError(`Lệnh ${name} chạy qua runCommand`);
  if ((context.options.drive?.length ?? 0) > 1) throw new UsageError(`Lệnh ${name} chỉ nhận một --drive`);
  if (!command) throw new UsageError(`Không có lệnh "${name}".\n${USAGE}`);
  command.run(context);
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
