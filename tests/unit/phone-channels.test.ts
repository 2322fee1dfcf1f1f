/**
 * The phone channels against real peers on loopback (scripts/phone-peers.mjs):
 * an SMPP SMSC (the `smpp` package's server) and a Zalo stand-in (OAuth v4 and
 * ZNS). The SMS text folded to GSM-7 in one part with its stop link and
 * hotline, or UCS-2 in parts joined by their UDH; the bind checked; throttling
 * and a dropped connection retried without a part sent twice; receipts
 * recorded; Zalo first, SMS when Zalo has no account for the person, e-mail
 * only after both; the token rotated and kept; the daily cap; every phone form.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SignupStore } from '../../src/signup/store.ts';
import { catalogOf, type Catalog } from '../../src/reminders/catalog.ts';
import { openChannels, closeChannels, type Channels } from '../../src/reminders/channels/index.ts';
import { foldToGsm, gsmLength, smsParts, smsText } from '../../src/reminders/channels/sms-text.ts';
import { znsDelivery, znsParam, znsPhone } from '../../src/reminders/channels/zalo.ts';
import { buildMessage } from '../../src/reminders/messages.ts';
import { plan } from '../../src/reminders/planner.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { sendDue } from '../../src/reminders/sender.ts';
import { outboxStatus } from '../../src/reminders/outbox-status.ts';
import { ZaloTokenStore } from '../../src/reminders/zalo-token-store.ts';
import { normalizeMobile } from '../../src/signup/phone.ts';
import { readSettings, reminderChannels, type ReminderSettings } from '../../src/settings.ts';
import { isPhoneChannel } from '../../src/reminder-choice/reminder-types.ts';
import type { ScheduledDrive } from '../../src/signup/slot-check.ts';
import { SHORT_STOP_PATH } from '../../src/shared/links.ts';
import { startSmppPeer, startZnsPeer } from '../../scripts/phone-peers.mjs';
import { removeFolder, person, temporaryFolder } from './helpers.ts';

const SLOT = { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T07:30:00+07:00', places: 10 };
const EVENING = new Date('2026-12-11T18:00:00+07:00');
const SIGNED_UP = new Date('2026-11-26T10:00:00+07:00');
const HOTLINE = '0290 3831 234';
const DRIVE: ScheduledDrive = {
  slug: 'u-minh',
  status: 'scheduled',
  slots: [SLOT],
  name: 'Hiến máu tình nguyện tại Hội trường Ủy ban nhân dân xã U Minh',
  start: SLOT.id,
  end: '2026-12-12T11:00:00+07:00',
  address: 'Ấp 3, xã U Minh, tỉnh Cà Mau',
  latitude: 9.4,
  longitude: 104.98,
  url: 'https://hienmau.camau.gov.vn/diem-hien-mau/u-minh/',
  hotline: HOTLINE,
};
const catalog: Catalog = catalogOf([DRIVE]);
const TEMPLATES = { '1001': ['ten', 'ma', 'ngay', 'gio'], '1002': ['ten', 'ma', 'ngay', 'gio', 'dia_diem'] };
const STILL = new Date();

let folder: string;
let signups: SignupStore;
let reminders: ReminderStore;
let channels: Channels | undefined;
const peers: { close(): Promise<unknown> }[] = [];

beforeEach(() => {
  folder = temporaryFolder('phone-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  reminders = new ReminderStore(signups.db);
});
afterEach(async () => {
  if (channels) await closeChannels(channels);
  channels = undefined;
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
  signups.close();
  removeFolder(folder);
});

function signUp(n: number, choice: { email?: string; texts?: boolean } = { texts: true }, phone?: string) {
  const result = signups.takePlace({
    code: `CODE${String(n).padStart(6, '0')}`,
    drive: 'u-minh',
    slot: SLOT.id,
    slotEnd: SLOT.end,
    capacity: SLOT.places,
    person: { ...person(n), ...(phone ? { phone } : {}) },
    now: SIGNED_UP,
    reminders: choice,
  });
  if (result.status !== 'created') throw new Error(result.status);
  return result.signup;
}

async function smsPeer(options: Partial<Parameters<typeof startSmppPeer>[0]> = {}) {
  const peer = await startSmppPeer({ systemId: 'hoictd', password: 'mk123456', sender: 'HOICTDCAMAU', ...options });
  peers.push(peer);
  return peer;
}

async function znsPeer(options: Partial<Parameters<typeof startZnsPeer>[0]> = {}) {
  const peer = await startZnsPeer({
    appId: '4242',
    appSecret: 'bi-mat-ung-dung',
    refreshToken: 'rt-dau-tien',
    templates: TEMPLATES,
    ...options,
  });
  peers.push(peer);
  return peer;
}

function settingsOf(env: Record<string, string>): ReminderSettings {
  return readSettings({ SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'nhac-hen@hienmau.example', ...env }).reminders;
}

function zaloEnv(peer: { apiUrl: string; oauthUrl: string }): Record<string, string> {
  return {
    ZALO_APP_ID: '4242',
    ZALO_APP_SECRET: 'bi-mat-ung-dung',
    ZALO_REFRESH_TOKEN: 'rt-dau-tien',
    ZALO_TEMPLATE_EVENING: '1002 name=ten code=ma day=ngay time=gio place=dia_diem',
    ZALO_TEMPLATE_CONFIRM: '1001 name=ten code=ma day=ngay time=gio',
    ZALO_API_URL: peer.apiUrl,
    ZALO_OAUTH_URL: peer.oauthUrl,
  };
}

/** A round of the sender at `now`; the confirmation by phone only when `confirm` (most tests are about one message). */
async function round(
  settings: ReminderSettings,
  now = EVENING,
  dailyCaps: Parameters<typeof sendDue>[0]['dailyCaps'] = {},
  confirm = false,
) {
  channels ??= openChannels(settings, () => signups.db);
  plan(signups.db, catalog, now, reminderChannels(settings).filter(isPhoneChannel));
  return sendDue({
    db: signups.db,
    catalog,
    channels,
    now,
    holder: 'test',
    clock: () => STILL,
    dailyCaps,
    phoneConfirmation: confirm,
  });
}

