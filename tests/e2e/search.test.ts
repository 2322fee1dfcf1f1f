/**
 * Search in Chromium over the built index: Vietnamese typed with or without
 * diacritics (đ included), filters, the query in the address, the header
 * dialog by keyboard, and Pagefind loaded only when someone searches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { describe, expect, inject, test } from 'vitest';
import { foldForSearch } from '../../src/shared/vietnamese.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);

interface Hit {
  href: string;
  marks: string[];
  excerpt: string;
  about: string;
}

/** Searches on /tim-kiem/ and returns every hit (all pages of results). */
async function searchPage(page: Page, address: string): Promise<{ status: string; hits: Hit[] }> {
  await page.goto(`${baseUrl}/tim-kiem/${address}`);
  await page.waitForFunction(() =>
    /kết quả|Không tìm thấy/.test(document.querySelector('search-page [data-status]')?.textContent ?? ''),
  );
  while (await page.isVisible('[data-more]')) {
    const count = await page.locator('[data-results] > li').count();
    await page.click('[data-more]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-results] > li').length > n, count);
  }
  const hits = await page.$$eval('[data-results] > li', (items) =>
    items.map((item) => ({
      href: item.querySelector('a')?.getAttribute('href') ?? '',
      marks: [...item.querySelectorAll('mark')].map((mark) => mark.textContent ?? ''),
      excerpt: item.querySelector('p:last-child')?.textContent ?? '',
      about: item.querySelector('p')?.textContent ?? '',
    })),
  );
  return { status: (await page.textContent('search-page [data-status]')) ?? '', hits };
}

