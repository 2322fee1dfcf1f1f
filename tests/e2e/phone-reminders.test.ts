/**
 * Issue 25's "done when", as a new user would in Chromium at 390 px: sign up with reminders
 * by phone and no e-mail; the confirmation reaches the loopback ZNS peer at once (the
 * server's sender, woken by the sign-up); with the ZNS peer answering "no Zalo account"
 * (-118), the evening-before reminder reaches the loopback SMPP peer in one part, without
 * diacritics, with a stop link that leads to the stop page; a second `reminders send` sends
 * nothing. Then a blood appeal for O+ (issue 26): by Zalo's appeal template to a donor who has
 * Zalo, by SMS to one whose number has none, never on both.
 */
import { afterAll, expect, test } from 'vitest';
import { startSmppPeer, startZnsPeer } from '../../scripts/phone-peers.mjs';
import { eveningBefore } from '../../src/reminders/schedule.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { addAccount, newUsername, signIn } from './console-accounts.ts';
import { codeOf, postForm } from './forms.ts';
import { newPerson, postSignup, startReminderSite } from './reminder-site.ts';

const SHOTS = process.env['REMINDER_SHOTS'] ?? join(tmpdir(), 'phone-reminder-shots');
mkdirSync(SHOTS, { recursive: true });
const drives = await readDrives();
const hospital = drives.find((d) => d.slug === 'xuan-hong-benh-vien-da-khoa-ca-mau');
if (!hospital) throw new Error('the test site has no hospital drive');
const [slot] = driveSlots(hospital);
if (!slot) throw new Error('the hospital drive has no slots');

let answer = 0;
/** Numbers (84…) that have no Zalo account, whatever `answer` says. */
const noZalo = new Set<string>();
const zns = await startZnsPeer({
  appId: '4242',
  appSecret: 'bi-mat-ung-dung',
  refreshToken: 'rt-dau-tien',
  templates: { '1001': ['ten', 'ma'], '1002': ['ten', 'ma', 'gio'], '1003': ['nhom_mau', 'diem'] },
  answer: (message) => (noZalo.has(message.phone) ? -118 : answer),
});
const smsc = await startSmppPeer({ systemId: 'hoictd', password: 'mk123456', sender: 'HOICTDCAMAU' });
const rs = await startReminderSite({
  scheduler: true,
  env: {
    ZALO_APP_ID: '4242',
    ZALO_APP_SECRET: 'bi-mat-ung-dung',
    ZALO_REFRESH_TOKEN: 'rt-dau-tien',
    ZALO_TEMPLATE_CONFIRM: '1001 name=ten code=ma',
    ZALO_TEMPLATE_EVENING: '1002 name=ten code=ma time=gio',
    ZALO_TEMPLATE_APPEAL: '1003 group=nhom_mau place=diem',
    ZALO_API_URL: zns.apiUrl,
    ZALO_OAUTH_URL: zns.oauthUrl,
    SMPP_URL: smsc.url,
    SMS_SENDER: 'HOICTDCAMAU',
  },
});
afterAll(async () => {
  await rs.stop();
  await Promise.all([zns.close(), smsc.close()]);
});
const openPage = useSiteBrowser(rs.url);

