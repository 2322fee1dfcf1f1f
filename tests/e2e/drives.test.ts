/**
 * The map page, "find the nearest drive", drive pages and calendar files, in
 * Chromium against the built site. Expected orders are worked out from the
 * content files at the moment the test runs, as the island does.
 */
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { compareForList, isOpen, nextOpenDrives } from '../../src/drives/drives.ts';
import { byDistance, haversineKm } from '../../src/drives/geo.ts';
import { formatDate, toIsoWithOffset } from '../../src/shared/dates.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { readDrives, type TestDrive } from './drive-data.ts';

const baseUrl = inject('baseUrl');
const drives = await readDrives();
const openPage = useSiteBrowser(baseUrl);

/** The list's drive ids in page order, and those of the visible items. */
async function listedIds(page: Page): Promise<{ all: string[]; visible: string[] }> {
  return page.$$eval('[data-list] > li', (items) => ({
    all: items.map((li) => li.getAttribute('data-drive-id') ?? ''),
    visible: items.filter((li) => !(li as HTMLElement).hidden).map((li) => li.getAttribute('data-drive-id') ?? ''),
  }));
}

/** Waits until the list has been ordered by distance from a chosen point. */
async function waitForDistances(page: Page) {
  await page.waitForFunction(() =>
    document.querySelector('drive-finder [data-status]')?.textContent?.startsWith('Đã xếp theo'),
  );
}

async function openMap(options: Parameters<typeof openPage>[0] = {}) {
  const site = await openPage(options);
  await site.page.goto(`${baseUrl}/diem-hien-mau/`);
  await site.page.waitForSelector('drive-finder[data-map-ready="true"]');
  return site;
}

const openNow = (now: Date) => drives.filter((d) => isOpen(d, now));

