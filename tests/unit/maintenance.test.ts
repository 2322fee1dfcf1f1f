import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { dailyMaintenance } from '../../src/privacy/privacy.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2027-12-20T08:00:00+07:00');
const DAY_MS = 86_400_000;
let folder: string;
let store: SignupStore;

beforeEach(() => {
  folder = temporaryFolder('maintenance-');
  store = new SignupStore(join(folder, 'signups.sqlite'));
});
afterEach(() => {
  store.close();
  removeFolder(folder);
});

const signUp = (code: string, day: string, n: number) =>
  store.takePlace({
    code,
    drive: `d-${day}`,
    slot: `${day}T07:00:00+07:00`,
    slotEnd: `${day}T08:00:00+07:00`,
    capacity: 10,
    person: { fullName: `Người ${n}`, phone: `+8491200000${n}`, birthYear: 1990, sex: 'female', weightKg: 50 },
    now: new Date(`${day}T00:00:00+07:00`),
  });

test('the daily maintenance purges sign-ups past 365 days and idempotency keys past 7 days', async () => {
  signUp('OLDCODE000', '2026-12-01', 1);
  signUp('NEWCODE000', '2027-12-19', 2);
  const desk = new ConsoleStore(store.db);
  desk.apply(
    { kind: 'arrive', drive: 'd-2027-12-19', code: 'NEWCODE000' },
    {
      actor: 'an',
      now: new Date(NOW.getTime() - 8 * DAY_MS),
      key: 'old-key-0001',
    },
  );
  desk.apply(
    { kind: 'show-phone', drive: 'd-2027-12-19', code: 'NEWCODE000' },
    {
      actor: 'an',
      now: new Date(NOW.getTime() - 6 * DAY_MS),
      key: 'new-key-0001',
    },
  );
  const keys = () =>
    (store.db.prepare('SELECT key FROM console_actions ORDER BY key').all() as { key: string }[]).map((row) => row.key);
  expect(keys()).toEqual(['an:new-key-0001', 'an:old-key-0001']);
  expect(await dailyMaintenance(store.db, NOW)).toBe(1);
  expect(store.byCode('OLDCODE000')).toBeUndefined();
  expect(store.byCode('NEWCODE000')).toBeDefined();
  expect(keys()).toEqual(['an:new-key-0001']);
});

test('purge deletes in batches: many rows, each transaction short, the same rows gone as one DELETE would', async () => {
  const insert = store.db.prepare(
    `INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg, created_at, cancelled_at)
       VALUES (?, 'd', ?, ?, 'Người Thử', ?, 1990, 'female', 50, '2026-01-01T00:00:00Z', ?)`,
  );
  store.db.transaction(() => {
    for (let i = 0; i < 6_000; i += 1) {
      const old = i % 3 !== 0;
      const day = old ? '2026-06-01' : '2027-12-25';
      insert.run(
        `C${String(i).padStart(9, '0')}`,
        `${day}T07:00:00+07:00`,
        `${day}T08:00:00+07:00`,
        `+849${String(i).padStart(8, '0')}`,
        i % 7 === 0 ? '2027-12-01T00:00:00Z' : null,
      );
    }
  });
  const writes: number[] = [];
  const deleted = await dailyMaintenance(store.db, NOW, { onWrite: (ms) => writes.push(ms) });
  expect(deleted).toBe(4_000);
  expect((store.db.prepare('SELECT count(*) AS n FROM signups').get() as { n: number }).n).toBe(2_000);
  // Many transactions, not one: the batches start at 200 rows.
  expect(writes.length).toBeGreaterThan(3);
  expect(store.integrityCheck()).toBe('ok');
  // A new file gives freed pages back a few at a time (auto_vacuum = INCREMENTAL).
  expect((store.db.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum).toBe(2);
  expect((store.db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count).toBe(0);
});
