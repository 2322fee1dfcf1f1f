/**
 * Issue 24's done-when for articles, with one real build (docs/editors.md "Viết bài"): an
 * editor at 1280 px writes an article with a phone's photo (EXIF and a GPS position in it),
 * at 390 px changes its title and publishes (the publisher in the server, as
 * tests/e2e/publish.test.ts runs it), sees the article on the site with its share image
 * drawn from the photo, then goes back to the earlier version in the file's history.
 * Screenshots of each step in /tmp/shots-article-form/. The forms' hostile cases, without a
 * build, are tests/e2e/article-form.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { useSiteBrowser } from './browser.ts';
import { TEST_PASSWORD, signInPage } from './console-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'article-done-'));
const shots = '/tmp/shots-article-form';
mkdirSync(shots, { recursive: true });
const db = join(folder, 'signups.sqlite');
const repoDir = join(folder, 'noi-dung');
const site = await startSite({
  SIGNUP_DB: db,
  CONTENT_DIR: FIXTURE_CONTENT,
  CONTENT_REPO: repoDir,
  PUBLISH_DIR: join(folder, 'ban-dung'),
  PUBLISH_CHECK_MINUTES: '0',
  LOGIN_RATE_LIMIT: '100000',
});
const openPage = useSiteBrowser(site.url);
const editor = `bt${Date.now() % 100_000}`;
const SLUG = 'doan-thanh-nien-cong-an-hien-mau-dip-cuoi-nam';
const PATH = `news/${SLUG}.mdx`;

beforeAll(async () => {
  await runCommand(
    ['user', 'add', editor, '--role', 'editor', '--db', db],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );
});

afterAll(async () => {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** A phone's photo: bright green, with the camera's name and a GPS position in its EXIF. */
const photo = () =>
  sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 0, g: 200, b: 0 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'MayChupBiMat' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '9/1 10/1 36/1' } })
    .toBuffer();

describe('an editor writes an article with a photo, publishes it and goes back', () => {
  test('at 1280 px and 390 px, one build', { timeout: 600_000 }, async () => {
    const desk = await openPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(desk.page, site.url, editor);
    await desk.page.goto(`${site.url}/to-chuc/noi-dung/`);
    await desk.page.click('a[data-new-article]');
    await desk.page.waitForSelector('markdown-editor .cm-editor');
    await desk.page.fill('#o-tieu-de', 'Đoàn thanh niên Công an hiến máu dịp cuối năm');
    await desk.page.fill(
      '#o-tom-tat',
      'Hơn một trăm đoàn viên Công an tỉnh đã hiến máu tình nguyện tại trụ sở, góp phần giữ đủ máu cho các bệnh viện dịp Tết.',
    );
    await desk.page.fill('#o-chu-de-moi', 'Công an tỉnh, Hiến máu tình nguyện');
    await desk.page.click('.cm-content');
    await desk.page.keyboard.type('Sáng nay, đoàn viên xếp hàng từ sớm.');
    await desk.page.setInputFiles('#o-anh', { name: 'IMG_2026.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await desk.page.fill('#o-anh-mo-ta', 'Đoàn viên Công an xếp hàng chờ hiến máu');
    await desk.page.screenshot({ path: `${shots}/10-done-write-1280.png`, fullPage: true });
    await Promise.all([desk.page.waitForLoadState('load'), desk.page.click('button[data-save]')]);
    expect(await desk.page.textContent('[data-editor-notice]')).toContain(`Đã lưu ${PATH}`);
    await desk.page.screenshot({ path: `${shots}/11-done-saved-1280.png`, fullPage: true });
    expect(desk.errors).toEqual([]);

    const phone = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page } = phone;
    await signInPage(page, site.url, editor);
    await page.goto(`${site.url}/to-chuc/noi-dung/`);
    await Promise.all([page.waitForLoadState('load'), page.click(`a[data-form-link="${PATH}"]`)]);
    await page.waitForSelector('markdown-editor .cm-editor');
    await page.fill('#o-tieu-de', 'Đoàn thanh niên Công an tỉnh hiến máu dịp cuối năm');
    await Promise.all([page.waitForLoadState('load'), page.click('button[data-save]')]);
    expect(await page.textContent('[data-editor-notice]')).toContain(`Đã lưu ${PATH}`);
    await page.screenshot({ path: `${shots}/12-done-edited-390.png`, fullPage: true });

    await Promise.all([page.waitForURL(`${site.url}/to-chuc/xuat-ban/`), page.click('a[data-publish-link]')]);
    await Promise.all([page.waitForLoadState('load'), page.click('button[data-publish]')]);
    await page.waitForSelector('publish-log[data-state="done"]', { timeout: 500_000 });
    await page.screenshot({ path: `${shots}/13-done-published-390.png`, fullPage: true });

    // On the site: the article, its picture, and a share image drawn from the photo.
    const reader = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await reader.page.goto(`${site.url}/tin-tuc/${SLUG}/`);
    expect(await reader.page.textContent('h1')).toBe('Đoàn thanh niên Công an tỉnh hiến máu dịp cuối năm');
    expect(await reader.page.getAttribute('article img', 'alt')).toBe('Đoàn viên Công an xếp hàng chờ hiến máu');
    await reader.page.screenshot({ path: `${shots}/14-done-on-site-390.png`, fullPage: true });
    const ogImage = (await reader.page.getAttribute('meta[property="og:image"]', 'content')) ?? '';
    const share = Buffer.from(await (await fetch(`${site.url}${new URL(ogImage).pathname}`)).arrayBuffer());
    const { width, height } = await sharp(share).metadata();
    expect({ width, height }).toEqual({ width: 1200, height: 630 });
    // The photo fills the top of the share image: green there, not the usual white card.
    const { data } = await sharp(share)
      .extract({ left: 500, top: 100, width: 10, height: 10 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const [red = 0, green = 0, blue = 0] = data;
    expect(green).toBeGreaterThan(160);
    expect(Math.max(red, blue)).toBeLessThan(40);
    writeFileSync(`${shots}/15-done-share-image.png`, share);
    // The served picture carries no EXIF: it was re-encoded before it was saved.
    const pictureUrl = (await reader.page.getAttribute('article img', 'src')) ?? '';
    const served = Buffer.from(await (await fetch(`${site.url}${pictureUrl}`)).arrayBuffer());
    expect(served.includes('MayChupBiMat')).toBe(false);
    expect((await sharp(served).metadata()).exif).toBeUndefined();
    expect(reader.errors).toEqual([]);

    // Back to the first version, in the file's history.
    await page.goto(`${site.url}/to-chuc/noi-dung/lich-su/?tep=${PATH}`);
    expect(await page.locator('[data-version]').count()).toBe(2);
    const first = (await page.locator('[data-version]').nth(1).getAttribute('data-version')) ?? '';
    await Promise.all([page.waitForLoadState('load'), page.click(`a:has-text("Xem thay đổi ${first.slice(0, 7)}")`)]);
    await page.screenshot({ path: `${shots}/16-done-history-390.png`, fullPage: true });
    await Promise.all([page.waitForLoadState('load'), page.click('button[data-revert]')]);
    expect(await page.textContent('[data-editor-notice]')).toContain('Đã đưa');
    expect(await page.locator('[data-version]').count()).toBe(3);
    await page.screenshot({ path: `${shots}/17-done-reverted-390.png`, fullPage: true });
    expect(readFileSync(join(repoDir, PATH), 'utf8')).toContain(
      'title: "Đoàn thanh niên Công an hiến máu dịp cuối năm"',
    );
    expect(phone.errors).toEqual([]);
  });
});