describe('/diem-hien-mau/', () => {
  test('there are at least 15 drives, past and upcoming, including the police drive of 19/4/2020', () => {
    expect(drives.length).toBeGreaterThanOrEqual(15);
    const police = drives.find((d) => formatDate(d.start) === '19/04/2020');
    expect(police?.status).toBe('finished');
    expect(police?.unitsGiven).toBe(667);
    expect(drives.some((d) => d.status === 'finished')).toBe(true);
    expect(drives.some((d) => d.status === 'scheduled')).toBe(true);
  });

  test('without JavaScript the list shows every drive, upcoming first, and the page explains the map', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/`);
      const { all, visible } = await listedIds(page);
      expect(new Set(all)).toEqual(new Set(drives.map((d) => d.slug)));
      expect(visible).toEqual(all);
      // Built a little earlier, so ordered as of the build; the first past drive comes after every open one.
      const firstPast = all.findIndex((id) => !isOpen(drives.find((d) => d.slug === id) as TestDrive, new Date()));
      expect(
        all.slice(0, firstPast).every((id) => isOpen(drives.find((d) => d.slug === id) as TestDrive, new Date())),
      ).toBe(true);
      expect(await page.isVisible('[data-locate]')).toBe(false);
      expect(await page.textContent('[data-map-fallback]')).toContain('Bản đồ cần JavaScript');
      expect(await page.$$eval('[data-list] a', (links) => links.length)).toBe(drives.length);
    } finally {
      await context.close();
    }
  });

  test("with JavaScript: upcoming drives by default, one marker each, ordered from the reader's clock", async () => {
    const { page, context, errors, outsideRequests, tileRequests } = await openMap();
    try {
      const now = new Date();
      const expected = [...drives].sort(compareForList(now)).map((d) => d.slug);
      const { all, visible } = await listedIds(page);
      expect(all).toEqual(expected);
      expect(new Set(visible)).toEqual(new Set(openNow(now).map((d) => d.slug)));
      const markerCount = await page.$$eval('.leaflet-marker-icon', (icons) =>
        icons.reduce((sum, icon) => {
          const cluster = icon.classList.contains('drive-cluster');
          return sum + (cluster ? Number(icon.querySelector('[aria-hidden]')?.textContent ?? 0) : 1);
        }, 0),
      );
      expect(markerCount).toBe(visible.length);
      expect(tileRequests.length).toBeGreaterThan(0);
      // The first view is set once, around the drives: no tiles for a province-wide view before it.
      expect(new Set(tileRequests.map((url) => new URL(url).pathname.split('/')[1]))).toHaveProperty('size', 1);
      expect(outsideRequests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the map starts after the page has loaded; the list and the finder work before it', async () => {
    const { page, context, errors } = await openPage();
    // Leaflet's code is held back until the finder has been used: nothing there waits for the map.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/leaflet-map\.[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/`);
      // The finder's code is added after the first paint (src/shared/after-paint-chunk.ts).
      await page.waitForFunction(() => customElements.get('drive-finder'));
      await page.fill('#noi-cua-ban', 'gia rai');
      await page.press('#noi-cua-ban', 'Enter');
      await waitForDistances(page);
      await page.check('input[name="when"][value="all"]');
      expect((await listedIds(page)).visible).toHaveLength(drives.length);
      expect(await page.getAttribute('drive-finder', 'data-map-ready')).toBeNull();
      release();
      await page.waitForSelector('drive-finder[data-map-ready="true"]');
      const timing = await page.evaluate(() => {
        const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        const leaflet = performance.getEntriesByType('resource').find((entry) => /\/leaflet-map\./.test(entry.name));
        return { loaded: navigation?.loadEventEnd ?? Infinity, leafletRequested: leaflet?.startTime ?? -1 };
      });
      expect(timing.leafletRequested).toBeGreaterThanOrEqual(timing.loaded);
      expect(await page.$$('.leaflet-overlay-pane path')).not.toHaveLength(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('"Tìm điểm gần tôi" with location granted lists the nearest drive first, nearest to farthest', async () => {
    const here = { latitude: 9.2905, longitude: 105.7195 }; // former Bạc Liêu town
    const { page, context, errors } = await openMap({ geolocation: here, permissions: ['geolocation'] });
    try {
      await page.click('[data-locate]');
      await waitForDistances(page);
      const now = new Date();
      const { all, visible } = await listedIds(page);
      expect(all).toEqual(byDistance(drives, here).map(({ item }) => item.slug));
      const nearestOpen = byDistance(openNow(now), here)[0]?.item;
      expect(visible[0]).toBe(nearestOpen?.slug);
      const status = await page.textContent('drive-finder [data-status]');
      expect(status).toContain(nearestOpen?.name);
      const km = haversineKm(here, nearestOpen as TestDrive)
        .toFixed(1)
        .replace('.', ',');
      expect(status).toContain(`${km} km`);
      expect(await page.textContent(`[data-drive-id="${nearestOpen?.slug}"] [data-distance]`)).toBe(`Cách ${km} km`);
      expect(
        await page.$$('.leaflet-interactive, path.leaflet-interactive, .leaflet-overlay-pane path'),
      ).not.toHaveLength(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('with location refused it says so, and a typed place without diacritics orders the list', async () => {
    const { page, context, errors } = await openMap({ permissions: [] });
    try {
      await page.click('[data-locate]');
      await page.waitForFunction(() =>
        document.querySelector('drive-finder [data-status]')?.textContent?.includes('chưa cho phép'),
      );
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('noi-cua-ban');

      await page.fill('#noi-cua-ban', 'gia rai');
      await page.press('#noi-cua-ban', 'Enter');
      await waitForDistances(page);
      const status = (await page.textContent('drive-finder [data-status]')) ?? '';
      expect(status).toContain('Giá Rai');
      const inGiaRai = drives.filter((d) => [d.commune, ...d.oldNames].some((n) => n.includes('Giá Rai')));
      const { visible } = await listedIds(page);
      expect(inGiaRai.map((d) => d.slug)).toContain(visible[0]);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test.each([
    ['ca mau', 'Cà Mau'],
    ['CA MAU', 'Cà Mau'],
    ['Đầm Dơi', 'Đầm Dơi'],
    ['dam doi', 'Đầm Dơi'],
  ])('typing "%s" finds %s', async (query, expected) => {
    const { page, context } = await openMap();
    try {
      await page.fill('#noi-cua-ban', query);
      await page.press('#noi-cua-ban', 'Enter');
      await waitForDistances(page);
      expect(await page.textContent('drive-finder [data-status]')).toContain(expected);
    } finally {
      await context.close();
    }
  });

  test('"duong" matches addresses with "đường" and offers them as choices', async () => {
    const { page, context } = await openMap();
    try {
      await page.fill('#noi-cua-ban', 'duong');
      await page.click('[data-place-form] button[type="submit"]');
      const choices = page.locator('[data-choices] button');
      await choices.first().waitFor();
      const labels = await choices.allTextContents();
      expect(labels.length).toBeGreaterThan(1);
      for (const label of labels) expect(label.toLowerCase()).toContain('đường');
      await choices.first().click();
      await waitForDistances(page);
      expect(await page.textContent('drive-finder [data-status]')).toContain(labels[0]);
    } finally {
      await context.close();
    }
  });

  test('an unknown place says plainly that nothing matched', async () => {
    const { page, context } = await openMap();
    try {
      await page.fill('#noi-cua-ban', 'Hà Giang');
      await page.press('#noi-cua-ban', 'Enter');
      await page.waitForFunction(() =>
        document.querySelector('drive-finder [data-status]')?.textContent?.includes('Không tìm thấy'),
      );
      expect(await page.isVisible('[data-distance]')).toBe(false);
    } finally {
      await context.close();
    }
  });

  test('after a place is not found, no distance from the place before stays on screen', async () => {
    const { page, context, errors } = await openMap();
    try {
      const before = await listedIds(page);
      await page.fill('#noi-cua-ban', 'thoi binh');
      await page.press('#noi-cua-ban', 'Enter');
      await waitForDistances(page);
      expect(await page.textContent('drive-finder [data-status]')).toContain('Xã Thới Bình');
      expect(await page.locator('[data-distance]:visible').count()).toBeGreaterThan(0);

      await page.fill('#noi-cua-ban', 'Hà Giang');
      await page.press('#noi-cua-ban', 'Enter');
      await page.waitForFunction(() =>
        document.querySelector('drive-finder [data-status]')?.textContent?.includes('Không tìm thấy'),
      );
      const status = (await page.textContent('drive-finder [data-status]')) ?? '';
      expect(status).not.toContain('Thới Bình');
      expect(status).not.toContain('Đã xếp theo khoảng cách');
      expect(await page.locator('[data-distance]:visible').count()).toBe(0);
      expect(await page.locator('[data-distance]').evaluateAll((els) => els.map((el) => el.textContent))).toEqual(
        before.all.map(() => ''),
      );
      // Back in date order, as before any place was given.
      expect((await listedIds(page)).all).toEqual(before.all);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('"p5" offers both Phường 5, each with its old city and its ward today', async () => {
    const { page, context } = await openMap();
    try {
      await page.fill('#noi-cua-ban', 'p5');
      await page.press('#noi-cua-ban', 'Enter');
      const choices = page.locator('[data-choices] button');
      await choices.first().waitFor();
      const labels = await choices.allTextContents();
      expect(labels).toContain('Phường 5 (thành phố Cà Mau cũ, nay thuộc Phường Tân Thành)');
      expect(labels).toContain('Phường 5 (thành phố Bạc Liêu cũ, nay thuộc Phường Vĩnh Trạch)');
      await choices.filter({ hasText: 'thành phố Bạc Liêu cũ' }).click();
      await waitForDistances(page);
      expect(await page.textContent('drive-finder [data-status]')).toContain('Phường Vĩnh Trạch');
      const { visible } = await listedIds(page);
      const trach = drives.find((d) => d.commune === 'Phường Vĩnh Trạch');
      expect(visible[0]).toBe(trach?.slug);
    } finally {
      await context.close();
    }
  });

  test('the place list is not in the page: it is fetched once the person goes to type', async () => {
    const { page, context } = await openMap();
    try {
      const listed = () =>
        page.evaluate(() =>
          performance.getEntriesByType('resource').some((entry) => entry.name.includes('/diem-hien-mau/dia-danh.json')),
        );
      expect(await listed()).toBe(false);
      expect(await page.content()).not.toContain('Xã Thới Bình');
      await page.focus('#noi-cua-ban');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#ten-noi option')].some(
          (o) => (o as HTMLOptionElement).value === 'Xã Thới Bình',
        ),
      );
      expect(await listed()).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('tapping the map after "chọn vị trí trên bản đồ" sets where you are', async () => {
    const { page, context } = await openMap();
    try {
      await page.click('[data-pick]');
      const box = await page.locator('[data-map]').boundingBox();
      if (!box) throw new Error('no map');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await waitForDistances(page);
      expect(await page.textContent('drive-finder [data-status]')).toContain('điểm bạn chọn trên bản đồ');
      const km = await page.$$eval('[data-list] > li [data-distance]', (els) =>
        els.map((el) => Number((el.textContent ?? '').replace(/[^\d,]/g, '').replace(',', '.'))),
      );
      expect(km).toEqual([...km].sort((a, b) => a - b));
    } finally {
      await context.close();
    }
  });

  test('filters: past drives only, and one commune', async () => {
    const { page, context } = await openMap();
    try {
      const now = new Date();
      await page.check('input[name="when"][value="past"]');
      const past = drives.filter((d) => d.end <= now || d.status === 'finished').map((d) => d.slug);
      expect(new Set((await listedIds(page)).visible)).toEqual(new Set(past));

      await page.check('input[name="when"][value="all"]');
      const commune = drives[0]?.commune ?? '';
      await page.selectOption('select[name="commune"]', commune);
      const inCommune = drives.filter((d) => d.commune === commune).map((d) => d.slug);
      expect(new Set((await listedIds(page)).visible)).toEqual(new Set(inCommune));
      expect(await page.textContent('[data-count]')).toContain(`Đang hiện ${inCommune.length} trong ${drives.length}`);
    } finally {
      await context.close();
    }
  });

  test('markers are reachable by keyboard, named, and open a popup that links to the drive', async () => {
    const { page, context } = await openMap();
    try {
      await page.check('input[name="when"][value="all"]');
      await page.focus('[data-map]');
      let focused = '';
      for (let i = 0; i < 40 && !focused.includes('drive-marker'); i += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.className ?? '');
      }
      expect(focused).toContain('drive-marker');
      const name = await page.evaluate(() => document.activeElement?.getAttribute('title'));
      const role = await page.evaluate(() => document.activeElement?.getAttribute('role'));
      expect(role).toBe('button');
      expect(drives.map((d) => d.name)).toContain(name);
      await page.keyboard.press('Enter');
      const link = page.locator('.leaflet-popup a.drive-popup__name');
      await link.waitFor();
      expect(await link.textContent()).toBe(name);
      const slug = drives.find((d) => d.name === name)?.slug;
      expect(await link.getAttribute('href')).toBe(`/diem-hien-mau/${slug}/`);
      expect(await page.getAttribute('.leaflet-popup-close-button', 'aria-label')).toBe('Đóng');

      const clusterNames = await page.$$eval('.drive-cluster', (els) => els.map((el) => el.textContent ?? ''));
      for (const text of clusterNames) expect(text).toMatch(/\d+ điểm hiến máu/);
    } finally {
      await context.close();
    }
  });

  test('list items are links reachable by keyboard', async () => {
    const { page, context } = await openMap();
    try {
      const first = (await listedIds(page)).visible[0];
      await page.focus('select[name="commune"]');
      let href = '';
      for (let i = 0; i < 60 && !href.startsWith('/diem-hien-mau/'); i += 1) {
        await page.keyboard.press('Tab');
        href = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
      }
      expect(href).toBe(`/diem-hien-mau/${first}/`);
    } finally {
      await context.close();
    }
  });
});

describe('Leaflet loads only where there is a map', () => {
  test('an article page requests no Leaflet code, CSS or tiles', async () => {
    const { page, context, tileRequests } = await openPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    try {
      await page.goto(`${baseUrl}/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/`, { waitUntil: 'networkidle' });
      expect(requested.filter((url) => /leaflet|markercluster/i.test(url))).toEqual([]);
      const styles = await page.$$eval('link[rel="stylesheet"]', (links) => links.map((l) => l.getAttribute('href')));
      for (const href of styles) {
        const css = await (await fetch(`${baseUrl}${href}`)).text();
        expect(css).not.toContain('.leaflet-');
      }
      // The site's stylesheet is inlined in the page (docs/benchmarks.md, "What a page loads").
      const inline = await page.$$eval('style', (nodes) => nodes.map((node) => node.textContent).join(''));
      expect(inline).not.toContain('.leaflet-');
      expect(tileRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the map page does load them', async () => {
    const { page, context } = await openMap();
    try {
      const css = await page.$$eval('link[rel="stylesheet"]', (links) => links.map((l) => l.getAttribute('href')));
      expect(css.some((href) => href?.includes('leaflet-map'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('/diem-hien-mau/[slug]/', () => {
  const now = new Date();
  const upcoming = nextOpenDrives(drives, now, 1)[0];
  const cancelled = drives.find((d) => d.status === 'cancelled');
  const police = drives.find((d) => d.unitsGiven === 667) as TestDrive;

  test.each(drives.map((d) => [d.slug, d] as const))(
    '%s carries Event structured data with +07:00 times and geo',
    async (slug, drive) => {
      const html = await (await fetch(`${baseUrl}/diem-hien-mau/${slug}/`)).text();
      const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map(
        ([, json]) => JSON.parse(json ?? '{}') as Record<string, unknown>,
      );
      const graph = blocks.flatMap((b) => (b['@graph'] as Record<string, unknown>[] | undefined) ?? [b]);
      const event = graph.find((node) => node['@type'] === 'Event') as
        | {
            startDate: string;
            endDate: string;
            eventStatus: string;
            location: { geo: object };
            organizer: { name: string };
          }
        | undefined;
      if (!event) throw new Error('no Event');
      expect(event.startDate).toBe(toIsoWithOffset(drive.start));
      expect(event.endDate).toMatch(/\+07:00$/);
      expect(event.location.geo).toMatchObject({ latitude: drive.latitude, longitude: drive.longitude });
      expect(event.organizer.name).toBe(drive.organiser);
      expect(event.eventStatus).toBe(
        drive.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
      );
    },
  );

  test('an upcoming drive shows day, hours, place, slots, directions, calendar and share links', async () => {
    if (!upcoming) return;
    const phone = { viewport: { width: 390, height: 844 } };
    const { page, context, errors, tileRequests } = await openPage(phone);
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${upcoming.slug}/`);
      const text = (await page.textContent('main')) ?? '';
      expect(await page.textContent('h1')).toBe(upcoming.name);
      expect(text).toContain(formatDate(upcoming.start));
      expect(text).toMatch(/Thứ|Chủ Nhật/);
      expect(text).toContain(upcoming.address);
      expect(text).toContain(upcoming.organiser);
      expect(text).toContain(upcoming.phone);
      const slotCount = (upcoming.end.getTime() - upcoming.start.getTime()) / 60_000 / upcoming.slots.minutes;
      // The sign-up form offers every slot of the drive.
      expect(await page.$$eval('input[name="slot"]', (radios) => radios.length)).toBe(slotCount);
      const point = `${upcoming.latitude},${upcoming.longitude}`;
      expect(await page.getAttribute('a[href*="google.com/maps"]', 'href')).toContain(point);
      expect(await page.getAttribute('a[href*="openstreetmap.org/directions"]', 'href')).toContain(point);
      expect(await page.getAttribute('a[href*="calendar.google.com"]', 'href')).toContain('ctz=Asia%2FHo_Chi_Minh');
      expect(await page.$$('a[href*="facebook.com/sharer"]')).toHaveLength(1);

      // On a phone the small map is far down the page: it loads when scrolled to, with one named marker.
      expect(tileRequests).toEqual([]);
      await page.locator('drive-map').scrollIntoViewIfNeeded();
      await page.waitForSelector('drive-map[data-map-ready="true"]');
      expect(await page.getAttribute('drive-map .drive-marker', 'title')).toBe(upcoming.name);
      expect(tileRequests.length).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the .ics file reads back in ical.js with the drive's times, place and a stable UID", async () => {
    const drive = upcoming ?? police;
    const response = await fetch(`${baseUrl}/diem-hien-mau/${drive.slug}.ics`);
    expect(response.headers.get('content-type')).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(await response.text()) as unknown[]);
    const vtimezone = calendar.getFirstSubcomponent('vtimezone');
    if (vtimezone) ICAL.TimezoneService.register(vtimezone);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') ?? undefined);
    expect(event.summary).toBe(drive.name);
    expect(event.location).toBe(drive.address);
    expect(event.startDate.toJSDate().getTime()).toBe(drive.start.getTime());
    expect(event.endDate.toJSDate().getTime()).toBe(drive.end.getTime());
    expect(event.uid).toBe(`${drive.slug}@hienmau.camau.example`);
  });

  test('a cancelled drive says so at the top and offers no calendar', async () => {
    if (!cancelled) throw new Error('the sample data should have a cancelled drive');
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${cancelled.slug}/`);
      const firstBlock = await page.locator('main [role="note"]').first().textContent();
      expect(firstBlock).toContain('đã bị hủy');
      expect(await page.$$('a[href$=".ics"]')).toHaveLength(0);
    } finally {
      await context.close();
    }
  });

  test('the police drive of 19/4/2020 shows 667 units given against 500 planned', async () => {
    const html = await (await fetch(`${baseUrl}/diem-hien-mau/${police.slug}/`)).text();
    expect(html).toContain('667 đơn vị máu, kế hoạch 500 đơn vị');
    expect(html).toContain('Chủ Nhật, 19/04/2020');
  });
});

describe('home page', () => {
  test('shows the next three drives someone can go to', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const section = html.slice(html.indexOf('id="diem-sap-toi"'), html.indexOf('id="tin-moi"'));
    const linked = [...section.matchAll(/href="\/diem-hien-mau\/([^/"]+)\/"/g)].map(([, slug]) => slug);
    expect(linked).toEqual(nextOpenDrives(drives, new Date(), 3).map((d) => d.slug));
  });
});
