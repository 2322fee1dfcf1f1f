/**
 * The deployment kit in deploy/ (docs/deploy.md): the settings that keep the
 * server sandboxed and its data private, and the paths, ports and limits the
 * files share with each other and with the server's own code. The backup
 * script is run for real against a database in a temporary folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CONTENT_PATH,
  CONTENT_SAVE_MAX_BYTES,
  MAX_BODY_BYTES,
  maxBodyBytes,
  TIMEOUTS,
  UNIT_LIST_MAX_BYTES,
  UNIT_LIST_PATH,
} from '../../src/server/limits.ts';
import { readSettings } from '../../src/settings.ts';
import { ContentRepo } from '../../src/editor/content-repo.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');
/** Where docs/deploy.md installs the project; unit files name paths under it. */
const APP_DIR = '/opt/hien-mau';
const UPSTREAM = '127.0.0.1:4321';

const read = (name: string) => readFileSync(join(DEPLOY, name), 'utf8');

type Unit = Record<string, Record<string, string[]>>;

/** A systemd unit file: section → key → every value given, in order (comments and continuations as systemd reads them). */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = unit[header[1] ?? ''] ??= {};
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (!section || eq < 1) throw new Error(`not a unit file line: ${line}`);
    (section[trimmed.slice(0, eq).trim()] ??= []).push(trimmed.slice(eq + 1).trim());
  }
  return unit;
}

/** The last value of a key (what systemd uses for single-valued settings), or undefined. */
const value = (unit: Unit, section: string, key: string) => unit[section]?.[key]?.at(-1);
/** Every value of a list-valued key, split on spaces, an empty assignment resetting the list as in systemd. */
function list(unit: Unit, section: string, key: string): string[] {
  let items: string[] = [];
  for (const entry of unit[section]?.[key] ?? []) items = entry === '' ? [] : [...items, ...entry.split(/\s+/)];
  return items;
}

const yes = (setting: string | undefined) => ['yes', 'true', '1', 'on'].includes(setting ?? '');

/** nginx text without comments, so a commented-out directive never passes. */
const nginx = () =>
  read('nginx.conf')
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('\n');

/** The values of a `NAME=value` file, comments and blank lines skipped. */
function envFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1] ?? ''] = match[2] ?? '';
  }
  return env;
}

/** What every service of the kit must have: who it runs as and what it may touch. */
function expectSandboxed(unit: Unit) {
  expect(value(unit, 'Service', 'User')).toBe('hienmau');
  expect(['root', '0']).not.toContain(value(unit, 'Service', 'Group'));
  expect(value(unit, 'Service', 'DynamicUser') ?? 'no').not.toMatch(/^(yes|true|1|on)$/);
  expect(value(unit, 'Service', 'ProtectSystem')).toBe('strict');
  expect(value(unit, 'Service', 'EnvironmentFile')).toBe('/etc/hien-mau.env');
  expect(value(unit, 'Service', 'UMask')).toBe('0077');
  expect(yes(value(unit, 'Service', 'NoNewPrivileges'))).toBe(true);
  expect(yes(value(unit, 'Service', 'PrivateTmp'))).toBe(true);
  expect(value(unit, 'Service', 'ProtectHome')).toMatch(/^(yes|true|read-only|tmpfs)$/);
  // An empty bounding set: no capability at all.
  expect(unit['Service']?.['CapabilityBoundingSet']).toEqual(['']);
  // Node's JIT needs writable, executable memory: with this set, Node aborts at start.
  expect(yes(value(unit, 'Service', 'MemoryDenyWriteExecute'))).toBe(false);
}