const rows = () =>
  signups.db.prepare('SELECT kind, channel, state, parts FROM reminder_outbox ORDER BY id').all() as {
    kind: string;
    channel: string;
    state: string;
    parts: number | null;
  }[];

describe('the text of an SMS', () => {
  test('folded to GSM-7 without diacritics, the evening reminder fits one part with its code, stop link and hotline', () => {
    signUp(1);
    const message = buildMessage({
      kind: 'evening',
      siteUrl: 'https://hienmau.camau.gov.vn',
      drive: {
        slug: 'u-minh',
        name: DRIVE.name ?? '',
        address: DRIVE.address ?? '',
        start: new Date(SLOT.id),
        end: new Date(SLOT.end),
      },
      slot: { start: new Date(SLOT.id), end: new Date(SLOT.end) },
      code: 'K7Q39XWD2P',
      stopToken: 'AbCdEfGhIjKlMnOpQrStUv',
      hotline: HOTLINE,
    });
    const text = smsText(message.textFacts, false);
    expect(gsmLength(text)).toBeLessThanOrEqual(160);
    expect(smsParts(text, false, 7)).toHaveLength(1);
    expect(text).toMatch(/^Nhac hen: ngay mai 07:00 hien mau tai /);
    expect(text).not.toMatch(/[^\x20-\x7e]/);
    expect(text).toContain('Ma: K7Q3-9XWD-2P.');
    expect(text).toContain(`LH ${HOTLINE}`);
    const stop = /https:\/\/hienmau\.camau\.gov\.vn(\/nhac-hen\/\S+)/.exec(text)?.[1] ?? '';
    expect(stop.startsWith(SHORT_STOP_PATH)).toBe(true);
    expect(stop.length).toBeLessThanOrEqual(30);
  });

  test('emoji, control characters and typographic marks never turn it into UCS-2', () => {
    expect(foldToGsm('Đặng Thị Ánh 🌸\u0007 “Hồng” – ổn…')).toBe('Dang Thi Anh "Hong" - on...');
    expect(foldToGsm('Phường 5, TP Cà Mau')).toBe('Phuong 5, TP Ca Mau');
  });

  test('with diacritics (UCS-2) a long text is split in parts of 67 characters with one reference', () => {
    const text = 'Nhắc hẹn: '.repeat(20);
    const parts = smsParts(text, true, 42);
    expect(parts.length).toBe(Math.ceil([...text].length / 67));
    expect(parts.every((p) => p.dataCoding === 8 && p.udh?.[3] === 42 && p.udh[4] === parts.length)).toBe(true);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });
});

