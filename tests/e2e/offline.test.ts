/**
 * The site in the donor's pocket, in Chromium against `npm start`: after a
 * first visit the kept pages open with the network off, other pages give
 * the offline page, a sign-up is kept on the device with a QR code that
 * decodes back to its code, live data never comes from a cache, and the
 * site is installable within its budgets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { normalizeCode } from '../../src/signup/codes.ts';
import { OFFLINE_SET_BUDGET_BYTES } from '../../src/offline/offline-plan.ts';
import { launchPersistentChromium } from '../../scripts/chromium.mjs';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { HUMAN_FILL_MS } from './forms.ts';

const baseUrl = inject('baseUrl');
const drives = await readDrives();
const [drive] = nextOpenDrives(drives, new Date(), 1);
if (!drive) throw new Error('the test site needs an upcoming drive');
const drivePage = `/diem-hien-mau/${drive.slug}/`;
const openPage = useSiteBrowser(baseUrl);
const PHONE = { viewport: { width: 390, height: 844 } };

/** Visits `path` and waits until the service worker controls the page and has kept what it keeps. */
async function firstVisit(page: Page, path = '/') {
  await page.goto(`${baseUrl}${path}`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

const titleOf = (page: Page) => page.textContent('h1');

describe('offline reading', () => {
  test('kept pages open offline after one visit; an article read once too; other pages give the offline page', async () => {
    const { page, context } = await openPage(PHONE);
    await firstVisit(page);
    const article =
      (await page.getAttribute('main a[href^="/tin-tuc/"][href$="/"]:not([href="/tin-tuc/"])', 'href')) ?? '';
    expect(article).not.toBe('');
    await page.goto(`${baseUrl}${article}`);
    const articleTitle = await titleOf(page);
    const online: Record<string, string | null> = {};
    for (const path of ['/', '/diem-hien-mau/', '/dieu-kien/', drivePage]) {
      await page.goto(`${baseUrl}${path}`);
      online[path] = await titleOf(page);
    }

    await context.setOffline(true);
    for (const path of ['/', '/diem-hien-mau/', '/dieu-kien/', drivePage]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await titleOf(page)).toBe(online[path]);
    }
    await page.goto(`${baseUrl}${article}`);
    expect(await titleOf(page)).toBe(articleTitle);

    for (const path of ['/tin-tuc/', '/dang-ky/', '/to-chuc/']) {
      await page.goto(`${baseUrl}${path}`);
      expect(await titleOf(page), path).toBe('Bạn đang không có mạng');
    }
    expect(await page.locator('main a[href="/dang-ky-cua-toi/"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // The map page offline: the map says it needs a connection; the list and the typed place still work.
    await page.goto(`${baseUrl}/diem-hien-mau/`);
    // At phone size the map is below the finder and starts once scrolled to.
    await page.locator('drive-finder [data-map]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() =>
      document.querySelector('[data-map-fallback]')?.textContent?.includes('cần có mạng'),
    );
    expect(await page.locator(`a[href="${drivePage}"]`).count()).toBeGreaterThan(0);
    await page.fill('#noi-cua-ban', 'gia rai');
    await page.press('#noi-cua-ban', 'Enter');
    await page.waitForFunction(() =>
      document.querySelector('drive-finder [data-status]')?.textContent?.includes('Giá Rai'),
    );
    await context.close();
  });

  test('places left and the console never come from a cache', async () => {
    const { page, context } = await openPage(PHONE);
    await firstVisit(page, drivePage);
    await page.waitForFunction(() => document.querySelector('[data-places]')?.textContent?.startsWith('Còn'));
    const placesUrl = `/api/diem-hien-mau/${drive.slug}/cho-trong.json`;
    expect(await page.evaluate(async (url) => (await fetch(url)).status, placesUrl)).toBe(200);
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached.length).toBeGreaterThan(10);
    expect(cached.filter((path) => /^\/(api|to-chuc|dang-ky|_actions|doi-nhom)\//.test(path))).toEqual([]);
    await context.setOffline(true);
    const offlineAnswer = await page.evaluate(async (url) => {
      try {
        return (await fetch(url)).status;
      } catch {
        return 'no answer';
      }
    }, placesUrl);
    expect(offlineAnswer).toBe('no answer');
    await context.close();
  });
});

describe('"Đăng ký của tôi"', () => {
  test('a sign-up is kept on the device, opens offline with a QR that decodes to its code, and can be removed after asking, the cancel link beside', async () => {
    const { page, context, errors } = await openPage(PHONE);
    const loaded = Date.now();
    await firstVisit(page, `/dang-ky/?diem=${drive.slug}`);
    await page.fill('#ho-ten', 'Trần Thị Ngọc');
    await page.fill('#so-dien-thoai', `09${String(Date.now()).slice(-8)}`);
    await page.fill('#nam-sinh', '1992');
    await page.check('input[name="sex"][value="female"]');
    await page.fill('#can-nang', '52');
    await page.check(`input[name="slot"][value="${driveSlots(drive).at(-1)?.id ?? ''}"]`);
    await page.check('#dong-y');
    await page.waitForTimeout(Math.max(0, HUMAN_FILL_MS - (Date.now() - loaded)));
    await Promise.all([
      page.waitForURL(/_action=signup/),
      page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
    ]);
    const code = (await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')) ?? '';
    await page.waitForSelector('save-on-device:not([hidden])');
    expect(await page.textContent('[data-saved-message]')).toContain('đã được lưu trên máy này');

    await context.setOffline(true);
    await page.goto(`${baseUrl}/dang-ky-cua-toi/`);
    const card = page.locator(`[data-saved-code="${code}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(drive.name);
    const png = PNG.sync.read(await card.locator('svg').screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(normalizeCode(decoded?.data ?? '')).toBe(code);
    expect((await card.locator('svg').boundingBox())?.width).toBeGreaterThanOrEqual(240);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/offline-my-signups-390.png', fullPage: true });

    // Cancelling is beside removing, with the code filled in.
    expect(await card.locator('a[href^="/dang-ky/huy/"]').getAttribute('href')).toBe(`/dang-ky/huy/?ma=${code}`);
    expect(await card.locator('a[href^="/dang-ky/huy/"]').textContent()).toBe('Hủy đăng ký');
    // Removing asks first and says that the place is still kept; "Không xóa" keeps it.
    await card.getByRole('button', { name: 'Xóa khỏi máy này' }).click();
    const question = card.locator('[data-remove-question]');
    await question.waitFor();
    expect(await question.textContent()).toContain('chỗ của bạn tại đợt hiến máu vẫn được giữ');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-remove-question'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/citizen-my-signups-ask.png' });
    await card.getByRole('button', { name: 'Không xóa' }).click();
    expect(await question.isVisible()).toBe(false);
    expect(await card.count()).toBe(1);
    await card.getByRole('button', { name: 'Xóa khỏi máy này' }).click();
    await card.getByRole('button', { name: 'Xóa khỏi máy', exact: true }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(await page.isVisible('[data-empty]')).toBe(true);
    // The device no longer keeps the code: the status line says it, with the way to cancel.
    const removed = page.locator('[data-removed]');
    expect(await removed.textContent()).toContain(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    expect(await removed.textContent()).toContain('vẫn được giữ');
    expect(await removed.locator('a').getAttribute('href')).toBe(`/dang-ky/huy/?ma=${code}`);
    await page.screenshot({ path: '/tmp/citizen-my-signups-removed.png' });
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});

describe('installable, within budget', () => {
  test('Chromium reports no installability errors; the manifest is Vietnamese with its icons', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'e2e-install-'));
    const context = await launchPersistentChromium(profile, PHONE);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await firstVisit(page);
      const session = await context.newCDPSession(page);
      const { installabilityErrors } = (await session.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      expect(installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    const manifest = (await (await fetch(`${baseUrl}/manifest.webmanifest`)).json()) as {
      icons: { src: string }[];
      lang: string;
    };
    expect(manifest.lang).toBe('vi');
    for (const icon of manifest.icons) {
      expect((await fetch(`${baseUrl}${icon.src}`)).headers.get('content-type')).toBe('image/png');
    }
  });

  test('registering adds at most 1.5 kB to a page; what a first visit keeps stays within its budget', async () => {
    const home = await (await fetch(`${baseUrl}/`)).text();
    // The registration is a chunk added after the first paint (src/shared/after-paint-chunk.ts):
    // its loader in the page and the chunk it adds count together.
    const loader = [...home.matchAll(/<script type="module"[^>]*>([\s\S]*?)<\/script>/g)]
      .map((match) => match[1] ?? '')
      .find((code) => code.includes('/register-service-worker.'));
    expect(loader).toBeDefined();
    const chunk = /["'`](\/_astro\/register-service-worker\.[\w-]+\.js)["'`]/.exec(loader ?? '')?.[1] ?? '';
    const registration = await (await fetch(`${baseUrl}${chunk}`)).text();
    expect(registration).toContain('/sw.js');
    expect(gzipSync(loader ?? '').length + gzipSync(registration).length).toBeLessThanOrEqual(1_500);

    // Everything in the caches after one visit to the home page, counted as the server sends it.
    const { page, context } = await openPage(PHONE);
    await firstVisit(page);
    const kept = await page.evaluate(async () => {
      const urls = new Set<string>();
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.add(new URL(request.url).pathname);
      }
      return [...urls];
    });
    await context.close();
    let sent = 0;
    for (const path of [...kept, '/sw.js']) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { 'Accept-Encoding': 'br' } });
      expect(response.status, path).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      // fetch() decodes the body: its length on the wire is the header's, or the body's when sent as is.
      sent += Number(response.headers.get('content-length') ?? body.length);
    }
    expect(kept.length).toBeGreaterThan(10);
    expect(sent).toBeLessThanOrEqual(OFFLINE_SET_BUDGET_BYTES);
  });
});
