/**
 * The desk as an organiser meets it on a phone (Chromium at 390 × 844):
 * a day that is not the drive's (warned, refused until confirmed, the date
 * to give again still from the drive's day), the code field on the first
 * screen after a check-in, a saved 250 ml that stays chosen, undo, the
 * figures fitting the screen, walk-in boxes of 24 px in 44 px rows, the
 * change log in words and Cà Mau time, and a cancelled drive listed as such.
 * Against `npm start` with a database of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { DAYS_BETWEEN_GIFTS } from '../../src/console/desk-actions.ts';
import { OTHER_DAY_WORDS } from '../../src/console/words.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { formatCode, newConfirmationCode } from '../../src/signup/codes.ts';
import { SignupStore } from '../../src/signup/store.ts';
import {
  addDays,
  calendarDateInVietnam,
  formatDate,
  formatTime,
  startOfCalendarDate,
  toIsoWithOffset,
} from '../../src/shared/dates.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { addAccount, newUsername, signIn, signInPage } from './console-accounts.ts';
import { readDrives } from './drive-data.ts';
import { postForm } from './forms.ts';

const folder = mkdtempSync(join(tmpdir(), 'desk-390-'));
const signupDb = join(folder, 'signups.sqlite');
const site = await startSite({ SIGNUP_DB: signupDb, LOGIN_RATE_LIMIT: '100000', SITE_DIST: FIXTURE_DIST });
const baseUrl = site.url;
afterAll(async () => {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});
const drives = await readDrives();
function needed<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the test site needs ${what}`);
  return value;
}
const drive = needed(nextOpenDrives(drives, new Date(), 5)[0], 'an upcoming drive');
const cancelledDrive = needed(
  drives.find((d) => d.status === 'cancelled'),
  'a cancelled drive',
);
const driveDay = calendarDateInVietnam(drive.start);
const slots = driveSlots(drive).map((s) => ({ id: s.id, end: toIsoWithOffset(s.end), places: s.places }));
const VIEWPORT = { width: 390, height: 844 };
const openPage = useSiteBrowser(baseUrl);
const deskPath = `/to-chuc/${drive.slug}/`;
const day = (calendarDate: string) => formatDate(startOfCalendarDate(calendarDate as typeof driveDay));

let admin: string;
beforeAll(async () => {
  admin = newUsername('ban');
  await addAccount(signupDb, admin, 'admin');
});

function withStore<T>(work: (store: SignupStore) => T): T {
  const store = new SignupStore(signupDb);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

let people = 0;
function signUp(weightKg = 55): string {
  const slot = slots[0];
  if (!slot) throw new Error('the drive has no slots');
  people += 1;
  const code = newConfirmationCode();
  withStore((store) =>
    store.takePlace({
      code,
      drive: drive.slug,
      slot: slot.id,
      slotEnd: slot.end,
      capacity: 100_000,
      person: {
        fullName: `Người Ở Bàn ${people}`,
        phone: `+8498${String(Date.now() % 100_000).padStart(5, '0')}${String(people).padStart(2, '0')}`,
        birthYear: 1992,
        sex: 'male',
        weightKg,
      },
      now: new Date(),
    }),
  );
  return code;
}
const deskOf = (code: string) => withStore((store) => store.byCode(code)?.desk);

/** The box of the first element matching `selector`, in the viewport's coordinates. */
const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const { top, bottom, left, right, width, height } = element.getBoundingClientRect();
      return { top, bottom, left, right, width, height };
    });

