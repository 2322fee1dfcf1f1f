/**
 * The sender with channels that answer as told: sent once, retried with
 * backoff, failed, a channel gone for a person; messages that no longer
 * apply dropped; the lease respected; and what the channels make of the
 * answers of SMTP relays, push services and gateways.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import webpush from 'web-push';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore, type Person } from '../../src/signup/store.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { catalogOf } from '../../src/reminders/catalog.ts';
import type { ChannelSender, Delivery } from '../../src/reminders/channels/delivery.ts';
import { emailDelivery } from '../../src/reminders/channels/email.ts';
import { isP256Point, pushDelivery } from '../../src/reminders/channels/push.ts';
import { signature, webhookDelivery } from '../../src/reminders/channels/webhook.ts';
import type { ReminderMessage } from '../../src/reminders/messages.ts';
import { plan } from '../../src/reminders/planner.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { sendDue } from '../../src/reminders/sender.ts';
import type { ScheduledDrive } from '../../src/signup/slot-check.ts';
import { holderGone } from '../../src/reminders/scheduler.ts';
import { WaitlistStore } from '../../src/signup/waitlist-store.ts';
import { removeFolder, person as somebody, temporaryFolder } from './helpers.ts';

const SLOT = { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T07:30:00+07:00', places: 10 };
const EVENING = new Date('2026-12-11T18:00:00+07:00');
const drive = (status = 'scheduled'): ScheduledDrive => ({
  slug: 'u-minh',
  status,
  slots: [SLOT],
  name: 'Hiến máu xã U Minh',
  start: SLOT.id,
  end: '2026-12-12T11:00:00+07:00',
  address: 'Hội trường xã U Minh',
  latitude: 9.4,
  longitude: 104.98,
  url: 'https://hienmau.example/diem-hien-mau/u-minh/',
});

let folder: string;
let signups: SignupStore;
let reminders: ReminderStore;

beforeEach(() => {
  folder = temporaryFolder('sender-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  reminders = new ReminderStore(signups.db);
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

/** The people of these tests are men of 60 kg. */
const person = (n: number): Person => somebody(n, { sex: 'male', weightKg: 60 });

function signUp(n: number) {
  const result = signups.takePlace({
    code: `CODE${String(n).padStart(6, '0')}`,
    drive: 'u-minh',
    slot: SLOT.id,
    slotEnd: SLOT.end,
    capacity: SLOT.places,
    person: person(n),
    now: new Date('2026-11-26T10:00:00+07:00'),
    reminders: { email: `n${n}@example.vn` },
  });
  if (result.status !== 'created') throw new Error(result.status);
  return result.signup;
}

/** A channel that answers each message with the next delivery given (sent when none is left). */
function fakeChannel(answers: Delivery[] = []) {
  const sent: { message: ReminderMessage; address: string; key: string }[] = [];
  const channel: ChannelSender = {
    send(message, to) {
      sent.push({ message, address: to.address, key: to.key });
      return Promise.resolve(answers.shift() ?? { kind: 'sent' });
    },
    close: () => Promise.resolve(),
  };
  return { channel, sent };
}

/** The wall clock held still, so that a round's time is exactly the time it was given. */
const STILL = new Date();

async function send(channel: ChannelSender, now = EVENING, catalog = catalogOf([drive()])) {
  plan(signups.db, catalog, now);
  return sendDue({ db: signups.db, catalog, channels: { email: channel }, now, holder: 'test', clock: () => STILL });
}

