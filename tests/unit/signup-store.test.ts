import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SCHEMA_VERSION, SignupStore, type Person } from '../../src/signup/store.ts';

let folder: string;
let path: string;
const NOW = new Date('2026-11-26T10:00:00+07:00');
const SLOT = '2026-12-12T07:00:00+07:00';
const SLOT_END = '2026-12-12T08:00:00+07:00';

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'store-'));
  path = join(folder, 'nested', 'signups.sqlite');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const person = (n: number, extra: Partial<Person> = {}): Person => ({
  fullName: `Người ${n}`,
  phone: `+8491${String(n).padStart(7, '0')}`,
  birthYear: 1990,
  sex: 'female',
  weightKg: 50,
  ...extra,
});
const take = (store: SignupStore, n: number, capacity = 3, extra: Partial<Person> = {}, slot = SLOT) =>
  store.takePlace({
    code: `CODE${String(n).padStart(6, '0')}`,
    drive: 'gia-rai',
    slot,
    slotEnd: SLOT_END,
    capacity,
    person: person(n, extra),
    now: NOW,
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
    expect(store.takenBySlot('gia-rai').get(SLOT)).toBe(3);
    store.close();
  });

  test('the same phone for the same drive gets its sign-up back, not a second place', () => {
    const store = new SignupStore(path);
    const first = take(store, 1);
    const again = store.takePlace({
      code: 'OTHERCODE0',
      drive: 'gia-rai',
      slot: '2026-12-12T08:00:00+07:00',
      slotEnd: '2026-12-12T09:00:00+07:00',
      capacity: 3,
      person: person(1),
      now: NOW,
    });
    expect(first.status).toBe('created');
    expect(again.status).toBe('existing');
    if (again.status !== 'existing' || first.status !== 'created') throw new Error('unreachable');
    expect(again.signup.code).toBe(first.signup.code);
    expect(store.list('gia-rai')).toHaveLength(1);
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
    const store = new SignupStore(path);
    take(store, 1);
    store.close();
    // Back to version 1 by hand: drop what migration 2 added.
    const raw = new DatabaseSync(path);
    raw.exec('DROP INDEX signups_by_team; ALTER TABLE signups DROP COLUMN donated_at; PRAGMA user_version = 1;');
    raw.close();
    const upgraded = new SignupStore(path);
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION);
    expect(upgraded.list()).toHaveLength(1);
    expect(upgraded.markDonated('CODE000001', NOW)).toBe(true);
    upgraded.close();
  });

  test('refuses a file from newer code, and an unreadable path, with a message naming the file', () => {
    const raw = new DatabaseSync(path.replace('nested/', ''));
    raw.exec('PRAGMA user_version = 99');
    raw.close();
    expect(() => new SignupStore(path.replace('nested/', ''))).toThrow(/newer than this code knows/);
    expect(() => new SignupStore(folder)).toThrow(new RegExp(`Cannot open the sign-up database ${folder}`));
  });

  test('teams count sign-ups and units given, never names', () => {
    const store = new SignupStore(path);
    take(store, 1, 9, { teamCode: 'CAT-PC06' });
    take(store, 2, 9, { teamCode: 'CAT-PC06' });
    take(store, 3, 9, { teamCode: 'DOAN-TN' });
    take(store, 4, 9);
    store.markDonated('CODE000003', NOW);
    expect(store.teams()).toEqual([
      { teamCode: 'DOAN-TN', signups: 1, unitsGiven: 1 },
      { teamCode: 'CAT-PC06', signups: 2, unitsGiven: 0 },
    ]);
    store.close();
  });

  test('purge deletes sign-ups of slots that ended before the date, and nothing else', () => {
    const store = new SignupStore(path);
    take(store, 1);
    store.takePlace({
      code: 'LATERCODE0',
      drive: 'later',
      slot: '2027-03-01T07:00:00+07:00',
      slotEnd: '2027-03-01T08:00:00+07:00',
      capacity: 3,
      person: person(2),
      now: NOW,
    });
    expect(store.purge(new Date('2026-12-12T08:00:00+07:00'))).toBe(0);
    expect(store.purge(new Date('2026-12-12T08:00:01+07:00'))).toBe(1);
    expect(store.list().map((s) => s.drive)).toEqual(['later']);
    store.close();
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
