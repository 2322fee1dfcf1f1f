/**
 * The writes a request makes besides sign-ups and desk actions (taking an
 * offered place, stopping reminders, signing in) wait for another process's
 * write lock from a timer, as busy-store.test.ts shows for a sign-up: with the
 * server's 10 ms busy timeout each of them answered "unavailable" before.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ConsoleService } from '../../src/console/console-service.ts';
import { hashPassword, verifyNothing } from '../../src/console/passwords.ts';
import { ReminderService } from '../../src/reminders/reminder-service.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { WaitlistStore, type SlotPlaces } from '../../src/signup/waitlist-store.ts';
import { HOLD_MS } from '../../src/reminder-choice/reminder-types.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { SERVER_BUSY_TIMEOUT_MS } from '../../src/store/database.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const PLACES: SlotPlaces = {
  drive: 'u-minh',
  slot: '2026-12-12T07:00:00+07:00',
  slotEnd: '2026-12-12T07:30:00+07:00',
  capacity: 1,
};
const PASSWORD = 'mật khẩu thử nghiệm dài';
const HELD_MS = 600;

let folder: string;
let path: string;
let store: SignupStore;
beforeEach(() => {
  folder = temporaryFolder('busy-writes-');
  path = join(folder, 'signups.sqlite');
  store = new SignupStore(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
});
afterEach(() => {
  store.close();
  removeFolder(folder);
});

function signUp(n: number, capacity = PLACES.capacity) {
  const result = store.takePlace({
    code: `CODE${String(n).padStart(6, '0')}`,
    ...PLACES,
    capacity,
    person: person(n),
    now: NOW,
    reminders: { email: `nguoi${n}@example.vn` },
  });
  if (result.status !== 'created') throw new Error(result.status);
  return result.signup;
}

/** Another connection, as the command line's purge would be, holds the write lock until `release` resolves. */
async function whileLocked<T>(release: Promise<unknown>, run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const other = new DatabaseSync(path);
  other.exec('BEGIN IMMEDIATE');
  void release.then(() => {
    if (other.isOpen && other.isTransaction) other.exec('COMMIT');
  });
  const started = performance.now();
  try {
    const result = await run();
    return { result, ms: performance.now() - started };
  } finally {
    if (other.isTransaction) other.exec('COMMIT');
    other.close();
  }
}

const after = (ms: number) => new Promise((done) => setTimeout(done, ms));
const reminderService = () =>
  new ReminderService({ database: () => store.db, catalog: () => undefined, now: () => NOW });

test('taking an offered place waits for the lock, then takes it', async () => {
  signUp(1);
  new WaitlistStore(store.db).join({
    code: 'WAIT000002',
    slot: PLACES,
    person: person(2),
    reminders: { email: 'cho2@example.vn' },
    now: NOW,
  });
  store.cancel('CODE000001', null, NOW);
  const [offer] = new WaitlistStore(store.db).offerFreePlaces(PLACES, NOW, new Date(NOW.getTime() + HOLD_MS));
  const token = offer?.entry.offerToken ?? '';
  const { result, ms } = await whileLocked(after(HELD_MS), () => reminderService().accept(token, '203.0.113.1'));
  // Before: { kind: 'unavailable' } after the 10 ms busy timeout.
  expect(result).toMatchObject({ kind: 'accepted', signup: { fullName: 'Người Thứ 2' } });
  expect(ms).toBeGreaterThan(HELD_MS / 2);
});

test('stopping reminders by code and phone, and by a message’s link, waits for the lock, then stops them', async () => {
  const first = signUp(1, 2);
  const second = signUp(2, 2);
  const reminders = new ReminderStore(store.db);
  const byCode = await whileLocked(after(HELD_MS), () =>
    reminderService().stop(first.code, first.phone, '203.0.113.1'),
  );
  expect(byCode.result).toBe('stopped');
  expect(byCode.ms).toBeGreaterThan(HELD_MS / 2);
  expect(reminders.contact(first.reminderContact ?? -1)?.stoppedAt).toBe(NOW.toISOString());
  const token = reminders.contact(second.reminderContact ?? -1)?.stopToken ?? '';
  const byLink = await whileLocked(after(HELD_MS), () => reminderService().stopByToken(token, '203.0.113.1'));
  expect(byLink.result).toBe('stopped');
  expect(byLink.ms).toBeGreaterThan(HELD_MS / 2);
  expect(reminders.contact(second.reminderContact ?? -1)?.stoppedAt).toBe(NOW.toISOString());
});

test(
  'signing in waits for the lock both when counting the try and when starting the session',
  { timeout: 60_000 },
  async () => {
    const service = new ConsoleService({ database: () => store.db, now: () => NOW });
    service
      .consoleStore()
      .addUser({ username: 'an', passwordHash: await hashPassword(PASSWORD), role: 'staff', drives: [] }, NOW);
    // Locked before the try is counted.
    const counting = await whileLocked(after(HELD_MS), () => service.login('an', PASSWORD, '203.0.113.1'));
    expect(counting.result).toMatchObject({ ok: true });
    expect(counting.ms).toBeGreaterThan(HELD_MS / 2);
    // Locked from just after the try is counted (login's synchronous part) until after its
    // password check: a check queued behind it ends a whole check later, whatever the machine.
    const signingIn = service.login('an', PASSWORD, '203.0.113.2');
    const checkedAfter = verifyNothing('x');
    const other = new DatabaseSync(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      void checkedAfter.then(() => other.exec('COMMIT'));
      // Before: { ok: false, reason: 'unavailable' } once the password was found right.
      expect(await signingIn).toMatchObject({ ok: true });
      expect(other.isTransaction).toBe(false);
    } finally {
      if (other.isTransaction) other.exec('COMMIT');
      other.close();
    }
  },
);

test('signing out waits for the lock, then ends every session of the account', { timeout: 60_000 }, async () => {
  const service = new ConsoleService({ database: () => store.db, now: () => NOW });
  service
    .consoleStore()
    .addUser({ username: 'an', passwordHash: await hashPassword(PASSWORD), role: 'staff', drives: [] }, NOW);
  const signedIn = await service.login('an', PASSWORD, '203.0.113.1');
  if (!signedIn.ok) throw new Error(signedIn.reason);
  const { ms } = await whileLocked(after(HELD_MS), () => service.logout(signedIn.sessionId, signedIn.account));
  // Before: 'database is locked' thrown after the 10 ms busy timeout, and the session left open.
  expect(ms).toBeGreaterThan(HELD_MS / 2);
  expect(service.account(signedIn.sessionId)).toBeNull();
});