describe('a drive’s desk on another day than the drive’s', () => {
  test('warns, refuses until the day is confirmed, then keeps the code field on screen; 250 ml stays chosen; undo', async () => {
    const code = signUp();
    const { page, context, errors, outsideRequests } = await openPage({ viewport: VIEWPORT });
    await signInPage(page, baseUrl, admin);
    await page.goto(`${baseUrl}${deskPath}`);
    const notice = page.locator('[data-other-day]');
    expect(await notice.textContent()).toContain(`Đợt này diễn ra ngày ${day(driveDay)}`);
    expect(await notice.textContent()).toContain(`hôm nay mới ${day(calendarDateInVietnam(new Date()))}`);
    expect(await axeViolations(page)).toEqual([]);

    // Not confirmed: refused, in words, and nothing stored.
    await page.fill('#ma', formatCode(code));
    await page.click('[data-check-in] button');
    await expect.poll(() => page.textContent('[data-message]')).toContain('Chưa ghi gì');
    expect(await page.getAttribute('[data-message]', 'role')).toBe('alert');
    expect(deskOf(code)?.arrivedAt).toBeNull();
    await page.screenshot({ path: '/tmp/desk-other-day-390.png' });

    await Promise.all([page.waitForURL(/[?&]ngay=/), page.click(`text=${OTHER_DAY_WORDS.confirm(driveDay)}`)]);
    expect(await notice.textContent()).toContain(OTHER_DAY_WORDS.confirmed(driveDay));
    await page.fill('#ma', formatCode(code).toLowerCase());
    await Promise.all([page.waitForURL(/\?ma=.*ngay=/), page.click('[data-check-in] button')]);
    expect(await page.textContent('[data-message]')).toContain('Đã ghi nhận đến');
    expect(await page.textContent(`[data-person="${code}"] [data-status-for]`)).toBe('Đã đến');
    expect(deskOf(code)?.arrivedAt).not.toBeNull();

    // The next donor's code goes in without scrolling; the person just checked in is on screen too.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const field = await box(page, '#ma');
    expect(field.top).toBeGreaterThanOrEqual(0);
    expect(field.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    const name = await box(page, `[data-person="${code}"] h2`);
    expect(name.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/desk-checked-in-390.png' });

    await page.check('input[name="volume"][value="250"]');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/thao-tac.json')),
      page.click('text=Ghi nhận đã hiến'),
    ]);
    await page.waitForLoadState('load');
    await expect.poll(() => page.textContent('[data-message]'), { timeout: 15_000 }).toContain('Đã ghi nhận hiến máu');
    const again = addDays(driveDay, DAYS_BETWEEN_GIFTS);
    expect(deskOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 250, returnAfter: again });
    expect(await page.isChecked('input[name="volume"][value="250"]')).toBe(true);
    expect(await page.isChecked('input[name="volume"][value="350"]')).toBe(false);
    expect(await page.textContent(`[data-person="${code}"]`)).toContain(`hiến lại từ ${day(again)}`);
    await page.screenshot({ path: '/tmp/desk-gave-390.png', fullPage: true });

    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/thao-tac.json')),
      page.click('text=Hoàn tác thao tác vừa rồi của tôi'),
    ]);
    await page.waitForLoadState('load');
    await expect.poll(() => deskOf(code)?.outcome ?? null, { timeout: 15_000 }).toBeNull();
    expect(deskOf(code)?.arrivedAt).not.toBeNull();
    // The refused check-in's 409 is the browser's own line about a status, not the page's.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    expect(outsideRequests).toEqual([]);
    await context.close();
  });

  test('without JavaScript: a post is refused (409, in words) until the page’s address confirms the day', async () => {
    const code = signUp();
    const cookie = await signIn(baseUrl, admin);
    const origin = new URL(baseUrl).origin;
    const send = (path: string, fields: Record<string, string>) =>
      postForm(baseUrl, path, fields, { origin, headers: { Cookie: cookie } });
    const refused = await send(deskPath, { intent: 'gave', code, volume: '250' });
    expect(refused.status).toBe(409);
    const page = await refused.text();
    expect(page).toContain(`Đợt này diễn ra ngày ${day(driveDay)}`);
    expect(page).toContain('Chưa ghi gì');
    expect(deskOf(code)?.outcome).toBeNull();
    // A confirmation of some other day confirms nothing.
    expect((await send(`${deskPath}?ngay=${addDays(driveDay, 1)}`, { intent: 'arrive', code })).status).toBe(409);
    const json = await send(`${deskPath}thao-tac.json`, { intent: 'arrive', code });
    expect(json.status).toBe(409);
    expect(await json.json()).toMatchObject({ ok: false, problem: 'other-day', driveDay });

    const done = await send(`${deskPath}?ngay=${driveDay}`, { intent: 'gave', code, volume: '250' });
    expect(done.status).toBe(200);
    const after = await done.text();
    expect(after).toContain('Đã ghi nhận hiến máu');
    expect(after).toMatch(/value="250"[^>]*checked|checked[^>]*value="250"/);
    expect(deskOf(code)).toMatchObject({ outcome: 'gave', returnAfter: addDays(driveDay, DAYS_BETWEEN_GIFTS) });
  });
});

