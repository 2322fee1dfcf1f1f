/**
 * The planner: what goes into the outbox from the database and the built
 * drives, once, whoever plans and however often.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore, type Person } from '../../src/signup/store.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { catalogOf, nextDrivesNear } from '../../src/reminders/catalog.ts';
import { plan } from '../../src/reminders/planner.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { WaitlistStore } from '../../src/signup/waitlist-store.ts';
import { HOLD_MS } from '../../src/reminder-choice/reminder-types.ts';
import type { ScheduledDrive } from '../../src/signup/slot-check.ts';
import { removeFolder, person as somebody, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const SLOT = { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T07:30:00+07:00', places: 2 };
const drive = (slug: string, status = 'scheduled', extra: Partial<ScheduledDrive> = {}): ScheduledDrive => ({
  slug,
  status,
  slots: [SLOT],
  name: `Đợt ${slug}`,
  start: SLOT.id,
  end: '2026-12-12T11:00:00+07:00',
  address: 'Cà Mau',
  latitude: 9.18,
  longitude: 105.15,
  url: `https://hienmau.example/diem-hien-mau/${slug}/`,
  ...extra,
});

let folder: string;
let signups: SignupStore;
let reminders: ReminderStore;

beforeEach(() => {
  folder = temporaryFolder('planner-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  reminders = new ReminderStore(signups.db);
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

/** The people of these tests are men of 60 kg. */
const person = (n: number): Person => somebody(n, { sex: 'male', weightKg: 60 });
const code = (n: number) => `CODE${String(n).padStart(6, '0')}`;
const signUp = (n: number, slug = 'u-minh', withReminders = true) =>
  signups.takePlace({
    code: code(n),
    drive: slug,
    slot: SLOT.id,
    slotEnd: SLOT.end,
    capacity: SLOT.places,
    person: person(n),
    now: NOW,
    reminders: withReminders ? { email: `n${n}@example.vn`, webhook: true } : undefined,
  });
const rows = () =>
  reminders
    .counts()
    .map((r) => `${r.kind}/${r.channel}/${r.state}:${r.count}`)
    .sort();

