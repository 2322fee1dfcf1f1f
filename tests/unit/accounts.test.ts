/**
 * Accounts as the admins manage them (src/console/accounts-store.ts, account-admin.ts) and
 * their command line (`user disable|enable|reset|drives`, `team`, `audit --accounts`): every
 * change with its audit entry, a disabled account that cannot sign in, the page's checks
 * (right, key, fields) as a table and a bounded fuzz. A real SQLite file.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCommand } from '../../src/cli/main.ts';
import { AccountAdmin, newPassword, type AccountAnswer } from '../../src/console/account-admin.ts';
import { AccountsStore } from '../../src/console/accounts-store.ts';
import { ConsoleService } from '../../src/console/console-service.ts';
import type { StaffAccount } from '../../src/console/console-store.ts';
import { hashPassword, verifyPassword } from '../../src/console/passwords.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { englishIn } from './english.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-12-05T08:00:00+07:00');
const DRIVES = new Set(['gia-rai-12-12-2026', 'an-xuyen-05-12-2026']);
const known = (slug: string) => DRIVES.has(slug);
let folder: string;
let db: string;
let signups: SignupStore;
let store: AccountsStore;
let admin: AccountAdmin;
let lines: string[];
let keyCounter = 0;
const ADMIN: StaffAccount = { id: 1, username: 'quan.tri', role: 'admin', drives: [] };

const key = () => `khoa-thu-nghiem-${String(++keyCounter).padStart(6, '0')}`;
function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
  }
  return data;
}
const post = (fields: Record<string, string | string[]>, actor: StaffAccount = ADMIN): Promise<AccountAnswer> =>
  admin.post(actor, form({ key: key(), ...fields }), known);

beforeEach(async () => {
  folder = temporaryFolder('accounts-');
  db = join(folder, 'signups.sqlite');
  signups = new SignupStore(db);
  store = new AccountsStore(signups.db);
  admin = new AccountAdmin({ store: () => store, now: () => NOW, limit: 1_000 });
  store.add(
    { username: 'quan.tri', passwordHash: await hashPassword('mat-khau-quan-tri-1'), role: 'admin', drives: [] },
    'cli',
    NOW,
  );
  lines = [];
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

describe('the accounts page service', () => {
  test('adds a staff account with a password shown once, which signs in', async () => {
    const answer = await post({ intent: 'add', username: 'thu.ha', role: 'staff', drive: ['gia-rai-12-12-2026'] });
    expect(answer).toMatchObject({ status: 200, ok: true });
    expect(answer.password?.username).toBe('thu.ha');
    const password = answer.password?.value ?? '';
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(store.find('thu.ha')).toMatchObject({ role: 'staff', drives: ['gia-rai-12-12-2026'], disabledAt: null });
    const service = new ConsoleService({ database: () => signups.db, now: () => NOW });
    expect((await service.login('thu.ha', password, '192.0.2.1')).ok).toBe(true);
    expect(JSON.stringify(store.audit())).not.toContain(password);
  });

  test('disable ends the sessions and refuses sign-in as a wrong password would; enable lets it back', async () => {
    const added = await post({ intent: 'add', username: 'thu.ha', role: 'editor' });
    const password = added.password?.value ?? '';
    const service = new ConsoleService({ database: () => signups.db, now: () => NOW });
    const signedIn = await service.login('thu.ha', password, '192.0.2.1');
    expect(signedIn.ok).toBe(true);
    const sessionId = signedIn.ok ? signedIn.sessionId : '';
    expect(service.account(sessionId)?.username).toBe('thu.ha');
    expect(await post({ intent: 'disable', username: 'thu.ha' })).toMatchObject({ status: 200, ok: true });
    expect(service.account(sessionId)).toBeNull();
    expect(await service.login('thu.ha', password, '192.0.2.1')).toEqual({ ok: false, reason: 'wrong' });
    expect((await post({ intent: 'disable', username: 'thu.ha' })).lines[0]).toContain('đã bị khoá từ trước');
    expect(await post({ intent: 'enable', username: 'thu.ha' })).toMatchObject({ status: 200, ok: true });
    expect((await service.login('thu.ha', password, '192.0.2.1')).ok).toBe(true);
  });

  test('reset gives a new password and ends the sessions; the old one no longer works', async () => {
    const added = await post({ intent: 'add', username: 'thu.ha', role: 'staff', drive: 'an-xuyen-05-12-2026' });
    const reset = await post({ intent: 'reset', username: 'thu.ha' });
    expect(reset.password?.value).not.toBe(added.password?.value);
    const service = new ConsoleService({ database: () => signups.db, now: () => NOW });
    expect((await service.login('thu.ha', added.password?.value ?? '', '192.0.2.1')).ok).toBe(false);
    expect((await service.login('thu.ha', reset.password?.value ?? '', '192.0.2.1')).ok).toBe(true);
  });

  test('drives, teams, a unit account and remove, each in the log', async () => {
    await post({ intent: 'add', username: 'thu.ha', role: 'staff', drive: 'gia-rai-12-12-2026' });
    expect(
      await post({ intent: 'drives', username: 'thu.ha', drive: ['an-xuyen-05-12-2026', 'gia-rai-12-12-2026'] }),
    ).toMatchObject({ ok: true });
    expect(store.find('thu.ha')?.drives).toEqual(['an-xuyen-05-12-2026', 'gia-rai-12-12-2026']);
    expect((await post({ intent: 'add', username: 'don.vi', role: 'unit', team: 'CAT-PC06' })).status).toBe(422);
    expect(await post({ intent: 'team-add', code: 'cat-pc06', name: 'Phòng PC06, Công an tỉnh' })).toMatchObject({
      ok: true,
    });
    expect(await post({ intent: 'add', username: 'don.vi', role: 'unit', team: 'CAT-PC06' })).toMatchObject({
      ok: true,
    });
    expect(store.find('don.vi')?.teamCode).toBe('CAT-PC06');
    expect((await post({ intent: 'remove', username: 'thu.ha' })).status).toBe(422);
    expect(await post({ intent: 'remove', username: 'thu.ha', confirm: 'yes' })).toMatchObject({ ok: true });
    expect(store.find('thu.ha')).toBeUndefined();
    expect(await post({ intent: 'team-remove', code: 'CAT-PC06' })).toMatchObject({ ok: true });
    expect(store.audit().map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['quan.tri', 'team-remove', 'CAT-PC06'],
      ['quan.tri', 'account-remove', 'thu.ha'],
      ['quan.tri', 'account-add', 'don.vi'],
      ['quan.tri', 'team-add', 'CAT-PC06'],
      ['quan.tri', 'account-drives', 'thu.ha'],
      ['quan.tri', 'account-add', 'thu.ha'],
      ['cli', 'account-add', 'quan.tri'],
    ]);
  });

  test('a replayed post does nothing the second time', async () => {
    const fields = form({ key: 'mot-khoa-duy-nhat-123', intent: 'team-add', code: 'DOAN-TN', name: 'Đoàn Thanh niên' });
    expect((await admin.post(ADMIN, fields, known)).status).toBe(200);
    await post({ intent: 'team-remove', code: 'DOAN-TN' });
    expect(await admin.post(ADMIN, fields, known)).toMatchObject({ status: 409, ok: false });
    expect(store.teams()).toEqual([]);
  });

  test.each([
    ['staff', { id: 2, username: 'nv', role: 'staff', drives: ['gia-rai-12-12-2026'] }],
    ['an editor', { id: 3, username: 'bt', role: 'editor', drives: [] }],
    ['a unit', { id: 4, username: 'dv', role: 'unit', drives: [], teamCode: 'X' }],
  ] as const)('%s is refused with 403 and nothing changes', async (_name, actor) => {
    for (const intent of ['add', 'disable', 'reset', 'remove', 'team-add']) {
      const answer = await post(
        { intent, username: 'quan.tri', role: 'admin', confirm: 'yes', code: 'ABC', name: 'Tên' },
        { ...actor, drives: [...actor.drives] },
      );
      expect(answer.status).toBe(403);
    }
    expect(store.list().map((a) => a.username)).toEqual(['quan.tri']);
    expect(store.audit()).toHaveLength(1);
  });

  const hostile: [string, Record<string, string | string[]>, number][] = [
    ['no intent', {}, 400],
    ['an unknown intent', { intent: 'drop-table' }, 400],
    ['no key', { intent: 'add', username: 'a1', role: 'staff', key: '' }, 400],
    ['a short key', { intent: 'add', username: 'a1', role: 'staff', key: 'abc' }, 400],
    ['a key with a slash', { intent: 'add', username: 'a1', role: 'staff', key: '../../etc/passwd-xxxxxxxx' }, 400],
    ['a name with ../', { intent: 'add', username: '../admin', role: 'admin' }, 422],
    ['a name with %2e%2e', { intent: 'add', username: '%2e%2e', role: 'admin' }, 422],
    ['a name with NUL', { intent: 'add', username: 'ad\u0000min', role: 'admin' }, 422],
    ['a look-alike name (Cyrillic а)', { intent: 'add', username: 'quаn.tri', role: 'admin' }, 422],
    ['a name of 33 characters', { intent: 'add', username: 'a'.repeat(33), role: 'admin' }, 422],
    ['an unknown role', { intent: 'add', username: 'moi.ban', role: 'root' }, 422],
    ['staff without a drive', { intent: 'add', username: 'moi.ban', role: 'staff' }, 422],
    ['an unknown drive', { intent: 'add', username: 'moi.ban', role: 'staff', drive: '../x' }, 422],
    ['an existing name in capitals', { intent: 'add', username: 'QUAN.TRI', role: 'admin' }, 409],
    ['disabling yourself', { intent: 'disable', username: 'quan.tri' }, 422],
    ['removing yourself', { intent: 'remove', username: 'quan.tri', confirm: 'yes' }, 422],
    ['an unknown account', { intent: 'reset', username: 'khong.co' }, 404],
    ['drives for an admin', { intent: 'drives', username: 'quan.tri', drive: 'gia-rai-12-12-2026' }, 422],
    ['a team code with <', { intent: 'team-add', code: '<script>', name: 'x y' }, 422],
    ['a team name with <', { intent: 'team-add', code: 'ABC', name: '<b>x</b>' }, 422],
    ['a team name of 500 characters', { intent: 'team-add', code: 'ABC', name: 'x'.repeat(500) }, 422],
    ['removing an unknown team', { intent: 'team-remove', code: 'KHONG-CO' }, 404],
  ];
  test.each(hostile)('%s is refused, changing nothing', async (_name, fields, status) => {
    const answer = await post(fields);
    expect(answer.status).toBe(status);
    expect(answer.ok).toBe(false);
    expect(englishIn(answer.lines.join(' '))).toEqual([]);
    expect(store.list().map((a) => a.username)).toEqual(['quan.tri']);
    expect(store.teams()).toEqual([]);
  });

  test('the rate limit answers 429 past its count', async () => {
    const limited = new AccountAdmin({ store: () => store, now: () => NOW, limit: 3 });
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await limited.post(ADMIN, form({ key: key(), intent: 'x' }), known));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 429, 429]);
  });

  test('bounded fuzz: any fields give a Vietnamese answer with a status, and never an account nobody asked for', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'add',
        'remove',
        'disable',
        'reset',
        'drives',
        'team-add',
        'quan.tri',
        'admin',
        'yes',
        '../',
        '%00',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          intent: field,
          username: field,
          role: field,
          drive: field,
          code: field,
          name: field,
          confirm: field,
          key: field,
        }),
        async (fields) => {
          const answer = await admin.post(ADMIN, form(fields), known);
          expect([200, 400, 403, 404, 409, 422, 429]).toContain(answer.status);
          expect(answer.lines.length).toBeGreaterThan(0);
          expect(store.find('quan.tri')?.disabledAt ?? null).toBeNull();
        },
      ),
      { numRuns: 150, seed: 24 },
    );
  });

  test('new passwords are long enough and differ', () => {
    const made = new Set(Array.from({ length: 200 }, newPassword));
    expect(made.size).toBe(200);
    for (const password of made) expect(password.length).toBeGreaterThanOrEqual(12);
  });
});

describe('npm run signups -- user, team and audit --accounts', () => {
  const cli = (args: string[], password = 'mat-khau-moi-cua-ban') =>
    runCommand(
      [...args, '--db', db],
      (line) => lines.push(line),
      NOW,
      () => Promise.resolve(password),
    );

  test('disable, enable, reset, drives and the audit, in Vietnamese', async () => {
    signups.close();
    await cli(['user', 'add', 'thu.ha', '--role', 'staff', '--drive', 'gia-rai-12-12-2026']);
    await cli(['user', 'disable', 'thu.ha']);
    await cli(['user', 'list']);
    expect(lines.at(-1)).toContain('(đã khoá)');
    await cli(['user', 'enable', 'thu.ha']);
    lines = [];
    await cli(['user', 'reset', 'thu.ha']);
    const printed = lines[1] ?? '';
    expect(printed).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    signups = new SignupStore(db);
    store = new AccountsStore(signups.db);
    const account = signups.db.prepare("SELECT password_hash FROM users WHERE username = 'thu.ha'").get() as {
      password_hash: string;
    };
    expect(await verifyPassword(printed, account.password_hash)).toBe(true);
    signups.close();
    await expect(cli(['user', 'drives', 'thu.ha', '--drive', 'khong-co-dot-nay'])).rejects.toThrow('Không có đợt');
    await cli(['team', 'add', 'CAT-PC06', 'Phòng PC06']);
    await cli(['team', 'remove', 'CAT-PC06']);
    lines = [];
    await cli(['audit', '--accounts']);
    const log = lines.join('\n');
    expect(lines.map((line) => line.split('\t')[2])).toEqual([
      'tạo tài khoản',
      'tạo tài khoản',
      'khoá tài khoản',
      'mở lại tài khoản',
      'đặt mật khẩu mới',
      'đăng ký đơn vị',
      'gỡ đơn vị',
    ]);
    expect(log).toContain('lệnh signups trên máy chủ');
    expect(log).not.toContain(printed);
    expect(englishIn(log)).toEqual([]);
    signups = new SignupStore(db);
  });

  test('--help of user and audit names the new forms, in Vietnamese', async () => {
    signups.close();
    await cli(['user', '--help']);
    await cli(['audit', '--help']);
    const help = lines.join('\n');
    expect(help).toContain('user disable|enable <tên>');
    expect(help).toContain('user reset <tên>');
    expect(help).toContain('user drives <tên>');
    expect(help).toContain('audit --accounts');
    expect(englishIn(help)).toEqual([]);
    signups = new SignupStore(db);
  });
});
