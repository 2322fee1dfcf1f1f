/**
 * The reminders' data (migration 5): contacts with their channels and stop
 * token, the outbox and its dedupe key, the sender's lease, the waitlist
 * with its holds, and holds counted as places taken.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore } from '../../src/signup/store.ts';
import { purge, erasePhone } from '../../src/privacy/privacy.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { liveChannels, ReminderStore, safeError } from '../../src/reminders/reminder-store.ts';
import { ACCEPTED_LINK_SHOWS_MS, WaitlistStore, type SlotPlaces } from '../../src/signup/waitlist-store.ts';
import { HOLD_MS } from '../../src/reminder-choice/reminder-types.ts';
import { slotReminders } from '../../src/reminders/schedule.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const DRIVE = 'u-minh';
const SLOT = '2026-12-12T07:00:00+07:00';
const SLOT_END = '2026-12-12T07:30:00+07:00';
const PLACES: SlotPlaces = { drive: DRIVE, slot: SLOT, slotEnd: SLOT_END, capacity: 2 };
const PUSH = JSON.stringify({ endpoint: 'https://push.example/abc', keys: { p256dh: 'p', auth: 'a' } });

let folder: string;
let signups: SignupStore;
let reminders: ReminderStore;
let waitlist: WaitlistStore;

beforeEach(() => {
  folder = temporaryFolder('reminders-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  reminders = new ReminderStore(signups.db);
  waitlist = new WaitlistStore(signups.db);
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

const code = (n: number) => `CODE${String(n).padStart(6, '0')}`;

function signUp(n: number, withReminders = true, now = NOW) {
  const result = signups.takePlace({
    code: code(n),
    drive: DRIVE,
    slot: SLOT,
    slotEnd: SLOT_END,
    capacity: PLACES.capacity,
    person: person(n),
    now,
    reminders: withReminders ? { email: `nguoi${n}@example.vn`, push: PUSH } : undefined,
  });
  return result;
}

function join_(n: number, now = NOW) {
  return waitlist.join({
    code: `WAIT${String(n).padStart(6, '0')}`,
    slot: PLACES,
    person: person(n),
    reminders: { email: `cho${n}@example.vn` },
    now,
  });
}

const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('contacts', () => {
  test('a sign-up keeps the reminders chosen, with a stop token of its own', () => {
    const result = signUp(1);
    if (result.status !== 'created') throw new Error(result.status);
    const contact = reminders.contact(result.signup.reminderContact ?? -1);
    expect(contact).toMatchObject({ email: 'nguoi1@example.vn', push: PUSH, webhook: false, stoppedAt: null });
    expect(contact?.stopToken).toMatch(/^[\w-]{22}$/);
    expect(contact && liveChannels(contact)).toEqual(['email', 'push']);
    expect(reminders.contactByStopToken(contact?.stopToken ?? '')?.id).toBe(contact?.id);
    const without = signUp(2, false);
    expect(without.status === 'created' && without.signup.reminderContact).toBe(null);
  });

  test('stopping deletes the addresses, drops what was not sent and gives up a place waited for', () => {
    const result = signUp(1);
    if (result.status !== 'created') throw new Error(result.status);
    const id = result.signup.reminderContact ?? -1;
    reminders.enqueue(
      slotReminders({ code: code(1), drive: DRIVE, slot: SLOT, createdAt: NOW.toISOString(), contact: id }),
      NOW,
    );
    expect(reminders.stop(id, NOW)).toBe(true);
    expect(reminders.stop(id, NOW)).toBe(false);
    const contact = reminders.contact(id);
    expect(contact).toMatchObject({ email: null, push: null, stoppedAt: NOW.toISOString() });
    expect(contact && liveChannels(contact)).toEqual([]);
    expect(reminders.counts().every((row) => row.state === 'dropped')).toBe(true);
    expect(reminders.nextDue(later(30 * 86_400_000))).toBeUndefined();
  });

  test('a channel that failed for good is not used again; the others go on', () => {
    const result = signUp(1);
    if (result.status !== 'created') throw new Error(result.status);
    const id = result.signup.reminderContact ?? -1;
    reminders.enqueue(
      slotReminders({ code: code(1), drive: DRIVE, slot: SLOT, createdAt: NOW.toISOString(), contact: id }),
      NOW,
    );
    reminders.endChannel(id, 'push', NOW, 'push service answered 410');
    const contact = reminders.contact(id);
    expect(contact?.push).toBeNull();
    expect(contact?.ended.push).toBe(NOW.toISOString());
    expect(contact && liveChannels(contact)).toEqual(['email']);
    const states = reminders.counts().map((r) => `${r.channel}:${r.state}:${r.count}`);
    expect(states.sort()).toEqual(['email:pending:1', 'email:pending:1', 'push:dropped:1', 'push:dropped:1'].sort());
  });

  test('errors are kept without the addresses or numbers a server wrote into them', () => {
    expect(safeError('550 5.1.1 <nguoi1@example.vn>: Recipient address rejected')).toBe(
      '550 5.1.1 <…@…>: Recipient address rejected',
    );
    expect(safeError('gateway: +84 912 345 678 unreachable')).toBe('gateway: … unreachable');
  });
});

describe('the outbox', () => {
  test('a message is put in once per channel however often it is planned', () => {
    const result = signUp(1);
    if (result.status !== 'created') throw new Error(result.status);
    const planned = slotReminders({
      code: code(1),
      drive: DRIVE,
      slot: SLOT,
      createdAt: NOW.toISOString(),
      contact: result.signup.reminderContact ?? -1,
    });
    expect(planned.map((m) => m.kind)).toEqual(['evening', 'soon']);
    expect(reminders.enqueue(planned, NOW)).toBe(4);
    expect(reminders.enqueue(planned, NOW)).toBe(0);
    expect(reminders.dueCount(new Date('2026-12-11T17:59:59+07:00'))).toBe(0);
    expect(reminders.dueCount(new Date('2026-12-11T18:00:00+07:00'))).toBe(2);
    const due = reminders.nextDue(new Date('2026-12-11T18:00:00+07:00'));
    expect(due).toMatchObject({ kind: 'evening', channel: 'email', drive: DRIVE, attempts: 0 });
    expect(due?.signup).toMatchObject({ code: code(1), slot: SLOT, cancelledAt: null });
    expect(due?.contact.email).toBe('nguoi1@example.vn');
  });

  test('sent, retried and dropped rows leave the queue as they should', () => {
    const result = signUp(1);
    if (result.status !== 'created') throw new Error(result.status);
    reminders.enqueue(
      slotReminders({
        code: code(1),
        drive: DRIVE,
        slot: SLOT,
        createdAt: NOW.toISOString(),
        contact: result.signup.reminderContact ?? -1,
      }),
      NOW,
    );
    const at = new Date('2026-12-12T05:00:00+07:00');
    const first = reminders.nextDue(at);
    if (!first) throw new Error('nothing due');
    reminders.markSent(first.id, at);
    const second = reminders.nextDue(at);
    if (!second) throw new Error('nothing due');
    expect(second.id).not.toBe(first.id);
    reminders.markRetry(second.id, new Date(at.getTime() + 60_000), 'ECONNREFUSED');
    const third = reminders.nextDue(at);
    if (!third) throw new Error('nothing due');
    reminders.markDone(third.id, 'dropped', 'too late', false);
    const fourth = reminders.nextDue(at);
    if (!fourth) throw new Error('nothing due');
    reminders.markDone(fourth.id, 'failed', 'rejected', true);
    expect(reminders.nextDue(at)).toBeUndefined();
    expect(reminders.nextDue(new Date(at.getTime() + 60_000))?.id).toBe(second.id);
    expect(reminders.nextDue(new Date(at.getTime() + 60_000))?.attempts).toBe(1);
  });
});

describe('the lease', () => {
  test('one holder at a time until it ends, is released, or its process is gone', () => {
    expect(reminders.acquireLease('a', NOW, 60_000)).toBe(true);
    expect(reminders.acquireLease('b', later(59_000), 60_000)).toBe(false);
    expect(reminders.acquireLease('a', later(59_000), 60_000)).toBe(true);
    expect(reminders.leaseHolder()?.holder).toBe('a');
    expect(reminders.acquireLease('b', later(120_000), 60_000)).toBe(true);
    reminders.releaseLease('a');
    expect(reminders.leaseHolder()?.holder).toBe('b');
    reminders.releaseLease('b');
    expect(reminders.leaseHolder()).toBeUndefined();
    expect(reminders.acquireLease('c', NOW)).toBe(true);
    expect(reminders.acquireLease('d', NOW, 60_000, (holder) => holder === 'c')).toBe(true);
  });

  test('two connections to one file agree on one holder', () => {
    const other = new SignupStore(join(folder, 'signups.sqlite'));
    try {
      const mine = new ReminderStore(other.db);
      expect(reminders.acquireLease('server-1', NOW)).toBe(true);
      expect(mine.acquireLease('server-2', NOW)).toBe(false);
    } finally {
      other.close();
    }
  });
});

describe('the waitlist and its holds', () => {
  test('a full slot takes people waiting, in order; a slot with places sends them to sign up', () => {
    expect(join_(1).status).toBe('has-places');
    signUp(1);
    signUp(2);
    const first = join_(3);
    const second = join_(4);
    expect(first).toMatchObject({ status: 'joined', position: 1 });
    expect(second).toMatchObject({ status: 'joined', position: 2 });
    expect(waitlist.slotsWithWaiting()).toEqual([{ drive: DRIVE, slot: SLOT, slotEnd: SLOT_END }]);
  });

  test('a freed place is offered to the first person and counted as taken while held', () => {
    signUp(1);
    signUp(2);
    join_(3);
    join_(4);
    expect(waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS))).toEqual([]);
    expect(signups.cancel(code(1), null, NOW)).toBe(true);
    const offers = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS));
    expect(offers.map((o) => o.entry.code)).toEqual(['WAIT000003']);
    expect(offers[0]?.entry.offerToken).toMatch(/^[\w-]{22}$/);
    // Places left count the hold: still full for everyone else.
    expect(signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], NOW).get(SLOT)).toBe(2);
    expect(signUp(5).status).toBe('full');
    // Offering again finds no free place.
    expect(waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS))).toEqual([]);
    // Once the hold has ended the place is free again.
    expect(signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], later(HOLD_MS)).get(SLOT)).toBe(1);
  });

  test('accepting takes the held place with a code and the same reminders; a second tap gets the same', () => {
    signUp(1);
    signUp(2);
    join_(3);
    signups.cancel(code(1), null, NOW);
    const [offer] = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS));
    const token = offer?.entry.offerToken ?? '';
    const accepted = waitlist.accept({ token, code: 'ACPT000001', now: later(60_000) });
    if (accepted.status !== 'accepted') throw new Error(accepted.status);
    expect(accepted.signup).toMatchObject({ code: 'ACPT000001', slot: SLOT, fullName: 'Người Thứ 3' });
    expect(accepted.signup.reminderContact).toBe(offer?.entry.contact);
    expect(accepted.entry.state).toBe('accepted');
    expect(waitlist.accept({ token, code: 'ACPT000002', now: later(120_000) })).toMatchObject({
      status: 'already',
      signup: { code: 'ACPT000001' },
    });
    expect(signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], later(60_000)).get(SLOT)).toBe(2);
    expect(waitlist.accept({ token: 'nothing', code: 'ACPT000003', now: NOW })).toEqual({ status: 'unknown' });
  });

  test('an accepted offer’s link shows its code only for a second tap soon after: not later, not once cancelled', () => {
    signUp(1);
    signUp(2);
    join_(3);
    signups.cancel(code(1), null, NOW);
    const [offer] = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS));
    const token = offer?.entry.offerToken ?? '';
    expect(waitlist.accept({ token, code: 'ACPT000001', now: NOW }).status).toBe('accepted');
    expect(waitlist.accept({ token, code: 'ACPT000002', now: later(ACCEPTED_LINK_SHOWS_MS - 1) }).status).toBe(
      'already',
    );
    // On the base commit the link gave the same code for ever (status 'already').
    const afterwards = waitlist.accept({ token, code: 'ACPT000003', now: later(ACCEPTED_LINK_SHOWS_MS) });
    expect(afterwards).toMatchObject({ status: 'expired', entry: { state: 'accepted' } });
    expect(afterwards).not.toHaveProperty('signup');
    // Cancelled, even a prompt second tap shows nothing.
    expect(signups.cancel('ACPT000001', null, later(1_000))).toBe(true);
    expect(waitlist.accept({ token, code: 'ACPT000004', now: later(2_000) }).status).toBe('expired');
  });

  test('a hold that ends unanswered goes to the next person waiting', () => {
    signUp(1);
    signUp(2);
    join_(3);
    join_(4);
    signups.cancel(code(1), null, NOW);
    const [offer] = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS));
    expect(waitlist.expireHolds(later(HOLD_MS - 1))).toEqual([]);
    expect(waitlist.expireHolds(later(HOLD_MS))).toEqual([{ drive: DRIVE, slot: SLOT, slotEnd: SLOT_END }]);
    expect(
      waitlist.accept({ token: offer?.entry.offerToken ?? '', code: 'ACPT000001', now: later(HOLD_MS) }).status,
    ).toBe('expired');
    const [next] = waitlist.offerFreePlaces(PLACES, later(HOLD_MS), later(2 * HOLD_MS));
    expect(next?.entry.code).toBe('WAIT000004');
  });

  test('a place freed while people wait is theirs: the public form finds the slot full until it is offered', () => {
    signUp(1);
    signUp(2);
    join_(3);
    signups.cancel(code(1), null, NOW);
    const publicTaken = () =>
      signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], NOW, { waitingGoFirst: true }).get(SLOT);
    // One place is free, and one person waits for it.
    expect(signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], NOW).get(SLOT)).toBe(1);
    expect(publicTaken()).toBe(2);
    const stranger = signups.takePlace({
      code: code(9),
      drive: DRIVE,
      slot: SLOT,
      slotEnd: SLOT_END,
      capacity: PLACES.capacity,
      person: person(9),
      now: NOW,
      waitingGoFirst: true,
    });
    expect(stranger.status).toBe('full');
    expect(waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS)).map((o) => o.entry.code)).toEqual(['WAIT000003']);
    expect(publicTaken()).toBe(2);
  });

  test('someone who can no longer be told is passed over, their entry closed', () => {
    signUp(1);
    signUp(2);
    join_(3);
    join_(4);
    signups.cancel(code(1), null, NOW);
    const first = waitlist.byCode('WAIT000003');
    const offers = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS), (contact) => contact !== first?.contact);
    expect(offers.map((o) => o.entry.code)).toEqual(['WAIT000004']);
    expect(waitlist.byCode('WAIT000003')?.state).toBe('closed');
  });

  test('one phone joining twice is held one place at most; someone already signed up is passed over', () => {
    signUp(1);
    signUp(2);
    join_(3);
    const again = waitlist.join({
      code: 'WAIT000033',
      slot: PLACES,
      person: person(3),
      reminders: { email: 'cho3@example.vn' },
      now: NOW,
    });
    expect(again.status).toBe('joined');
    join_(4);
    signups.cancel(code(1), null, NOW);
    signups.cancel(code(2), null, NOW);
    const offers = waitlist.offerFreePlaces(PLACES, NOW, later(HOLD_MS));
    expect(offers.map((o) => o.entry.code)).toEqual(['WAIT000003', 'WAIT000004']);
    expect(waitlist.byCode('WAIT000033')?.state).toBe('closed');
  });

  test('too close to the slot for an offer: its waiting entries close and its places are anyone’s', () => {
    signUp(1);
    signUp(2);
    join_(3);
    signups.cancel(code(1), null, NOW);
    expect(waitlist.closeWaiting({ drive: DRIVE, slot: SLOT })).toBe(1);
    expect(signups.takenBySlot(DRIVE, [{ id: SLOT, end: SLOT_END }], NOW, { waitingGoFirst: true }).get(SLOT)).toBe(1);
  });

  test('the same waitlist form sent twice puts one person on once; for someone else it is refused', () => {
    signUp(1);
    signUp(2);
    const input = (n: number) => ({
      code: `WAIT${String(n).padStart(6, '0')}`,
      slot: PLACES,
      person: person(n),
      reminders: { webhook: true },
      now: NOW,
      formNonce: 'nonce-1',
    });
    expect(waitlist.join(input(3)).status).toBe('joined');
    expect(waitlist.join(input(3)).status).toBe('replayed');
    expect(waitlist.join(input(4)).status).toBe('used-form');
  });
});

describe('personal data', () => {
  test('erasing a phone deletes its waitlist entries and reminder addresses too, from the file', async () => {
    signUp(1);
    signUp(2);
    join_(3);
    expect(await erasePhone(signups.db, person(1).phone)).toBe(1);
    expect(await erasePhone(signups.db, person(3).phone)).toBe(0);
    expect(waitlist.byCode('WAIT000003')).toBeUndefined();
    signups.close();
    const bytes = readFileSync(join(folder, 'signups.sqlite')).toString('latin1');
    expect(bytes).not.toContain('nguoi1@example.vn');
    expect(bytes).not.toContain('cho3@example.vn');
    expect(bytes).toContain('nguoi2@example.vn');
    signups = new SignupStore(join(folder, 'signups.sqlite'));
  });

  test('purge deletes waitlists of slots that are over and contacts nobody uses', async () => {
    signUp(1);
    signUp(2);
    join_(3);
    const after = new Date('2026-12-13T00:00:00+07:00');
    expect(await purge(signups.db, new Date('2026-01-01T00:00:00+07:00'), after)).toBe(0);
    expect(waitlist.byCode('WAIT000003')).toBeUndefined();
    const count = (table: string) =>
      (signups.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('reminder_contacts')).toBe(2);
    expect(await purge(signups.db, after, after)).toBe(2);
    expect(count('reminder_contacts')).toBe(0);
  });
});

test('a version 4 database gets the reminders’ tables and keeps its sign-ups', () => {
  const path = join(folder, 'v4.sqlite');
  const raw = new DatabaseSync(path);
  raw.exec(`${MIGRATIONS.slice(0, 4).join(';')}; PRAGMA user_version = 4;`);
  raw
    .prepare(
      `INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg, created_at)
       VALUES ('CODE000001', ?, ?, ?, 'Người 1', '+84910000001', 1990, 'female', 50, ?)`,
    )
    .run(DRIVE, SLOT, SLOT_END, NOW.toISOString());
  raw.close();
  const upgraded = new SignupStore(path);
  try {
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    expect(upgraded.byCode('CODE000001')?.reminderContact).toBeNull();
    expect(new ReminderStore(upgraded.db).signupsToPlan()).toEqual([]);
  } finally {
    upgraded.close();
  }
});
