import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore, type Person } from '../../src/signup/store.ts';
import { SERVER_BUSY_TIMEOUT_MS } from '../../src/store/database.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { ConsoleStore, LOCK_AFTER_FAILURES, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/console/console-store.ts';
import { deskStatus } from '../../src/console/desk-status.ts';
import type { DeskAction } from '../../src/console/desk-actions.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-12-05T08:00:00+07:00');
const DRIVE = 'phuong-an-xuyen';
const OTHER = 'gia-rai';
const SLOT = { id: '2026-12-05T07:00:00+07:00', end: '2026-12-05T07:30:00+07:00' };

let folder: string;
let signups: SignupStore;
let desk: ConsoleStore;

beforeEach(() => {
  folder = temporaryFolder('console-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  desk = new ConsoleStore(signups.db);
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

/** A sign-up with code CODE00000n (digits and letters of the code alphabet). */
function signUp(n: number, drive = DRIVE, extra: Partial<Person> = {}): string {
  const code = `CODE${String(n).padStart(6, '0')}`;
  signups.takePlace({
    code,
    drive,
    slot: SLOT.id,
    slotEnd: SLOT.end,
    capacity: 100,
    person: person(n, extra),
    now: NOW,
  });
  return code;
}

const act = (action: DeskAction, key?: string, actor = 'thu.ha') => desk.apply(action, { actor, now: NOW, key });
const status = (code: string) => {
  const record = signups.byCode(code);
  if (!record) throw new Error(`no sign-up ${code}`);
  return deskStatus(record);
};

describe('accounts and sessions', () => {
  test('an account has a role and drives; a duplicate name is refused', () => {
    desk.addUser({ username: 'an', passwordHash: 'h', role: 'staff', drives: [DRIVE, OTHER] }, NOW);
    expect(desk.findUser('an')).toMatchObject({ username: 'an', role: 'staff', drives: [OTHER, DRIVE] });
    expect(() => desk.addUser({ username: 'an', passwordHash: 'h', role: 'admin', drives: [] }, NOW)).toThrow(
      /already an account "an"/,
    );
    expect(desk.listUsers().map((u) => u.username)).toEqual(['an']);
  });

  test('sessions end after 8 idle hours and 24 hours in all, and at logout or a new password', () => {
    desk.addUser({ username: 'an', passwordHash: 'h', role: 'staff', drives: [DRIVE] }, NOW);
    const { id } = desk.findUser('an') ?? { id: 0 };
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    desk.startSession(id, 'idle', NOW);
    expect(desk.sessionAccount('idle', at(SESSION_IDLE_MS - 1000))?.username).toBe('an');
    expect(desk.sessionAccount('idle', at(2 * SESSION_IDLE_MS))).toBeNull();
    // Used every few hours, a session still ends 24 hours after login.
    desk.startSession(id, 'busy', NOW);
    for (let hours = 4; hours < 24; hours += 4)
      expect(desk.sessionAccount('busy', at(hours * 3_600_000))).not.toBeNull();
    expect(desk.sessionAccount('busy', at(SESSION_MAX_MS + 1000))).toBeNull();
    desk.startSession(id, 'a', NOW);
    desk.startSession(id, 'b', NOW);
    expect(desk.setPassword('an', 'new-hash')).toBe(true);
    expect(desk.sessionAccount('a', NOW)).toBeNull();
    expect(desk.sessionAccount('b', NOW)).toBeNull();
    desk.startSession(id, 'c', NOW);
    desk.endSessions(id);
    expect(desk.sessionAccount('c', NOW)).toBeNull();
    desk.startSession(id, 'd', NOW);
    expect(desk.removeUser('an')).toBe(true);
    expect(desk.sessionAccount('d', NOW)).toBeNull();
  });

  test(`${LOCK_AFTER_FAILURES} tries in a row from one address may be checked, the next locks it out for that address only`, () => {
    desk.addUser({ username: 'an', passwordHash: 'h', role: 'staff', drives: [DRIVE] }, NOW);
    const { id } = desk.findUser('an') ?? { id: 0 };
    for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1) expect(desk.loginTry(id, '203.0.113.9', NOW)).toBeNull();
    // A right password after them resets the count, and starts the session.
    expect(desk.loginSucceeded(id, '203.0.113.9', 's1', NOW)).toBe(true);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1) expect(desk.loginTry(id, '203.0.113.9', NOW)).toBeNull();
    const until = desk.loginTry(id, '203.0.113.9', NOW);
    expect(until && Date.parse(until) - NOW.getTime()).toBe(15 * 60_000);
    // Counted before the check: a right password checked meanwhile gets no session.
    expect(desk.loginSucceeded(id, '203.0.113.9', 's2', NOW)).toBe(false);
    expect(desk.sessionAccount('s2', NOW)).toBeNull();
    expect(desk.loginTry(id, '203.0.113.9', new Date(NOW.getTime() + 60_000))).toBe(until);
    // The desk, on another address, is not locked out.
    expect(desk.loginTry(id, '198.51.100.4', NOW)).toBeNull();
    expect(desk.loginSucceeded(id, '198.51.100.4', 's3', NOW)).toBe(true);
    // After 15 minutes a fresh count; a new password lifts every lock of the account.
    const later = new Date(NOW.getTime() + 15 * 60_000 + 1);
    expect(desk.loginTry(id, '203.0.113.9', later)).toBeNull();
    for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1) desk.loginTry(id, '203.0.113.9', later);
    expect(desk.loginTry(id, '203.0.113.9', later)).not.toBeNull();
    desk.setPassword('an', 'h2');
    expect(desk.loginTry(id, '203.0.113.9', later)).toBeNull();
  });
});

