/**
 * Pages of the served site in Chromium. Every request that leaves the site is
 * recorded and refused, so tests never touch the network and can assert that
 * pages ask for nothing outside. Map tiles, the one outside request pages may
 * make, are answered by a local stand-in tile and recorded apart.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '../../scripts/chromium.mjs';
import { standInTile } from '../../scripts/tile-stand-in.mjs';
import { tileSettings } from '../../src/drives/map-tiles.ts';

export interface SitePage {
  page: Page;
  context: BrowserContext;
  /** Requests to any origin other than the site's, map tiles apart. */
  outsideRequests: string[];
  /** Requests for map tiles, answered with the stand-in tile. */
  tileRequests: string[];
  /** console errors and uncaught page errors, CSP violations among them. */
  errors: string[];
}

const STAND_IN_TILE = standInTile();

// The tile host the build was made with (the same settings as the build's policy).
const { source: tileSource } = tileSettings(process.env);
const tileHost = new RegExp(`^${tileSource.replace(/[.]/g, '\\.').replace('*', '[^/]+')}/`);

/**
 * One Chromium for a test file, launched before its tests and closed after
 * them; returns openSitePage for that browser and the site at baseUrl.
 */
export function useSiteBrowser(baseUrl: string): (options?: BrowserContextOptions) => Promise<SitePage> {
  return useSiteBrowserPages(baseUrl).openPage;
}

/**
 * One Chromium for a test file, as useSiteBrowser, and also pages opened one after another
 * in one context of it for each set of options (openSharedPage): for the tests that check
 * many pages alike. A fresh context is a first visit: each installed the service worker,
 * which fetches and keeps some 35 pages and files (half a megabyte) while the test ran axe
 * beside it, on every page; in one context it is installed once, by the first page, and the
 * next pages are a returning visitor's (the worker fetches pages from the network first).
 * Each page has its own requests and errors; close it with page.close(), the context stays
 * open until the file's tests are done.
 */
export function useSiteBrowserPages(baseUrl: string): {
  openPage: (options?: BrowserContextOptions) => Promise<SitePage>;
  openSharedPage: (options?: BrowserContextOptions) => Promise<SitePage>;
} {
  let browser: Browser | undefined;
  /** One context for each set of options asked for (by their JSON), made on first use. */
  const shared = new Map<string, Promise<{ context: BrowserContext; current: { page?: SitePage } }>>();
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const made of shared.values()) await (await made).context.close();
    await browser?.close();
  });
  const started = () => {
    if (!browser) throw new Error('The browser starts in beforeAll: open pages inside tests.');
    return browser;
  };
  return {
    openPage: (options = {}) => openSitePage(started(), baseUrl, options),
    openSharedPage: async (options = {}) => {
      const key = JSON.stringify(options);
      let made = shared.get(key);
      if (!made) {
        made = (async () => {
          const context = await newSiteContext(started(), options);
          const current: { page?: SitePage } = {};
          // Requests go to the page open now; the worker's, too, while it is the only one.
          await routeOffSite(context, baseUrl, () => current.page ?? { outsideRequests: [], tileRequests: [] });
          return { context, current };
        })();
        shared.set(key, made);
      }
      const { context, current } = await made;
      const sitePage = watchErrors({ page: await context.newPage(), context, outsideRequests: [], tileRequests: [] });
      current.page = sitePage;
      return sitePage;
    },
  };
}

function newSiteContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options });
}

/** Refuses, and records in the lists `into` gives, every request off the site; map tiles get the stand-in. */
async function routeOffSite(
  context: BrowserContext,
  baseUrl: string,
  into: () => Pick<SitePage, 'outsideRequests' | 'tileRequests'>,
): Promise<void> {
  const origin = new URL(baseUrl).origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    if (tileHost.test(url)) {
      into().tileRequests.push(url);
      return route.fulfill({ contentType: 'image/png', body: STAND_IN_TILE });
    }
    into().outsideRequests.push(url);
    return route.abort('blockedbyclient');
  });
}

/** The page's console errors and uncaught errors, from now on. */
function watchErrors(sitePage: Omit<SitePage, 'errors'>): SitePage {
  const errors: string[] = [];
  sitePage.page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  sitePage.page.on('pageerror', (error) => errors.push(error.message));
  return { ...sitePage, errors };
}

export async function openSitePage(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<SitePage> {
  const context = await newSiteContext(browser, options);
  const lists = { outsideRequests: [] as string[], tileRequests: [] as string[] };
  await routeOffSite(context, baseUrl, () => lists);
  return watchErrors({ page: await context.newPage(), context, ...lists });
}

/** Every URL listed in the built sitemap, moved onto the test server's origin. */
export async function sitemapUrls(baseUrl: string): Promise<string[]> {
  const index = await (await fetch(`${baseUrl}/sitemap-index.xml`)).text();
  const urls: string[] = [];
  for (const [, sitemap = ''] of index.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const xml = await (await fetch(onSite(sitemap, baseUrl))).text();
    for (const [, loc = ''] of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) urls.push(onSite(loc, baseUrl));
  }
  return urls;
}

/** The same path on the test server: the build writes the public site address into the sitemap. */
export function onSite(url: string, baseUrl: string): string {
  const { pathname, search } = new URL(url);
  return `${baseUrl}${pathname}${search}`;
}

/**
 * Adds up, from the page's first paint, every layout shift no input caused (the
 * Cumulative Layout Shift of the load): call before page.goto, read with layoutShiftSoFar.
 */
export async function countLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const win = window as unknown as { layoutShift: number };
    win.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) win.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The shifts counted so far (countLayoutShifts); a shift is reported after the frame that made it. */
export async function layoutShiftSoFar(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's WCAG 2.2 AA violations on the page (or in one part of it), each with the elements at fault. */
export async function axeViolations(page: Page, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  const result = await (within ? builder.include(within) : builder).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const HTMLCS_SCRIPT = readFileSync(createRequire(import.meta.url).resolve('html_codesniffer/build/HTMLCS.js'), 'utf8');

/**
 * A second engine beside axe: HTML_CodeSniffer's WCAG 2 AA errors on the page
 * (its warnings and notices ask for a person's judgement), each as
 * "code: the element at fault". Its script is added to the page, so the page's
 * context must be opened with `bypassCSP: true`. `excluded` names codes judged
 * false positives, each with its reason, which the call site keeps.
 */
export async function htmlcsErrors(page: Page, excluded: Record<string, string> = {}): Promise<string[]> {
  await page.addScriptTag({ content: HTMLCS_SCRIPT });
  const errors = await page.evaluate(
    () =>
      new Promise<{ code: string; element: string }[]>((resolve) => {
        interface Message {
          type: number;
          code: string;
          element: Element | Document;
        }
        const htmlcs = (
          window as unknown as {
            HTMLCS: { process(standard: string, root: Document, done: () => void): void; getMessages(): Message[] };
          }
        ).HTMLCS;
        htmlcs.process('WCAG2AA', document, () => {
          resolve(
            htmlcs
              .getMessages()
              .filter((message) => message.type === 1)
              .map(({ code, element }) => ({
                code,
                element: element instanceof Element ? element.outerHTML.slice(0, 160) : 'the document',
              })),
          );
        });
      }),
  );
  return errors.filter(({ code }) => !(code in excluded)).map(({ code, element }) => `${code}: ${element}`);
}
