/**
 * The header: one row on phones (360 and 390 px) and on desktops (1024 and
 * 1280 px) on several page types, and its "Menu", a <details> that opens and
 * closes without JavaScript, by keyboard, and with Escape or a click outside
 * once its island runs.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { MAIN_NAV, PHONE_MENU_NAV, SITE_NAME } from '../../src/shared/site.ts';

const PHONE_MENU = [...MAIN_NAV, ...PHONE_MENU_NAV];
import { MENU } from '../../src/shared/words.ts';
import { SEARCH_TITLE } from '../../src/search/words.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);

const PAGES = [
  { type: 'home', path: '/' },
  { type: 'map page', path: '/diem-hien-mau/' },
  { type: 'article', path: '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/' },
  { type: 'sign-up page (on demand)', path: '/dang-ky/' },
  { type: 'search page', path: '/tim-kiem/' },
];
/** Phones show "Menu"; from 1024 px the links stand in the row. */
const WIDTHS = [
  { width: 360, links: 'menu' },
  { width: 390, links: 'menu' },
  { width: 1024, links: 'inline' },
  { width: 1280, links: 'inline' },
] as const;
/** One row of 44 px targets with its padding; two rows would be 100 px and more. */
const MAX_HEADER_HEIGHT = 72;

interface Box {
  name: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The boxes of what stands in the header's row: the site's name, search, and "Menu" or each link. */
async function headerRow(page: Page): Promise<{ header: Box; items: Box[]; pageWidth: number }> {
  return page.evaluate(() => {
    const box = (element: Element, name: string) => {
      const { top, bottom, left, right } = element.getBoundingClientRect();
      return { name, top, bottom, left, right };
    };
    // checkVisibility: a closed <details> keeps its content laid out, but skipped (content-visibility).
    const shown = (element: Element) => element.checkVisibility();
    const header = document.querySelector('body > header');
    if (!header) throw new Error('no header');
    const candidates = [
      header.querySelector(':scope > div > a[href="/"]'),
      header.querySelector('site-search [data-open]'),
      header.querySelector('nav summary'),
      ...header.querySelectorAll('nav li a'),
    ].filter((element): element is Element => element !== null && shown(element));
    return {
      header: box(header, 'header'),
      items: candidates.map((element) => box(element, element.textContent.trim() || element.tagName)),
      pageWidth: document.documentElement.scrollWidth,
    };
  });
}

describe.each(WIDTHS)('at $width px', ({ width, links }) => {
  test.each(PAGES)('the header of the $type is one row', async ({ path }) => {
    const { page, context } = await openPage({ viewport: { width, height: 844 } });
    try {
      await page.goto(`${baseUrl}${path}`);
      const { header, items, pageWidth } = await headerRow(page);
      const names = items.map((item) => item.name);
      expect(names.slice(0, 2)).toEqual([SITE_NAME, SEARCH_TITLE]);
      if (links === 'menu') expect(names.slice(2)).toEqual([MENU]);
      else expect(names.slice(2)).toEqual(MAIN_NAV.map((item) => item.label));
      // One row: every item shares a horizontal line with every other, inside the header, side by side.
      const lowestTop = Math.max(...items.map((item) => item.top));
      const highestBottom = Math.min(...items.map((item) => item.bottom));
      expect(lowestTop, names.join(' | ')).toBeLessThan(highestBottom);
      for (const item of items) {
        expect(item.top, item.name).toBeGreaterThanOrEqual(header.top);
        expect(item.bottom, item.name).toBeLessThanOrEqual(header.bottom);
        expect(item.bottom - item.top, item.name).toBeGreaterThanOrEqual(44);
      }
      const byLeft = [...items].sort((a, b) => a.left - b.left);
      for (const [index, item] of byLeft.slice(1).entries()) {
        expect(item.left, `${item.name} after ${byLeft[index]?.name}`).toBeGreaterThanOrEqual(
          byLeft[index]?.right ?? 0,
        );
      }
      expect(header.bottom - header.top).toBeLessThanOrEqual(MAX_HEADER_HEIGHT);
      expect(pageWidth).toBe(width);
    } finally {
      await context.close();
    }
  });
});

/** The open menu's links: visible, 44 px tall at least, on screen. */
async function menuLinks(page: Page) {
  return page.$$eval('header nav li a', (anchors) =>
    anchors.map((anchor) => {
      const { top, bottom, left, right } = anchor.getBoundingClientRect();
      return {
        label: anchor.textContent.trim(),
        current: anchor.getAttribute('aria-current'),
        visible: anchor.checkVisibility(),
        height: bottom - top,
        inside: left >= 0 && right <= window.innerWidth && bottom <= window.innerHeight,
      };
    }),
  );
}

describe('the menu on a phone', () => {
  const phone = { viewport: { width: 390, height: 844 } };

  test('opens and closes without JavaScript; its links are 44 px tall and mark the current page', async () => {
    const { page, context } = await openPage({ ...phone, javaScriptEnabled: false });
    try {
      await page.goto(`${baseUrl}/tin-tuc/`);
      const summary = page.locator('header nav summary');
      expect(await summary.textContent()).toContain(MENU);
      expect((await menuLinks(page)).some((link) => link.visible)).toBe(false);

      await summary.click();
      const open = await menuLinks(page);
      // On a phone the menu ends with "Đăng ký của tôi", the QR codes a donor shows at the drive.
      expect(open.map((link) => link.label)).toEqual(PHONE_MENU.map((item) => item.label));
      for (const link of open) {
        expect(link.visible, link.label).toBe(true);
        expect(link.height, link.label).toBeGreaterThanOrEqual(44);
        expect(link.inside, link.label).toBe(true);
      }
      expect(open.filter((link) => link.current === 'page').map((link) => link.label)).toEqual(['Tin tức']);

      await summary.click();
      expect((await menuLinks(page)).some((link) => link.visible)).toBe(false);

      // And by keyboard, still without JavaScript: the summary is a button.
      await summary.focus();
      await page.keyboard.press('Enter');
      expect(await page.locator('header nav details').getAttribute('open')).toBe('');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent.trim())).toBe(MAIN_NAV[0]?.label);
      await summary.focus();
      await page.keyboard.press('Space');
      expect(await page.locator('header nav details').getAttribute('open')).toBeNull();
    } finally {
      await context.close();
    }
  });

