import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readBuildSettings } from '../../src/build-settings.ts';
import { readSettings, SettingsError } from '../../src/settings.ts';
import { roundLine } from '../../src/reminders/scheduler.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { StoreError } from '../../src/store/database.ts';
import { englishIn } from './english.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

/**
 * What the provincial IT officer reads from the server is Vietnamese: every
 * line `npm start` prints and every error that stops it (docs/deploy.md,
 * "Logs" and "Troubleshooting"). The settings' names, paths, addresses and
 * SQLite's or Node's own message after a colon stay as they are.
 */

/** A key of the right length for each VAPID setting (65 and 32 bytes in base64url). */
const vapid = {
  VAPID_PUBLIC_KEY: 'A'.repeat(87),
  VAPID_PRIVATE_KEY: 'A'.repeat(43),
  VAPID_SUBJECT: 'mailto:nhac-hen@camau.gov.vn',
};
const secret = 'k'.repeat(32);

describe('a bad setting stops the server with a Vietnamese line naming it', () => {
  test.each<[string, Record<string, string>]>([
    ['PORT', { PORT: 'abc' }],
    ['SIGNUP_RATE_LIMIT', { SIGNUP_RATE_LIMIT: '-3' }],
    ['LOGIN_RATE_LIMIT', { LOGIN_RATE_LIMIT: 'nhiều' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
    ['SIGNUP_SECRET', { SIGNUP_SECRET: 'short' }],
    ['SMTP_URL', { MAIL_FROM: 'nhac-hen@camau.gov.vn' }],
    ['SMTP_URL', { SMTP_URL: 'http://relay', MAIL_FROM: 'nhac-hen@camau.gov.vn' }],
    ['MAIL_FROM', { SMTP_URL: 'smtp://relay:587' }],
    ['VAPID_PRIVATE_KEY', { VAPID_PUBLIC_KEY: vapid.VAPID_PUBLIC_KEY }],
    ['VAPID_PUBLIC_KEY', { ...vapid, VAPID_PUBLIC_KEY: 'abc' }],
    ['VAPID_PRIVATE_KEY', { ...vapid, VAPID_PRIVATE_KEY: 'abc' }],
    ['VAPID_SUBJECT', { ...vapid, VAPID_SUBJECT: 'Hội CTĐ' }],
    ['PUSH_SERVICES', { ...vapid, PUSH_SERVICES: 'http://push.example' }],
    ['REMINDER_WEBHOOK_URL', { REMINDER_WEBHOOK_SECRET: secret }],
    ['REMINDER_WEBHOOK_URL', { REMINDER_WEBHOOK_URL: 'http://sms.example.vn', REMINDER_WEBHOOK_SECRET: secret }],
    ['REMINDER_WEBHOOK_SECRET', { REMINDER_WEBHOOK_URL: 'https://sms.example.vn', REMINDER_WEBHOOK_SECRET: 'ngắn' }],
    ['REMINDER_SCHEDULER', { REMINDER_SCHEDULER: 'maybe' }],
    ['SITE_URL', { SITE_URL: 'hienmau' }],
  ])('%s: %j', (name, env) => {
    let message = '';
    try {
      readSettings(env);
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(englishIn(message)).toEqual([]);
  });

  test.each<[string, Record<string, string>]>([
    ['SITE_URL', { SITE_URL: 'hienmau' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'not a url' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'http://tiles.example.vn/{z}/{x}/{y}.png' }],
    ['MAP_TILE_URL', { MAP_TILE_URL: 'https://tiles.example.vn/tile.png' }],
  ])('the build too, %s: %j', (name, env) => {
    let message = '';
    try {
      readBuildSettings(env);
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      message = (error as Error).message;
    }
    expect(message).toContain(name);
    expect(englishIn(message)).toEqual([]);
  });
});

describe('a sign-up database the server cannot use stops it with a Vietnamese line', () => {
  let dir: string;
  beforeEach(() => {
    dir = temporaryFolder('operator-words-');
  });
  afterEach(() => {
    removeFolder(dir);
  });

  function openError(path: string): StoreError {
    try {
      new SignupStore(path).close();
    } catch (error) {
      expect(error).toBeInstanceOf(StoreError);
      return error as StoreError;
    }
    throw new Error(`${path} opened`);
  }

  test('a folder where the file should be: the store’s words, then SQLite’s own', () => {
    const error = openError(dir);
    const sqlite = (error.cause as Error).message;
    expect(error.message).toBe(`Không mở được cơ sở dữ liệu đăng ký ${dir}: ${sqlite}`);
    expect(englishIn(error.message.replace(sqlite, ''))).toEqual([]);
  });

  test('a file from newer code names both schema versions', () => {
    const file = join(dir, 'signups.sqlite');
    const raw = new DatabaseSync(file);
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    const { message } = openError(file);
    expect(message).toMatch(/tệp có phiên bản lược đồ 99, mới hơn phiên bản mà mã nguồn này biết \(\d+\)$/);
    expect(englishIn(message)).toEqual([]);
  });
});

/**
 * The text of each literal the server hands to its logger (log.info/warn/error/fatal), to console.log/warn/error, to
 * fail() or to the scheduler's log(), or throws as an error on its way to
 * the log. Code inside `${…}` is dropped, but the strings in it are kept
 * (`${proxy ? ' (tin proxy trên máy này)' : ''}`).
 */
function printedLiterals(source: string): string[] {
  const found: string[] = [];
  const call = /(?:console\.(?:log|warn|error)|\blog\.(?:info|warn|error|fatal)|\bfail|\blog|new \w*Error)\(\s*/g;
  for (const match of source.matchAll(call)) {
    const start = match.index + match[0].length;
    const quote = source[start];
    if (quote !== '`' && quote !== "'" && quote !== '"') continue;
    let end = start + 1;
    while (end < source.length && source[end] !== quote) end += source[end] === '\\' ? 2 : 1;
    const body = source.slice(start + 1, end).replace(/\\`/g, '`');
    found.push(body.replace(/\$\{([^}]*)\}/g, (_, code: string) => ` ${(code.match(/'[^']*'/g) ?? []).join(' ')} `));
  }
  return found;
}

describe('every line the running server prints is Vietnamese', () => {
  const files = [
    'src/server/main.ts',
    'src/server/site-server.ts',
    'src/server/static-files.ts',
    'src/store/database.ts',
    'src/store/batches.ts',
    'src/signup/slot-check.ts',
    'src/reminders/runtime.ts',
    'src/reminders/scheduler.ts',
    // What the pages, routes and services log in the server's process when the database fails.
    'src/reminders/reminder-service.ts',
    'src/middleware.ts',
    'src/signup/service.ts',
    'src/console/console-service.ts',
    'src/pages/doi-nhom/index.astro',
    'src/pages/api/diem-hien-mau/[slug]/cho-trong.json.ts',
    'src/pages/dang-ky/index.astro',
    'src/pages/nhac-hen/nhan-cho/index.astro',
    'src/pages/nhac-hen/dung/index.astro',
  ];

  test('the scan finds the lines, and the detector the English they used to say', () => {
    const main = printedLiterals(readFileSync('src/server/main.ts', 'utf8'));
    expect(main.some((line) => line.includes('Đang phục vụ trang web tại http://'))).toBe(true);
    expect(main.length).toBeGreaterThanOrEqual(12);
    for (const old of [
      'Sign-ups are stored in  (schema version  )',
      'Serving the site on http:// /  (trusting the proxy on this machine) ',
      ' : finishing requests in flight, then stopping',
      'reminders: 6 sent',
      'purge: deleted   sign-up(s) past the retention period',
      'it has schema version  , newer than this code knows ( )',
    ]) {
      expect(englishIn(old), old).not.toEqual([]);
    }
  });

  test.each(files)('%s', (file) => {
    const lines = printedLiterals(readFileSync(file, 'utf8'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(englishIn(line), line).toEqual([]);
  });
});

/** The text of each line a deploy script prints: what it hands to echo, fail or say, with `$…` dropped. */
function scriptLines(source: string): string[] {
  return [...source.matchAll(/^\s*(?:echo|fail|say)\s+(["'])(.*?)\1/gm)].map(([, , body = '']) =>
    body.replace(/\$\{?\w+\}?|\$\*/g, ' '),
  );
}

describe('every line the deploy scripts print is Vietnamese', () => {
  test('the scan finds the lines, and the detector the English they used to say', () => {
    expect(scriptLines(readFileSync('deploy/rebuild.sh', 'utf8')).length).toBeGreaterThanOrEqual(3);
    for (const old of [
      "rebuild: set SITE_URL to the site's public address (https://…)",
      'rebuild: dist/ now holds the new build; restart the service to serve its pages',
      'backup.sh: SIGNUP_DB is not set (it is in /etc/hien-mau.env)',
      'old backups: deleted   older than   day(s) from  ',
    ]) {
      expect(englishIn(old), old).not.toEqual([]);
    }
  });

  test.each(['deploy/backup.sh', 'deploy/rebuild.sh', 'deploy/signups'])('%s', (file) => {
    const lines = scriptLines(readFileSync(file, 'utf8'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(englishIn(line), line).toEqual([]);
  });
});

describe('the reminders’ line after each round is Vietnamese', () => {
  test('every count, the waitlist’s offers and ended holds', () => {
    const line = roundLine(1, 2, { sent: 6, retry: 1, failed: 3, gone: 4, dropped: 5 });
    expect(line).toBe(
      'nhắc hẹn: 6 đã gửi, 1 sẽ thử lại, 3 thất bại, 4 kênh đã ngừng, 5 không cần gửi nữa, ' +
        '1 chỗ đã mời người trong danh sách chờ, 2 chỗ giữ đã hết hạn',
    );
    expect(englishIn(line ?? '')).toEqual([]);
  });

  test('a round that did nothing prints nothing', () => {
    expect(roundLine(0, 0, { sent: 0, retry: 0, failed: 0, gone: 0, dropped: 0 })).toBeUndefined();
  });
});
