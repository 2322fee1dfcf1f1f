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
import { readSettings } from '../settings.ts';
import { DEFAULT_DB_PATH, RETENTION_DAYS, SignupStore } from './store.ts';
import { dailyMaintenance } from './maintenance.ts';
import { ConsoleStore, type AuditEntry } from '../console/console-store.ts';
import { DAYS_BETWEEN_GIFTS } from '../console/desk-actions.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../console/passwords.ts';
import { formatMobile, normalizeMobile } from './phone.ts';
import { addDays, calendarDateInVietnam, formatDate, formatTime } from '../shared/dates.ts';
import { signupsCsv } from '../console/signups-csv.ts';
import { slugify } from '../shared/vietnamese.ts';
import { ReminderCommandError, runReminders, vapidKeys } from '../reminders/reminders-cli.ts';

export const DEFAULT_RETENTION_DAYS = RETENTION_DAYS;
export { signupsCsv };

const USAGE = `Usage: npm run signups -- <command>
  list [--drive <slug>]                 drives with sign-ups, or the sign-ups of one drive
  export --drive <slug> [--out f.csv]   CSV for Excel (UTF-8 with BOM); stdout without --out
  cancel <code>                         cancel a sign-up and free its place
  given <code> [<code> ...]             record that these donors gave blood
  purge [--older-than <days>]           delete sign-ups of drives that ended more than <days> ago (default ${DEFAULT_RETENTION_DAYS}),
                                        and cancelled ones whose drive day is over
  erase --phone <number>                delete every sign-up made with this phone number (a person's request)
  backup <file>                         copy the database consistently, even while the server runs
  check                                 list sign-ups whose drive or slot the last build no longer has
  team add <CODE> "<unit name>"         register a team code: only registered teams appear on /doi-nhom/
  team remove <CODE>                    take a team off /doi-nhom/ (its sign-ups keep the code)
  team list                             registered teams
  user add <name> --role admin|staff [--drive <slug>]...
                                        an account for the organisers' console (/to-chuc/); the password
                                        (at least ${MIN_PASSWORD_LENGTH} characters) is read from standard input
  user passwd <name>                    a new password (standard input); ends the account's sessions
  user remove <name>                    delete an account and end its sessions
  user list                             accounts, their role and drives
  audit --drive <slug>                  the console's log of changes at that drive (who, when, what)
  reminders send [--at <ISO time>]      plan and send the reminders due at that time (default now), e.g.
                                        --at 2026-12-11T18:00:00+07:00; for cron with REMINDER_SCHEDULER=0
  reminders status                      messages by state, kind and channel, and who is sending
  vapid                                 print a new VAPID key pair for Web Push (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY)
Options: --db <file> (default: SIGNUP_DB or ${DEFAULT_DB_PATH})`;

class UsageError extends Error {}

function openStore(path: string, mustExist: boolean): SignupStore {
  if (mustExist && !existsSync(path)) {
    throw new UsageError(
      `No sign-up database at ${path}: nobody has signed up yet, or SIGNUP_DB / --db should point to the server's file.`,
    );
  }
  return new SignupStore(path);
}

function requireDrive(store: SignupStore, slug: string | undefined, contentDir: string): string {
  if (!slug) throw new UsageError('--drive <slug> is required, e.g. --drive gia-rai-12-12-2026');
  const known = existsSync(`${contentDir}/drives/${slug}.yaml`) || store.drives().some((d) => d.drive === slug);
  if (!known) {
    const withSignups = store.drives().map((d) => d.drive);
    throw new UsageError(
      `There is no drive "${slug}" (no file content/drives/${slug}.yaml and no sign-ups).` +
        (withSignups.length ? ` Drives with sign-ups: ${withSignups.join(', ')}` : ''),
    );
  }
  return slug;
}

