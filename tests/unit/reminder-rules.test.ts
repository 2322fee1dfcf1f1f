/**
 * The reminders' rules that need no database: the form's consent and
 * channels (the schema the island and the server run), the push
 * subscription's shape and the allowed push services, the settings, the
 * times of each message, and the push payload the service worker shows.
 */
import webpush from 'web-push';
import { describe, expect, test } from 'vitest';
import { fieldErrors } from '../../src/signup/form-fields.ts';
import { signupSchema, type DriveOption } from '../../src/signup/schema.ts';
import {
  parsePushSubscription,
  pushServiceAllowed,
  reminderChoiceOf,
  REMINDER_MESSAGES,
} from '../../src/reminder-choice/reminder-schema.ts';
import type { Channel } from '../../src/reminder-choice/reminder-types.ts';
import { DEFAULT_PUSH_SERVICES, readSettings, reminderChannels } from '../../src/settings.ts';
import {
  againAt,
  cancelledMessage,
  eveningBefore,
  giftMessages,
  retryDelay,
  slotReminders,
  soonBefore,
} from '../../src/reminders/schedule.ts';
import { notificationOf, STOP_ACTION } from '../../src/reminders/push-payload.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const drive: DriveOption = {
  slug: 'u-minh',
  name: 'Hiến máu xã U Minh',
  start: new Date('2026-12-12T07:00:00+07:00'),
  end: new Date('2026-12-12T09:00:00+07:00'),
  slots: [{ id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T08:00:00+07:00', places: 20 }],
};
/** A subscription as Chrome gives it: a 65-byte key and a 16-byte secret, base64url. */
const subscription = {
  endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def',
  expirationTime: null,
  keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') },
};
const valid = {
  fullName: 'Nguyễn Thị Hoa',
  phone: '0912 345 678',
  birthYear: '1990',
  sex: 'female',
  weightKg: '50',
  drive: drive.slug,
  slot: '2026-12-12T07:00:00+07:00',
  consent: 'yes',
};

function schemaWith(channels: Channel[], waitlist = false) {
  return signupSchema(
    {
      findDrive: (slug) => (slug === drive.slug ? drive : undefined),
      now: () => NOW,
      channels: () => channels,
      pushEndpointAllowed: (url) => pushServiceAllowed(url, DEFAULT_PUSH_SERVICES),
    },
    { waitlist },
  );
}

async function errorsFor(
  change: Record<string, string>,
  channels: Channel[] = ['email', 'push', 'webhook'],
  waitlist = false,
) {
  const result = await schemaWith(channels, waitlist).safeParseAsync({ ...valid, ...change });
  return result.success ? {} : fieldErrors(result.error.issues);
}

describe('the reminders on the form', () => {
  test('are optional: a sign-up without them is valid and keeps nothing for them', async () => {
    expect(await errorsFor({})).toEqual({});
    expect(reminderChoiceOf(await schemaWith(['email']).parseAsync(valid), ['email'])).toBeUndefined();
  });

  test.each([
    ['consent without a channel', { reminders: 'yes' }, 'reminders', REMINDER_MESSAGES.noChannel],
    ['an address without consent', { email: 'hoa@example.vn' }, 'reminders', REMINDER_MESSAGES.noConsent],
    ['texts without consent', { reminderSms: 'yes' }, 'reminders', REMINDER_MESSAGES.noConsent],
    ['a mistyped address', { reminders: 'yes', email: 'hoa@gmail' }, 'email', 'chưa đúng'],
    ['an address with a space', { reminders: 'yes', email: 'hoa @gmail.com' }, 'email', 'chưa đúng'],
    ['an address with a NUL', { reminders: 'yes', email: 'ho\u0000a@gmail.com' }, 'email', 'chưa đúng'],
    ['an address with a line break', { reminders: 'yes', email: 'hoa@gmail.com\r\nBcc: x@y.vn' }, 'email', 'chưa đúng'],
    [
      'a name before @ over 64 characters',
      { reminders: 'yes', email: `${'h'.repeat(65)}@gmail.com` },
      'email',
      'chưa đúng',
    ],
    [
      'push chosen, no subscription',
      { reminders: 'yes', reminderPush: 'yes' },
      'reminderPush',
      REMINDER_MESSAGES.pushFailed,
    ],
    [
      'push to a service that is not a browser’s',
      {
        reminders: 'yes',
        reminderPush: 'yes',
        pushSubscription: JSON.stringify({ ...subscription, endpoint: 'https://10.0.0.1/steal' }),
      },
      'reminderPush',
      REMINDER_MESSAGES.pushService,
    ],
    [
      'a subscription with a short key',
      {
        reminders: 'yes',
        reminderPush: 'yes',
        pushSubscription: JSON.stringify({ ...subscription, keys: { ...subscription.keys, p256dh: 'AAAA' } }),
      },
      'reminderPush',
      REMINDER_MESSAGES.pushFailed,
    ],
  ])('%s is refused with its message', async (_, change, field, message) => {
    const errors = await errorsFor(change);
    expect(errors[field as keyof typeof errors]).toContain(message);
  });

  test('consent with a channel keeps exactly what was chosen, on the channels the server has', async () => {
    const input = await schemaWith(['email', 'push', 'webhook']).parseAsync({
      ...valid,
      reminders: 'yes',
      email: 'hoa@example.vn',
      reminderPush: 'yes',
      pushSubscription: JSON.stringify(subscription),
      reminderSms: 'yes',
    });
    const choice = reminderChoiceOf(input, ['email', 'push', 'webhook']);
    expect(choice?.email).toBe('hoa@example.vn');
    expect(JSON.parse(choice?.push ?? '')).toEqual({ endpoint: subscription.endpoint, keys: subscription.keys });
    expect(choice?.webhook).toBe(true);
    // A channel the server no longer has is dropped, not kept.
    expect(reminderChoiceOf(input, ['webhook'])).toEqual({ email: undefined, push: undefined, webhook: true });
  });

  test('the waitlist needs consent and a way to reach the person', async () => {
    expect((await errorsFor({}, ['email'], true)).reminders).toBe(REMINDER_MESSAGES.waitlistNeedsChannel);
    expect(await errorsFor({ reminders: 'yes', email: 'hoa@example.vn' }, ['email'], true)).toEqual({});
    expect((await errorsFor({ reminders: 'yes', email: 'hoa@example.vn' }, [], true)).reminders).toBe(
      REMINDER_MESSAGES.waitlistNeedsChannel,
    );
  });
});

describe('push subscriptions', () => {
  test('only an https endpoint with a 65-byte key and a 16-byte secret is one', () => {
    expect(parsePushSubscription(JSON.stringify(subscription))?.endpoint).toBe(subscription.endpoint);
    for (const bad of [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...subscription, endpoint: 'http://fcm.googleapis.com/x' }),
      JSON.stringify({ ...subscription, endpoint: 'https://user:pw@fcm.googleapis.com/x' }),
      JSON.stringify({ ...subscription, keys: { ...subscription.keys, auth: '!!!!' } }),
      JSON.stringify({ endpoint: subscription.endpoint }),
    ]) {
      expect(parsePushSubscription(bad)).toBeNull();
    }
  });

  test('the server posts only to the push services allowed', () => {
    const allowed = (url: string) => pushServiceAllowed(new URL(url), DEFAULT_PUSH_SERVICES);
    expect(allowed('https://fcm.googleapis.com/fcm/send/x')).toBe(true);
    expect(allowed('https://web.push.apple.com/QAB')).toBe(true);
    expect(allowed('https://wns2-par02p.notify.windows.com/w/?token=x')).toBe(true);
    expect(allowed('https://evilpush.apple.com.example/x')).toBe(false);
    expect(allowed('https://push.apple.com:8443/x')).toBe(false);
    expect(allowed('https://127.0.0.1/x')).toBe(false);
    // Hosts the URL standard reads one way and web-push's url.parse another (a found SSRF).
    const allowedIfParsed = (url: string) => {
      const parsed = URL.parse(url);
      return parsed !== null && pushServiceAllowed(parsed, DEFAULT_PUSH_SERVICES);
    };
    for (const trick of [';', "'", '"', '`', '{', '}', '%3B', '!', '$', '&', '(', '*', '+', ',', '=', '~']) {
      expect(allowedIfParsed(`https://127.0.0.2${trick}.push.apple.com/x`), trick).toBe(false);
      expect(allowedIfParsed(`https://169.254.169.254${trick}.notify.windows.com/x`), trick).toBe(false);
    }
    expect(allowed('https://user:pw@web.push.apple.com/x')).toBe(false);
    expect(pushServiceAllowed(new URL('https://127.0.0.1:9443/p/1'), ['https://127.0.0.1:9443'])).toBe(true);
  });
});