describe('sending', () => {
  test('what is due is sent once; sending again at the same time sends nothing', async () => {
    signUp(1);
    const { channel, sent } = fakeChannel();
    expect(await send(channel)).toMatchObject({ sent: 1 });
    expect(await send(channel)).toMatchObject({ sent: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ address: 'n1@example.vn', key: `evening:CODE000001:${SLOT.id}/email` });
    expect(sent[0]?.message.subject).toContain('ngày mai 07:00');
    // Two hours before, the second one.
    await send(channel, new Date('2026-12-12T05:00:00+07:00'));
    expect(sent.map((s) => s.message.kind)).toEqual(['evening', 'soon']);
  });

  test('a failure that may pass is tried again after 1, 5, 30 minutes…, then the message has failed', async () => {
    // "You may give again" is worth sending for two weeks: time for every try.
    signUp(1);
    new ConsoleStore(signups.db).apply(
      { kind: 'gave', drive: 'u-minh', code: 'CODE000001', volumeMl: 350, returnAfter: '2027-03-06' },
      { actor: 'test', now: new Date('2026-12-12T08:00:00+07:00') },
    );
    const again = new Date('2027-03-06T08:00:00+07:00');
    const { channel, sent } = fakeChannel(Array.from({ length: 6 }, () => ({ kind: 'retry', error: 'ECONNREFUSED' })));
    const at = (minutes: number) => new Date(again.getTime() + minutes * 60_000);
    expect(await send(channel, at(0))).toMatchObject({ retry: 1 });
    expect(await send(channel, at(0.5))).toMatchObject({ retry: 0 });
    expect(await send(channel, at(1))).toMatchObject({ retry: 1 });
    expect(await send(channel, at(6))).toMatchObject({ retry: 1 });
    expect(await send(channel, at(36))).toMatchObject({ retry: 1 });
    expect(await send(channel, at(156))).toMatchObject({ retry: 1 });
    expect(await send(channel, at(516))).toMatchObject({ failed: 1 });
    expect(sent.map((s) => s.message.kind)).toEqual(Array.from({ length: 6 }, () => 'again'));
    expect(reminders.counts()).toContainEqual({ state: 'failed', kind: 'again', channel: 'email', count: 1 });
  });

  test('a late evening reminder ("ngày mai") is dropped after midnight; the two-hour one still goes', async () => {
    signUp(1);
    const { channel, sent } = fakeChannel();
    expect(await send(channel, new Date('2026-12-12T00:10:00+07:00'))).toMatchObject({ sent: 0, dropped: 1 });
    expect(await send(channel, new Date('2026-12-12T05:00:00+07:00'))).toMatchObject({ sent: 1 });
    expect(sent.map((s) => s.message.kind)).toEqual(['soon']);
  });

  test('a channel gone for a person stops that channel for them: nothing more is sent by it', async () => {
    const signup = signUp(1);
    const { channel, sent } = fakeChannel([{ kind: 'gone', error: '550 <n1@example.vn> rejected' }]);
    expect(await send(channel)).toMatchObject({ gone: 1 });
    const contact = reminders.contact(signup.reminderContact ?? 0);
    expect(contact?.email).toBeNull();
    expect(contact?.ended.email).not.toBeNull();
    expect(await send(channel, new Date('2026-12-12T05:00:00+07:00'))).toMatchObject({ sent: 0 });
    expect(sent).toHaveLength(1);
    // The error kept names nobody.
    const row = signups.db.prepare("SELECT last_error FROM reminder_outbox WHERE kind = 'evening'").get() as {
      last_error: string;
    };
    expect(row.last_error).not.toContain('n1@example.vn');
  });

  test('a cancelled sign-up, a stop, a drive called off: the reminder is dropped, not sent', async () => {
    signUp(1);
    const second = signUp(2);
    signUp(3);
    plan(signups.db, catalogOf([drive()]), EVENING);
    signups.cancel('CODE000001', null, EVENING);
    reminders.stop(second.reminderContact ?? 0, EVENING);
    const { channel, sent } = fakeChannel();
    expect(await send(channel)).toMatchObject({ sent: 1, dropped: 1 });
    expect(sent.map((s) => s.address)).toEqual(['n3@example.vn']);
    const cancelled = fakeChannel();
    const counts = await send(
      cancelled.channel,
      new Date('2026-12-12T05:00:00+07:00'),
      catalogOf([drive('cancelled')]),
    );
    expect(cancelled.sent.map((s) => s.message.kind)).toEqual(['cancelled']);
    // The two-hour reminders: of the cancelled sign-up, and of the drive called off.
    expect(counts).toMatchObject({ sent: 1, dropped: 2 });
  });

  test('a reminder too late to help is dropped', async () => {
    signUp(1);
    const { channel, sent } = fakeChannel();
    expect(await send(channel, new Date('2026-12-12T07:00:00+07:00'))).toMatchObject({ sent: 0, dropped: 2 });
    expect(sent).toHaveLength(0);
  });

  test('a channel not configured here waits and is tried again', async () => {
    signUp(1);
    const catalog = catalogOf([drive()]);
    plan(signups.db, catalog, EVENING);
    const counts = await sendDue({ db: signups.db, catalog, channels: {}, now: EVENING, holder: 'test' });
    expect(counts).toMatchObject({ retry: 1, sent: 0 });
  });

  test('another sender’s lease: nothing is sent', async () => {
    signUp(1);
    expect(reminders.acquireLease('server-elsewhere', new Date())).toBe(true);
    const { channel, sent } = fakeChannel();
    expect(await send(channel)).toMatchObject({ sent: 0 });
    expect(sent).toHaveLength(0);
  });
});