/** "gave" through the console's records: the same row, the same audit log, whether typed here or at the desk. */
function recordGiven(store: SignupStore, code: string, now: Date): string {
  const signup = store.byCode(code);
  if (!signup || signup.cancelledAt) return 'no active sign-up with this code';
  if (signup.desk.outcome === 'gave') return 'already recorded as given';
  const answer = new ConsoleStore(store).apply(
    {
      kind: 'gave',
      drive: signup.drive,
      code,
      volumeMl: null,
      returnAfter: addDays(calendarDateInVietnam(now), DAYS_BETWEEN_GIFTS),
    },
    { actor: 'cli', now },
  );
  return answer.ok ? 'recorded as given' : 'not recorded';
}

function auditLine(entry: AuditEntry): string {
  const at = new Date(entry.at);
  return [
    `${formatDate(at)} ${formatTime(at)}`,
    entry.actor,
    entry.code ? formatCode(entry.code) : '-',
    entry.action + (entry.undoneAt ? ' (undone)' : ''),
    `${entry.before ?? '-'} -> ${entry.after ?? '-'}`,
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
    const accounts = new ConsoleStore(store);
    if (action === 'list') {
      const users = accounts.listUsers();
      if (users.length === 0) out('No accounts yet.');
      for (const u of users)
        out([u.username, u.role, u.role === 'admin' ? '(every drive)' : u.drives.join(' ')].join('\t'));
      return;
    }
    if (!username || !['add', 'passwd', 'remove'].includes(action ?? '')) {
      throw new UsageError(
        'user add <name> --role admin|staff [--drive <slug>]..., user passwd <name>, user remove <name> or user list',
      );
    }
    if (action === 'remove') {
      out(accounts.removeUser(username) ? `${username}: removed, its sessions ended` : `${username}: no such account`);
      return;
    }
    if (action === 'passwd' && !accounts.findUser(username)) throw new UsageError(`${username}: no such account`);
    if (action === 'add') {
      if (!USERNAME.test(username))
        throw new UsageError(
          `"${username}" is not a user name: 2 to 32 lower-case letters, digits, . _ or -, e.g. thu.ha`,
        );
      if (values.role !== 'admin' && values.role !== 'staff') throw new UsageError('--role must be admin or staff');
      if (accounts.findUser(username)) throw new UsageError(`There is already an account "${username}"`);
      if (values.role === 'staff' && !values.drive?.length)
        throw new UsageError('a staff account needs at least one --drive <slug>: the drives it may see');
    }
    const password = await readSecret();
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(`${problem} (the password was not ${action === 'add' ? 'set' : 'changed'})`);
    const passwordHash = await hashPassword(password);
    if (action === 'passwd') {
      accounts.setPassword(username, passwordHash);
      out(`${username}: password changed, every session of this account ended`);
      return;
    }
    const role = values.role === 'admin' ? 'admin' : 'staff';
    accounts.addUser({ username, passwordHash, role, drives: values.drive ?? [] }, now);
    out(`${username}: ${role} account made${role === 'staff' ? ` for ${(values.drive ?? []).join(', ')}` : ''}`);
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
  process.stderr.write('Password: ');
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
  const dbPath = values.db ?? (process.env['SIGNUP_DB'] || DEFAULT_DB_PATH);
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
      await runReminders(rest[0], { at: values.at }, store, out, now);
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
        throw new UsageError('--older-than must be a whole number of days, 0 or more');
      const store = openStore(dbPath, true);
      try {
        const deleted = await dailyMaintenance(store, now, { olderThanDays: days, commandLine: true });
        out(
          `Deleted ${deleted} sign-up(s): drives that ended more than ${days} day(s) ago, and cancelled ones whose drive day is over.`,
        );
      } finally {
        store.close();
      }
      return;
    }
    case 'erase': {
      const phone = normalizeMobile(values.phone ?? '');
      if (!phone) throw new UsageError('erase needs --phone <mobile number>, e.g. erase --phone 0912345678');
      const store = openStore(dbPath, true);
      try {
        // The count only: this output may end up in a log, the number must not.
        out(`Erased ${await store.erasePhone(phone, { commandLine: true })} sign-up(s) made with that phone number.`);
      } finally {
        store.close();
      }
      return;
    }
  }
}

