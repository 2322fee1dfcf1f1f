import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore, type Person } from '../../src/signup/store.ts';
import { purge, erasePhone } from '../../src/privacy/privacy.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { removeFolder, person as somebody, temporaryFolder } from './helpers.ts';

/** A gift recorded the way the desk and `npm run signups -- given` record it. */
const recordGift = (store: SignupStore, code: string) =>
  new ConsoleStore(store.db).apply(
    { kind: 'gave', drive: store.byCode(code)?.drive ?? '', code, volumeMl: 350, returnAfter: '2027-02-18' },
    { actor: 'test', now: NOW },
  ).ok;

let folder: string;
let path: string;
const NOW = new Date('2026-11-26T10:00:00+07:00');
const SLOT = '2026-12-12T07:00:00+07:00';
const SLOT_END = '2026-12-12T08:00:00+07:00';

beforeEach(() => {
  folder = temporaryFolder('store-');
  path = join(folder, 'nested', 'signups.sqlite');
});
afterEach(() => removeFolder(folder));

/** The people of these tests are named "Người n" and weigh 50 kg. */
const person = (n: number, extra: Partial<Person> = {}): Person =>
  somebody(n, { fullName: `Người ${n}`, weightKg: 50, ...extra });
const take = (
  store: SignupStore,
  n: number,
  capacity = 3,
  extra: Partial<Person> = {},
  slot = SLOT,
  formNonce?: string,
) =>
  store.takePlace({
    code: `CODE${String(n).padStart(6, '0')}`,
    drive: 'gia-rai',
    slot,
    slotEnd: SLOT_END,
    capacity,
    person: person(n, extra),
    now: NOW,
    formNonce,
  });