describe('hien-mau.service', () => {
  const unit = parseUnit(read('hien-mau.service'));

  test('runs as its own user in a read-only system', () => {
    expectSandboxed(unit);
    expect(value(unit, 'Service', 'Restart')).toBe('on-failure');
    expect(list(unit, 'Service', 'RestrictAddressFamilies').sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
  });

  test('writes only the folder of the sign-up database', () => {
    const state = list(unit, 'Service', 'StateDirectory');
    const writable = [...state.map((name) => `/var/lib/${name}`), ...list(unit, 'Service', 'ReadWritePaths')];
    expect(writable).toEqual(['/var/lib/hien-mau']);
    // The database the example settings name is inside it.
    const env = envFile(read('hien-mau.env.example'));
    expect(env['SIGNUP_DB']?.startsWith('/var/lib/hien-mau/')).toBe(true);
    // So are the content repository and the published builds (a publish writes nowhere else).
    expect(env['CONTENT_REPO']?.startsWith('/var/lib/hien-mau/')).toBe(true);
    expect(env['PUBLISH_DIR']?.startsWith('/var/lib/hien-mau/')).toBe(true);
  });

  test('starts the server of this project with the pinned Node, as `npm start` does', () => {
    expect(value(unit, 'Service', 'WorkingDirectory')).toBe(APP_DIR);
    const [binary, ...args] = (value(unit, 'Service', 'ExecStart') ?? '').split(/\s+/);
    expect(binary).toBe(`${APP_DIR}/node_modules/.bin/node`);
    const script = args.find((arg) => !arg.startsWith('-'));
    expect(script).toBe('src/server/main.ts');
    expect(existsSync(join(ROOT, script ?? 'missing'))).toBe(true);
    const npmStart = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts['start'];
    expect(npmStart).toBe(`node ${args.join(' ')}`);
  });

  test('leaves the server time to finish requests in flight before killing it', () => {
    const stopSeconds = Number(/^(\d+)s?$/.exec(value(unit, 'Service', 'TimeoutStopSec') ?? '')?.[1]);
    expect(stopSeconds * 1000).toBeGreaterThan(TIMEOUTS.shutdown + 5_000);
  });
});

describe('hien-mau.env.example', () => {
  test('names the address the proxies forward to and passes the server’s settings check once the secret is set', () => {
    const env = envFile(read('hien-mau.env.example'));
    expect(`${env['HOST']}:${env['PORT']}`).toBe(UPSTREAM);
    expect(env['TRUST_PROXY']).toBe('1');
    expect(env['SIGNUP_SECRET']).toBe('');
    const settings = readSettings({ ...env, SIGNUP_SECRET: 'x'.repeat(32) });
    expect(settings).toMatchObject({ host: '127.0.0.1', port: 4321, trustProxy: true });
  });
});

describe('backup units', () => {
  const service = parseUnit(read('hien-mau-backup.service'));
  const timer = parseUnit(read('hien-mau-backup.timer'));

  test('the backup service runs deploy/backup.sh once, sandboxed, writing only data and backups', () => {
    expectSandboxed(service);
    expect(value(service, 'Service', 'Type')).toBe('oneshot');
    const exec = value(service, 'Service', 'ExecStart') ?? '';
    expect(exec).toBe(`${APP_DIR}/deploy/backup.sh`);
    expect(existsSync(join(ROOT, exec.slice(APP_DIR.length + 1)))).toBe(true);
    expect(list(service, 'Service', 'ReadWritePaths').sort()).toEqual(['/var/backups/hien-mau', '/var/lib/hien-mau']);
    expect(list(service, 'Service', 'StateDirectory')).toEqual([]);
  });

  test('the timer starts the backup service daily, and catches up a missed night', () => {
    const target = value(timer, 'Timer', 'Unit') ?? 'hien-mau-backup.service';
    expect(target).toBe('hien-mau-backup.service');
    expect(existsSync(join(DEPLOY, target))).toBe(true);
    expect(value(timer, 'Timer', 'OnCalendar')).toMatch(/^(daily|\*-\*-\* \d\d:\d\d(:\d\d)?)$/);
    expect(yes(value(timer, 'Timer', 'Persistent'))).toBe(true);
    expect(value(timer, 'Install', 'WantedBy')).toBe('timers.target');
  });

  // The services are left out: verify insists that their ExecStart binaries
  // exist, and /opt/hien-mau does not exist where the tests run.
  test.skipIf(spawnSync('systemd-analyze', ['--version']).status !== 0)('systemd-analyze accepts the timer', () => {
    const result = spawnSync('systemd-analyze', ['verify', join(DEPLOY, 'hien-mau-backup.timer')], {
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });
});

describe('backup.sh', () => {
  const script = join(DEPLOY, 'backup.sh');

  test('is executable, strict and keeps its files private', () => {
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).toMatch(/^umask 077$/m);
    expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  });

  describe('run against a database', { timeout: 30_000 }, () => {
    let folder: string;
    let db: string;
    let backups: string;
    const CODE = 'ABCDEFGH12';

    beforeEach(() => {
      folder = temporaryFolder('deploy-kit-');
      db = join(folder, 'data', 'signups.sqlite');
      backups = join(folder, 'backups');
      const store = new SignupStore(db);
      store.takePlace({
        code: CODE,
        drive: 'd',
        slot: '2099-01-01T07:00:00+07:00',
        slotEnd: '2099-01-01T08:00:00+07:00',
        capacity: 5,
        person: { fullName: 'Người Thử', phone: '+84912345678', birthYear: 1990, sex: 'female', weightKg: 50 },
        now: new Date(),
      });
      store.close();
    });
    afterEach(() => removeFolder(folder));

    const backup = () => {
      const env: NodeJS.ProcessEnv = { ...process.env, APP_DIR: ROOT, BACKUP_DIR: backups, SIGNUP_DB: db };
      delete env['BACKUP_KEEP_DAYS'];
      return execFileSync('bash', [script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    };
    const copies = () => readdirSync(backups).filter((name) => /^signups-.*\.sqlite$/.test(name));

    test('bundles the content repository with its history; a clone of the bundle restores it', async () => {
      const repo = await ContentRepo.open(join(folder, 'data', 'noi-dung'), join(ROOT, 'tests/fixtures/site'));
      await repo.save('news/bai-sao-luu.mdx', 'phiên bản hai\n', undefined, { username: 'bien-tap' });
      const output = backup();
      const bundle = readdirSync(backups).find((name) => /^noi-dung-.*\.bundle$/.test(name));
      expect(bundle).toBeDefined();
      expect(output).toContain(`sao lưu nội dung: ${join(backups, bundle ?? '')}`);
      expect(statSync(join(backups, bundle ?? '')).mode & 0o777).toBe(0o600);
      const restored = join(folder, 'restored');
      execFileSync('git', ['clone', '--quiet', join(backups, bundle ?? ''), restored]);
      expect(readFileSync(join(restored, 'news/bai-sao-luu.mdx'), 'utf8')).toBe('phiên bản hai\n');
      expect(await new ContentRepo(restored).history('news/bai-sao-luu.mdx')).toHaveLength(1);
    });

    test('makes a private, complete copy; a second run the same day makes another', () => {
      const output = backup();
      const day = new Date();
      const today = [day.getFullYear(), day.getMonth() + 1, day.getDate()]
        .map((n) => String(n).padStart(2, '0'))
        .join('-');
      expect(copies()).toEqual([`signups-${today}.sqlite`]);

      // One line per step, and nobody's name or number in them: they go to the journal.
      expect(output.trimEnd().split('\n')).toHaveLength(4);
      expect(output).not.toMatch(/Người Thử|912345678|ABCDEFGH12/);

      expect(statSync(backups).mode & 0o777).toBe(0o700);
      const file = join(backups, `signups-${today}.sqlite`);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      backup();
      expect(copies()).toHaveLength(2);
      for (const name of copies()) {
        expect(statSync(join(backups, name)).mode & 0o777).toBe(0o600);
        const copy = new SignupStore(join(backups, name));
        try {
          expect(copy.byCode(CODE)).toMatchObject({ fullName: 'Người Thử', phone: '+84912345678', drive: 'd' });
        } finally {
          copy.close();
        }
      }
    });

    test('deletes its own copies older than BACKUP_KEEP_DAYS (30), nothing else', () => {
      backup();
      const day = 86_400;
      const now = Date.now() / 1000;
      const age = (name: string, days: number) => {
        const path = join(backups, name);
        writeFileSync(path, '');
        utimesSync(path, now - days * day, now - days * day);
      };
      age('signups-2000-01-01.sqlite', 31);
      age('signups-2000-01-02.sqlite', 29);
      age('notes.txt', 60);
      backup();
      expect(readdirSync(backups)).not.toContain('signups-2000-01-01.sqlite');
      expect(readdirSync(backups)).toEqual(expect.arrayContaining(['signups-2000-01-02.sqlite', 'notes.txt']));
      expect(copies()).toHaveLength(3);
    });

    test('refuses to run without SIGNUP_DB rather than copy some other database', () => {
      const env: NodeJS.ProcessEnv = { ...process.env, APP_DIR: ROOT, BACKUP_DIR: backups };
      delete env['SIGNUP_DB'];
      const result = spawnSync('bash', [script], { env, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('SIGNUP_DB');
      expect(existsSync(backups)).toBe(false);
    });
  });
});

describe('nginx.conf', () => {
  test('proxies to the server on loopback, through a keep-alive upstream shorter-lived than the server’s', () => {
    const conf = nginx();
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    expect(upstream?.[2]).toMatch(new RegExp(`\\bserver\\s+${UPSTREAM.replace(/\./g, '\\.')};`));
    expect(conf).toMatch(new RegExp(`proxy_pass\\s+http://${upstream?.[1]};`));
    expect(conf).toMatch(/proxy_http_version\s+1\.1;/);
    expect(conf).toMatch(/proxy_set_header\s+Connection\s+"";/);
    const idle = Number(/keepalive_timeout\s+(\d+)s;/.exec(upstream?.[2] ?? '')?.[1]);
    expect(idle * 1000).toBeLessThan(TIMEOUTS.keepAlive);
  });

  test('sets the forwarded headers the site believes with TRUST_PROXY=1, replacing any a client sent', () => {
    const conf = nginx();
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-Host\s+\$host;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/);
    expect(conf).toMatch(/proxy_set_header\s+Host\s+\$host;/);
  });

  test('limits bodies, keeps no access log and leaves compression to the site', () => {
    const conf = nginx();
    const size = /client_max_body_size\s+(\d+)k;/.exec(conf);
    expect(Number(size?.[1]) * 1024).toBeGreaterThanOrEqual(MAX_BODY_BYTES);
    const accessLogs = [...conf.matchAll(/access_log\s+([^;]+);/g)].map((m) => m[1]);
    expect(accessLogs.length).toBeGreaterThan(0);
    expect(new Set(accessLogs)).toEqual(new Set(['off']));
    expect(conf).not.toMatch(/\bgzip\s+on;/);
    expect(conf).toMatch(/listen\s+443\s+ssl\s+http2;/);
    expect(conf).toMatch(/return\s+301\s+https:\/\/\$host\$request_uri;/);
  });
});

describe('bodies larger than a form', () => {
  test('only a unit’s list and a saved content file may be larger than a form, at the site and at both proxies', () => {
    expect(maxBodyBytes('/dang-ky/')).toBe(MAX_BODY_BYTES);
    expect(maxBodyBytes('/to-chuc/tai-khoan/')).toBe(MAX_BODY_BYTES);
    expect(maxBodyBytes(`${UNIT_LIST_PATH}CA-AN-XUYEN/an-xuyen/`)).toBe(UNIT_LIST_MAX_BYTES);
    expect(maxBodyBytes(`${CONTENT_PATH}lich-su/`)).toBe(CONTENT_SAVE_MAX_BYTES);
    // A path that only starts like one of them is a form.
    expect(maxBodyBytes('/to-chuc/noi-dung-khac/')).toBe(MAX_BODY_BYTES);
    const caddyfile = read('Caddyfile');
    const large = /@largeForms path ([^\n]+)\n\s*request_body @largeForms \{\s*max_size (\d+)MB/.exec(caddyfile);
    expect(large?.[1]?.split(' ')).toEqual([`${UNIT_LIST_PATH}*`, `${CONTENT_PATH}*`]);
    expect(Number(large?.[2]) * 1024 * 1024).toBeGreaterThanOrEqual(
      Math.max(UNIT_LIST_MAX_BYTES, CONTENT_SAVE_MAX_BYTES),
    );
    const location = /location ~ \^\/to-chuc\/\(([^)]+)\)\/ \{\s*client_max_body_size (\d+)m;/.exec(nginx());
    expect(location?.[1]?.split('|').map((part) => `/to-chuc/${part}/`)).toEqual([UNIT_LIST_PATH, CONTENT_PATH]);
    expect(Number(location?.[2]) * 1024 * 1024).toBeGreaterThanOrEqual(
      Math.max(UNIT_LIST_MAX_BYTES, CONTENT_SAVE_MAX_BYTES),
    );
  });
});

describe('Caddyfile', () => {
  test('forwards to the server’s default address, with a keep-alive shorter than the server’s', () => {
    const caddyfile = read('Caddyfile');
    expect(caddyfile).toMatch(new RegExp(`reverse_proxy\\s+\\{\\$UPSTREAM:${UPSTREAM.replace(/\./g, '\\.')}\\}`));
    const keepalive = Number(/keepalive\s+(\d+)s/.exec(caddyfile)?.[1]);
    expect(keepalive * 1000).toBeLessThan(TIMEOUTS.keepAlive);
  });
});

describe('signups (the organisers’ wrapper)', { timeout: 60_000 }, () => {
  const script = join(DEPLOY, 'signups');
  let folder: string;
  let envPath: string;
  let db: string;
  /** A stand-in for sudo that writes what it was asked and the environment it got, then runs the command. */
  let fakeSudo: string;
  const me = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();

  // The guide's own line: bash's `.` read "<" as a redirection and every command failed.
  const MAIL_FROM = 'Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@camau.gov.vn>';
  const settingsFile = (dbPath: string) =>
    [
      '# /etc/hien-mau.env as docs/deploy.md writes it',
      `SIGNUP_DB=${dbPath}`,
      `MAIL_FROM=${MAIL_FROM}`,
      '; a comment systemd also skips',
      '',
      'QUOTED=\'$HOME `id` $(touch pwned) "kept"\'',
      'DOUBLE="a \\"quoted\\" \\$HOME and a \\\\ backslash"',
      '  SPACED  =   inner  spaces kept   ',
      'CONTINUED=first \\',
      'second',
      'UNQUOTED=$HOME;$(touch pwned)',
      'export NOT_A_NAME=1',
      'NO_EQUALS_SIGN',
      'EMPTY=',
    ].join('\n') + '\n';

  beforeEach(() => {
    folder = temporaryFolder('signups-wrapper-');
    envPath = join(folder, 'hien-mau.env');
    db = join(folder, 'signups.sqlite');
    writeFileSync(envPath, settingsFile(db), { mode: 0o600 });
    fakeSudo = join(folder, 'bin', 'sudo');
    execFileSync('mkdir', ['-p', join(folder, 'bin')]);
    writeFileSync(
      fakeSudo,
      `#!/bin/bash\nprintf '%s\\n' "$@" > "${folder}/sudo-args"\nenv -0 > "${folder}/sudo-env"\nshift 3\n[[ $1 == -- ]] && shift\nexec "$@"\n`,
      { mode: 0o755 },
    );
  });
  afterEach(() => removeFolder(folder));

  const runWrapper = (args: string[], options: { user?: string; input?: string } = {}) =>
    spawnSync(script, args, {
      cwd: folder,
      encoding: 'utf8',
      input: options.input ?? '',
      env: {
        PATH: `${join(folder, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
        HOME: folder,
        HIEN_MAU_ENV: envPath,
        APP_DIR: ROOT.replace(/\/$/, ''),
        SITE_USER: options.user ?? 'hienmau',
      },
    });
  const sudoEnv = () =>
    Object.fromEntries(
      readFileSync(join(folder, 'sudo-env'), 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );

  test('ships as an executable, strict bash script that does not source the settings', () => {
    expect(statSync(script).mode & 0o111).not.toBe(0);
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).not.toMatch(/^\s*(\.|source)\s/m);
    expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  });

  test('reads the settings as systemd does and hands them to the CLI as the site’s user, through sudo', () => {
    const result = runWrapper(['user', 'list']);
    expect(result.stderr).not.toMatch(/No such file|syntax error|unexpected/);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('Chưa có tài khoản nào.');
    const args = readFileSync(join(folder, 'sudo-args'), 'utf8').trim().split('\n');
    expect(args.slice(0, 2)).toEqual(['-u', 'hienmau']);
    expect(args[2]).toMatch(/^--preserve-env=/);
    expect(args.slice(3)).toEqual([
      '--',
      join(ROOT, 'node_modules/.bin/node'),
      '--disable-warning=ExperimentalWarning',
      'src/cli/main.ts',
      'user',
      'list',
    ]);
    const preserved = (args[2] ?? '').replace('--preserve-env=', '').split(',');
    expect(preserved.sort()).toEqual(
      ['CONTINUED', 'DOUBLE', 'EMPTY', 'MAIL_FROM', 'QUOTED', 'SIGNUP_DB', 'SPACED', 'UNQUOTED'].sort(),
    );
    expect(sudoEnv()).toMatchObject({
      SIGNUP_DB: db,
      MAIL_FROM,
      QUOTED: '$HOME `id` $(touch pwned) "kept"',
      DOUBLE: 'a "quoted" $HOME and a \\ backslash',
      SPACED: 'inner  spaces kept',
      CONTINUED: 'first second',
      UNQUOTED: '$HOME;$(touch pwned)',
      EMPTY: '',
    });
    // Nothing in the file was run.
    expect(existsSync(join(folder, 'pwned'))).toBe(false);
    expect(result.stderr).toContain('export NOT_A_NAME');
  });

  test('user add works with the guide’s MAIL_FROM line: the account lands in SIGNUP_DB', () => {
    const result = runWrapper(['user', 'add', 'thu.ha', '--role', 'admin'], {
      user: me,
      input: 'một mật khẩu đủ dài\n',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('thu.ha: đã tạo tài khoản admin (mọi đợt)');
    const store = new SignupStore(db);
    try {
      expect(store.db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'thu.ha' }]);
    } finally {
      store.close();
    }
  });

  test('an unreadable settings file is named, in Vietnamese, and nothing runs', () => {
    rmSync(envPath);
    const result = runWrapper(['list']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`không đọc được tệp cài đặt ${envPath}`);
    expect(existsSync(join(folder, 'sudo-args'))).toBe(false);
  });

  test('the example settings file parses to the same values the test’s reader gives', () => {
    const example = join(folder, 'example.env');
    writeFileSync(example, read('hien-mau.env.example'));
    writeFileSync(envPath, readFileSync(example));
    const result = runWrapper(['--help']);
    expect(result.status, result.stderr).toBe(0);
    const got = sudoEnv();
    for (const [name, expected] of Object.entries(envFile(read('hien-mau.env.example'))))
      expect(got[name]).toBe(expected);
  });
});

describe('docs/deploy.md against the code', () => {
  const guide = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
  /** The shell the guide has people type: its ```sh blocks. */
  const shell = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
  const section = (heading: string) => {
    const start = guide.indexOf(`\n## ${heading}`);
    expect(start, heading).toBeGreaterThan(-1);
    const end = guide.indexOf('\n## ', start + 1);
    return guide.slice(start, end === -1 ? undefined : end);
  };

  test('the log line and the troubleshooting line name the schema version this code migrates to', () => {
    const logged = [...guide.matchAll(/signups\.sqlite \(phiên bản lược đồ (\d+)\)/g)].map((m) => Number(m[1]));
    expect(logged.length).toBeGreaterThan(0);
    expect(new Set(logged)).toEqual(new Set([SCHEMA_VERSION]));
    const newer = /tệp có phiên bản lược đồ (\d+), mới hơn phiên bản mà mã nguồn này biết \((\d+)\)/.exec(guide);
    expect(Number(newer?.[2])).toBe(SCHEMA_VERSION);
    expect(Number(newer?.[1])).toBeGreaterThan(SCHEMA_VERSION);
  });

  test('every tool the guide runs is installed by its apt-get line, or comes with Debian or the project', () => {
    const installed = /apt-get install -y ([^\n]+)/.exec(guide)?.[1]?.split(/\s+/) ?? [];
    for (const tool of ['curl', 'git', 'sudo', 'openssl']) {
      if (new RegExp(`(^|[|;&(]\\s*|\\$\\()${tool}\\s`, 'm').test(shell)) expect(installed, tool).toContain(tool);
    }
  });

  test('upgrades and rebuilds go through rebuild.sh with SIGNUP_DB, never a build into the served dist/', () => {
    for (const heading of ['Upgrades', 'Content changes and rebuilding']) {
      const text = [...section(heading).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
      expect(text, heading).not.toMatch(/npm run build/);
      expect(text, heading).toMatch(/SIGNUP_DB=\/var\/lib\/hien-mau\/signups\.sqlite deploy\/rebuild\.sh/);
    }
  });

  test('the wrapper is installed from deploy/signups, and nothing sources the settings file with bash', () => {
    expect(shell).toMatch(
      /install -m 700 -o root -g root \/opt\/hien-mau\/deploy\/signups \/usr\/local\/sbin\/signups/,
    );
    expect(shell).not.toMatch(/(^|[;&\s])(\.|source)\s+\/etc\/hien-mau\.env/m);
    expect(shell).not.toMatch(/cat > \/usr\/local\/sbin\/signups/);
  });

  test('numbered steps make the first admin account and replace the sample drives and hotline', () => {
    const steps = [...guide.matchAll(/^## (\d+)\. (.+)$/gm)].map((m) => ({ n: Number(m[1]), title: m[2] ?? '' }));
    expect(steps.map((s) => s.n)).toEqual(steps.map((_, i) => i + 1));
    const admin = steps.find((s) => /admin account/.test(s.title));
    expect(admin).toBeDefined();
    expect(section(`${admin?.n}. ${admin?.title}`)).toMatch(/signups user add \S+ --role admin/);
    const live = steps.find((s) => /going live/i.test(s.title));
    expect(live).toBeDefined();
    const text = section(`${live?.n}. ${live?.title}`);
    expect(text).toContain('DỮ LIỆU MẪU');
    expect(text).toMatch(/hotline:.*content\/campaign\.yaml/s);
  });

  test('every pointer to another doc names a heading that doc has; build settings point where they are described', () => {
    const pointers = [...guide.matchAll(/`(\w+\.md)`, "([^"]+)"/g)];
    expect(pointers.length).toBeGreaterThan(3);
    for (const [, doc, heading] of pointers) {
      const target = readFileSync(join(ROOT, 'docs', doc ?? ''), 'utf8');
      expect(target, `${doc}, "${heading}"`).toMatch(
        new RegExp(`^#+ ${(heading ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'),
      );
    }
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of ['ZALO_OA_ID', 'MAP_TILE_URL']) {
      const pointsToReadme = new RegExp(`${name}[^.]*\\(README`).test(guide);
      if (pointsToReadme) expect(readme, name).toContain(name);
    }
    expect(guide).toContain('src/build-settings.ts');
  });
});