describe('the desk', () => {
  test('check-in twice is harmless; another drive and a cancelled sign-up say so', () => {
    const code = signUp(1);
    const elsewhere = signUp(2, OTHER);
    const cancelled = signUp(3);
    signups.cancel(cancelled, null, NOW);
    expect(act({ kind: 'arrive', drive: DRIVE, code })).toEqual({ ok: true, done: 'arrive', code });
    expect(act({ kind: 'arrive', drive: DRIVE, code })).toEqual({ ok: true, done: 'arrive', code, already: true });
    expect(status(code)).toBe('arrived');
    expect(act({ kind: 'arrive', drive: DRIVE, code: elsewhere })).toEqual({
      ok: false,
      problem: 'other-drive',
      otherDrive: OTHER,
    });
    expect(act({ kind: 'arrive', drive: DRIVE, code: cancelled })).toMatchObject({ ok: false, problem: 'cancelled' });
    expect(act({ kind: 'arrive', drive: DRIVE, code: 'ZZZZZZZZZZ' })).toEqual({ ok: false, problem: 'not-found' });
    expect(status(elsewhere)).toBe('signed-up');
  });

  test('the same key sent again with the same action changes nothing and answers the same', () => {
    const code = signUp(1);
    const first = act({ kind: 'gave', drive: DRIVE, code, volumeMl: 350, returnAfter: '2027-02-27' }, 'key-000001');
    // The date to come back is the server's, not what was asked: a replay on another day still matches.
    const again = act({ kind: 'gave', drive: DRIVE, code, volumeMl: 350, returnAfter: '2027-02-28' }, 'key-000001');
    expect(again).toEqual({ ...first, replayed: true });
    expect(signups.byCode(code)?.desk.volumeMl).toBe(350);
    expect(desk.auditOf(DRIVE)).toHaveLength(1);
    // Keys are each account's own: another organiser's same key is another action.
    expect(act({ kind: 'arrive', drive: DRIVE, code: signUp(2) }, 'key-000001', 'an')).toMatchObject({ ok: true });
  });

  test('a key sent again with another action is refused and that action is not done', () => {
    const code = signUp(1);
    const other = signUp(2);
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 350, returnAfter: '2027-02-27' }, 'key-000002');
    const reused: DeskAction[] = [
      { kind: 'gave', drive: DRIVE, code, volumeMl: 450, returnAfter: '2027-02-27' },
      { kind: 'arrive', drive: DRIVE, code: other },
      { kind: 'gave', drive: OTHER, code, volumeMl: 350, returnAfter: '2027-02-27' },
      { kind: 'undo', drive: DRIVE },
      { kind: 'no-show-all', drive: DRIVE },
    ];
    for (const action of reused) expect(act(action, 'key-000002')).toEqual({ ok: false, problem: 'key-reused' });
    expect(signups.byCode(code)?.desk).toMatchObject({ outcome: 'gave', volumeMl: 350 });
    expect(status(other)).toBe('signed-up');
    expect(desk.auditOf(DRIVE)).toHaveLength(1);
  });

  test('keys are kept 7 days, then purged: the same key then does the action again', async () => {
    const code = signUp(1);
    act({ kind: 'arrive', drive: DRIVE, code }, 'key-000003');
    const db = signups.db;
    const keys = () => (db.prepare('SELECT count(*) AS n FROM console_actions').get() as { n: number }).n;
    await desk.purgeActionKeys(new Date(NOW.getTime() + 7 * 86_400_000 - 1000));
    expect(keys()).toBe(1);
    await desk.purgeActionKeys(new Date(NOW.getTime() + 7 * 86_400_000 + 1000));
    expect(keys()).toBe(0);
  });

  test('the first key cleanup deletes in batches of 500, waiting while another connection writes', async () => {
    const db = signups.db;
    const insert = db.prepare('INSERT INTO console_actions (key, at, answer) VALUES (?, ?, ?)');
    signups.db.transaction(() => {
      for (let i = 0; i < 1_250; i += 1) insert.run(`an:old-${i}`, '2026-01-01T00:00:00.000Z', '{"ok":true}');
      insert.run('an:new-1', NOW.toISOString(), '{"ok":true}');
    });
    // Another connection holds the write lock a moment: the cleanup waits from a timer, it does not fail.
    const other = new DatabaseSync(join(folder, 'signups.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 60);
    // The server's own connection waits only SERVER_BUSY_TIMEOUT_MS on its thread (store.ts).
    const server = new SignupStore(join(folder, 'signups.sqlite'), { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
    const batches: number[] = [];
    // On the base this was one DELETE of all 1,250, run synchronously (a number, not a promise).
    const purged = new ConsoleStore(server.db).purgeActionKeys(NOW, { onBatch: (n) => batches.push(n) });
    expect(purged).toBeInstanceOf(Promise);
    expect(await purged).toBe(1_250);
    other.close();
    server.close();
    expect(batches).toEqual([500, 500, 250]);
    expect(db.prepare('SELECT key FROM console_actions').all()).toEqual([{ key: 'an:new-1' }]);
  });

  test('gave records volume, the date to come back and the team count; the volume must fit the weight', () => {
    const code = signUp(1, DRIVE, { teamCode: 'CAT-PC06' });
    const light = signUp(2, DRIVE, { weightKg: 43 });
    signups.addTeam({ code: 'CAT-PC06', name: 'Phòng PC06' }, NOW);
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 450, returnAfter: '2027-02-27' });
    expect(signups.byCode(code)).toMatchObject({
      donatedAt: NOW.toISOString(),
      desk: { outcome: 'gave', volumeMl: 450, arrivedAt: NOW.toISOString(), returnAfter: '2027-02-27' },
    });
    expect(signups.teams()).toEqual([{ teamCode: 'CAT-PC06', name: 'Phòng PC06', signups: 1, unitsGiven: 1 }]);
    expect(act({ kind: 'gave', drive: DRIVE, code: light, volumeMl: 350, returnAfter: '2027-02-27' })).toMatchObject({
      ok: false,
      problem: 'invalid',
      errors: { volume: expect.stringContaining('250 ml') as unknown },
    });
    expect(status(light)).toBe('signed-up');
  });

  test('deferred keeps the reason, the kind and the date; a later gift clears them', () => {
    const code = signUp(1);
    act({
      kind: 'defer',
      drive: DRIVE,
      code,
      reason: 'haemoglobin',
      deferralKind: 'temporary',
      returnAfter: '2027-01-05',
    });
    expect(signups.byCode(code)?.desk).toMatchObject({
      outcome: 'deferred',
      deferralReason: 'haemoglobin',
      deferralKind: 'temporary',
      returnAfter: '2027-01-05',
    });
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 250, returnAfter: '2027-02-27' });
    expect(signups.byCode(code)?.desk).toMatchObject({ outcome: 'gave', deferralReason: null, deferralKind: null });
  });

  test('no-show for all marks only who did not come, and undo takes it back', () => {
    const came = signUp(1);
    const away = [signUp(2), signUp(3)];
    act({ kind: 'arrive', drive: DRIVE, code: came });
    signUp(4, OTHER);
    expect(act({ kind: 'no-show-all', drive: DRIVE })).toEqual({ ok: true, done: 'no-show-all', count: 2 });
    expect(away.map(status)).toEqual(['no-show', 'no-show']);
    expect(status(came)).toBe('arrived');
    expect(desk.figures(DRIVE).get(SLOT.id)).toMatchObject({ signedUp: 3, arrived: 1, noShow: 2 });
    expect(act({ kind: 'undo', drive: DRIVE })).toMatchObject({ ok: true, done: 'undo', undid: 'no-show-all' });
    expect(away.map(status)).toEqual(['signed-up', 'signed-up']);
  });

  test('undo takes back this organiser’s last change only, one at a time', () => {
    const code = signUp(1);
    act({ kind: 'arrive', drive: DRIVE, code });
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 350, returnAfter: '2027-02-27' });
    act({ kind: 'arrive', drive: DRIVE, code: signUp(2) }, undefined, 'an');
    expect(act({ kind: 'undo', drive: DRIVE })).toMatchObject({ ok: true, undid: 'gave', code });
    expect(signups.byCode(code)).toMatchObject({ donatedAt: null, desk: { outcome: null, volumeMl: null } });
    expect(status(code)).toBe('arrived');
    expect(act({ kind: 'undo', drive: DRIVE })).toMatchObject({ ok: true, undid: 'arrive' });
    expect(status(code)).toBe('signed-up');
    expect(act({ kind: 'undo', drive: DRIVE })).toEqual({ ok: false, problem: 'nothing-to-undo' });
    expect(status(`CODE${String(2).padStart(6, '0')}`)).toBe('arrived');
  });

  test('undo takes back only what is still as it was left: a colleague’s gift since stays, and undo says who', () => {
    const code = signUp(1);
    act({ kind: 'arrive', drive: DRIVE, code }, undefined, 'a.staff');
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 350, returnAfter: '2027-02-27' }, undefined, 'b.staff');
    expect(act({ kind: 'undo', drive: DRIVE }, undefined, 'a.staff')).toEqual({
      ok: false,
      problem: 'changed-since',
      code,
      changedBy: 'b.staff',
      changedTo: 'gave',
      changedAt: NOW.toISOString(),
    });
    expect(signups.byCode(code)?.desk).toMatchObject({ outcome: 'gave', volumeMl: 350 });
    expect(desk.figures(DRIVE).get(SLOT.id)).toMatchObject({ gave: 1, units: 1 });
    // The log and the row agree: nothing marked undone, no undo entry.
    expect(desk.auditOf(DRIVE).map((e) => [e.actor, e.action, e.undoneAt])).toEqual([
      ['b.staff', 'gave', null],
      ['a.staff', 'arrive', null],
    ]);
    // Once B takes the gift back, the person is as A left them, and A's undo goes through.
    expect(act({ kind: 'undo', drive: DRIVE }, undefined, 'b.staff')).toMatchObject({ ok: true, undid: 'gave' });
    expect(act({ kind: 'undo', drive: DRIVE }, undefined, 'a.staff')).toMatchObject({ ok: true, undid: 'arrive' });
    expect(status(code)).toBe('signed-up');
  });

  test('undo of a walk-in a colleague has recorded a gift for is refused; a cancellation since is too', () => {
    const walkIn = act(
      {
        kind: 'walk-in',
        drive: DRIVE,
        slot: SLOT.id,
        slotEnd: SLOT.end,
        capacity: 10,
        person: person(20),
        allowOver: false,
      },
      undefined,
      'a.staff',
    );
    const code = (walkIn.ok && walkIn.code) || '';
    act({ kind: 'gave', drive: DRIVE, code, volumeMl: 250, returnAfter: '2027-02-27' }, undefined, 'b.staff');
    expect(act({ kind: 'undo', drive: DRIVE }, undefined, 'a.staff')).toMatchObject({
      ok: false,
      problem: 'changed-since',
      changedBy: 'b.staff',
      changedTo: 'gave',
    });
    expect(status(code)).toBe('gave');
    // Cancelled on the public site: no audit entry says who, the answer still refuses.
    const other = signUp(2);
    act({ kind: 'arrive', drive: DRIVE, code: other }, undefined, 'c.staff');
    signups.cancel(other, null, NOW);
    expect(act({ kind: 'undo', drive: DRIVE }, undefined, 'c.staff')).toEqual({
      ok: false,
      problem: 'changed-since',
      code: other,
    });
    expect(signups.byCode(other)?.cancelledAt).not.toBeNull();
  });

  test('walk-ins count against the slot; going over needs the organiser’s say and is recorded', () => {
    const walkIn = (allowOver: boolean, n: number) =>
      act({
        kind: 'walk-in',
        drive: DRIVE,
        slot: SLOT.id,
        slotEnd: SLOT.end,
        capacity: 2,
        person: person(n),
        allowOver,
      });
    signUp(1);
    const first = walkIn(false, 10);
    expect(first).toMatchObject({ ok: true, done: 'walk-in', overCapacity: false });
    expect(walkIn(false, 11)).toEqual({ ok: false, problem: 'full' });
    const over = walkIn(true, 12);
    expect(over).toMatchObject({ ok: true, overCapacity: true });
    const record = signups.byCode((over.ok && over.code) || '');
    expect(record?.desk).toMatchObject({ walkIn: true, overCapacity: true, arrivedAt: NOW.toISOString() });
    expect(desk.figures(DRIVE).get(SLOT.id)).toMatchObject({ signedUp: 1, walkIns: 2, arrived: 2 });
    expect(act({ kind: 'undo', drive: DRIVE })).toMatchObject({ ok: true, undid: 'walk-in' });
    expect(status(record?.code ?? '')).toBe('cancelled');
  });

  test('the audit log says who, when and what, before and after, with no name or phone', () => {
    const code = signUp(1);
    act({ kind: 'arrive', drive: DRIVE, code });
    act({ kind: 'show-phone', drive: DRIVE, code });
    act({ kind: 'publish', drive: DRIVE, units: 212 });
    const entries = desk.auditOf(DRIVE);
    expect(entries.map((e) => [e.actor, e.action, e.code])).toEqual([
      ['thu.ha', 'publish', null],
      ['thu.ha', 'show-phone', code],
      ['thu.ha', 'arrive', code],
    ]);
    const arrive = entries[2];
    expect(JSON.parse(arrive?.before ?? '{}')).toMatchObject({ arrived_at: null });
    expect(JSON.parse(arrive?.after ?? '{}')).toMatchObject({ arrived_at: NOW.toISOString() });
    const text = JSON.stringify(entries);
    expect(text).not.toContain('Người Thứ');
    expect(text).not.toContain('912');
    expect(desk.publishedResults()).toEqual([{ drive: DRIVE, units: 212 }]);
  });

  test('live changes: the statuses changed since a version, every status after a change to many', () => {
    const [a, b, c] = [signUp(1), signUp(2), signUp(3)];
    const start = desk.version(DRIVE);
    act({ kind: 'arrive', drive: DRIVE, code: a });
    const first = desk.changesSince(DRIVE, start);
    expect(first.statuses).toEqual([[a, 'arrived']]);
    expect(desk.changesSince(DRIVE, first.version)).toEqual({ version: first.version, statuses: [] });
    act({ kind: 'no-show-all', drive: DRIVE });
    expect(new Map(desk.changesSince(DRIVE, first.version).statuses)).toEqual(
      new Map([
        [a, 'arrived'],
        [b, 'no-show'],
        [c, 'no-show'],
      ]),
    );
  });

  test('a database from before the console gets the desk columns; earlier gifts count as gave', () => {
    const path = join(folder, 'old.sqlite');
    const raw = new DatabaseSync(path);
    raw.exec(`${MIGRATIONS.slice(0, 3).join(';')}; PRAGMA user_version = 3;`);
    raw
      .prepare(
        `INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg, created_at, donated_at)
         VALUES ('CODE000001', ?, ?, ?, 'Người 1', '+84910000001', 1990, 'female', 50, ?, ?)`,
      )
      .run(DRIVE, SLOT.id, SLOT.end, NOW.toISOString(), NOW.toISOString());
    raw.close();
    const upgraded = new SignupStore(path);
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION);
    expect(upgraded.byCode('CODE000001')?.desk.outcome).toBe('gave');
    expect(new ConsoleStore(upgraded.db).publishedResults()).toEqual([]);
    upgraded.close();
  });
});
