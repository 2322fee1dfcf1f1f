/**
 * Issue 25's "done when", as a new user would in Chromium at 390 px: sign up with reminders
 * by phone and no e-mail; the confirmation reaches the loopback ZNS peer at once (the
 * server's sender, woken by the sign-up); with the ZNS peer answering "no Zalo account"
 * (-118), the evening-before reminder reaches the loopback SMPP peer in one part, without
 * diacritics, with a stop link that leads to the stop page; a second `reminders send` sends
 * nothing.
 */
import { afterAll, expect, test } from 'vitest';
import { startSmppPeer, startZnsPeer } from '../../scripts/phone-peers.mjs';
import { eveningBefore } from '../../src/reminders/schedule.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { newPerson, startReminderSite } from './reminder-site.ts';

const drives = await readDrives();
const hospital = drives.find((d) => d.slug === 'xuan-hong-benh-vien-da-khoa-ca-mau');
if (!hospital) throw new Error('the test site has no hospital drive');
const [slot] = driveSlots(hospital);
if (!slot) throw new Error('the hospital drive has no slots');

let answer = 0;
const zns = await startZnsPeer({
  appId: '4242',
  appSecret: 'bi-mat-ung-dung',
  refreshToken: 'rt-dau-tien',
  templates: { '1001': ['ten', 'ma'], '1002': ['ten', 'ma', 'gio'] },
  answer: () => answer,
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
