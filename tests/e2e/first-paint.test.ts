/**
 * The first screen waits for nothing it does not need (docs/benchmarks.md,
 * "What a page loads"): no page type asks for a stylesheet, the manifest or
 * an icon before its `load` event, the styles in the page are allowed by its
 * policy's hashes (no CSP error), and a second page of the site, once the
 * first has been read, costs no stylesheet or script request over the network.
 */
import type { Request } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { PAGE_BUDGETS } from '../../bench/budgets.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { useSiteBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);
const mapPage = await (await fetch(`${baseUrl}/diem-hien-mau/`)).text();
const nextDrivePath = `/diem-hien-mau/${/data-drive-id="([^"]+)"/.exec(mapPage)?.[1]}/`;

const pages = [
  ...PAGE_BUDGETS.map(({ type, path }) => ({ type, path })),
  { type: 'next drive page', path: nextDrivePath },
  { type: 'search page with a query', path: `/tim-kiem/?q=${encodeURIComponent('hiến máu')}` },
  { type: 'console sign-in', path: '/to-chuc/dang-nhap/' },
];

/** What the first screen never needs: stylesheets (inlined), the manifest and the icons (installing). */
function notForTheFirstScreen(request: Request): boolean {
  const { pathname } = new URL(request.url());
  return (
    request.resourceType() === 'stylesheet' ||
    pathname.endsWith('.webmanifest') ||
    pathname.startsWith('/icons/') ||
    pathname === '/favicon.svg'
  );
}

describe('the first paint', () => {
  test("the article's first screen needs no render-blocking stylesheet request", async () => {
    const html = await (await fetch(`${baseUrl}/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/`)).text();
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).not.toMatch(/<link[^>]+rel="stylesheet"/);
    // Nor the manifest, which Chromium fetches (and then an icon) as soon as it is linked.
    expect(head).not.toContain('rel="manifest"');
    expect(head).toMatch(/<style>[^<]*\.flex\{/);
  });

  test('no page type asks for a stylesheet, the manifest or an icon before it has loaded, and none breaks its policy', async () => {
    const early: Record<string, string[]> = {};
    const cspErrors: Record<string, string[]> = {};
    for (const { type, path } of pages) {
      const { page, context, errors } = await openPage({ viewport: { width: 412, height: 823 } });
      try {
        const requested: string[] = [];
        let loaded = false;
        page.on('load', () => (loaded = true));
        page.on('request', (request) => {
          if (!loaded && notForTheFirstScreen(request)) requested.push(new URL(request.url()).pathname);
        });
        await page.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (event) =>
            console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`),
          );
        });
        await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
        early[type] = requested;
        cspErrors[type] = errors.filter((e) => /Content Security Policy|CSP:/i.test(e));
        // The manifest is still there for installing, once the page has loaded (the console has none):
        // the after-paint loader adds it at the largest paint, or a second after load when no such
        // entry comes, which on a busy machine can be after the network went quiet.
        if (type !== 'console sign-in') {
          await page.waitForSelector('link[rel="manifest"]', { state: 'attached', timeout: 10_000 }).catch(() => {});
          expect(await page.locator('link[rel="manifest"]').count(), type).toBe(1);
        }
      } finally {
        await context.close();
      }
    }
    expect(early).toEqual(Object.fromEntries(pages.map(({ type }) => [type, []])));
    expect(cspErrors).toEqual(Object.fromEntries(pages.map(({ type }) => [type, []])));
  });
});

describe('a repeat visit', () => {
  test('the pages after the first cost no stylesheet or script request over the network', async () => {
    // A browser of its own: the shared one's contexts route every request, which turns off the HTTP cache.
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
      // The service worker installs after the first page's load and keeps the shared files.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const fromNetwork: string[] = [];
      const servedFromCache = new Set<string>();
      cdp.on('Network.requestServedFromCache', ({ requestId }) => servedFromCache.add(requestId));
      cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
        if (type !== 'Stylesheet' && type !== 'Script') return;
        if (servedFromCache.has(requestId) || response.fromDiskCache || response.fromServiceWorker) return;
        fromNetwork.push(new URL(response.url).pathname);
      });
      const filesAsked = () =>
        page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((entry) => new URL(entry.name).pathname)
            .filter((path) => /\.(css|js)$/.test(path)),
        );
      // An article's own islands are inlined in it; those of every page (the header's search, menu
      // and needs banner, the worker's registration), added after the first paint
      // (src/shared/after-paint-chunk.ts), come from the service worker.
      await page.goto(`${baseUrl}/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/`, { waitUntil: 'networkidle' });
      const everyPage = (await filesAsked()).map((path) => /^\/_astro\/([\w-]+)\.[\w-]+\.js$/.exec(path)?.[1]);
      expect(everyPage.sort()).toEqual(['needs-banner', 'register-service-worker', 'site-menu', 'site-search']);
      expect(fromNetwork).toEqual([]);
      // A drive page's sign-up form and map are files: kept by the service worker from the first visit.
      await page.goto(`${baseUrl}${nextDrivePath}`, { waitUntil: 'networkidle' });
      const asked = await filesAsked();
      console.log(`drive page: ${asked.length} script or stylesheet files, from the network: ${fromNetwork.length}`);
      expect(asked.length).toBeGreaterThan(0);
      expect(fromNetwork).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