function parseCommand(argv: readonly string[]) {
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
    out(USAGE);
    return;
  }
  const dbPath = values.db ?? (process.env['SIGNUP_DB'] || DEFAULT_DB_PATH);
  if (['user', 'reminders', 'vapid', 'purge', 'erase'].includes(command)) {
    throw new UsageError(`${command} runs through runCommand`);
  }
  if ((values.drive?.length ?? 0) > 1) throw new UsageError(`${command} takes one --drive`);
  const drive = values.drive?.[0];
  const contentDir = process.env['CONTENT_DIR'] ?? 'content';

  switch (command) {
    case 'list': {
      const store = openStore(dbPath, true);
      try {
        if (!drive) {
          const drives = store.drives();
          if (drives.length === 0) out('No sign-ups yet.');
          for (const { drive, signups } of drives) out(`${drive}\t${signups}`);
          return;
        }
        const slug = requireDrive(store, drive, contentDir);
        const signups = store.list(slug);
        out(`${signups.length} sign-up(s) for ${slug}`);
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
          out(`Wrote ${store.list(slug).length} sign-up(s) to ${values.out}`);
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
      if (rest.length === 0) throw new UsageError(`${command} needs a confirmation code, e.g. ${command} 7K3Q-9XWD-2P`);
      if (command === 'cancel' && rest.length > 1) throw new UsageError('cancel takes one code at a time');
      const store = openStore(dbPath, true);
      try {
        for (const typed of rest) {
          const code = normalizeCode(typed);
          if (!code)
            throw new UsageError(`"${typed}" is not a confirmation code (10 letters and digits, e.g. 7K3Q-9XWD-2P)`);
          if (command === 'cancel') {
            out(
              store.cancel(code, null, now)
                ? `${formatCode(code)}: cancelled, the place is free again`
                : `${formatCode(code)}: no active sign-up with this code`,
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
          `backup needs a file name, e.g. backup backups/signups-${slugify(formatDate(now))}.sqlite`,
        );
      if (existsSync(file)) throw new UsageError(`${file} already exists; choose a new file name`);
      const store = openStore(dbPath, true);
      try {
        store.backup(file);
        out(`Copied ${dbPath} to ${file}`);
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
          out('Every active sign-up fits a slot of its drive.');
          return;
        }
        out(`${misfits.length} sign-up(s) no longer fit their drive (call these people, or restore the drive's file):`);
        for (const m of misfits) {
          const start = new Date(m.slot);
          out(
            [
              formatCode(m.code),
              m.drive,
              `${formatDate(start)} ${formatTime(start)}–${formatTime(new Date(m.slotEnd))}`,
              m.reason === 'drive-missing' ? 'no drive by this name' : 'no slot at this time',
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
          if (teams.length === 0) out('No teams registered.');
          for (const team of teams) out(`${team.code}\t${team.name}`);
          return;
        }
        if ((action !== 'add' && action !== 'remove') || !code)
          throw new UsageError('team add <CODE> "<unit name>", team remove <CODE> or team list');
        if (!TEAM_CODE.test(code))
          throw new UsageError(
            `"${typed}" is not a team code: 2 to 20 letters without accents, digits or -, e.g. CAT-PC06`,
          );
        if (action === 'remove') {
          out(store.removeTeam(code) ? `${code}: removed from /doi-nhom/` : `${code}: not registered`);
          return;
        }
        const name = nameWords.join(' ').trim();
        if (name.length < 2 || name.length > 120 || /[<>]/.test(name))
          throw new UsageError(
            'team add needs the unit\'s name (2 to 120 characters), e.g. team add CAT-PC06 "Phòng PC06, Công an tỉnh"',
          );
        store.addTeam({ code, name }, now);
        out(`${code}: registered as "${name}"`);
      } finally {
        store.close();
      }
      return;
    }
    case 'audit': {
      const store = openStore(dbPath, true);
      try {
        const slug = requireDrive(store, drive, contentDir);
        const entries = new ConsoleStore(store).auditOf(slug, 100_000).reverse();
        if (entries.length === 0) out(`No changes recorded for ${slug}.`);
        for (const entry of entries) out(auditLine(entry));
      } finally {
        store.close();
      }
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

if (import.meta.main) {
  // Backups and exports hold personal data: readable by this user only.
  process.umask(0o077);
  try {
    await runCommand(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