describe('/tim-kiem/', () => {
  test.each([
    // query, a page that must be found, a word with diacritics that must be marked in its excerpt
    ['duong', '/dieu-kien/', 'đường'],
    ['dang ky', '/hien-mau-an-toan/', 'đăng'],
    ['DANG KY', '/hien-mau-an-toan/', 'ký'],
    ['đăng ký', '/hien-mau-an-toan/', 'đăng'],
    ['chu thap do', '/tin-tuc/nhan-rong-don-vi-dia-phuong-dien-hinh-hien-mau/', 'đỏ'],
    ['hien mau an toan', '/hien-mau-an-toan/', 'toàn'],
    ['Hien Mau', '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/', 'hiến'],
    ['hiến máu an toàn', '/hien-mau-an-toan/', 'toàn'],
    ['doan vien', '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/', 'đoàn'],
    ['gia rai', '/diem-hien-mau/lang-tron/', 'Giá'],
  ])('"%s" finds %s, with "%s" marked in the original text', async (query, path, marked) => {
    const { page, context, errors } = await openPage();
    try {
      const { hits } = await searchPage(page, `?q=${encodeURIComponent(query)}`);
      const hit = hits.find((h) => h.href === path);
      expect(hit, `${path} among ${hits.map((h) => h.href).join(', ')}`).toBeDefined();
      expect(hit?.marks.map((m) => m.replace(/[^\p{L}]/gu, ''))).toContain(marked);
      // Every marked word folds to a word of the query: the original text, highlighted.
      const wanted = new Set(foldForSearch(query).split(' '));
      for (const mark of hit?.marks ?? []) {
        const words = foldForSearch(mark).match(/[\p{L}\p{N}]+/gu) ?? [];
        expect(words.some((w) => wanted.has(w))).toBe(true);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a page with the exact diacritics ranks above one with the same letters only', async () => {
    const { page, context } = await openPage();
    try {
      const { hits } = await searchPage(page, `?q=${encodeURIComponent('đỏ')}`);
      const exact = hits.map((h) => h.marks.some((m) => m.toLowerCase().startsWith('đỏ')));
      const firstFoldedOnly = exact.indexOf(false);
      expect(exact[0]).toBe(true);
      if (firstFoldedOnly !== -1) expect(exact.slice(firstFoldedOnly).every((e) => !e)).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('a query with no results says so and points to the news and the drives', async () => {
    const { page, context } = await openPage();
    try {
      const { status, hits } = await searchPage(page, '?q=xyzzy');
      expect(hits).toEqual([]);
      expect(status).toContain('Không tìm thấy “xyzzy”');
      expect(status).toContain('tin tức');
    } finally {
      await context.close();
    }
  });

  test.each([
    ['loai=%C4%90i%E1%BB%83m+hi%E1%BA%BFn+m%C3%A1u', 'duong', (h: Hit) => h.href.startsWith('/diem-hien-mau/')],
    ['loai=Trang', 'dang ky', (h: Hit) => h.about.startsWith('Trang')],
    ['nam=2020', 'hien mau', (h: Hit) => h.about.includes('2020')],
    ['chu-de=C%C3%B4ng+an+t%E1%BB%89nh', 'hien mau', (h: Hit) => h.href.startsWith('/tin-tuc/')],
  ])('the filter %s keeps only matching pages, and shows itself chosen', async (filter, query, matches) => {
    const { page, context } = await openPage();
    try {
      const all = await searchPage(page, `?q=${encodeURIComponent(query)}`);
      const filtered = await searchPage(page, `?q=${encodeURIComponent(query)}&${filter}`);
      expect(filtered.hits.length).toBeGreaterThan(0);
      expect(filtered.hits.length).toBeLessThan(all.hits.length);
      expect(filtered.hits.every(matches)).toBe(true);
      expect(await page.evaluate(() => document.querySelector('details[data-filters]')?.hasAttribute('open'))).toBe(
        true,
      );
    } finally {
      await context.close();
    }
  });

  test('the query and filters live in the address as you search', async () => {
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/tim-kiem/`);
      // The page's code is added after the first paint (src/shared/after-paint-chunk.ts).
      await page.waitForFunction(() => customElements.get('search-page'));
      await page.fill('#tu-khoa', 'dang ky');
      await page.click('details[data-filters] summary');
      await page.check('input[name="loai"][value="Trang"]');
      await page.waitForURL(/q=dang\+ky&loai=Trang/);
      await page.waitForFunction(() =>
        /kết quả/.test(document.querySelector('search-page [data-status]')?.textContent ?? ''),
      );
      expect(new URL(page.url()).searchParams.get('q')).toBe('dang ky');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the page explains how to browse news and drives', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${baseUrl}/tim-kiem/?q=dang+ky`);
      expect(await page.isVisible('[data-no-js]')).toBe(true);
      expect(await page.getAttribute('[data-no-js] a[href="/tin-tuc/"]', 'href')).toBe('/tin-tuc/');
      expect(await page.getAttribute('[data-no-js] a[href="/diem-hien-mau/"]', 'href')).toBe('/diem-hien-mau/');
    } finally {
      await context.close();
    }
  });
});

describe('search snippets', () => {
  /** Every page's text as the built index holds it (Pagefind's fragments: gzip, then "pagefind_dcd" and JSON). */
  function indexedTexts(): { url: string; content: string }[] {
    const folder = join(FIXTURE_DIST, 'client/pagefind/fragment');
    return readdirSync(folder).map((name) => {
      const text = gunzipSync(readFileSync(join(folder, name)))
        .toString('utf8')
        .replace(/^pagefind_dcd/, '');
      return JSON.parse(text) as { url: string; content: string };
    });
  }

  test('labels and table cells are apart in the built index: no "Địa điểm:Hội trường", no "Khung giờSố chỗ"', () => {
    const texts = indexedTexts();
    expect(texts.some((t) => t.url.startsWith('/diem-hien-mau/'))).toBe(true);
    for (const { url, content } of texts) {
      // A colon straight before a letter is a label glued to its value (addresses have "https://", not "x:y").
      expect(content.match(/.{0,20}:\p{L}.{0,20}/gu) ?? [], url).toEqual([]);
      expect(content, url).not.toContain('Khung giờSố chỗ');
      expect(content, url).not.toMatch(/Số chỗ\s*\d/);
    }
  });

  test('a drive found by its place reads "Địa điểm: …" in its excerpt', async () => {
    const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
    try {
      const { hits } = await searchPage(page, `?q=${encodeURIComponent('địa điểm hội trường')}`);
      const drives = hits.filter((h) => h.href.startsWith('/diem-hien-mau/'));
      expect(drives.length).toBeGreaterThan(0);
      expect(drives.some((h) => h.excerpt.includes('Địa điểm: '))).toBe(true);
      for (const hit of drives) expect(hit.excerpt, hit.href).not.toMatch(/:\p{L}|Khung giờSố/u);
      await page.screenshot({ path: '/tmp/citizen-search-snippets.png' });
    } finally {
      await context.close();
    }
  });
});

describe('the header search dialog', () => {
  test('Pagefind loads only when someone starts a search', async () => {
    const { page, context } = await openPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    try {
      await page.goto(`${baseUrl}/tin-tuc/`, { waitUntil: 'networkidle' });
      expect(requested.filter((path) => path.startsWith('/pagefind/'))).toEqual([]);
      await page.keyboard.press('/');
      await page.waitForFunction(() =>
        performance.getEntriesByType('resource').some((e) => e.name.includes('/pagefind/')),
      );
      expect(requested.some((path) => path.startsWith('/pagefind/pagefind'))).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('"/" and Ctrl+K open it; typing searches; Tab stays inside; Esc closes and returns focus', async () => {
    const { page, context, errors } = await openPage();
    try {
      await page.goto(`${baseUrl}/`);
      // The header's island is added after the first paint (src/shared/after-paint-chunk.ts).
      await page.waitForFunction(() => customElements.get('site-search'));
      await page.keyboard.press('/');
      await page.waitForSelector('dialog[open]');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('tim-nhanh');
      await page.keyboard.type('chu thap do');
      await page.waitForSelector('dialog [data-results] li');
      expect(await page.textContent('dialog [role="status"]')).toMatch(/\d+ kết quả/);
      expect(await axeViolations(page, 'dialog')).toEqual([]);
      for (let i = 0; i < 25; i += 1) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
      }
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog:not([open])', { state: 'attached' });

      // Opened from the header button with Ctrl+K elsewhere on the page: focus comes back to it.
      await page.focus('site-search [data-open]');
      await page.keyboard.press('Control+k');
      await page.waitForSelector('dialog[open]');
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog:not([open])', { state: 'attached' });
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-open'))).toBe(true);

      await page.keyboard.press('Enter');
      await page.waitForSelector('dialog[open]');
      await page.click('dialog [data-close]');
      await page.waitForSelector('dialog:not([open])', { state: 'attached' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('"/" typed into a field is just a character', async () => {
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/tim-kiem/`);
      await page.waitForFunction(() => customElements.get('site-search') && customElements.get('search-page'));
      await page.fill('#tu-khoa', '');
      await page.type('#tu-khoa', '19/4');
      expect(await page.inputValue('#tu-khoa')).toBe('19/4');
      expect(await page.isVisible('dialog[open]')).toBe(false);
    } finally {
      await context.close();
    }
  });
});
