/**
 * Blood needs end to end, as a new user would, at 390 px: an admin sets O+ to the lowest
 * level in the console; the home page (built before) shows the banner from the live JSON
 * without a rebuild and nothing shifts on a CPU slowed four times; /nhu-cau-mau/ says when
 * each level was set and draws its 30 days; the O appeal page carries the Open Graph tags a
 * scraper reads; "Gửi lời kêu gọi" reaches the loopback mail and push peers only for the
 * consenting O+ donors who may give again, and a second press sends nothing new. Then a table
 * of hostile requests and a bounded fuzz of the new routes, and the rights.
 * Screenshots go to $NEEDS_SHOTS (default a temporary folder) to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { ParsedMail } from 'mailparser';
import { SignupStore } from '../../src/signup/store.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { englishIn } from '../unit/english.ts';
import { axeViolations, countLayoutShifts, layoutShiftSoFar, useSiteBrowser } from './browser.ts';
import { addAccount, newUsername, signIn, signInPage } from './console-accounts.ts';
import { postForm } from './forms.ts';
import { readDrives } from './drive-data.ts';
import { postSignup, startReminderSite, type ReminderSite } from './reminder-site.ts';

const SHOTS = process.env['NEEDS_SHOTS'] ?? join(tmpdir(), 'needs-shots');
mkdirSync(SHOTS, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 } };

const drives = await readDrives();
const hospital = drives.find((d) => d.slug === 'xuan-hong-benh-vien-da-khoa-ca-mau');
if (!hospital) throw new Error('the test site has no hospital drive');
const [slot] = driveSlots(hospital).map((s) => ({ id: s.id, end: toIsoWithOffset(s.end) }));
if (!slot) throw new Error('the hospital drive has no slots');

const rs: ReminderSite = await startReminderSite();
afterAll(() => rs.stop());
const openPage = useSiteBrowser(rs.url);
const admin = newUsername('qt');
const staff = newUsername('nv');
await addAccount(rs.db, admin, 'admin');
await addAccount(rs.db, staff, 'staff', [hospital.slug]);

const withDb = <T>(work: (store: SignupStore) => T): T => {
  const store = new SignupStore(rs.db);
  try {
    return work(store);
  } finally {
    store.close();
  }
};
const mailsTo = (address: string) =>
  rs.smtp.received.filter((m) => m.to.includes(address)).map((m) => m.mail as ParsedMail);

// The people: O+ with mail and push (reached); O+ without reminders; A+ with mail; O+ with
// mail whose gift at a desk means they may not give again by the drive's day.
const stamp = Date.now();
const reached = { email: `o-duong-${stamp}@example.vn`, push: rs.push.subscribe(`o-duong-${stamp}`) };
const otherMails = {
  noConsent: `khong-${stamp}@example.vn`,
  groupA: `a-duong-${stamp}@example.vn`,
  gaveLately: `vua-hien-${stamp}@example.vn`,
};

describe('as an organiser and a donor would, at 390 px', () => {
  test('donors sign up, some with their blood group', async () => {
    const signups = [
      {
        bloodGroup: 'O+',
        reminders: 'yes',
        email: reached.email,
        reminderPush: 'yes',
        pushSubscription: JSON.stringify(reached.push),
      },
      { bloodGroup: 'O+' },
      { bloodGroup: 'A+', reminders: 'yes', email: otherMails.groupA },
      { bloodGroup: 'O+', reminders: 'yes', email: otherMails.gaveLately },
    ];
    const answers = [];
    for (const extra of signups) answers.push(await postSignup(rs.url, hospital.slug, slot.id, extra));
    for (const { response, html } of answers) expect(response.status, html.slice(0, 400)).toBe(200);
    const lately = answers[3]?.person.phone ?? '';
    withDb((store) => {
      expect(store.db.prepare('SELECT blood_group FROM signups WHERE phone = ?').get(`+84${lately.slice(1)}`)).toEqual({
        blood_group: 'O+',
      });
      // A gift recorded at a desk last week: may come back only after the drive.
      store.db
        .prepare("UPDATE signups SET outcome = 'gave', return_after = '2027-06-01' WHERE phone = ?")
        .run(`+84${lately.slice(1)}`);
    });
  });

  test('an admin sets O+ to "rất thiếu" in the console; the change is in its log', async () => {
    const { page, context } = await openPage(PHONE);
    try {
      await signInPage(page, rs.url, admin);
      await page.goto(`${rs.url}/to-chuc/nhu-cau-mau/`);
      await page.selectOption('#muc-O\\+', '1');
      await page.fill('#ghi-chu-O\\+', 'Cần cho các ca mổ cấp cứu');
      await page.fill('#nguon', 'Ngân hàng máu Bệnh viện Đa khoa tỉnh (điện thoại)');
      await page.click('button:has-text("Lưu mức máu")');
      await page.waitForSelector('[data-needs-notice="ok"]');
      expect(await page.textContent('[data-group="O+"] label')).toContain('rất thiếu');
      expect(await page.textContent('#nhat-ky ~ ul')).toMatch(/Đặt mức máu O\+: — → rất thiếu/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SHOTS, 'console-390.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the home page, built before, shows the banner without a rebuild, and nothing shifts (4× CPU)', async () => {
    const { page, context } = await openPage(PHONE);
    try {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await countLayoutShifts(page);
      await page.goto(`${rs.url}/`, { waitUntil: 'networkidle' });
      await page.waitForSelector('needs-banner:not([hidden])');
      expect(await page.textContent('needs-banner a')).toBe('Đang cần gấp máu nhóm O+ – tìm điểm hiến gần bạn');
      expect(await page.getAttribute('needs-banner a', 'href')).toBe('/nhu-cau-mau/nhom-o/');
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      expect(await layoutShiftSoFar(page)).toBe(0);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await page.screenshot({ path: join(SHOTS, 'home-banner-390.png') });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('/nhu-cau-mau/ shows every group, when it was set, and a 30-day chart drawn at the server', async () => {
    const { page, context } = await openPage({ ...PHONE, javaScriptEnabled: false });
    try {
      await page.goto(`${rs.url}/nhu-cau-mau/`);
      const o = page.locator('[data-need-group="O+"]');
      expect(await o.getAttribute('data-need-level')).toBe('1');
      expect(await o.textContent()).toMatch(/rất thiếu.*Cập nhật lúc \d\d\/\d\d\/\d{4} \d\d:\d\d/);
      expect(await page.locator('[data-need-group="A-"]').textContent()).toContain('Chưa từng cập nhật');
      expect(await page.locator('svg.needs-chart').count()).toBe(8);
      expect(await o.locator('svg path').getAttribute('d')).toMatch(/^M/);
      expect(await page.textContent('[data-needs-as-of]')).toMatch(/\d\d\/\d\d\/\d{4}/);
    } finally {
      await context.close();
    }
    // axe runs as a script: a page with JavaScript.
    const withJs = await openPage(PHONE);
    try {
      await withJs.page.goto(`${rs.url}/nhu-cau-mau/`);
      await withJs.page.screenshot({ path: join(SHOTS, 'needs-390.png'), fullPage: true });
      expect(await axeViolations(withJs.page)).toEqual([]);
    } finally {
      await withJs.context.close();
    }
  });

  test('/nhu-cau-mau/nhom-o/ shares a card open-graph scrapers read, with the share bar, drives and poster', async () => {
    const html = await (await fetch(`${rs.url}/nhu-cau-mau/nhom-o/`)).text();
    const meta = (property: string) =>
      new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html)?.[1];
    expect(meta('og:title')).toMatch(/^Cần máu nhóm O/);
    const image = meta('og:image') ?? '';
    expect(image).toMatch(/^https?:\/\/.*\/og\/nhu-cau-mau\/nhom-o\.png$/);
    expect(meta('og:image:width')).toBe('1200');
    expect(meta('twitter:card')).toBe('summary_large_image');
    const png = await fetch(`${rs.url}${new URL(image).pathname}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const { page, context } = await openPage(PHONE);
    try {
      await page.goto(`${rs.url}/nhu-cau-mau/nhom-o/`);
      expect(await page.locator('share-bar').count()).toBe(1);
      expect(await page.locator('[data-appeal-drives] li[data-drive-id]').count()).toBeGreaterThan(0);
      expect(await page.locator('figure[data-qr]').count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, 'appeal-o-390.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${rs.url}/nhu-cau-mau/nhom-o/in/`);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBe(1);
    } finally {
      await context.close();
    }
  });

  test('"Gửi lời kêu gọi": the count and preview, then mail and push only to the consenting O+ donor who may give again', async () => {
    const { page, context } = await openPage(PHONE);
    try {
      await signInPage(page, rs.url, admin);
      await page.goto(`${rs.url}/to-chuc/nhu-cau-mau/?keu-goi=${encodeURIComponent('O+')}`);
      expect(await page.textContent('[data-appeal-count]')).toBe('1');
      expect(await page.textContent('[data-appeal-preview]')).toContain('Đang cần gấp máu nhóm O+');
      await page.screenshot({ path: join(SHOTS, 'appeal-preview-390.png'), fullPage: true });
      await page.click('button:has-text("Gửi lời kêu gọi nhóm O+")');
      await page.waitForSelector('[data-needs-notice="ok"]');
      expect(await page.textContent('[data-needs-notice]')).toContain('tới 1 người');
      await expect.poll(() => mailsTo(reached.email).length, { timeout: 20_000 }).toBe(1);
      await expect
        .poll(() => rs.push.received.filter((p) => p.id === `o-duong-${stamp}`).length, { timeout: 20_000 })
        .toBe(1);
      const [mail] = mailsTo(reached.email);
      expect(mail?.subject).toBe('Đang cần gấp máu nhóm O+');
      // Links lead to the public site (SITE_URL of the build; this server has none of its own).
      expect(mail?.text).toMatch(/https?:\/\/\S+\/nhu-cau-mau\/nhom-o\//);
      expect(mail?.text).toMatch(/\/nhac-hen\/dung\/\?t=/);
      const push = JSON.parse(rs.push.received.find((p) => p.id === `o-duong-${stamp}`)?.payload ?? '{}') as {
        url?: string;
      };
      expect(push.url).toBe('/nhu-cau-mau/nhom-o/');
      for (const other of Object.values(otherMails)) expect(mailsTo(other)).toEqual([]);

      // A second press: the preview finds nobody new, a new appeal sends nothing, the same form replayed is refused.
      const before = { mails: rs.smtp.received.length, pushes: rs.push.received.length };
      await page.goto(`${rs.url}/to-chuc/nhu-cau-mau/?keu-goi=${encodeURIComponent('O+')}`);
      expect(await page.textContent('[data-appeal-count]')).toBe('0');
      const cookie = await signIn(rs.url, admin);
      const press = (key: string) =>
        postForm(
          rs.url,
          '/to-chuc/nhu-cau-mau/',
          { intent: 'appeal', group: 'O+', key },
          { headers: { Cookie: cookie } },
        );
      const again = await press('nhan-lan-hai-12345');
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('Không có ai mới');
      const replay = await press('nhan-lan-hai-12345');
      expect(replay.status).toBe(409);
      await new Promise((done) => setTimeout(done, 1_500));
      expect({ mails: rs.smtp.received.length, pushes: rs.push.received.length }).toEqual(before);
    } finally {
      await context.close();
    }
  });
});

describe('the JSON, hostile requests and rights', () => {
  test('/api/nhu-cau-mau.json is small, cacheable for under a minute and open to other sites', async () => {
    const response = await fetch(`${rs.url}/api/nhu-cau-mau.json`, {
      headers: { Origin: 'https://cong.camau.gov.vn' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/public, max-age=30/);
    const body = await response.text();
    expect(body.length).toBeLessThan(1_500);
    const json = JSON.parse(body) as { banner: { text: string } | null; groups: { group: string; level: number }[] };
    expect(json.banner?.text).toContain('O+');
    expect(json.groups.find((g) => g.group === 'O+')?.level).toBe(1);
  });

  test('a table of hostile posts: each refused in Vietnamese, nothing changed', async () => {
    const adminCookie = await signIn(rs.url, admin);
    const staffCookie = await signIn(rs.url, staff);
    const key = () => `k${Math.random().toString(36).slice(2, 14)}`;
    const level = (extra: Record<string, string>) => ({ intent: 'levels', key: key(), source: 'BV tỉnh', ...extra });
    const fixedKey = key();
    const table: [string, Record<string, string>, { cookie?: string; origin?: string }, number][] = [
      ['a level outside the scale', level({ 'level-O+': '9' }), { cookie: adminCookie }, 422],
      [
        'a note with markup',
        level({ 'level-O+': '2', 'note-O+': '<img src=x onerror=alert(1)>' }),
        { cookie: adminCookie },
        422,
      ],
      ['a group that does not exist', level({ 'level-Z+': '1' }), { cookie: adminCookie }, 422],
      ['no key', { intent: 'levels', 'level-O+': '2', source: 'BV' }, { cookie: adminCookie }, 400],
      ['staff without the right', level({ 'level-O+': '4' }), { cookie: staffCookie }, 403],
      ['staff sending an appeal', { intent: 'appeal', group: 'O+', key: key() }, { cookie: staffCookie }, 403],
      ['a foreign origin', level({ 'level-O+': '4' }), { cookie: adminCookie, origin: 'https://evil.example' }, 403],
      ['nobody signed in', level({ 'level-O+': '4' }), {}, 401],
      ['an appeal for no group', { intent: 'appeal', group: 'O', key: key() }, { cookie: adminCookie }, 422],
      ['an unknown intent', { intent: 'xoa-het', key: key() }, { cookie: adminCookie }, 400],
      ['a grant by staff', { intent: 'grant', username: staff, key: key() }, { cookie: staffCookie }, 403],
    ];
    for (const [what, fields, { cookie, origin }, status] of table) {
      const response = await postForm(rs.url, '/to-chuc/nhu-cau-mau/', fields, {
        ...(origin ? { origin } : {}),
        headers: cookie ? { Cookie: cookie } : {},
      });
      const text = await response.text();
      expect(response.status, what).toBe(status);
      const words = text.replace(/<[^>]+>/g, ' ');
      expect(words, what).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ]/);
    }
    // A replayed form: the first is taken, the second changes nothing.
    const once = level({ 'level-O+': '1', key: fixedKey });
    expect((await postForm(rs.url, '/to-chuc/nhu-cau-mau/', once, { headers: { Cookie: adminCookie } })).status).toBe(
      200,
    );
    const replay = await postForm(rs.url, '/to-chuc/nhu-cau-mau/', once, { headers: { Cookie: adminCookie } });
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('đã được gửi rồi');
    const json = (await (await fetch(`${rs.url}/api/nhu-cau-mau.json`)).json()) as {
      groups: { group: string; level: number }[];
    };
    expect(json.groups.find((g) => g.group === 'O+')?.level).toBe(1);
  });

  test('with the right (granted by `signups -- user grant`), staff set levels; revoked, they cannot', async () => {
    expect((await rs.cli(['user', 'grant', staff, 'blood-levels'])).code).toBe(0);
    const cookie = await signIn(rs.url, staff);
    const post = () =>
      postForm(
        rs.url,
        '/to-chuc/nhu-cau-mau/',
        { intent: 'levels', key: `k${Math.random().toString(36).slice(2, 14)}`, 'level-B-': '3', source: 'BV' },
        { headers: { Cookie: cookie } },
      );
    expect((await post()).status).toBe(200);
    const revoke = await rs.cli(['user', 'revoke', staff, 'blood-levels']);
    expect(revoke.code).toBe(0);
    expect(englishIn(revoke.stdout)).toEqual([]);
    expect((await post()).status).toBe(403);
  });

  test('a bounded fuzz of the new routes: never a 5xx, never markup kept', async () => {
    const cookie = await signIn(rs.url, admin);
    const field = fc.oneof(
      fc.constantFrom('intent', 'key', 'source', 'group', 'level-O+', 'note-O+', 'username'),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.oneof(
      fc.constantFrom('levels', 'appeal', 'grant', '1', '5', 'O+', '<b>x</b>'),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, value), { maxLength: 8 }), async (pairs) => {
        const fields = Object.fromEntries(pairs);
        const response = await postForm(rs.url, '/to-chuc/nhu-cau-mau/', fields, { headers: { Cookie: cookie } });
        await response.text();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    const json = await fetch(`${rs.url}/api/nhu-cau-mau.json?${'x'.repeat(500)}`);
    expect(json.status).toBe(200);
    const page = await (await fetch(`${rs.url}/nhu-cau-mau/`)).text();
    expect(page).not.toContain('<b>x</b>');
  });
});
