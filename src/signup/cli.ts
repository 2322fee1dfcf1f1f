/**
 * The organisers' command line: npm run signups -- <command>.
 *
 *   list [--drive <slug>]                 drives with sign-ups, or the people of one drive
 *   export --drive <slug> [--out f.csv]   a CSV that opens right in Excel (UTF-8 with BOM)
 *   cancel <code>                         frees a place (someone called to cancel)
 *   given <code> [<code> …]               records who gave blood (for the team ranking)
 *   purge [--older-than <days>]           deletes personal data of drives that ended that long ago
 *   backup <file>                         a consistent copy, safe while the server runs
 *
 * The database is SIGNUP_DB (default data/signups.sqlite) or --db <file>.
 * Runs on Node 24 as it is (type stripping); it needs no build.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatCode, normalizeCode } from './codes.ts';
import { DEFAULT_DB_PATH, SignupStore, type SignupRecord } from './store.ts';
import { formatMobile } from '../lib/phone.ts';
import { formatDate, formatTime } from '../lib/dates.ts';
import { slugify } from '../lib/vietnamese.ts';

/** Personal data is kept 12 months after the drive (privacy page). */
export const DEFAULT_RETENTION_DAYS = 365;

const USAGE = `Usage: npm run signups -- <command>
  list [--drive <slug>]                 drives with sign-ups, or the sign-ups of one drive
  export --drive <slug> [--out f.csv]   CSV for Excel (UTF-8 with BOM); stdout without --out
  cancel <code>                         cancel a sign-up and free its place
  given <code> [<code> ...]             record that these donors gave blood
  purge [--older-than <days>]           delete sign-ups of drives that ended more than <days> ago (default ${DEFAULT_RETENTION_DAYS})
  backup <file>                         copy the database consistently, even while the server runs
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
          writeFileSync(values.out, csv);
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
        const deleted = store.purge(new Date(now.getTime() - days * 86_400_000));
        out(`Deleted ${deleted} sign-up(s) of drives that ended more than ${days} day(s) ago.`);
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
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

if (import.meta.main) {
  try {
    run(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