describe('planning', () => {
  test('a sign-up with reminders gets its two reminders on each channel, once', () => {
    signUp(1);
    signUp(2, 'u-minh', false);
    const catalog = catalogOf([drive('u-minh')]);
    expect(plan(signups.db, catalog, NOW).queued).toBe(4);
    expect(plan(signups.db, catalog, NOW).queued).toBe(0);
    expect(rows()).toEqual([
      'evening/email/pending:1',
      'evening/webhook/pending:1',
      'soon/email/pending:1',
      'soon/webhook/pending:1',
    ]);
  });

  test('a gift the desk records brings the thank-you and "you may give again"', () => {
    signUp(1);
    const catalog = catalogOf([drive('u-minh')]);
    plan(signups.db, catalog, NOW);
    new ConsoleStore(signups.db).apply(
      { kind: 'gave', drive: 'u-minh', code: code(1), volumeMl: 350, returnAfter: '2027-03-06' },
      { actor: 'test', now: new Date('2026-12-12T08:00:00+07:00') },
    );
    expect(plan(signups.db, catalog, NOW).queued).toBe(4);
    const again = reminders.messagesOf({ signupCode: code(1) }).filter((m) => m.kind === 'again');
    expect(again.map((m) => m.dueAt)).toEqual(['2027-03-06T01:00:00.000Z', '2027-03-06T01:00:00.000Z']);
    const thanks = reminders.messagesOf({ signupCode: code(1) }).filter((m) => m.kind === 'thanks');
    expect(thanks[0]?.dueAt).toBe('2026-12-12T05:00:00.000Z');
  });

  test('a drive whose file now says cancelled: everyone with reminders is told once; its waitlist closes', () => {
    signUp(1);
    signUp(2);
    const waitlist = new WaitlistStore(signups.db);
    waitlist.join({
      code: 'WAIT000003',
      slot: { drive: 'u-minh', slot: SLOT.id, slotEnd: SLOT.end, capacity: 2 },
      person: person(3),
      reminders: { email: 'w3@example.vn' },
      now: NOW,
    });
    plan(signups.db, catalogOf([drive('u-minh')]), NOW);
    const cancelled = catalogOf([drive('u-minh', 'cancelled')]);
    const before = reminders.counts().length;
    expect(plan(signups.db, cancelled, NOW).queued).toBe(5);
    expect(plan(signups.db, cancelled, NOW).queued).toBe(0);
    expect(reminders.counts().length).toBeGreaterThan(before);
    expect(waitlist.byCode('WAIT000003')?.state).toBe('closed');
    expect(reminders.dueCount(NOW)).toBe(5);
  });

  test('a place freed is offered to the first waiting; an unanswered hold passes to the next', () => {
    signUp(1);
    signUp(2);
    const waitlist = new WaitlistStore(signups.db);
    for (const n of [3, 4]) {
      waitlist.join({
        code: `WAIT00000${n}`,
        slot: { drive: 'u-minh', slot: SLOT.id, slotEnd: SLOT.end, capacity: 2 },
        person: person(n),
        reminders: { email: `w${n}@example.vn` },
        now: NOW,
      });
    }
    const catalog = catalogOf([drive('u-minh')]);
    expect(plan(signups.db, catalog, NOW).offers).toBe(0);
    signups.cancel(code(1), null, NOW);
    expect(plan(signups.db, catalog, NOW)).toMatchObject({ offers: 1, expiredHolds: 0 });
    expect(waitlist.byCode('WAIT000003')?.state).toBe('offered');
    const later = new Date(NOW.getTime() + HOLD_MS);
    expect(plan(signups.db, catalog, later)).toMatchObject({ offers: 1, expiredHolds: 1 });
    expect(waitlist.byCode('WAIT000003')?.state).toBe('expired');
    expect(waitlist.byCode('WAIT000004')?.state).toBe('offered');
    expect(reminders.messagesOf({ waitlistId: waitlist.byCode('WAIT000004')?.id ?? 0 }).map((m) => m.kind)).toEqual([
      'offer',
    ]);
  });

  test('a hold never runs past the slot’s start, and none is offered in its last quarter hour', () => {
    signUp(1);
    signUp(2);
    const waitlist = new WaitlistStore(signups.db);
    waitlist.join({
      code: 'WAIT000003',
      slot: { drive: 'u-minh', slot: SLOT.id, slotEnd: SLOT.end, capacity: 2 },
      person: person(3),
      reminders: { email: 'w3@example.vn' },
      now: NOW,
    });
    signups.cancel(code(1), null, NOW);
    const catalog = catalogOf([drive('u-minh')]);
    expect(plan(signups.db, catalog, new Date('2026-12-12T06:00:00+07:00')).offers).toBe(1);
    expect(waitlist.byCode('WAIT000003')?.holdUntil).toBe(new Date(SLOT.id).toISOString());
    // In the last quarter hour nobody is offered a place: the people still waiting are let go,
    // and a place freed then is anyone's (the public form no longer counts them as taken).
    waitlist.join({
      code: 'WAIT000004',
      slot: { drive: 'u-minh', slot: SLOT.id, slotEnd: SLOT.end, capacity: 2 },
      person: person(4),
      reminders: { email: 'w4@example.vn' },
      now: NOW,
    });
    signups.cancel(code(2), null, NOW);
    const late = new Date('2026-12-12T06:50:00+07:00');
    expect(plan(signups.db, catalog, late).offers).toBe(0);
    expect(waitlist.byCode('WAIT000004')?.state).toBe('closed');
    expect(
      signups.takenBySlot('u-minh', [{ id: SLOT.id, end: SLOT.end }], late, { waitingGoFirst: true }).get(SLOT.id),
    ).toBe(1);
  });
});

test('the next drives near one: open ones only, nearest first', () => {
  const catalog = catalogOf([
    drive('gone', 'scheduled', { latitude: 9.18, longitude: 105.15 }),
    drive('near', 'scheduled', {
      start: '2027-03-10T07:00:00+07:00',
      end: '2027-03-10T11:00:00+07:00',
      latitude: 9.2,
      longitude: 105.16,
    }),
    drive('far', 'scheduled', {
      start: '2027-03-08T07:00:00+07:00',
      end: '2027-03-08T11:00:00+07:00',
      latitude: 9.29,
      longitude: 105.72,
    }),
    drive('off', 'cancelled', {
      start: '2027-03-09T07:00:00+07:00',
      end: '2027-03-09T11:00:00+07:00',
      latitude: 9.18,
      longitude: 105.15,
    }),
  ]);
  expect(nextDrivesNear(catalog, 'gone', new Date('2027-03-06T08:00:00+07:00'), 3).map((d) => d.slug)).toEqual([
    'near',
    'far',
  ]);
  expect(catalog.siteUrl).toBe('https://hienmau.example');
  expect(catalogOf([drive('x')], 'https://other.example').siteUrl).toBe('https://other.example');
});
