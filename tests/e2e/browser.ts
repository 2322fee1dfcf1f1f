/**
 * Pages of the served site in Chromium. Every request that leaves the site is
 * recorded and refused, so tests never touch the network and can assert that
 * pages ask for nothing outside.
 */
import type { Browser, BrowserContextOptions, Page, BrowserContext } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.mjs';

export const launchBrowser = launchChromium;

export interface SitePage {
  page: Page;
  context: BrowserContext;
  /** Requests to any origin other than the site's. */
  outsideRequests: string[];
  /** console errors and uncaught page errors, CSP violations among them. */
  errors: string[];
}

export async function openSitePage(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<SitePage> {
  const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', ...options });
  const origin = new URL(baseUrl).origin;
  const outsideRequests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    outsideRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, context, outsideRequests, errors };
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