describe('the waitlist’s offers', () => {
  const oneSlot = catalogOf([{ ...drive(), slots: [{ ...SLOT, places: 1 }] }]);
  const places = { drive: 'u-minh', slot: SLOT.id, slotEnd: SLOT.end, capacity: 1 };
  const morning = new Date('2026-12-10T09:00:00+07:00');

  function fullSlotWithTwoWaiting() {
    const taken = signups.takePlace({
      code: 'CODE000001',
      drive: 'u-minh',
      slot: SLOT.id,
      slotEnd: SLOT.end,
      capacity: 1,
      person: person(1),
      now: morning,
    });
    expect(taken.status).toBe('created');
    const waitlist = new WaitlistStore(signups.db);
    for (const n of [2, 3]) {
      const joined = waitlist.join({
        code: `WAIT00000${n}`,
        slot: places,
        person: person(n),
        reminders: { email: `cho${n}@example.vn` },
        now: morning,
      });
      expect(joined.status).toBe('joined');
    }
    signups.cancel('CODE000001', null, morning);
    return waitlist;
  }

  const round = (channel: ChannelSender, now: Date) => {
    plan(signups.db, oneSlot, now);
    return sendDue({
      db: signups.db,
      catalog: oneSlot,
      channels: { email: channel },
      now,
      holder: 'test',
      clock: () => STILL,
    });
  };

  test('an offer nobody could be told of ends its hold: the next round offers the place to the next person', async () => {
    const waitlist = fullSlotWithTwoWaiting();
    const { channel, sent } = fakeChannel([{ kind: 'gone', error: '550 5.1.1 no such mailbox' }]);
    expect(await round(channel, morning)).toMatchObject({ gone: 1 });
    expect(waitlist.byCode('WAIT000002')?.holdUntil).toBe(morning.toISOString());
    // A minute later, not two hours: the hold has ended and the second person is offered the place.
    expect(await round(channel, new Date(morning.getTime() + 60_000))).toMatchObject({ sent: 1 });
    expect(sent.map((m) => m.address)).toEqual(['cho2@example.vn', 'cho3@example.vn']);
    expect(waitlist.byCode('WAIT000002')?.state).toBe('expired');
    expect(waitlist.byCode('WAIT000003')?.state).toBe('offered');
  });

  test('an offer delivered keeps its hold for the full two hours', async () => {
    const waitlist = fullSlotWithTwoWaiting();
    const { channel } = fakeChannel();
    expect(await round(channel, morning)).toMatchObject({ sent: 1 });
    expect(Date.parse(waitlist.byCode('WAIT000002')?.holdUntil ?? '')).toBe(morning.getTime() + 2 * 3_600_000);
  });
});

describe('a long round', () => {
  test('its time moves on with the clock: a message no longer worth sending when its turn comes is dropped', async () => {
    signUp(1);
    signUp(2);
    // The "two hours before" reminders of a 07:00 slot end as the slot starts: a relay this slow
    // (one message per hour) gets the first out at 05:00 and finds the second too late.
    const start = new Date('2026-12-12T05:00:00+07:00');
    let wall = Date.now();
    const slowChannel: ChannelSender = {
      send() {
        wall += 2 * 3_600_000;
        return Promise.resolve({ kind: 'sent' });
      },
      close: () => Promise.resolve(),
    };
    plan(signups.db, catalogOf([drive()]), start);
    const counts = await sendDue({
      db: signups.db,
      catalog: catalogOf([drive()]),
      channels: { email: slowChannel },
      now: start,
      holder: 'test',
      clock: () => new Date(wall),
    });
    // Dropped: both evening reminders (past midnight already) and the second "two hours before".
    expect(counts).toMatchObject({ sent: 1, dropped: 3 });
  });
});

