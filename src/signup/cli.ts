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
import { DEFAULT_DB_PATH, RETENTION_DAYS, SignupStore, type SignupRecord } from './store.ts';
import { formatMobile, normalizeMobile } from './phone.ts';
import { formatDate, formatTime } from '../shared/dates.ts';
import { slugify } from '../shared/vietnamese.ts';

export const DEFAULT_RETENTION_DAYS = RETENTION_DAYS;

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
Options: --db <file> (default: SIGNUP_DB or ${DEFAULT_DB_PATH})`;

class UsageError extends Error {}

const SEX = { female: 'Nữ', male: 'Nam' } as const;
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
];

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would make Excel run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(s: SignupRecord): string[] {
  const start = new Date(s.slot);
  return [
    formatCode(s.code),
    s.drive,
    formatDate(start),
    `${formatTime(start)}–${formatTime(new Date(s.slotEnd))}`,
    s.fullName,
    formatMobile(s.phone),
    String(s.birthYear),
    SEX[s.sex],
    String(s.weightKg).replace('.', ','),
    s.lastDonation ? formatDate(new Date(`${s.lastDonation}T00:00:00+07:00`)) : '',
    s.teamCode ?? '',
    formatDate(new Date(s.createdAt)) + ' ' + formatTime(new Date(s.createdAt)),
    s.donatedAt ? 'Có' : '',
  ];
}

/** The CSV text: BOM so Excel reads UTF-8, CRLF line ends as RFC 4180 says. */
export function signupsCsv(signups: readonly SignupRecord[]): string {
  const lines = [CSV_HEADERS, ...signups.map(csvRow)].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

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

export function run(argv: readonly string[], out: (line: string) => void = console.log, now = new Date()): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      drive: { type: 'string' },
      out: { type: 'string' },
      'older-than': { type: 'string' },
      phone: { type: 'string' },
      db: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return;
  }
  const dbPath = values.db ?? (process.env['SIGNUP_DB'] || DEFAULT_DB_PATH);
  const contentDir = process.env['CONTENT_DIR'] ?? 'content';

  switch (command) {
    case 'list': {
      const store = openStore(dbPath, true);
      try {
        if (!values.drive) {
          const drives = store.drives();
          if (drives.length === 0) out('No sign-ups yet.');
          for (const { drive, signups } of drives) out(`${drive}\t${signups}`);
          return;
        }
        const slug = requireDrive(store, values.drive, contentDir);
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
        const slug = requireDrive(store, values.drive, contentDir);
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
          const done = command === 'cancel' ? store.cancel(code, null, now) : store.markDonated(code, now);
          out(
            done
              ? `${formatCode(code)}: ${command === 'cancel' ? 'cancelled, the place is free again' : 'recorded as given'}`
              : `${formatCode(code)}: no active sign-up with this code${command === 'given' ? ' (or already recorded)' : ''}`,
          );
        }
      } finally {
        store.close();
      }
      return;
    }
    case 'purge': {
      const days = Number(values['older-than'] ?? DEFAULT_RETENTION_DAYS);
      if (!Number.isInteger(days) || days < 0)
        throw new UsageError('--older-than must be a whole number of days, 0 or more');
      const store = openStore(dbPath, true);
      try {
        const deleted = store.purge(new Date(now.getTime() - days * 86_400_000), now);
        out(
          `Deleted ${deleted} sign-up(s): drives that ended more than ${days} day(s) ago, and cancelled ones whose drive day is over.`,
        );
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
    case 'erase': {
      const phone = normalizeMobile(values.phone ?? '');
      if (!phone) throw new UsageError('erase needs --phone <mobile number>, e.g. erase --phone 0912345678');
      const store = openStore(dbPath, true);
      try {
        // The count only: this output may end up in a log, the number must not.
        out(`Erased ${store.erasePhone(phone)} sign-up(s) made with that phone number.`);
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
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

if (import.meta.main) {
  // Backups and exports hold personal data: readable by this user only.
  process.umask(0o077);
  try {
    run(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
