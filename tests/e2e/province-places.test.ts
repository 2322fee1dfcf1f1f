/**
 * Issue 21's check for places: with the sample drives replaced by a
 * province's few real ones (tests/fixtures/real-drives/), names typed on the
 * map page where no drive is still order the list by distance from that
 * place. The site is built on its own from the test site's content with those
 * drives, and served by a server of its own.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { byDistance } from '../../src/drives/geo.ts';
import { driveSchema } from '../../src/drives/drive-schema.ts';
import { placeSchema } from '../../src/drives/place-schema.ts';
import { clearBestPlace, searchPlaces, type ProvincePlace } from '../../src/drives/places.ts';
import { slugify } from '../../src/shared/vietnamese.ts';
import { dateDrives, FIXTURE_SOURCE, todayInCaMau, withRelativeDates } from '../../scripts/fixture-site.mjs';
import { buildContentFolder } from '../../scripts/project-copy.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.mjs';
import { openSitePage } from './browser.ts';

const root = resolve(import.meta.dirname, '../..');
// Inside the project (under the ignored .fixture/), so the built server finds node_modules.
const project = join(root, '.fixture/real-drives');
const content = join(project, 'content');
const realDrives = join(root, 'tests/fixtures/real-drives/drives');
const folder = mkdtempSync(join(tmpdir(), 'real-drives-'));

const today = todayInCaMau();
const drives = readdirSync(realDrives).map((name) => ({
  ...driveSchema.parse(
    yaml.load(withRelativeDates(readFileSync(join(realDrives, name), 'utf8'), today), { schema: yaml.CORE_SCHEMA }),
  ),
  id: slugify(name.replace(/\.yaml$/, '')),
}));
const places: ProvincePlace[] = (yaml.load(readFileSync(join(FIXTURE_SOURCE, 'places.yaml'), 'utf8')) as unknown[]).map(
  (entry) => {
    const data = placeSchema.parse(entry);
    return { ...data, ...data.position };
  },
);

let site: Awaited<ReturnType<typeof startSite>> | undefined;
let baseUrl = '';
let browser: Browser | undefined;

beforeAll(async () => {
  rmSync(project, { recursive: true, force: true });
  cpSync(FIXTURE_SOURCE, content, { recursive: true });
  rmSync(join(content, 'drives'), { recursive: true });
  cpSync(realDrives, join(content, 'drives'), { recursive: true });
  dateDrives(join(content, 'drives'), today);
  buildContentFolder({ content, outDir: join(project, 'dist') });
  site = await startSite({ SIGNUP_DB: join(folder, 'signups.sqlite'), SITE_DIST: '.fixture/real-drives/dist' });
  baseUrl = site.url;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function openPage() {
  if (!browser) throw new Error('The browser starts in beforeAll: open pages inside tests.');
  return openSitePage(browser, baseUrl);
}

describe('/diem-hien-mau/ with only real drives', () => {
  test('three drives, none of them where the names below are', () => {
    expect(drives).toHaveLength(3);
    for (const query of ['Thới Bình', 'Hồng Dân', 'Phước Long']) {
      expect(clearBestPlace(searchPlaces(query, drives))).toBeUndefined();
    }
  });

  test.each([
    ['Thới Bình', 'Xã Thới Bình'],
    ['thoi binh', 'Xã Thới Bình'],
    ['Hồng Dân', 'Xã Hồng Dân'],
    ['huyen tran van thoi', 'huyện Trần Văn Thời cũ, tính từ Xã Trần Văn Thời'],
    ['Phước Long', 'Xã Phước Long'],
  ])('typing "%s" orders the list by distance from %s', async (query, place) => {
    const origin = clearBestPlace(searchPlaces(query, drives, places));
    if (!origin) throw new Error(`the fixture place list has no clear place for ${query}`);
    const expected = byDistance(drives, origin).map(({ item }) => item.id);
    const { page, context, errors } = await openPage();
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/`);
      // The finder's code is added after the first paint (src/shared/after-paint-chunk.ts).
      await page.waitForFunction(() => customElements.get('drive-finder'));
      await page.fill('#noi-cua-ban', query);
      await page.press('#noi-cua-ban', 'Enter');
      await page.waitForFunction(() =>
        document.querySelector('drive-finder [data-status]')?.textContent?.startsWith('Đã xếp theo'),
      );
      expect(await page.textContent('drive-finder [data-status]')).toContain(`Đã xếp theo khoảng cách từ ${place}.`);
      const listed = await page.$$eval('[data-list] > li:not([hidden])', (items) =>
        items.map((li) => ({
          id: li.getAttribute('data-drive-id') ?? '',
          km: Number(
            /([\d,.]+) km/.exec(li.querySelector('[data-distance]')?.textContent ?? '')?.[1]?.replace(',', '.'),
          ),
        })),
      );
      expect(listed.map((item) => item.id)).toEqual(expected);
      // Ascending, as the list says it is; the ordering means something (not all the same place).
      const km = listed.map((item) => item.km);
      expect(km).toEqual([...km].sort((a, b) => a - b));
      expect(new Set(km).size).toBe(km.length);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