describe('settings of the reminders', () => {
  const keys = webpush.generateVAPIDKeys();
  const vapid = {
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
    VAPID_SUBJECT: 'mailto:nhac-hen@camau.gov.vn',
  };

  test('none set: no channel, the scheduler on', () => {
    const { reminders } = readSettings({});
    expect(reminderChannels(reminders)).toEqual([]);
    expect(reminders.scheduler).toBe(true);
  });

  test('each channel with its settings', () => {
    const { reminders } = readSettings({
      ...vapid,
      SMTP_URL: 'smtp://relay.camau.gov.vn:587',
      MAIL_FROM: 'Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@camau.gov.vn>',
      REMINDER_WEBHOOK_URL: 'https://sms.example.vn/hien-mau',
      REMINDER_WEBHOOK_SECRET: 'k'.repeat(32),
      REMINDER_SCHEDULER: '0',
      SITE_URL: 'https://hienmau.camau.gov.vn/',
    });
    expect(reminderChannels(reminders)).toEqual(['push', 'email', 'webhook']);
    expect(reminders.push?.services).toEqual([...DEFAULT_PUSH_SERVICES]);
    expect(reminders.scheduler).toBe(false);
    expect(reminders.siteUrl).toBe('https://hienmau.camau.gov.vn');
  });

  test.each([
    [{ MAIL_FROM: 'a@b.vn' }, /Đã đặt MAIL_FROM nhưng chưa đặt SMTP_URL/],
    [{ SMTP_URL: 'smtp://relay:587' }, /MAIL_FROM phải là người gửi/],
    [{ SMTP_URL: 'http://relay', MAIL_FROM: 'a@b.vn' }, /SMTP_URL phải là máy chủ chuyển thư/],
    [{ VAPID_PUBLIC_KEY: 'x' }, /Đã đặt VAPID_PUBLIC_KEY nhưng chưa đặt VAPID_PRIVATE_KEY, VAPID_SUBJECT/],
    [{ ...vapid, VAPID_PUBLIC_KEY: 'abc' }, /VAPID_PUBLIC_KEY phải là khoá 65 byte/],
    [{ ...vapid, VAPID_PRIVATE_KEY: keys.publicKey }, /VAPID_PRIVATE_KEY phải là khoá 32 byte/],
    [{ ...vapid, VAPID_SUBJECT: 'Hội CTĐ' }, /VAPID_SUBJECT phải cho biết ai gửi/],
    [{ ...vapid, PUSH_SERVICES: 'http://push.example' }, /PUSH_SERVICES phải liệt kê/],
    [{ REMINDER_WEBHOOK_URL: 'https://sms.example.vn' }, /REMINDER_WEBHOOK_SECRET phải dài ít nhất 32/],
    [{ REMINDER_WEBHOOK_URL: 'http://sms.example.vn', REMINDER_WEBHOOK_SECRET: 'k'.repeat(32) }, /địa chỉ đầy đủ/],
    [{ REMINDER_WEBHOOK_SECRET: 'k'.repeat(32) }, /chưa đặt REMINDER_WEBHOOK_URL/],
    [{ REMINDER_SCHEDULER: 'maybe' }, /REMINDER_SCHEDULER phải là 1/],
    [{ SITE_URL: 'hienmau' }, /SITE_URL phải là địa chỉ đầy đủ của trang web/],
  ])('%o is refused with a message naming it', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });

  test('a webhook on this machine may be plain http (a local gateway, the tests)', () => {
    const { reminders } = readSettings({
      REMINDER_WEBHOOK_URL: 'http://127.0.0.1:8080/sms',
      REMINDER_WEBHOOK_SECRET: 'k'.repeat(32),
    });
    expect(reminders.webhook?.url).toBe('http://127.0.0.1:8080/sms');
  });
});