describe('SignupStore', () => {
  test('creates the file and its folder, in WAL mode with the latest schema', () => {
    const store = new SignupStore(path);
    expect(store.schemaVersion).toBe(SCHEMA_VERSION);
    store.close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
  });

  test('takes places up to the capacity, then says the slot is full', () => {
    const store = new SignupStore(path);
    expect([1, 2, 3].map((n) => take(store, n).status)).toEqual(['created', 'created', 'created']);
    expect(take(store, 4).status).toBe('full');
    expect(store.takenBySlot('gia-rai', [{ id: SLOT, end: SLOT_END }]).get(SLOT)).toBe(3);
    store.close();
  });

  test('the same form sent twice gets its own sign-up back, not a second place', () => {
    const store = new SignupStore(path);
    const first = take(store, 1, 3, {}, SLOT, 'nonce-aaaaaa');
    const again = take(store, 1, 3, {}, SLOT, 'nonce-aaaaaa');
    expect(first.status).toBe('created');
    expect(again.status).toBe('replayed');
    if (again.status !== 'replayed' || first.status !== 'created') throw new Error('unreachable');
    expect(again.signup.code).toBe(first.signup.code);
    expect(store.list('gia-rai')).toHaveLength(1);
    // The same form sent back with another slot chosen moves its own sign-up.
    const moved = store.takePlace({
      code: 'CHANGED001',
      drive: 'gia-rai',
      slot: '2026-12-12T08:00:00+07:00',
      slotEnd: '2026-12-12T09:00:00+07:00',
      capacity: 3,
      person: person(1),
      now: NOW,
      formNonce: 'nonce-aaaaaa',
    });
    expect(moved.status).toBe('created');
    expect(store.list('gia-rai').map((s) => s.slot)).toEqual(['2026-12-12T08:00:00+07:00']);
    expect(store.byCode('CODE000001')?.cancelledAt).not.toBeNull();
    // The same form for someone else is used up.
    const other = store.takePlace({
      code: 'OTHERFORM1',
      drive: 'gia-rai',
      slot: SLOT,
      slotEnd: SLOT_END,
      capacity: 3,
      person: person(2),
      now: NOW,
      formNonce: 'nonce-aaaaaa',
    });
    expect(other.status).toBe('used-form');
    store.close();
  });

  test('someone else with the same phone gets a place of their own, and learns nothing of the first', () => {
    const store = new SignupStore(path);
    const first = take(store, 1, 3, {}, SLOT, 'nonce-aaaaaa');
    const other = store.takePlace({
      code: 'OTHERCODE0',
      drive: 'gia-rai',
      slot: SLOT,
      slotEnd: SLOT_END,
      capacity: 3,
      person: person(1, { fullName: 'Lê Văn Tám', birthYear: 1985 }),
      now: NOW,
      formNonce: 'nonce-bbbbbb',
    });
    expect(first.status).toBe('created');
    expect(other).toMatchObject({ status: 'created', signup: { code: 'OTHERCODE0', fullName: 'Lê Văn Tám' } });
    expect(store.list('gia-rai')).toHaveLength(2);
    store.close();
  });

  test('the same person with a new form takes another place: nothing earlier is cancelled or revealed', () => {
    const store = new SignupStore(path);
    take(store, 1, 2, {}, SLOT, 'nonce-first1');
    take(store, 2, 2);
    // The slot is full for everyone, whoever they say they are.
    const again = store.takePlace({
      code: 'NEWCODE001',
      drive: 'gia-rai',
      slot: SLOT,
      slotEnd: SLOT_END,
      capacity: 2,
      person: person(1, { fullName: '  NGƯỜI   1 ' }),
      now: NOW,
      formNonce: 'nonce-second',
    });
    expect(again.status).toBe('full');
    expect(store.byCode('CODE000001')?.cancelledAt).toBeNull();
    const elsewhere = store.takePlace({
      code: 'NEWCODE002',
      drive: 'gia-rai',
      slot: '2026-12-12T08:00:00+07:00',
      slotEnd: '2026-12-12T09:00:00+07:00',
      capacity: 2,
      person: person(1),
      now: NOW,
      formNonce: 'nonce-third1',
    });
    expect(elsewhere.status).toBe('created');
    expect(store.list('gia-rai').map((s) => s.code)).toEqual(['CODE000001', 'CODE000002', 'NEWCODE002']);
    store.close();
  });

  test('places are counted by time overlap, so an edited drive never oversells', () => {
    const store = new SignupStore(path);
    // Signed up under 60-minute slots; the editor then makes them 30 minutes.
    take(store, 1, 2);
    take(store, 2, 2);
    const half = { slot: '2026-12-12T07:30:00+07:00', slotEnd: '2026-12-12T08:00:00+07:00' };
    expect(
      store.takenBySlot('gia-rai', [
        { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T07:30:00+07:00' },
        { id: half.slot, end: half.slotEnd },
        { id: '2026-12-12T08:00:00+07:00', end: '2026-12-12T08:30:00+07:00' },
      ]),
    ).toEqual(
      new Map([
        ['2026-12-12T07:00:00+07:00', 2],
        [half.slot, 2],
        ['2026-12-12T08:00:00+07:00', 0],
      ]),
    );
    const late = store.takePlace({
      code: 'LATECODE01',
      drive: 'gia-rai',
      ...half,
      capacity: 2,
      person: person(3),
      now: NOW,
    });
    expect(late.status).toBe('full');
    store.close();
  });

  test('cancelling with code and phone frees the place; a wrong phone does not', () => {
    const store = new SignupStore(path);
    [1, 2, 3].forEach((n) => take(store, n));
    expect(store.cancel('CODE000002', '+84910000009', NOW)).toBe(false);
    expect(store.cancel('CODE000002', person(2).phone, NOW)).toBe(true);
    expect(store.cancel('CODE000002', person(2).phone, NOW)).toBe(false);
    expect(take(store, 4).status).toBe('created');
    // The person who cancelled may sign up again (a new code).
    const again = store.takePlace({
      code: 'NEWCODE002',
      drive: 'gia-rai',
      slot: SLOT,
      slotEnd: SLOT_END,
      capacity: 4,
      person: person(2),
      now: NOW,
    });
    expect(again.status).toBe('created');
    store.close();
  });

  test('keeps everything across closing and reopening', () => {
    const first = new SignupStore(path);
    take(first, 1, 3, { teamCode: 'CAT-PC06', lastDonation: '2026-06-01' });
    first.close();
    const reopened = new SignupStore(path);
    const [signup] = reopened.list('gia-rai');
    expect(signup).toMatchObject({ fullName: 'Người 1', teamCode: 'CAT-PC06', lastDonation: '2026-06-01', slot: SLOT });
    expect(reopened.integrityCheck()).toBe('ok');
    reopened.close();
  });

  test('migrates a version 1 file without losing its sign-ups', () => {
    mkdirSync(dirname(path), { recursive: true });
    const raw = new DatabaseSync(path);
    raw.exec(`${MIGRATIONS[0]}; PRAGMA user_version = 1;`);
    raw
      .prepare(
        `INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg, created_at)
         VALUES ('CODE000001', 'gia-rai', ?, ?, 'Người 1', '+84910000001', 1990, 'female', 50, ?)`,
      )
      .run(SLOT, SLOT_END, NOW.toISOString());
    raw.close();
    const upgraded = new SignupStore(path);
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION);
    expect(upgraded.list()).toHaveLength(1);
    expect(recordGift(upgraded, 'CODE000001')).toBe(true);
    expect(upgraded.byCode('CODE000001')?.desk.outcome).toBe('gave');
    upgraded.close();
  });

  test('refuses a file from newer code, and an unreadable path, with a message naming the file', () => {
    const raw = new DatabaseSync(path.replace('nested/', ''));
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    expect(() => new SignupStore(path.replace('nested/', ''))).toThrow(/mới hơn phiên bản mà mã nguồn này biết/);
    expect(() => new SignupStore(folder)).toThrow(new RegExp(`Không mở được cơ sở dữ liệu đăng ký ${folder}`));
  });

  test('teams: only registered codes are listed, with their unit name; counts only, never names', () => {
    const store = new SignupStore(path);
    take(store, 1, 9, { teamCode: 'CAT-PC06' });
    take(store, 2, 9, { teamCode: 'CAT-PC06' });
    take(store, 3, 9, { teamCode: 'DOAN-TN' });
    take(store, 4, 9, { teamCode: 'GOI-0912345678' });
    take(store, 5, 9);
    recordGift(store, 'CODE000003');
    store.addTeam({ code: 'CAT-PC06', name: 'Phòng PC06' }, NOW);
    store.addTeam({ code: 'DOAN-TN', name: 'Đoàn Thanh niên Công an tỉnh' }, NOW);
    expect(store.teams()).toEqual([
      { teamCode: 'DOAN-TN', name: 'Đoàn Thanh niên Công an tỉnh', signups: 1, unitsGiven: 1 },
      { teamCode: 'CAT-PC06', name: 'Phòng PC06', signups: 2, unitsGiven: 0 },
    ]);
    expect(store.removeTeam('DOAN-TN')).toBe(true);
    expect(store.teams().map((t) => t.teamCode)).toEqual(['CAT-PC06']);
    expect(store.byCode('CODE000004')?.teamCode).toBe('GOI-0912345678');
    store.close();
  });

  test('purge deletes sign-ups of slots that ended before the date, and cancelled ones once their day is over', async () => {
    const store = new SignupStore(path);
    take(store, 1);
    const later = (code: string, n: number) =>
      store.takePlace({
        code,
        drive: 'later',
        slot: '2027-03-01T07:00:00+07:00',
        slotEnd: '2027-03-01T08:00:00+07:00',
        capacity: 3,
        person: person(n),
        now: NOW,
      });
    later('LATERCODE0', 2);
    later('LATERCODE1', 3);
    store.cancel('LATERCODE1', person(3).phone, NOW);
    expect(await purge(store.db, new Date('2026-12-12T08:00:00+07:00'), NOW)).toBe(0);
    expect(await purge(store.db, new Date('2026-12-12T08:00:01+07:00'), NOW)).toBe(1);
    expect(store.list().map((s) => s.drive)).toEqual(['later']);
    expect(store.byCode('LATERCODE1')).toBeDefined();
    expect(await purge(store.db, new Date('2026-12-12T08:00:01+07:00'), new Date('2027-03-01T08:00:01+07:00'))).toBe(1);
    expect(store.byCode('LATERCODE1')).toBeUndefined();
    expect(store.byCode('LATERCODE0')).toBeDefined();
    store.close();
  });

  test('purged and erased data is gone from the file and its write-ahead log, not just unlinked', async () => {
    const store = new SignupStore(path);
    take(store, 1, 3, { fullName: 'Nguyễn Văn Xóa' });
    take(store, 2, 3, { fullName: 'Trần Thị Giữ' });
    const bytes = () =>
      [path, `${path}-wal`]
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('utf8'))
        .join('');
    expect(bytes()).toContain('Nguyễn Văn Xóa');
    expect(await erasePhone(store.db, person(1).phone)).toBe(1);
    expect(await erasePhone(store.db, person(1).phone)).toBe(0);
    expect(bytes()).not.toContain('Nguyễn Văn Xóa');
    expect(bytes()).not.toContain(person(1).phone);
    expect(bytes()).toContain('Trần Thị Giữ');
    store.close();
  });

  test('the database and its backups are readable by their owner only', () => {
    const store = new SignupStore(path);
    take(store, 1);
    store.backup(join(folder, 'backup', 'copy.sqlite'));
    for (const file of [path, `${path}-wal`, join(folder, 'backup', 'copy.sqlite')]) {
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    }
    store.close();
  });

  test('the form-token key is made once and kept', () => {
    const store = new SignupStore(path);
    const key = store.formTokenKey();
    expect(key).toMatch(/^[\w-]{43}$/);
    store.close();
    const reopened = new SignupStore(path);
    expect(reopened.formTokenKey()).toBe(key);
    reopened.close();
  });

  test('backup makes a consistent copy while another connection writes', () => {
    const store = new SignupStore(path);
    const writer = new SignupStore(path);
    take(writer, 1);
    store.backup(join(folder, 'backup', 'copy.sqlite'));
    take(writer, 2);
    const copy = new SignupStore(join(folder, 'backup', 'copy.sqlite'));
    expect(copy.list()).toHaveLength(1);
    expect(copy.integrityCheck()).toBe('ok');
    [store, writer, copy].forEach((s) => s.close());
  });

  test('two connections (server and command line) never overbook the last place', () => {
    const a = new SignupStore(path);
    const b = new SignupStore(path);
    const results = [1, 2, 3, 4, 5, 6].map((n) => take(n % 2 ? a : b, n).status);
    expect(results.filter((r) => r === 'created')).toHaveLength(3);
    expect(results.filter((r) => r === 'full')).toHaveLength(3);
    a.close();
    b.close();
  });
});