describe('the sms channel over SMPP', () => {
  test('an evening reminder reaches the SMSC in one GSM-7 part from the brandname, its receipt is recorded', async () => {
    const smsc = await smsPeer();
    signUp(1);
    const settings = settingsOf({ SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU' });
    const counts = await round(settings);
    expect(counts).toMatchObject({ sent: 1, retry: 0 });
    expect(smsc.problems).toEqual([]);
    expect(smsc.received).toHaveLength(1);
    const [sms] = smsc.received;
    expect(sms).toMatchObject({ to: '84910000001', from: 'HOICTDCAMAU', parts: 1, dataCoding: 0 });
    // The drive's long name is cut at a word so that the code, the stop link and the hotline fit.
    expect(sms?.text).toMatch(/^Nhac hen: ngay mai 07:00 hien mau tai Hien mau\.\.\. Ma: CODE-0000-01\. /);
    expect(rows()).toEqual([
      { kind: 'confirm', channel: 'sms', state: 'dropped', parts: null },
      { kind: 'evening', channel: 'sms', state: 'sent', parts: 1 },
      { kind: 'soon', channel: 'sms', state: 'pending', parts: null },
    ]);
    await expect.poll(() => reminders.receiptCounts()).toEqual([{ state: 'DELIVRD', count: 1 }]);
    // A second round sends nothing.
    expect(await round(settings)).toMatchObject({ sent: 0 });
    expect(smsc.received).toHaveLength(1);
  });

  test('a wrong password is refused at the bind: nothing is sent and the message waits, never "gone"', async () => {
    const smsc = await smsPeer({ password: 'khac1234' });
    signUp(1);
    const counts = await round(
      settingsOf({ SMPP_URL: smsc.url.replace('khac1234', 'mk123456'), SMS_SENDER: 'HOICTDCAMAU' }),
    );
    expect(counts).toMatchObject({ sent: 0, retry: 1, gone: 0 });
    expect(smsc.problems).toContain('bind refused');
    expect(smsc.submitCount).toBe(0);
  });

  test('UCS-2 as a setting: a long message in parts the SMSC joins, each part once, through throttling', async () => {
    const smsc = await smsPeer({ throttleEvery: 2 });
    signUp(1);
    const settings = settingsOf({ SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU', SMS_UNICODE: '1' });
    channels = openChannels(settings, () => signups.db);
    const sms = channels.sms as NonNullable<Channels['sms']> & { partsOf?: unknown };
    expect(sms).toBeDefined();
    // Short pauses in the test: the production channel waits 1 s after a throttle.
    await closeChannels(channels);
    const { smsChannel } = await import('../../src/reminders/channels/sms.ts');
    channels = { sms: smsChannel(settings.sms as NonNullable<ReminderSettings['sms']>, { throttlePauseMs: 20 }) };
    const counts = await round(settings);
    expect(counts).toMatchObject({ sent: 1 });
    const [received] = smsc.received;
    expect(received?.dataCoding).toBe(8);
    expect(received?.parts).toBeGreaterThan(1);
    expect(received?.text).toMatch(/^Nhắc hẹn: ngày mai 07:00 hiến máu tại Hiến máu tình nguyện/);
    expect(received?.text).toContain('Dừng nhận tin: https://hienmau.camau.gov.vn/nhac-hen/d/');
    expect(smsc.problems).toEqual([]);
  });

  test('a connection dropped inside the window: retried later, the acknowledged parts are not sent again', async () => {
    // Part 1 is acknowledged, the connection drops on part 2; the retry sends parts 2.. only.
    const smsc = await smsPeer({ dropAt: [2] });
    signUp(1);
    const settings = settingsOf({ SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU', SMS_UNICODE: '1' });
    const { smsChannel } = await import('../../src/reminders/channels/sms.ts');
    channels = { sms: smsChannel(settings.sms as NonNullable<ReminderSettings['sms']>, { throttlePauseMs: 10 }) };
    expect(await round(settings)).toMatchObject({ sent: 0, retry: 1 });
    expect(await round(settings, new Date(EVENING.getTime() + 61_000))).toMatchObject({ sent: 1 });
    expect(smsc.problems).toEqual([]);
    expect(smsc.received).toHaveLength(1);
    const sequences = smsc.submits.map((s) => s.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(smsc.binds).toBe(2);
  });

  test('an SMSC that never answers: the message is retried, the sender is not held', async () => {
    const smsc = await smsPeer({ silent: true });
    signUp(1);
    const settings = settingsOf({ SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU' });
    const { smsChannel } = await import('../../src/reminders/channels/sms.ts');
    channels = { sms: smsChannel(settings.sms as NonNullable<ReminderSettings['sms']>, { answerTimeoutMs: 300 }) };
    expect(await round(settings)).toMatchObject({ sent: 0, retry: 1 });
  });

  test('a daily cap: over it the rest wait for the next day, and are due then', async () => {
    const smsc = await smsPeer();
    signUp(1);
    signUp(2);
    const settings = settingsOf({ SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU', SMS_DAILY_CAP: '1' });
    expect(await round(settings, EVENING, { sms: 1 })).toMatchObject({ sent: 1, waiting: 1 });
    expect(reminders.waiting(EVENING).find((w) => w.channel === 'sms')).toMatchObject({ capped: 1 });
    // What the console's outbox page and `reminders status` show: one sent of a cap of one, one for tomorrow.
    expect(outboxStatus(signups.db, settings, EVENING).channels).toContainEqual({
      channel: 'sms',
      messages: 1,
      parts: 1,
      cap: 1,
      due: 0,
      capped: 1,
    });
    expect(await round(settings, new Date('2026-12-12T00:00:01+07:00'), { sms: 1 })).toMatchObject({ sent: 0 });
  });
});

describe('the zalo channel over ZNS', () => {
  test('the confirmation goes to Zalo at once with the template and its parameters; the token is kept', async () => {
    const zns = await znsPeer();
    signUp(1);
    const settings = settingsOf(zaloEnv(zns));
    const counts = await round(settings, new Date(SIGNED_UP.getTime() + 1_000), {}, true);
    expect(counts).toMatchObject({ sent: 1 });
    expect(zns.problems).toEqual([]);
    expect(zns.received).toEqual([
      {
        phone: '84910000001',
        templateId: '1001',
        data: { ten: 'Người Thứ 1', ma: 'CODE-0000-01', ngay: '12/12/2026', gio: '07:00–07:30' },
        trackingId: expect.stringMatching(/^[a-p]{32}$/),
      },
    ]);
    expect(zns.state.refreshes).toBe(1);
    const stored = new ZaloTokenStore(signups.db).load('rt-dau-tien', new Date());
    expect(stored.refreshToken).toBe(zns.state.refreshToken);
    expect(stored.refreshingSince).toBeNull();
    // The evening one uses the stored access token: no second refresh.
    expect(await round(settings, EVENING, {}, true)).toMatchObject({ sent: 1 });
    expect(zns.state.refreshes).toBe(1);
    expect(rows().map((r) => `${r.kind}/${r.channel}/${r.state}`)).toEqual([
      'confirm/zalo/sent',
      'evening/zalo/sent',
      'soon/zalo/pending',
    ]);
  });

  test('no Zalo account (-118): Zalo ends for the person and the message goes by SMS, in the same round', async () => {
    const zns = await znsPeer({ answer: () => -118 });
    const smsc = await smsPeer();
    signUp(1, { texts: true, email: 'n1@example.vn' });
    const settings = settingsOf({ ...zaloEnv(zns), SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU' });
    const counts = await round(settings, EVENING, {}, true);
    expect(counts).toMatchObject({ sent: 2, gone: 1, passedOn: 1 });
    expect(smsc.received.map((s) => s.text.slice(0, 20)).sort()).toEqual([
      'Da dang ky hien mau ',
      'Nhac hen: ngay mai 0',
    ]);
    expect(rows().map((r) => `${r.kind}/${r.channel}/${r.state}`)).toEqual([
      'confirm/zalo/failed',
      'evening/zalo/dropped',
      'soon/zalo/dropped',
      'evening/sms/sent',
      'soon/sms/pending',
      'confirm/sms/sent',
    ]);
    // Never on e-mail too: SMS carried them.
    expect(rows().some((r) => r.channel === 'email')).toBe(false);
  });

  test('our template refused (-109): the console is told, the message still goes by SMS, then e-mail after both', async () => {
    const zns = await znsPeer({ templates: {} });
    const smsc = await smsPeer({ refuse: () => 0x0b });
    signUp(1, { texts: true, email: 'n1@example.vn' });
    const settings = settingsOf({ ...zaloEnv(zns), SMPP_URL: smsc.url, SMS_SENDER: 'HOICTDCAMAU' });
    channels = { ...openChannels(settings, () => signups.db) };
    const email = { sent: [] as string[] };
    channels.email = {
      send: (message) => {
        email.sent.push(message.kind);
        return Promise.resolve({ kind: 'sent' });
      },
      close: () => Promise.resolve(),
    };
    await round(settings);
    expect(reminders.setupErrors().map((e) => e.channel)).toContain('zalo');
    expect(outboxStatus(signups.db, settings, EVENING).setupErrors).toContainEqual(
      expect.objectContaining({ channel: 'zalo', kind: 'evening', error: expect.stringContaining('-109') as unknown }),
    );
    expect(email.sent).toEqual(['evening']);
  });

  test('ZNS answers sorted: sent, try again, no Zalo, our setup', () => {
    expect(znsDelivery(200, { error: 0 }).kind).toBe('sent');
    for (const code of [-100, -115]) expect(znsDelivery(200, { error: code }).kind).toBe('retry');
    expect(znsDelivery(429, {}).kind).toBe('retry');
    expect(znsDelivery(502, {}).kind).toBe('retry');
    for (const code of [-108, -114, -118, -119]) expect(znsDelivery(200, { error: code }).kind).toBe('gone');
    for (const code of [-109, -112, -117])
      expect(znsDelivery(200, { error: code })).toMatchObject({ kind: 'failed', setup: true });
  });

  test("a name with emoji or control characters is cleaned and cut to ZNS's 30 characters", () => {
    expect(znsParam('Nguyễn 🩸 Văn\u0000 A\u202e', 30)).toBe('Nguyễn Văn A');
    expect([...znsParam('Huỳnh Thị Ngọc Bích Trâm Anh Thư Ngọc', 30)].length).toBeLessThanOrEqual(30);
  });

  test('every phone form people type reaches ZNS and the SMSC as 84 and nine digits', () => {
    for (const typed of ['0912 345 678', '+84 912.345.678', '84912345678', '(091) 234-5678', '+84912345678']) {
      const stored = normalizeMobile(typed);
      expect(stored).not.toBeNull();
      expect(znsPhone(stored ?? '')).toMatch(/^84[35789]\d{8}$/);
    }
  });
});

describe('settings', () => {
  test('SMPP_URL, SMS_SENDER and the Zalo settings are checked with Vietnamese messages', () => {
    expect(() => readSettings({ SMS_SENDER: 'HOICTD' })).toThrow(/chưa đặt SMPP_URL/);
    expect(() => readSettings({ SMPP_URL: 'http://x', SMS_SENDER: 'HOICTD' })).toThrow(/SMPP_URL phải có dạng/);
    expect(() => readSettings({ SMPP_URL: 'smpp://a:b@h:1', SMS_SENDER: 'Hội Chữ thập đỏ' })).toThrow(/SMS_SENDER/);
    expect(() => readSettings({ ZALO_APP_ID: '1' })).toThrow(/chưa đặt ZALO_APP_SECRET, ZALO_REFRESH_TOKEN/);
    expect(() => readSettings({ ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_REFRESH_TOKEN: 'r' })).toThrow(
      /ZALO_TEMPLATE_EVENING/,
    );
    expect(() =>
      readSettings({ ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_REFRESH_TOKEN: 'r', ZALO_TEMPLATE_SOON: 'abc' }),
    ).toThrow(/mã mẫu ZNS/);
    const sms = readSettings({ SMPP_URL: 'smpps://hoictd:mk@smsc.vn', SMS_SENDER: 'HOICTDCAMAU' }).reminders.sms;
    expect(sms).toMatchObject({ host: 'smsc.vn', port: 3550, tls: true, systemId: 'hoictd', unicode: false, rate: 10 });
  });
});