describe('when each message is due', () => {
  test('18:00 the day before and two hours before, in Cà Mau time, whatever the server’s zone', () => {
    const slot = new Date('2026-12-12T07:00:00+07:00');
    expect(eveningBefore(slot).toISOString()).toBe('2026-12-11T11:00:00.000Z');
    expect(soonBefore(slot).toISOString()).toBe('2026-12-11T22:00:00.000Z');
    // A slot just after midnight in Cà Mau is still "the next day" there.
    expect(eveningBefore(new Date('2026-12-12T00:30:00+07:00')).toISOString()).toBe('2026-12-11T11:00:00.000Z');
    expect(againAt('2027-03-06').toISOString()).toBe('2027-03-06T01:00:00.000Z');
  });

  test('a reminder whose time passed before the sign-up is not planned', () => {
    const plan = (createdAt: string) =>
      slotReminders({ code: 'C', drive: 'd', slot: '2026-12-12T07:00:00+07:00', createdAt, contact: 1 }).map(
        (m) => m.kind,
      );
    expect(plan('2026-12-01T00:00:00Z')).toEqual(['evening', 'soon']);
    expect(plan('2026-12-11T19:00:00+07:00')).toEqual(['soon']);
    expect(plan('2026-12-12T06:00:00+07:00')).toEqual([]);
    // "Ngày mai" is only true until midnight: a late evening reminder is dropped then.
    const [evening] = slotReminders({
      code: 'C',
      drive: 'd',
      slot: '2026-12-12T07:00:00+07:00',
      createdAt: '2026-12-01T00:00:00Z',
      contact: 1,
    });
    expect(evening?.expiresAt.toISOString()).toBe('2026-12-11T17:00:00.000Z');
  });

  test('the gift’s messages: thanks after the drive, again on the return date; each key once per sign-up', () => {
    const [thanks, again] = giftMessages({
      code: 'C',
      drive: 'd',
      contact: 1,
      donatedAt: new Date('2026-12-12T08:10:00+07:00'),
      driveEnd: new Date('2026-12-12T11:00:00+07:00'),
      returnAfter: '2027-03-06',
    });
    expect(thanks).toMatchObject({ kind: 'thanks', dedupeKey: 'thanks:C' });
    expect(thanks?.dueAt.toISOString()).toBe('2026-12-12T05:00:00.000Z');
    expect(again).toMatchObject({ kind: 'again', dedupeKey: 'again:C' });
    expect(again?.dueAt.toISOString()).toBe('2027-03-06T01:00:00.000Z');
    const cancelled = cancelledMessage({
      code: 'C',
      drive: 'd',
      slotEnd: '2026-12-12T08:00:00+07:00',
      contact: 1,
      now: NOW,
    });
    expect(cancelled).toMatchObject({ dedupeKey: 'cancelled:C', dueAt: NOW });
  });

  test('retries back off, then stop', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelay)).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, null]);
  });
});

