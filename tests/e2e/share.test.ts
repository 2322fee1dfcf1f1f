/**
 * Sharing: every page's share tags and image, structured data, QR codes that
 * decode to the right address, the A4 poster on one page, and the share bar
 * by keyboard.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, inject, test } from 'vitest';
import { axeViolations, onSite, sitemapUrls, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';

const baseUrl = inject('baseUrl');
const urls = await sitemapUrls(baseUrl);
const drives = await readDrives();
const openPage = useSiteBrowser(baseUrl);

function meta(html: string, key: string): string | undefined {
  const pattern = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`);
  return pattern
    .exec(html)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map(
    ([, json]) => JSON.parse(json ?? '{}') as Record<string, unknown>,
  );
}

describe.each(urls.map((url) => ({ path: new URL(url).pathname, url })))('$path', ({ path, url }) => {
  test('has share tags with absolute addresses and a 1200×630 PNG under 300 kB', async () => {
    const html = await (await fetch(url)).text();
    const title = meta(html, 'og:title') ?? '';
    expect(title.length).toBeGreaterThan(0);
    expect(title.length).toBeLessThanOrEqual(70);
    expect((meta(html, 'og:description') ?? '').length).toBeLessThanOrEqual(200);
    expect(meta(html, 'og:url')).toMatch(/^https:\/\//);
    expect(meta(html, 'og:locale')).toBe('vi_VN');
    expect(meta(html, 'og:site_name')).toBeTruthy();
    expect(meta(html, 'og:image:alt')?.length).toBeGreaterThan(10);
    expect(meta(html, 'twitter:card')).toBe('summary_large_image');
    if (/^\/tin-tuc\/(?!trang|chu-de)[^/]+\/$/.test(path)) {
      expect(meta(html, 'og:type')).toBe('article');
      expect(meta(html, 'article:published_time')).toMatch(/\+07:00$/);
    }
    const image = meta(html, 'og:image') ?? '';
    expect(image).toMatch(/^https:\/\/.+\.png$/);
    const response = await fetch(onSite(image, baseUrl));
    expect(response.status).toBe(200);
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    expect(png.length).toBeLessThan(300_000);
    if (path !== '/') {
      const crumbs = jsonLd(html).find((node) => node['@type'] === 'BreadcrumbList') as
        { itemListElement: { item: string }[] } | undefined;
      expect(crumbs?.itemListElement.at(-1)?.item).toBe(meta(html, 'og:url'));
    }
  });
});

describe('structured data and images', () => {
  test('the home page names the Red Cross and the police as organisations', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const names = jsonLd(html)
      .filter((node) => node['@type'] === 'Organization')
      .map((node) => node['name']);
    expect(names).toEqual(['Hội Chữ thập đỏ tỉnh Cà Mau', 'Công an tỉnh Cà Mau']);
  });

  test('articles, drives, static pages and the home page have images of their own', async () => {
    for (const [path, image] of [
      ['/', '/og/trang-chu.png'],
      ['/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/', '/og/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau.png'],
      [`/diem-hien-mau/${drives[0]?.slug}/`, `/og/diem-hien-mau/${drives[0]?.slug}.png`],
      ['/dieu-kien/', '/og/trang/dieu-kien.png'],
    ] as const) {
      const html = await (await fetch(`${baseUrl}${path}`)).text();
      expect(new URL(meta(html, 'og:image') ?? '').pathname).toBe(image);
    }
  });
});

describe('QR codes and posters', () => {
  async function decodeQr(path: string): Promise<{ data: string | undefined; expected: string | null }> {
    const { page, context } = await openPage({ viewport: { width: 800, height: 1200 } });
    try {
      await page.goto(`${baseUrl}${path}`);
      const figure = page.locator('[data-qr]').first();
      await figure.scrollIntoViewIfNeeded();
      const shot = await figure.locator('[role="img"]').screenshot();
      const png = PNG.sync.read(shot);
      const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      return { data: code?.data, expected: await figure.getAttribute('data-qr') };
    } finally {
      await context.close();
    }
  }

  test('a drive page QR code decodes to the drive page', async () => {
    const slug = drives[0]?.slug ?? '';
    const { data, expected } = await decodeQr(`/diem-hien-mau/${slug}/`);
    expect(data).toBe(`https://hienmau.camau.example/diem-hien-mau/${slug}/`);
    expect(data).toBe(expected);
  });

  test('the sign-up page QR code decodes to the sign-up page', async () => {
    const { data } = await decodeQr('/dang-ky/');
    expect(data).toBe('https://hienmau.camau.example/dang-ky/');
  });

  test('a poster decodes to the drive sign-up and prints on exactly one A4 page', async () => {
    const slug = drives.find((d) => d.name.length > 60)?.slug ?? drives[0]?.slug ?? '';
    const { data } = await decodeQr(`/diem-hien-mau/${slug}/in/`);
    expect(data).toBe(`https://hienmau.camau.example/diem-hien-mau/${slug}/#dang-ky`);
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${slug}/in/`);
      const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
      expect(pdf.match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
      // A4 is 595 × 842 points (Chromium rounds to whole pixels at 96 dpi).
      const [, width = '0', height = '0'] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/.exec(pdf) ?? [];
      expect(Math.round(Number(width))).toBeGreaterThanOrEqual(595);
      expect(Math.round(Number(width))).toBeLessThanOrEqual(596);
      expect(Math.round(Number(height))).toBeGreaterThanOrEqual(842);
      expect(Math.round(Number(height))).toBeLessThanOrEqual(843);
    } finally {
      await context.close();
    }
  });
});

describe('the share bar', () => {
  test('copy link works by keyboard and is announced; the links encode the page', async () => {
    const { page, context } = await openPage({
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    try {
      const path = '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/';
      await page.goto(`${baseUrl}${path}`);
      await page.focus('share-bar a');
      let focused = '';
      for (let i = 0; i < 10 && !focused.includes('data-copy'); i += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 60) ?? '');
      }
      expect(focused).toContain('data-copy');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('share-bar [data-announce]')?.textContent !== '');
      expect(await page.textContent('share-bar [data-announce]')).toBe('Đã sao chép liên kết.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`https://hienmau.camau.example${path}`);
      const facebook = await page.getAttribute('share-bar a[href*="facebook.com"]', 'href');
      expect(decodeURIComponent(new URL(facebook ?? '').searchParams.get('u') ?? '')).toBe(
        `https://hienmau.camau.example${path}`,
      );
      // The message is on screen, not only for screen readers.
      const shown = await page.locator('share-bar [data-announce]').boundingBox();
      expect(shown?.width).toBeGreaterThan(100);
      expect(shown?.height).toBeGreaterThan(10);
      // Zalo's own script only with its Official Account ID.
      expect(await page.$$('[data-zalo]')).toHaveLength(0);
    } finally {
      await context.close();
    }
  });

  const path = '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/';
  const pageUrl = `https://hienmau.camau.example${path}`;

  test('Zalo is offered with no account: on a computer it copies the link, says so on screen and leads to Zalo', async () => {
    const { page, context, outsideRequests } = await openPage({
      viewport: { width: 390, height: 844 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    try {
      await page.goto(`${baseUrl}${path}`);
      // Headless Chromium on Linux has no share sheet.
      expect(await page.evaluate(() => typeof navigator.share)).toBe('undefined');
      expect(await page.isVisible('share-bar [data-native-item]')).toBe(false);
      await page.click('share-bar [data-zalo-share]');
      const status = page.locator('share-bar [data-announce]');
      await expect.poll(() => status.textContent()).toContain('Đã sao chép');
      expect(await status.textContent()).toContain('Mở Zalo');
      expect(await status.locator('a').getAttribute('href')).toBe('https://chat.zalo.me/');
      expect(await status.isVisible()).toBe(true);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pageUrl);
      expect(await axeViolations(page, 'share-bar')).toEqual([]);
      await page.locator('share-bar').screenshot({ path: '/tmp/citizen-share-zalo-copied.png' });
      expect(outsideRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("where the phone has a share sheet it comes first, and Zalo opens it with the page's address", async () => {
    const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
    try {
      await context.addInitScript(() => {
        const shared: unknown[] = [];
        Object.assign(window, { shared });
        Object.defineProperty(navigator, 'share', {
          value: (data: unknown) => {
            shared.push(data);
            return Promise.resolve();
          },
        });
      });
      await page.goto(`${baseUrl}${path}`);
      await page.waitForSelector('share-bar [data-native-item]:not([hidden])');
      const firstItem = await page.$eval('share-bar li:not([hidden])', (li) => li.textContent?.trim());
      expect(firstItem).toBe('Chia sẻ…');
      await page.click('share-bar [data-zalo-share]');
      const shared = await page.evaluate(() => (window as unknown as { shared: { url: string }[] }).shared);
      expect(shared.map((s) => s.url)).toEqual([pageUrl]);
      await page.locator('share-bar').screenshot({ path: '/tmp/citizen-share-sheet.png' });
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the address is shown to copy for Zalo', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${baseUrl}${path}`);
      const note = page.locator('share-bar p', { hasText: 'Zalo' });
      expect(await note.isVisible()).toBe(true);
      expect(await note.textContent()).toContain(pageUrl);
      expect(await page.isVisible('share-bar [data-zalo-share]')).toBe(false);
    } finally {
      await context.close();
    }
  });
});
