import { describe, expect, inject, test } from 'vitest';
import { axeViolations, type SitePage, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { formatNumber, yearResults } from '../../src/campaign/campaign.ts';
import { FOOTER_NAV, MAIN_NAV, SLOGAN } from '../../src/shared/site.ts';
import { FIND_NEAR_YOU } from '../../src/drives/words.ts';
import { SIGNUP_TITLE } from '../../src/signup/words.ts';

const baseUrl = inject('baseUrl');
const openPage = useSiteBrowser(baseUrl);
const opened: SitePage[] = [];

async function open(path: string, options = {}): Promise<SitePage> {
  const site = await openPage(options);
  opened.push(site);
  await site.page.goto(`${baseUrl}${path}`);
  return site;
}

describe('home page', () => {
  test('the slogan is the page heading, exactly', async () => {
    const { page, errors } = await open('/');
    await expect(page.locator('h1').textContent()).resolves.toBe(SLOGAN);
    expect(await page.locator('h1').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  test('at 390 × 844 the first screen shows the slogan, finding a drive and signing up; eligibility and safety follow', async () => {
    const { page, errors } = await open('/', { viewport: { width: 390, height: 844 } });
    const main = page.getByRole('main');
    const onFirstScreen = [
      page.locator('h1'),
      main.getByRole('link', { name: FIND_NEAR_YOU, exact: true }),
      main.getByRole('link', { name: SIGNUP_TITLE, exact: true }),
      main.getByRole('link', { name: 'Xem bạn có thể hiến máu không' }),
      main.getByRole('link', { name: 'Hiến máu an toàn thế nào?' }),
    ];
    await expect(onFirstScreen[1]?.getAttribute('href')).resolves.toBe('/diem-hien-mau/');
    await expect(onFirstScreen[2]?.getAttribute('href')).resolves.toBe('/dang-ky/');
    for (const element of onFirstScreen) {
      const box = await element.boundingBox();
      expect(box, String(element)).not.toBeNull();
      expect(box?.y).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? Infinity) + (box?.height ?? 0), String(element)).toBeLessThanOrEqual(844);
    }
    // The two calls are thumb-sized.
    for (const call of onFirstScreen.slice(1, 3)) expect((await call.boundingBox())?.height).toBeGreaterThanOrEqual(44);
    expect(errors).toEqual([]);
  });

  test("an ended campaign's result is not shown as the current figure: this year's drives are, and the end is said", async () => {
    // The test site's campaign.yaml ends on 19/04/2020, as the real one does.
    const { page } = await open('/', { viewport: { width: 390, height: 844 } });
    const thisYear = yearResults(await readDrives(), new Date());
    expect(thisYear.drives).toBeGreaterThan(0);
    const bar = page.getByRole('progressbar', { name: `Kết quả các đợt hiến máu năm ${thisYear.year}` });
    await expect(bar.getAttribute('max')).resolves.toBe(String(thisYear.target));
    await expect(bar.getAttribute('value')).resolves.toBe(String(Math.min(thisYear.given, thisYear.target)));
    const hero = page.locator('section[aria-labelledby="khau-hieu"]');
    expect(await hero.textContent()).toContain(
      `Đã tiếp nhận ${formatNumber(thisYear.given)} đơn vị máu tại ${thisYear.drives} đợt hiến máu đã xong trong năm ${thisYear.year}`,
    );
    // The 2020 figures are there only as the past's, never as "667 / 500" beside a bar.
    expect(await page.getByRole('progressbar', { name: 'Kết quả chiến dịch' }).count()).toBe(0);
    expect(await hero.locator('figure').textContent()).not.toContain('667');
    const ended = page.locator('[data-campaign-ended]');
    expect(await ended.textContent()).toContain('đã kết thúc: từ ngày 19/04/2020 đến 19/04/2020');
    expect(await ended.textContent()).toContain('667');
    expect(await ended.isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await hero.screenshot({ path: '/tmp/citizen-home-figure.png' });
  });

  test('lists the latest news and calls to act and share', async () => {
    const { page } = await open('/');
    expect(await page.locator('#tin-moi ~ * article, section[aria-labelledby="tin-moi"] article').count()).toBe(4);
    await expect(
      page.getByRole('main').getByRole('link', { name: 'Đăng ký hiến máu', exact: true }).getAttribute('href'),
    ).resolves.toBe('/dang-ky/');
    await expect(page.getByRole('list', { name: 'Chia sẻ trang này' }).getByRole('link').count()).resolves.toBe(4);
  });
});

describe('navigation', () => {
  const links = [...MAIN_NAV, ...FOOTER_NAV.filter((item) => !item.href.endsWith('.xml'))];

  test.each(links.map((item) => [item.label, item.href]))('“%s” leads to %s', async (label, href) => {
    const { page } = await open('/');
    const region = MAIN_NAV.some((item) => item.href === href) ? 'Chính' : 'Chân trang';
    await page.getByRole('navigation', { name: region }).getByRole('link', { name: label, exact: true }).click();
    await page.waitForURL(`${baseUrl}${href}`);
    expect(await page.locator('h1').count()).toBe(1);
    if (region === 'Chính') {
      const current = page.getByRole('navigation', { name: 'Chính' }).locator('[aria-current="page"]');
      await expect(current.textContent()).resolves.toBe(label);
    }
  });

  test('the skip link moves focus to the main content', async () => {
    const { page } = await open('/tin-tuc/');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Chuyển đến nội dung chính');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('noi-dung');
  });
});

describe('news', () => {
  test('the list shows 10 articles and a link to page 2, which has the rest', async () => {
    const { page } = await open('/tin-tuc/');
    expect(await page.locator('main article').count()).toBe(10);
    await page.getByRole('navigation', { name: 'Phân trang' }).getByRole('link', { name: 'Trang sau →' }).click();
    await page.waitForURL(`${baseUrl}/tin-tuc/trang/2/`);
    expect(await page.locator('main article').count()).toBeGreaterThanOrEqual(1);
    await expect(page.locator('[aria-current="page"]').last().textContent()).resolves.toContain('2');
  });

  test('an article shows its date, author, tags, reading time, related and neighbouring articles', async () => {
    const { page, errors } = await open('/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/667/);
    const meta = (await page.locator('main dl').textContent()) ?? '';
    expect(meta).toContain('Ngày đăng:20/04/2020');
    expect(meta).toContain('Như Tân, Hội CTĐ tỉnh Cà Mau');
    expect(meta).toMatch(/Thời gian đọc:khoảng \d+ phút/);
    expect(await page.getByRole('list', { name: 'Chủ đề của bài viết' }).getByRole('link').count()).toBeGreaterThan(0);
    await expect(page.locator('main').textContent()).resolves.toContain('500');
    expect(await page.locator('section[aria-labelledby="bai-lien-quan"] article').count()).toBe(3);
    expect(
      await page.getByRole('navigation', { name: 'Bài trước và bài sau' }).getByRole('link').count(),
    ).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('an article prints as a plain document: no navigation, sharing or related list', async () => {
    const { page } = await open('/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/');
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['header nav', 'footer', '#chia-se', '#bai-lien-quan']) {
      await expect(page.locator(selector).first().isVisible(), selector).resolves.toBe(false);
    }
    await expect(page.locator('h1').isVisible()).resolves.toBe(true);
    await expect(page.locator('.prose-vi').isVisible()).resolves.toBe(true);
  });

  test('an article carries NewsArticle structured data with +07:00 dates', async () => {
    const { page } = await open('/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/');
    const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
    const article = blocks
      .map((b) => JSON.parse(b) as Record<string, unknown>)
      .find((d) => d['@type'] === 'NewsArticle');
    expect(article).toMatchObject({ '@context': 'https://schema.org', datePublished: '2020-04-20T00:00:00+07:00' });
    expect(article?.['headline']).toMatch(/667/);
    await expect(page.locator('meta[property="og:type"]').getAttribute('content')).resolves.toBe('article');
  });

  test('a tag leads to the tag page, which lists that article', async () => {
    const { page } = await open('/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/');
    const tag = page.getByRole('list', { name: 'Chủ đề của bài viết' }).getByRole('link').first();
    const name = (await tag.textContent()) ?? '';
    await tag.click();
    await page.waitForURL(/\/tin-tuc\/chu-de\/[a-z0-9-]+\/$/);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Chủ đề: ${name}`);
    expect(await page.locator('main a[href="/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/"]').count()).toBe(1);
  });

  test('the RSS feed lists every article on the list pages', async () => {
    const rss = await (await fetch(`${baseUrl}/rss.xml`)).text();
    const { page } = await open('/tin-tuc/');
    const firstPage = await page
      .locator('main article h2 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await page.goto(`${baseUrl}/tin-tuc/trang/2/`);
    const secondPage = await page
      .locator('main article h2 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const listed = [...firstPage, ...secondPage];
    expect(rss.match(/<item>/g)).toHaveLength(listed.length);
    for (const href of listed) expect(rss).toContain(`${href}</link>`);
  });
});

describe('drafts', () => {
  test('a draft article is not built, listed or in the feed', async () => {
    expect((await fetch(`${baseUrl}/tin-tuc/ban-nhap-mau/`)).status).toBe(404);
    expect(await (await fetch(`${baseUrl}/rss.xml`)).text()).not.toContain('ban-nhap-mau');
    expect(await (await fetch(`${baseUrl}/tin-tuc/trang/2/`)).text()).not.toContain('ban-nhap-mau');
  });
});

describe('next-eligible-date calculator', () => {
  async function openCalculator(): Promise<SitePage> {
    const site = await openPage();
    opened.push(site);
    // A fixed "today" (26/11/2026 in Cà Mau) so the answers do not age.
    await site.page.clock.setFixedTime(new Date('2026-11-26T03:00:00Z'));
    await site.page.goto(`${baseUrl}/dieu-kien/`);
    return site;
  }

  test('whole blood: 12 weeks later, with the rule shown', async () => {
    const { page, errors } = await openCalculator();
    await page.getByLabel('Ngày hiến lần gần nhất').fill('2026-11-01');
    await page.getByLabel('Lần đó bạn hiến').selectOption('whole-blood');
    await page.getByRole('button', { name: 'Tính ngày' }).click();
    const result = page.locator('eligibility-calculator output');
    await expect(result.textContent()).resolves.toContain(
      'Ngày sớm nhất bạn có thể hiến lại: Chủ Nhật, 24/01/2027 (còn 59 ngày).',
    );
    await expect(result.textContent()).resolves.toContain('12 tuần');
    expect(errors).toEqual([]);
  });

  test('platelets by apheresis: 2 weeks, already passed', async () => {
    const { page } = await openCalculator();
    await page.getByLabel('Ngày hiến lần gần nhất').fill('2026-11-01');
    await page.getByLabel('Lần đó bạn hiến').selectOption('apheresis-platelets');
    await page.getByRole('button', { name: 'Tính ngày' }).click();
    await expect(page.locator('eligibility-calculator output').textContent()).resolves.toContain(
      'Bạn đã có thể hiến lại (từ Chủ Nhật, 15/11/2026).',
    );
  });

  test('no date: a message tied to the field, and focus on it', async () => {
    const { page } = await openCalculator();
    await page.getByRole('button', { name: 'Tính ngày' }).click();
    const input = page.getByLabel('Ngày hiến lần gần nhất');
    await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#ngay-hien-truoc-loi').textContent()).resolves.toBe(
      'Vui lòng nhập ngày bạn hiến máu lần gần nhất.',
    );
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  });

  test('without JavaScript the rule is shown instead of the form', async () => {
    const { page } = await open('/dieu-kien/', { javaScriptEnabled: false });
    await expect(page.locator('eligibility-calculator [data-fallback]').isVisible()).resolves.toBe(true);
    await expect(page.locator('eligibility-calculator form').isVisible()).resolves.toBe(false);
  });
});

describe('server', () => {
  test('an unknown address answers 404 with a helpful page', async () => {
    const { page } = await open('/');
    const response = await page.goto(`${baseUrl}/khong-co-trang-nay/`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Không tìm thấy trang này');
    expect(await page.getByRole('main').getByRole('link').count()).toBe(MAIN_NAV.length);
  });

  test.each(['/', '/tin-tuc/', '/dieu-kien/', '/favicon.svg', '/rss.xml', '/khong-co-trang-nay/'])(
    'security headers on %s',
    async (path) => {
      const response = await fetch(`${baseUrl}${path}`);
      const headers = response.headers;
      expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(headers.get('permissions-policy')).toContain('camera=()');
    },
  );

  test('pages carry a script policy with hashes and no unsafe-inline', async () => {
    const html = await (await fetch(`${baseUrl}/dieu-kien/`)).text();
    const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(html)?.[1] ?? '';
    expect(policy).toMatch(/script-src 'self'( 'sha256-[^']+')+/);
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
  });

  test('hashed assets are cached for a year, pages revalidate, and text comes precompressed', async () => {
    const home = await fetch(`${baseUrl}/`, { headers: { 'Accept-Encoding': 'br' } });
    expect(home.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(home.headers.get('content-encoding')).toBe('br');
    expect(home.headers.get('vary')).toBe('Accept-Encoding');
    // fetch decodes brotli itself: the body is the page.
    const html = await home.text();
    expect(html).toContain('<html lang="vi"');
    // The home page's islands are all inlined; the map page's finder is a file, whose address
    // is in the inlined script that adds it after the first paint (src/shared/after-paint-chunk.ts).
    const mapPage = await (await fetch(`${baseUrl}/diem-hien-mau/`)).text();
    const script = /["'`](\/_astro\/drive-finder\.[^"'`]+\.js)["'`]/.exec(mapPage)?.[1] ?? '';
    expect(script).not.toBe('');
    const asset = await fetch(`${baseUrl}${script}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const plain = await fetch(`${baseUrl}${script}`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  test('ETag and Last-Modified answer 304 when nothing changed', async () => {
    const first = await fetch(`${baseUrl}/tin-tuc/`);
    const etag = first.headers.get('etag') ?? '';
    const modified = first.headers.get('last-modified') ?? '';
    expect(etag).toMatch(/^W\/"/);
    expect((await fetch(`${baseUrl}/tin-tuc/`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${baseUrl}/tin-tuc/`, { headers: { 'If-Modified-Since': modified } })).status).toBe(304);
    expect((await fetch(`${baseUrl}/tin-tuc/`, { headers: { 'If-None-Match': 'W/"other"' } })).status).toBe(200);
    const head = await fetch(`${baseUrl}/tin-tuc/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
  });

  test('a calendar file is text/calendar; on-demand pages are not cached', async () => {
    const ics = await fetch(`${baseUrl}/diem-hien-mau/cong-an-tinh-ca-mau-19-04-2020.ics`);
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect((await fetch(`${baseUrl}/dang-ky/`)).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${baseUrl}/%2e%2e/package.json`)).status).toBe(404);
  });

  test('an address without its trailing slash is sent to the one with it, its query kept; a post to a built page is no page', async () => {
    for (const [path, location] of [
      ['/tin-tuc', '/tin-tuc/'],
      ['/dang-ky?diem=cai-nuoc', '/dang-ky/?diem=cai-nuoc'],
      ['/khong-co-trang-nay', '/khong-co-trang-nay/'],
    ] as const) {
      const moved = await fetch(`${baseUrl}${path}`, { redirect: 'manual' });
      expect(moved.status, path).toBe(301);
      expect(moved.headers.get('location'), path).toBe(location);
    }
    // The built pages are files, sent for GET and HEAD (src/server/static-files.ts); a form posted to one is not taken.
    const posted = await fetch(`${baseUrl}/tin-tuc/`, {
      method: 'POST',
      headers: { Origin: new URL(baseUrl).origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(posted.status).toBe(404);
  });

  test('robots.txt points to the sitemap', async () => {
    const robots = await (await fetch(`${baseUrl}/robots.txt`)).text();
    expect(robots).toMatch(/^Sitemap: https?:\/\/[^\s]+\/sitemap-index\.xml$/m);
  });
});