describe('the push payload the service worker shows', () => {
  test('title, body, the page to open and the stop button, on this site only', () => {
    const shown = notificationOf(
      JSON.stringify({
        title: 'Nhắc hẹn',
        body: 'Ngày mai 07:00',
        url: '/diem-hien-mau/u-minh/',
        stop: '/nhac-hen/dung/?t=x',
        tag: 'evening:C',
      }),
      'https://hienmau.example',
    );
    expect(shown.title).toBe('Nhắc hẹn');
    expect(shown.options).toMatchObject({
      body: 'Ngày mai 07:00',
      lang: 'vi',
      tag: 'evening:C',
      data: { url: '/diem-hien-mau/u-minh/', stop: '/nhac-hen/dung/?t=x' },
      actions: [{ action: STOP_ACTION, title: 'Dừng nhắc hẹn' }],
    });
  });

  test('anything else still shows the site’s name, and never a link elsewhere', () => {
    expect(notificationOf('garbage', 'https://x.example').title).toBe('Hiến máu Cà Mau');
    const shown = notificationOf(
      JSON.stringify({ title: 'x', url: 'https://evil.example/', stop: '//evil.example/' }),
      'https://x.example',
    );
    expect(shown.options.data).toEqual({ url: '/' });
    expect(shown.options.actions).toBeUndefined();
  });
});