describe('what the other side’s answers mean', () => {
  test('SMTP: a refused recipient ends the channel; other refusals fail the message; the rest is retried', () => {
    const refused = (responseCode: number, response: string, command = 'RCPT TO', code = 'EENVELOPE') =>
      emailDelivery({ code, responseCode, response, permanent: true, command }).kind;
    expect(emailDelivery({ code: 'EENVELOPE', responseCode: 550, permanent: true, command: 'RCPT TO' }).kind).toBe(
      'gone',
    );
    expect(refused(550, '550 5.1.1 <x@example.vn>: Recipient address rejected')).toBe('gone');
    expect(refused(553, '553 5.1.3 Bad recipient address syntax')).toBe('gone');
    expect(refused(550, '550 5.2.1 Mailbox disabled')).toBe('gone');
    // Our relay's setup, wrong for everyone: never ends a person's e-mail, tried again.
    expect(refused(554, '554 5.7.1 <x@example.vn>: Relay access denied')).toBe('retry');
    expect(refused(550, '550 5.7.1 Relaying denied')).toBe('retry');
    expect(refused(553, '553 5.7.1 Sender address rejected', 'MAIL FROM')).toBe('retry');
    expect(refused(535, '535 5.7.8 Authentication credentials invalid', 'AUTH PLAIN', 'EAUTH')).toBe('retry');
    expect(refused(552, '552 5.2.2 Mailbox full')).toBe('retry');
    expect(emailDelivery({ code: 'EMESSAGE', responseCode: 554, permanent: true, command: 'DATA' }).kind).toBe(
      'failed',
    );
    expect(emailDelivery({ code: 'EENVELOPE', responseCode: 451, permanent: false, command: 'RCPT TO' }).kind).toBe(
      'retry',
    );
    expect(emailDelivery(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })).kind).toBe('retry');
  });

  test('push: a browser key that is not a P-256 point is found before sending (it could never be encrypted for)', () => {
    const browser = webpush.generateVAPIDKeys();
    expect(isP256Point(browser.publicKey)).toBe(true);
    expect(isP256Point(Buffer.alloc(65).toString('base64url'))).toBe(false);
    expect(isP256Point(Buffer.alloc(65, 4).toString('base64url'))).toBe(false);
    expect(isP256Point('')).toBe(false);
  });

  test('push: 404 and 410 end the subscription; 400 and 413 fail the message; 429 and 5xx are retried', () => {
    const answer = (status: number) =>
      pushDelivery(new webpush.WebPushError('x', status, {}, '', 'https://fcm.googleapis.com/x')).kind;
    expect([404, 410, 400, 413, 429, 500, 503, 403].map(answer)).toEqual([
      'gone',
      'gone',
      'failed',
      'failed',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
  });

  test('webhook: 2xx sent; 404, 410 gone; 429, 5xx retried; other 4xx failed; the signature is the body’s HMAC', () => {
    expect([200, 202, 404, 410, 429, 503, 400, 401].map((s) => webhookDelivery(s).kind)).toEqual([
      'sent',
      'sent',
      'gone',
      'gone',
      'retry',
      'retry',
      'failed',
      'failed',
    ]);
    // RFC 4231 test case 2: HMAC-SHA-256 of "what do ya want for nothing?" under "Jefe".
    expect(signature('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  test('a lease holder on this machine whose process has ended is gone; a live one is not', () => {
    expect(holderGone(`${hostname()}:${process.pid}:server:1`)).toBe(false);
    expect(holderGone(`${hostname()}:${process.ppid}:server:1`)).toBe(false);
    expect(holderGone(`${hostname()}:99999999:server:1`)).toBe(true);
    expect(holderGone('another-host:1:server:1')).toBe(false);
  });
});