test(
  'sign up by phone at 390 px: Zalo confirms at once, no Zalo → SMS in one part with a working stop link',
  { timeout: 120_000 },
  async () => {
    const person = newPerson();
    const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${rs.url}/diem-hien-mau/${hospital.slug}/`);
      await page.waitForSelector('[data-reminders]:not([hidden])');
      // The consent names the phone channels this server has.
      expect(await page.textContent('[data-words="texts-label"]')).toBe(
        'Tin Zalo đến số điện thoại ở trên (tin nhắn SMS nếu số này không dùng Zalo)',
      );
      await page.check(`input[name="slot"][value="${slot.id}"]`);
      await page.fill('#ho-ten', person.fullName);
      await page.fill('#so-dien-thoai', person.phone);
      await page.fill('#nam-sinh', '1990');
      await page.fill('#can-nang', '58');
      await page.check('#gioi-tinh-nu');
      await page.check('#dong-y');
      await page.check('#nhac-hen');
      await page.check('#nhac-qua-tin-nhan');
      // The form token is aged past the too-fast check.
      await page.waitForTimeout(3_200);
      await Promise.all([page.waitForURL(/_action=signup/), page.click('button:has-text("Đăng ký hiến máu")')]);
      await page.waitForLoadState('load');
      const shown = await page.$('[data-confirmation-code]');
      if (!shown) throw new Error((await page.textContent('main')) ?? '');
      const code = (await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')) ?? '';
      expect(code).not.toBe('');
      await expect.poll(() => zns.received.length, { timeout: 20_000 }).toBe(1);
      expect(zns.received[0]).toMatchObject({ templateId: '1001', phone: `84${person.phone.slice(1)}` });
      expect(zns.problems).toEqual([]);
    } finally {
      await context.close();
    }

    answer = -118;
    const at = eveningBefore(slot.start).toISOString();
    const first = await rs.cli(['reminders', 'send', '--at', at]);
    expect(first.code).toBe(0);
    expect(smsc.received).toHaveLength(1);
    const [sms] = smsc.received;
    expect(sms).toMatchObject({ parts: 1, dataCoding: 0, to: `84${person.phone.slice(1)}` });
    expect(sms?.text).toMatch(/^Nhac hen: ngay mai /);
    expect(sms?.text).not.toMatch(/[^\x20-\x7e]/);
    const stop = /(https?:\/\/\S+\/nhac-hen\/d\/\S+)/.exec(sms?.text ?? '')?.[1] ?? '';
    expect(new URL(stop).pathname.length).toBeLessThanOrEqual(30);
    const redirect = await fetch(stop, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const stopPage = await fetch(new URL(redirect.headers.get('location') ?? '', rs.url));
    expect(stopPage.status).toBe(200);
    expect(await stopPage.text()).toContain('Dừng nhận nhắc hẹn');

    const second = await rs.cli(['reminders', 'send', '--at', at]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/: 0 đã gửi/);
    expect(smsc.received).toHaveLength(1);
    expect(zns.received).toHaveLength(1);
  },
);

test('a blood appeal goes by Zalo’s appeal template, and by SMS to a number without Zalo, once each', async () => {
  answer = 0;
  const withZalo = await postSignup(rs.url, hospital.slug, slot.id, {
    bloodGroup: 'O+',
    reminders: 'yes',
    reminderSms: 'yes',
  });
  const withoutZalo = await postSignup(rs.url, hospital.slug, slot.id, {
    bloodGroup: 'O+',
    reminders: 'yes',
    reminderSms: 'yes',
  });
  for (const { response, html } of [withZalo, withoutZalo]) expect(response.status, html.slice(0, 300)).toBe(200);
  const zaloNumber = `84${withZalo.person.phone.slice(1)}`;
  const smsNumber = `84${withoutZalo.person.phone.slice(1)}`;
  // Their confirmations first, so what follows counts the appeal alone; then one number has no Zalo.
  await expect
    .poll(
      () => zns.received.filter((m) => m.templateId === '1001' && [zaloNumber, smsNumber].includes(m.phone)).length,
      {
        timeout: 20_000,
      },
    )
    .toBe(2);
  noZalo.add(smsNumber);
  const before = { zns: zns.received.length, sms: smsc.received.length };

  const admin = newUsername('qt');
  await addAccount(rs.db, admin, 'admin');
  const cookie = await signIn(rs.url, admin);
  const pressed = await postForm(
    rs.url,
    '/to-chuc/nhu-cau-mau/',
    { intent: 'appeal', group: 'O+', key: `keu-goi-dien-thoai-${Date.now()}` },
    { headers: { Cookie: cookie } },
  );
  expect(pressed.status).toBe(200);
  expect(await pressed.text()).toContain('tới 2 người');

  await expect.poll(() => smsc.received.length - before.sms, { timeout: 20_000 }).toBe(1);
  await expect.poll(() => zns.received.length - before.zns, { timeout: 20_000 }).toBe(1);
  const byZalo = zns.received.slice(before.zns);
  expect(byZalo).toEqual([expect.objectContaining({ templateId: '1003', phone: zaloNumber })]);
  expect(byZalo[0]?.data).toEqual({ nhom_mau: 'O+', diem: expect.any(String) as unknown });
  const [sms] = smsc.received.slice(before.sms);
  expect(sms).toMatchObject({ to: smsNumber, parts: 1, dataCoding: 0 });
  expect(sms?.text).toMatch(/nhom O\+/);
  const stop = /(https?:\/\/\S+\/nhac-hen\/d\/\S+)/.exec(sms?.text ?? '')?.[1] ?? '';
  expect(new URL(stop).pathname.length).toBeLessThanOrEqual(30);
  expect(zns.problems).toEqual([]);
  expect(smsc.problems).toEqual([]);
  // Nothing more comes later: the one who got Zalo gets no SMS, and the SMS went once.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(smsc.received.slice(before.sms).map((m) => m.to)).toEqual([smsNumber]);
  expect(zns.received.slice(before.zns).map((m) => m.phone)).toEqual([zaloNumber]);
});

test('/nhac-hen/ at 390 px stops Zalo alone: the reminders to come go by SMS; stopping SMS too stops all', async () => {
  answer = 0;
  const signup = await postSignup(rs.url, hospital.slug, slot.id, { reminders: 'yes', reminderSms: 'yes' });
  expect(signup.response.status, signup.html.slice(0, 300)).toBe(200);
  const code = codeOf(signup.html) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{10}$/);
  const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
  try {
    await page.goto(`${rs.url}/nhac-hen/`);
    await page.fill('#ma-nhac-hen', code);
    await page.fill('#sdt-nhac-hen', signup.person.phone);
    await Promise.all([page.waitForURL(/_action=reminderLookup/), page.click('button:has-text("Xem nhắc hẹn")')]);
    expect(await page.textContent('[data-reminder-channels]')).toContain('tin Zalo, tin nhắn SMS');
    await page.screenshot({ path: join(SHOTS, 'nhac-hen-channels-390.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/_action=stopReminders/), page.click('[data-stop-channel="zalo"]')]);
    expect(await page.textContent('[data-channel-stopped]')).toContain('Đã dừng nhận tin qua tin Zalo');
    const left = (await page.textContent('[data-reminder-channels]')) ?? '';
    expect(left).toContain('tin nhắn SMS');
    expect(left).not.toContain('tin Zalo');
    expect(await page.$('[data-stop-channel="zalo"]')).toBeNull();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'nhac-hen-zalo-stopped-390.png'), fullPage: true });

    const db = new DatabaseSync(rs.db, { readOnly: true });
    try {
      const contact = db
        .prepare(
          'SELECT c.zalo_ended_at AS zalo, c.sms_ended_at AS sms, c.stopped_at AS stopped FROM reminder_contacts c JOIN signups s ON s.reminder_contact = c.id WHERE s.code = ?',
        )
        .get(code) as { zalo: string | null; sms: string | null; stopped: string | null };
      expect(contact.zalo).not.toBeNull();
      expect(contact.sms).toBeNull();
      expect(contact.stopped).toBeNull();
      const pending = db
        .prepare("SELECT channel FROM reminder_outbox WHERE signup_code = ? AND state = 'pending'")
        .all(code) as { channel: string }[];
      expect(pending.length).toBeGreaterThan(0);
      expect(new Set(pending.map((p) => p.channel))).toEqual(new Set(['sms']));
    } finally {
      db.close();
    }

    // The button for everything stops the rest.
    await Promise.all([page.waitForURL(/_action=stopReminders/), page.click('button:has-text("Dừng mọi nhắc hẹn")')]);
    await page.waitForSelector('[data-reminders-stopped]');
  } finally {
    await context.close();
  }
});
