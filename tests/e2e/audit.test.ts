/**
 * Every page in the sitemap: no accessibility violations (axe, WCAG 2.2 AA
 * tags), no request to another host, no console error, the head tags that
 * sharing and search rely on; one page of each type passes a second engine,
 * HTML_CodeSniffer (WCAG 2 AA); and every internal link in the build resolves.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { PAGE_BUDGETS } from '../../bench/budgets.mjs';
import { axeViolations, htmlcsErrors, sitemapUrls, useSiteBrowserPages } from './browser.ts';

const baseUrl = inject('baseUrl');
const urls = await sitemapUrls(baseUrl);
// The sitemap's pages one after another in one context: the service worker is installed once,
// not beside axe on every page (browser.ts, useSiteBrowserPages).
const { openSharedPage } = useSiteBrowserPages(baseUrl);

test('the sitemap lists the site', () => {
  const paths = urls.map((url) => new URL(url).pathname);
  for (const path of ['/', '/tin-tuc/', '/tin-tuc/trang/2/', '/hien-mau-an-toan/', '/dieu-kien/', '/gioi-thieu/']) {
    expect(paths).toContain(path);
  }
  expect(paths).toContain('/quyen-rieng-tu/');
  expect(paths).toContain('/tiep-can/');
  expect(paths.some((p) => p.startsWith('/tin-tuc/chu-de/'))).toBe(true);
  expect(paths.filter((p) => p.includes('404'))).toEqual([]);
});

describe.each(urls.map((url) => ({ path: new URL(url).pathname, url })))('$path', ({ path, url }) => {
  test('passes axe, loads nothing from other hosts, logs no errors, has its head tags', async () => {
    const { page, outsideRequests, errors } = await openSharedPage();
    try {
      const response = await page.goto(url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);

      expect(await axeViolations(page)).toEqual([]);
      expect(outsideRequests).toEqual([]);
      expect(errors).toEqual([]);

      const head = await page.evaluate(() => {
        const meta = (selector: string) => document.head.querySelector(selector)?.getAttribute('content') ?? null;
        return {
          lang: document.documentElement.lang,
          canonical: document.head.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null,
          description: meta('meta[name="description"]'),
          ogTitle: meta('meta[property="og:title"]'),
          ogUrl: meta('meta[property="og:url"]'),
          ogImage: meta('meta[property="og:image"]'),
          ogImageWidth: meta('meta[property="og:image:width"]'),
          ogImageHeight: meta('meta[property="og:image:height"]'),
          twitterCard: meta('meta[name="twitter:card"]'),
          h1: document.querySelectorAll('h1').length,
        };
      });
      expect(head.lang).toBe('vi');
      expect(head.canonical).toMatch(new RegExp(`^https?://[^/]+${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      expect(head.ogUrl).toBe(head.canonical);
      expect(head.description?.length).toBeGreaterThan(40);
      expect(head.ogTitle).toBeTruthy();
      expect(head.ogImage).toMatch(/^https?:\/\/[^/]+\/.+\.png$/);
      expect([head.ogImageWidth, head.ogImageHeight]).toEqual(['1200', '630']);
      expect(head.twitterCard).toBe('summary_large_image');
      expect(head.h1).toBe(1);
    } finally {
      await page.close();
    }
  });
});

const mapPage = await (await fetch(`${baseUrl}/diem-hien-mau/`)).text();
const nextDrive = /data-drive-id="([^"]+)"/.exec(mapPage)?.[1] ?? '';
/** One page of each type, the budgets' list and the pages it leaves out, for the second engine. */
const pageTypes = [
  ...PAGE_BUDGETS.map(({ type, path }) => ({ type, path })),
  { type: 'next drive page, with its sign-up form', path: `/diem-hien-mau/${nextDrive}/` },
  { type: 'cancel page', path: '/dang-ky/huy/' },
  { type: 'team ranking', path: '/doi-nhom/' },
  { type: 'page not found', path: '/khong-co-trang-nay/' },
];

describe('HTML_CodeSniffer, WCAG 2 AA', () => {
  test.each(pageTypes)('finds no error on the $type ($path)', async ({ path }) => {
    // The checker's script goes into the page, past the page's Content-Security-Policy.
    const { page } = await openSharedPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    try {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
      // A map starts in idle time after load: checked once its markers are in, whenever that is.
      if (await page.locator('drive-finder, drive-map').count()) {
        // Both maps start only once scrolled to.
        await page.locator('drive-finder [data-map], drive-map').first().scrollIntoViewIfNeeded();
        await page.waitForSelector('[data-map-ready]');
      }
      expect(await htmlcsErrors(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** Every HTML file of the build, read once for the tests below. */
const builtPages = await (async () => {
  const client = resolve(import.meta.dirname, '../..', process.env['SITE_DIST'] ?? 'dist-test', 'client');
  const files = (await readdir(client, { recursive: true })).filter((f) => f.endsWith('.html'));
  return Promise.all(files.map(async (file) => ({ file, html: await readFile(join(client, file), 'utf8') })));
})();

test('every internal link and asset in the build resolves', async () => {
  expect(builtPages.length).toBeGreaterThan(20);
  const targets = new Map<string, string>();
  for (const { file, html } of builtPages) {
    for (const [, value = ''] of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      if (!value.startsWith('/') || value.startsWith('//')) continue;
      const [path = ''] = value.split('#');
      if (path && !targets.has(path)) targets.set(path, file);
    }
  }
  const broken: string[] = [];
  for (const [path, file] of targets) {
    const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
    if (response.status !== 200) broken.push(`${path} (${response.status}) in ${file}`);
  }
  expect(broken).toEqual([]);
  expect(targets.size).toBeGreaterThan(30);
});

test('no word is glued to a link or emphasis: Astro 7 strips white space between inline tags', () => {
  const glued: string[] = [];
  for (const { file, html } of builtPages) {
    const body = html.split('<body')[1] ?? '';
    const pattern = /([\p{L}\p{N}])<(strong|a|em|time)\b[^>]*>|<\/(strong|a|em|time)>([\p{L}\p{N}])/gu;
    for (const match of body.matchAll(pattern)) {
      glued.push(`${file}: …${body.slice(Math.max(0, match.index - 30), match.index + match[0].length + 30)}…`);
    }
  }
  expect(glued).toEqual([]);
});