  test('by keyboard: Enter opens, Tab goes through the links, Escape closes and returns to "Menu"', async () => {
    const { page, context, errors } = await openPage(phone);
    try {
      await page.goto(`${baseUrl}/`);
      // The menu's island is added after the first paint (src/shared/after-paint-chunk.ts).
      await page.waitForFunction(() => customElements.get('site-menu'));
      // Skip link, the site's name, search, then the menu.
      const stops: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        await page.keyboard.press('Tab');
        stops.push(await page.evaluate(() => document.activeElement?.tagName ?? ''));
      }
      expect(stops).toEqual(['A', 'A', 'A', 'SUMMARY']);
      const expanded = () =>
        page.evaluate(() => (document.activeElement?.closest('details') as HTMLDetailsElement | null)?.open);
      await page.keyboard.press('Enter');
      expect(await expanded()).toBe(true);
      await expect(page.getByRole('navigation', { name: 'Chính' }).getByRole('link').count()).resolves.toBe(
        PHONE_MENU.length,
      );
      // axe needs scripts: the open menu is audited here rather than in the test without them.
      expect(await axeViolations(page, 'header')).toEqual([]);
      for (const item of PHONE_MENU) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(item.href);
      }
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
      expect(await expanded()).toBe(false);

      // Tab past the last link closes it too, rather than leaving it over the page.
      await page.keyboard.press('Enter');
      for (let i = 0; i <= PHONE_MENU.length; i += 1) await page.keyboard.press('Tab');
      expect(await page.locator('header nav details').getAttribute('open')).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a tap outside closes it; a link in it leads to its page', async () => {
    const { page, context } = await openPage(phone);
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForFunction(() => customElements.get('site-menu'));
      const summary = page.locator('header nav summary');
      await summary.click();
      await page.mouse.click(200, 800);
      expect(await page.locator('header nav details').getAttribute('open')).toBeNull();

      await summary.click();
      await page.getByRole('navigation', { name: 'Chính' }).getByRole('link', { name: 'Điểm hiến máu' }).click();
      await page.waitForURL(`${baseUrl}/diem-hien-mau/`);
      expect(await page.locator('header nav [aria-current="page"]').textContent()).toBe('Điểm hiến máu');
    } finally {
      await context.close();
    }
  });
});

test('from 1024 px the links stand in the header without JavaScript too, and "Menu" is not shown', async () => {
  const { page, context } = await openPage({ viewport: { width: 1024, height: 768 }, javaScriptEnabled: false });
  try {
    await page.goto(`${baseUrl}/dieu-kien/`);
    expect(await page.locator('header nav summary').isVisible()).toBe(false);
    const links = await menuLinks(page);
    // The main links stand in the row; the phone menu's own ("Đăng ký của tôi") is in the footer here.
    expect(links.filter((link) => link.visible).map((link) => link.label)).toEqual(MAIN_NAV.map((item) => item.label));
    expect(links.filter((link) => !link.visible).map((link) => link.label)).toEqual(
      PHONE_MENU_NAV.map((item) => item.label),
    );
    expect(links.filter((link) => link.current === 'page').map((link) => link.label)).toEqual(['Điều kiện hiến máu']);
    // Without JavaScript the search is the link to its page.
    expect(await page.getByRole('link', { name: SEARCH_TITLE }).getAttribute('href')).toBe('/tim-kiem/');
  } finally {
    await context.close();
  }
});
