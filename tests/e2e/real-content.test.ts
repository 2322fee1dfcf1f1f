/**
 * The real content/ as the editors left it, built into dist/ by `npm test`:
 * whatever articles and drives it holds (sample or real, many or none), every
 * page listed in its sitemap answers and carries the tags every page must.
 * No assertion here names an article or a drive; the other browser tests use
 * the test site (tests/fixtures/site/).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { sitemapUrls } from './browser.ts';

let site: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  site = await startSite({ SITE_DIST: 'dist', SIGNUP_DB: ':memory:' });
});
afterAll(() => site?.stop());

describe('the real content, built', () => {
  test('every page in the sitemap answers 200 in Vietnamese with its canonical address and share image', async () => {
    const urls = await sitemapUrls(site.url);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const html = await response.text();
      expect(html, url).toContain('<html lang="vi"');
      expect(html, url).toMatch(/<link rel="canonical" href="https:\/\/[^"]+"/);
      expect(html, url).toMatch(/<meta property="og:image" content="https:\/\/[^"]+"/);
    }
  });

  test('the feeds, the drive schedule and the places left answer', async () => {
    expect((await fetch(`${site.url}/rss.xml`)).status).toBe(200);
    expect((await fetch(`${site.url}/robots.txt`)).status).toBe(200);
    const schedule = (await (await fetch(`${site.url}/api/diem-hien-mau/lich.json`)).json()) as { slug: string }[];
    expect(Array.isArray(schedule)).toBe(true);
    for (const { slug } of schedule.slice(0, 3)) {
      expect((await fetch(`${site.url}/api/diem-hien-mau/${slug}/cho-trong.json`)).status).toBe(200);
      expect((await fetch(`${site.url}/diem-hien-mau/${slug}/`)).status).toBe(200);
    }
  });
});
