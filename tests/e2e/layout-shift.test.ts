/**
 * Pages do not jump while they load and their islands start: the sum of
 * layout shifts Chromium reports (the Cumulative Layout Shift of the load) is
 * 0 on every page type at phone size, on a CPU slowed four times, where
 * Chromium paints pages before it has read them to the end.
 */
import type { Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { PAGE_BUDGETS } from '../../bench/budgets.mjs';
import { countLayoutShifts, layoutShiftSoFar, useSiteBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);
const mapPage = await (await fetch(`${baseUrl}/diem-hien-mau/`)).text();
const nextDrivePath = `/diem-hien-mau/${/data-drive-id="([^"]+)"/.exec(mapPage)?.[1]}/`;

/** What shows that a page's islands have done their work. */
const settled: Record<string, (page: Page) => Promise<unknown>> = {
  // At phone size the map is below the finder: it starts once scrolled to (scrolling is no layout shift).
  'map page': async (page) => {
    await page.locator('drive-finder [data-map]').scrollIntoViewIfNeeded();
    await page.waitForSelector('.leaflet-marker-icon, .marker-cluster');
  },
  'search page with a query': (page) =>
    page.waitForFunction(() => /kết quả/.test(document.querySelector('search-page [data-status]')?.textContent ?? '')),
  'next drive page': (page) =>
    page.waitForFunction(() => document.querySelector('[data-places]')?.textContent?.startsWith('Còn')),
};

const pages = () => [
  ...PAGE_BUDGETS.map(({ type, path }) => ({ type, path })),
  { type: 'search page with a query', path: `/tim-kiem/?q=${encodeURIComponent('hiến máu')}` },
  { type: 'next drive page', path: nextDrivePath },
];

// One test a page type: at a phone's CPU each takes seconds, and a busy machine must not add them up past a timeout.
test.each(pages())(
  'the $type ($path) does not shift its layout while it loads, at phone size',
  async ({ type, path }) => {
    const { page, context } = await openPage({ viewport: { width: 412, height: 823 } });
    try {
      // A phone's CPU, four times slower, as in Lighthouse's mobile profile: the page is painted
      // while it is still being read, and a part that arrives late must not push the rest aside.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await countLayoutShifts(page);
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      await settled[type]?.(page);
      // Shifts are reported after the frame that made them.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      expect(await layoutShiftSoFar(page)).toBe(0);
    } finally {
      await context.close();
    }
  },
);