describe('the desk at 390 px', () => {
  test('the figures fit the screen; walk-in boxes are 24 px in 44 px rows; a walk-in is registered', async () => {
    const { page, context, errors } = await openPage({ viewport: VIEWPORT });
    await signInPage(page, baseUrl, admin);
    await page.goto(`${baseUrl}${deskPath}?ngay=${driveDay}`);

    const region = page.locator('[aria-labelledby="so-lieu"][role="region"]');
    const fits = await region.evaluate((element) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
      right: element.getBoundingClientRect().right,
      headers: [...element.querySelectorAll('th')].map((th) => ({
        text: th.textContent?.trim() ?? '',
        right: th.getBoundingClientRect().right,
      })),
    }));
    expect(fits.scroll).toBeLessThanOrEqual(fits.client);
    expect(fits.right).toBeLessThanOrEqual(VIEWPORT.width);
    for (const header of fits.headers) expect(header.right, header.text).toBeLessThanOrEqual(fits.right + 0.5);
    expect(fits.headers.map((h) => h.text)).toEqual(expect.arrayContaining(['Vắng', 'Đến trực tiếp']));
    await region.screenshot({ path: '/tmp/desk-figures-390.png' });

    await page.click('summary:has-text("Đăng ký tại chỗ")');
    const form = page.locator('form:has(input[name="intent"][value="walk-in"])');
    const marks = await form.locator('input[type="radio"], input[type="checkbox"]').evaluateAll((inputs) =>
      inputs.map((input) => {
        const own = input.getBoundingClientRect();
        const row = (input.closest('label') ?? input).getBoundingClientRect();
        return { name: (input as HTMLInputElement).name, width: own.width, height: own.height, row: row.height };
      }),
    );
    expect(marks.map((m) => m.name).sort()).toEqual(['allowOver', 'consent', 'sex', 'sex']);
    for (const mark of marks) {
      expect(mark.width, mark.name).toBeGreaterThanOrEqual(24);
      expect(mark.height, mark.name).toBeGreaterThanOrEqual(24);
      expect(mark.row, mark.name).toBeGreaterThanOrEqual(44);
    }
    // A mistake is shown beside its field, the answers kept.
    await page.fill('#tc-so-dien-thoai', '0913 222 444');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`${deskPath}?ngay=`)),
      page.click('text=Đăng ký và ghi nhận đã đến'),
    ]);
    await page.waitForLoadState('load');
    expect(await page.textContent('#tc-ho-ten-loi')).toContain('Vui lòng nhập họ và tên');
    expect(await page.inputValue('#tc-so-dien-thoai')).toBe('0913 222 444');
    await page.fill('#tc-ho-ten', 'Phan Văn Tại Chỗ');
    await page.fill('#tc-so-dien-thoai', '0913 222 444');
    await page.fill('#tc-nam-sinh', '1985');
    await page.check('input[name="sex"][value="male"]');
    await page.fill('#tc-can-nang', '60');
    await page.check('input[name="consent"]');
    await form.screenshot({ path: '/tmp/desk-walk-in-390.png' });
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/thao-tac.json')),
      page.click('text=Đăng ký và ghi nhận đã đến'),
    ]);
    await page.waitForLoadState('load');
    await expect.poll(() => page.textContent('[data-message]'), { timeout: 15_000 }).toContain('Đã đăng ký tại chỗ');
    const walkIn = withStore((store) => store.list(drive.slug).find((s) => s.fullName === 'Phan Văn Tại Chỗ'));
    expect(walkIn?.desk).toMatchObject({ walkIn: true });
    expect(walkIn?.lastDonation ?? null).toBeNull();
    // The refused walk-in's two 422s (the island's, then the page's) are the browser's lines about a status.
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    await context.close();
  });

  test('the change log reads in words and Cà Mau time; a cancelled drive is listed as cancelled', async () => {
    const code = signUp();
    const cookie = await signIn(baseUrl, admin);
    await postForm(
      baseUrl,
      `${deskPath}?ngay=${driveDay}`,
      { intent: 'gave', code, volume: '350' },
      { origin: new URL(baseUrl).origin, headers: { Cookie: cookie } },
    );
    const arrivedAt = new Date(deskOf(code)?.arrivedAt ?? '');
    const { page, context } = await openPage({ viewport: VIEWPORT });
    await signInPage(page, baseUrl, admin);
    await page.goto(`${baseUrl}${deskPath}nhat-ky/`);
    const row = page.locator('tbody tr', { hasText: formatCode(code) }).first();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Đã hiến');
    expect(text).toContain('Chưa đến →');
    expect(text).toContain(`đến lúc ${formatDate(arrivedAt)} ${formatTime(arrivedAt)}`);
    expect(text).toContain(`350 ml`);
    expect(text).toContain(`được hiến lại từ ${day(addDays(driveDay, DAYS_BETWEEN_GIFTS))}`);
    const log = await page.locator('[role="region"][aria-label="Nhật ký"]').evaluate((element) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
    }));
    expect(log.scroll).toBeLessThanOrEqual(log.client);
    const table = (await page.textContent('table')) ?? '';
    expect(table).not.toMatch(/[{}"]|arrived_at|outcome|volume_ml|\d{4}-\d{2}-\d{2}T/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/desk-log-390.png', fullPage: true });

    await page.goto(`${baseUrl}/to-chuc/`);
    const item = page.locator('li', { hasText: cancelledDrive.name }).first();
    const when = (await item.locator('p').first().textContent()) ?? '';
    expect(when).toMatch(/^Đã hủy ·/);
    expect(when).not.toContain('Sắp tới');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
