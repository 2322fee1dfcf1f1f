/**
 * The console's article, page and campaign forms and the preview endpoint in the running
 * server (src/editor/form-console.ts, docs/editors.md "Viết bài"), no build: an editor in
 * Chromium at 390 px and 1280 px writes an article with the Markdown editor's toolbar, sees
 * the counts and the preview, uploads a photo and saves; the page and campaign forms save;
 * then the hostile posts as a table and a bounded fuzz (path tricks, a 20,000 × 20,000 image
 * in 50 kB, a body over the limit, SVG, wrong content types, another origin, a replayed
 * post, staff and unit accounts, code in the body), the rate limit, and the same behind
 * Caddy. One real build with an article is tests/e2e/article-done.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { PREVIEW_POST_LIMIT } from '../../src/shared/limits.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { freePort, sendThrough, signInThrough, startCaddy, type CaddyProxy } from './caddy-proxy.ts';
import { TEST_PASSWORD, signIn, signInPage } from './console-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'article-form-'));
const shots = '/tmp/shots-article-form';
mkdirSync(shots, { recursive: true });
const db = join(folder, 'signups.sqlite');
const repoDir = join(folder, 'noi-dung');
const site = await startSite({
  SIGNUP_DB: db,
  TRUST_PROXY: '1',
  CONTENT_DIR: FIXTURE_CONTENT,
  CONTENT_REPO: repoDir,
  PUBLISH_DIR: join(folder, 'ban-dung'),
  PUBLISH_CHECK_MINUTES: '0',
  LOGIN_RATE_LIMIT: '100000',
});
const openPage = useSiteBrowser(site.url);
const stamp = Date.now() % 100_000;
const editor = `bt${stamp}`;
const writer = `bt${stamp}b`;
const staff = `nv${stamp}`;
const unit = `dv${stamp}`;
const ARTICLE = '/to-chuc/noi-dung/tin-tuc/';
const PREVIEW = '/to-chuc/noi-dung/xem-truoc/';
const cookies: Record<string, string> = {};
const cookieOf = (name: string) => cookies[name] ?? '';

const cli = (...args: string[]) =>
  runCommand(
    [...args, '--db', db],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );

beforeAll(async () => {
  await cli('user', 'add', editor, '--role', 'editor');
  await cli('user', 'add', writer, '--role', 'editor');
  await cli('user', 'add', staff, '--role', 'staff', '--drive', 'cai-nuoc');
  await cli('team', 'add', 'DV-THU', 'Đơn vị thử');
  await cli('user', 'add', unit, '--role', 'unit', '--team', 'DV-THU');
  for (const name of [editor, writer, staff, unit]) cookies[name] = await signIn(site.url, name);
}, 60_000);

afterAll(async () => {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});

const head = () => execFileSync('git', ['-C', repoDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

/** A photo with EXIF and a GPS position, as a phone takes it. */
const photo = () =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 20, g: 150, b: 70 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'MayChupBiMat' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '9/1 10/1 36/1' } })
    .toBuffer();

const goodFields = (n: number): Record<string, string> => ({
  'tieu-de': `Bài thử số ${n} của bàn biên tập`,
  'tom-tat': 'Một bài thử của bàn biên tập, đủ dài để qua kiểm tra của trang web khi dựng và khi lưu.',
  'ngay-dang': '2026-12-01',
  'tac-gia': 'Ban biên tập',
  'chu-de-moi': 'Thử nghiệm',
  'noi-dung': '## Mục một\n\nChữ **đậm**.\n',
});

/** A multipart post of the article form (a file as `anh` when given), as a browser sends it. */
async function postArticle(
  fields: Record<string, string>,
  options: {
    cookie?: string;
    origin?: string;
    file?: { bytes: Buffer; type: string; name: string };
    url?: string;
  } = {},
): Promise<{ status: number; html: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (options.file)
    form.set('anh', new File([new Uint8Array(options.file.bytes)], options.file.name, { type: options.file.type }));
  const response = await fetch(`${site.url}${options.url ?? ARTICLE}`, {
    method: 'POST',
    headers: { Origin: options.origin ?? site.url, Cookie: options.cookie ?? cookies[editor] ?? '' },
    body: form,
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text() };
}

describe('an editor writes an article in Chromium', () => {
  test(
    'at 390 px: counts, toolbar, preview, a photo, saved; then at 1280 px the same article to edit',
    { timeout: 120_000 },
    async () => {
      const phone = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const { page } = phone;
      await signInPage(page, site.url, editor);
      await page.goto(`${site.url}/to-chuc/noi-dung/`);
      await Promise.all([page.waitForURL(`${site.url}${ARTICLE}`), page.click('a[data-new-article]')]);
      await page.waitForSelector('markdown-editor .cm-editor');
      await page.fill('#o-tieu-de', 'Ngắn');
      expect(await page.textContent('[data-count-of="o-tieu-de"]')).toContain('4/90 ký tự: cần ít nhất 10');
      await page.fill('#o-tieu-de', 'Đoàn viên phường 5 hiến máu sáng Chủ nhật');
      expect(await page.inputValue('#o-duong-dan')).toBe('doan-vien-phuong-5-hien-mau-sang-chu-nhat');
      await page.fill(
        '#o-tom-tat',
        'Sáng Chủ nhật, hơn tám mươi đoàn viên phường 5 đã hiến máu tại nhà văn hoá phường.',
      );
      expect(await page.textContent('[data-count-of="o-tom-tat"]')).toMatch(/^\d+\/160 ký tự\.$/);
      await page.check('input[name="chu-de"] >> nth=0');
      await page.click('.cm-content');
      await page.keyboard.type('Buổi sáng');
      await page.click('button[data-action="h2"]');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Người hiến được khám miễn phí');
      await page.click('button[data-action="ul"]');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.click('button[data-action="bold"]');
      expect(await page.inputValue('#o-noi-dung')).toBe(
        // The Markdown mode continues the list on Enter, as an editor expects.
        '## Buổi sáng\n\n- Người hiến được khám miễn phí\n- **chữ đậm**',
      );
      await page.click('button[data-preview]');
      await page.waitForSelector('[data-preview-output] h2');
      expect(await page.textContent('[data-preview-output] h2')).toBe('Buổi sáng');
      expect(await page.textContent('[data-preview-output] li')).toContain('khám miễn phí');
      await page.screenshot({ path: `${shots}/01-form-preview-390.png`, fullPage: true });
      await page.setInputFiles('#o-anh', { name: 'anh.jpg', mimeType: 'image/jpeg', buffer: await photo() });
      // Saved without the picture's description: told beside the field, the photo kept.
      await Promise.all([page.waitForLoadState('load'), page.click('button[data-save]')]);
      expect(await page.textContent('#o-anh-mo-ta-loi')).toContain('mô tả');
      expect(await page.textContent('[data-kept-picture]')).toContain('giữ lại');
      await page.waitForSelector('markdown-editor .cm-editor');
      await page.fill('#o-anh-mo-ta', 'Đoàn viên xếp hàng chờ hiến máu');
      await Promise.all([page.waitForLoadState('load'), page.click('button[data-save]')]);
      expect(await page.textContent('[data-editor-notice]')).toContain(
        'Đã lưu news/doan-vien-phuong-5-hien-mau-sang-chu-nhat.mdx',
      );
      expect(await page.textContent('[data-current-picture]')).toMatch(
        /doan-vien-phuong-5-hien-mau-sang-chu-nhat-[0-9a-f]{10}\.jpg/,
      );
      await page.screenshot({ path: `${shots}/02-saved-390.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      // The one refused save answered 422, which Chromium logs; nothing else.
      expect(phone.errors.filter((error) => !error.includes('status of 422'))).toEqual([]);

      const desk = await openPage({ viewport: { width: 1280, height: 900 } });
      await signInPage(desk.page, site.url, editor);
      await desk.page.goto(`${site.url}${ARTICLE}?tep=news/doan-vien-phuong-5-hien-mau-sang-chu-nhat.mdx`);
      await desk.page.waitForSelector('markdown-editor .cm-editor');
      expect(await desk.page.inputValue('#o-tieu-de')).toBe('Đoàn viên phường 5 hiến máu sáng Chủ nhật');
      await desk.page.screenshot({ path: `${shots}/03-edit-1280.png`, fullPage: true });
      expect(await axeViolations(desk.page)).toEqual([]);
      expect(desk.errors).toEqual([]);
    },
  );

  test('without JavaScript the textarea, the preview and the save work', { timeout: 60_000 }, async () => {
    const plain = await openPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    await signInPage(plain.page, site.url, editor);
    await plain.page.goto(`${site.url}${ARTICLE}`);
    await plain.page.fill('#o-tieu-de', 'Bài viết không cần JavaScript vẫn lưu được');
    await plain.page.fill(
      '#o-tom-tat',
      'Bài này được viết trong trình duyệt đã tắt JavaScript, bằng ô chữ thường của biểu mẫu.',
    );
    await plain.page.fill('#o-chu-de-moi', 'Thử nghiệm');
    await plain.page.fill('#o-noi-dung', '## Không JavaScript\n\nVẫn xem trước được.\n');
    await Promise.all([plain.page.waitForLoadState('load'), plain.page.click('button[data-preview]')]);
    expect(await plain.page.textContent('[data-preview-output] h2')).toBe('Không JavaScript');
    await Promise.all([plain.page.waitForLoadState('load'), plain.page.click('button[data-save]')]);
    expect(await plain.page.textContent('[data-editor-notice]')).toContain(
      'Đã lưu news/bai-viet-khong-can-javascript-van-luu-duoc.mdx',
    );
  });

  test(
    'the page and the campaign forms save, and say what is wrong beside the field',
    { timeout: 60_000 },
    async () => {
      const desk = await openPage({ viewport: { width: 1280, height: 900 } });
      await signInPage(desk.page, site.url, editor);
      await desk.page.goto(`${site.url}/to-chuc/noi-dung/trang/?tep=pages/gioi-thieu.mdx`);
      await desk.page.fill('#o-tieu-de', 'x'.repeat(71));
      await Promise.all([desk.page.waitForLoadState('load'), desk.page.click('button[data-save]')]);
      expect(await desk.page.textContent('#o-tieu-de-loi')).toContain('tối đa 70 ký tự');
      await desk.page.fill('#o-tieu-de', 'Giới thiệu chiến dịch');
      await Promise.all([desk.page.waitForLoadState('load'), desk.page.click('button[data-save]')]);
      expect(await desk.page.textContent('[data-editor-notice]')).toContain('Đã lưu pages/gioi-thieu.mdx');
      await desk.page.goto(`${site.url}/to-chuc/noi-dung/chien-dich/`);
      await desk.page.fill('#o-duong-day-nong', '12345');
      await desk.page.fill('#o-chi-tieu', '900');
      await Promise.all([desk.page.waitForLoadState('load'), desk.page.click('button[data-save]')]);
      expect(await desk.page.textContent('#o-duong-day-nong-loi')).toContain('số điện thoại Việt Nam');
      await desk.page.screenshot({ path: `${shots}/04-campaign-error-1280.png`, fullPage: true });
      await desk.page.fill('#o-duong-day-nong', '0290 3831 999');
      await Promise.all([desk.page.waitForLoadState('load'), desk.page.click('button[data-save]')]);
      expect(await desk.page.textContent('[data-editor-notice]')).toContain('Đã lưu campaign.yaml');
      const campaign = execFileSync('git', ['-C', repoDir, 'show', 'HEAD:campaign.yaml'], { encoding: 'utf8' });
      expect(campaign).toMatch(/^hotline: '?0290 3831 999'?$/m);
      expect(campaign).toContain('unitsTarget: 900');
      expect(campaign).toContain('# Tên đầy đủ của chiến dịch.');
    },
  );
});

/** A PNG of one pixel whose header claims 20,000 × 20,000 (a decompression bomb's shape), padded to 50 kB. */
async function claimedHuge(): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(20_000, 16);
  png.writeUInt32BE(20_000, 20);
  return Buffer.concat([png, Buffer.alloc(50_000 - png.length)]);
}

describe('hostile posts to the forms and the preview', () => {
  test('a table of nasty cases: each refused in Vietnamese, nothing written', { timeout: 120_000 }, async () => {
    const before = head();
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
    );
    const cases: {
      name: string;
      fields?: Record<string, string>;
      options?: Parameters<typeof postArticle>[1];
      status: number;
      says: string;
    }[] = [
      {
        name: 'path ../',
        fields: { ...goodFields(1), tep: '../../etc/passwd' },
        status: 422,
        says: 'Tên tệp không hợp lệ',
      },
      {
        name: 'path %2e%2e',
        fields: { ...goodFields(1), tep: 'news/%2e%2e/x.mdx' },
        status: 422,
        says: 'Tên tệp không hợp lệ',
      },
      {
        name: 'path NUL',
        fields: { ...goodFields(1), tep: 'news/a\u0000.mdx' },
        status: 422,
        says: 'Tên tệp không hợp lệ',
      },
      {
        name: 'look-alike letter',
        fields: { ...goodFields(1), 'duong-dan': 'bаi-viet' },
        status: 422,
        says: 'Địa chỉ bài chỉ gồm',
      },
      {
        name: 'reserved name',
        fields: { ...goodFields(1), 'duong-dan': 'con' },
        status: 422,
        says: 'Địa chỉ bài chỉ gồm',
      },
      {
        name: 'a drive through the article form',
        fields: { ...goodFields(1), tep: 'drives/cai-nuoc.yaml' },
        status: 422,
        says: 'không phải một bài viết',
      },
      {
        name: 'slug ../',
        fields: { ...goodFields(1), 'duong-dan': '../../x' },
        status: 422,
        says: 'Địa chỉ bài chỉ gồm',
      },
      {
        name: '{process.exit(1)}',
        fields: { ...goodFields(2), 'noi-dung': 'Một\n\n{process.exit(1)}\n' },
        status: 422,
        says: 'Dòng 3:',
      },
      {
        name: 'import fs',
        fields: { ...goodFields(3), 'noi-dung': "Một\n\nimport fs from 'node:fs'\n" },
        status: 422,
        says: 'Dòng 3:',
      },
      {
        name: 'script tag',
        fields: { ...goodFields(3), 'noi-dung': '<script>alert(1)</script>\n' },
        status: 422,
        says: 'Dòng 1:',
      },
      {
        name: 'javascript: link',
        fields: { ...goodFields(3), 'noi-dung': '[bấm](javascript:alert(1))\n' },
        status: 422,
        says: 'Dòng 1:',
      },
      {
        name: 'body over the limit',
        fields: { ...goodFields(4), 'noi-dung': 'a'.repeat(1_100_000) },
        status: 422,
        says: 'dài quá',
      },
      {
        name: 'title too long',
        fields: { ...goodFields(5), 'tieu-de': 'x'.repeat(91) },
        status: 422,
        says: 'tối đa 90 ký tự',
      },
      {
        name: 'SVG picture',
        fields: { ...goodFields(6), 'anh-mo-ta': 'Một hình vẽ' },
        options: { file: { bytes: svg, type: 'image/jpeg', name: 'anh.jpg' } },
        status: 422,
        says: 'SVG',
      },
      {
        name: '20,000 × 20,000 in 50 kB',
        fields: { ...goodFields(7), 'anh-mo-ta': 'Ảnh khổng lồ' },
        options: { file: { bytes: await claimedHuge(), type: 'image/png', name: 'anh.png' } },
        status: 422,
        says: '20000',
      },
      {
        name: 'picture without its description',
        fields: goodFields(8),
        options: { file: { bytes: await photo(), type: 'image/jpeg', name: 'a.jpg' } },
        status: 422,
        says: 'mô tả',
      },
      {
        name: 'staff',
        fields: goodFields(9),
        options: { cookie: cookieOf(staff) },
        status: 403,
        says: 'không được sửa nội dung',
      },
      {
        name: 'unit',
        fields: goodFields(9),
        options: { cookie: cookieOf(unit) },
        status: 403,
        says: 'không được sửa nội dung',
      },
      {
        name: 'another origin',
        fields: goodFields(9),
        options: { origin: 'https://evil.example' },
        status: 403,
        says: '',
      },
      { name: 'signed out', fields: goodFields(9), options: { cookie: '' }, status: 401, says: '' },
    ];
    for (const one of cases) {
      const answer = await postArticle(one.fields ?? {}, one.options);
      expect({ name: one.name, status: answer.status }).toEqual({ name: one.name, status: one.status });
      if (one.says) expect(answer.html, one.name).toContain(one.says);
      expect(answer.html).not.toContain('at file://');
    }
    expect(head()).toBe(before);
  });

  test('wrong content types: the forms and the preview answer 415, nothing written', async () => {
    const before = head();
    for (const path of [ARTICLE, '/to-chuc/noi-dung/trang/', '/to-chuc/noi-dung/chien-dich/', PREVIEW]) {
      const json = await fetch(`${site.url}${path}`, {
        method: 'POST',
        headers: { Origin: site.url, Cookie: cookies[editor] ?? '', 'Content-Type': 'application/json' },
        body: JSON.stringify({ 'noi-dung': 'x' }),
      });
      expect({ path, status: json.status }).toEqual({ path, status: 415 });
      // A multipart type with a broken body.
      const broken = await fetch(`${site.url}${path}`, {
        method: 'POST',
        headers: { Origin: site.url, Cookie: cookies[editor] ?? '', 'Content-Type': 'multipart/form-data; boundary=x' },
        body: '--y\r\nnonsense',
      });
      expect({ path, status: broken.status }).toEqual({ path, status: 400 });
    }
    expect(head()).toBe(before);
  });

  test('a replayed save is told the file moved on and loses nothing', async () => {
    const created = await postArticle(goodFields(20));
    expect(created.status).toBe(200);
    const path = 'news/bai-thu-so-20-cua-ban-bien-tap.mdx';
    const base = /name="goc" value="([0-9a-f]{40})"/.exec(created.html)?.[1] ?? '';
    const edit = { ...goodFields(20), tep: path, goc: base, 'noi-dung': 'Bản sửa lần một.\n' };
    expect((await postArticle(edit)).status).toBe(200);
    const replay = await postArticle(
      { ...edit, 'noi-dung': 'Bản sửa của người thứ hai.\n' },
      { cookie: cookieOf(writer) },
    );
    expect(replay.status).toBe(409);
    expect(replay.html).toContain(`đã được ${editor} lưu`);
    // The second editor's text is still in the box.
    expect(replay.html).toContain('Bản sửa của người thứ hai.');
    // A new article under a taken address: told, nothing written.
    const again = await postArticle(goodFields(20));
    expect(again.status).toBe(422);
    expect(again.html).toContain('Đã có news/bai-thu-so-20-cua-ban-bien-tap.mdx');
  });

  test('the preview: the site’s Markdown for a good body, the line named for code; staff and other origins refused', async () => {
    const preview = (body: string, headers: Record<string, string> = {}) => {
      const form = new FormData();
      form.set('noi-dung', body);
      return fetch(`${site.url}${PREVIEW}`, {
        method: 'POST',
        headers: { Origin: site.url, Cookie: cookies[editor] ?? '', ...headers },
        body: form,
      });
    };
    const good = await preview('## Mục\n\n"Chào" -- bạn\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(good.status).toBe(200);
    const { html } = (await good.json()) as { html: string };
    expect(html).toContain('<h2 id="mục">Mục</h2>');
    expect(html).toContain('<table>');
    expect(html).toContain('“Chào”');
    for (const bad of ['{process.exit(1)}', "import fs from 'node:fs'", '<script>alert(1)</script>']) {
      const refused = await preview(`Một\n\n${bad}\n`);
      expect(refused.status).toBe(422);
      const answer = (await refused.json()) as { problems: string[] };
      expect(answer.problems[0]).toMatch(/^Dòng 3:/);
    }
    expect((await preview('x', { Cookie: cookies[staff] ?? '' })).status).toBe(403);
    expect((await preview('x', { Cookie: cookies[unit] ?? '' })).status).toBe(403);
    expect((await preview('x', { Cookie: '' })).status).toBe(401);
    expect((await preview('x', { Origin: 'https://evil.example' })).status).toBe(403);
  });

  test(
    'a bounded fuzz of paths, addresses and fields: never a crash, never a file outside the folders',
    { timeout: 120_000 },
    async () => {
      const tricky = fc.oneof(
        fc.constantFrom('../', '%2e%2e/', '..\\', '\u0000', 'а', '．', 'con', '.git/', 'news/', '/', ' ', '~'),
        fc.string({ maxLength: 12 }),
      );
      const path = fc.array(tricky, { maxLength: 4 }).map((parts) => parts.join(''));
      await fc.assert(
        fc.asyncProperty(
          path,
          path,
          fc.string({ maxLength: 200 }),
          fc.string({ maxLength: 100 }),
          async (tep, slug, body, title) => {
            const answer = await postArticle(
              { ...goodFields(30), tep, 'duong-dan': slug, 'noi-dung': body, 'tieu-de': title },
              { cookie: cookieOf(writer) },
            );
            expect([200, 409, 422, 429]).toContain(answer.status);
            expect(answer.html).toContain('<html lang="vi">');
          },
        ),
        { numRuns: 40 },
      );
      const files = execFileSync('git', ['-C', repoDir, 'ls-tree', '-r', '--name-only', 'HEAD'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      expect(files.filter((file) => !/^(?:news|pages|drives)\/|^(?:campaign|places)\.yaml$/.test(file))).toEqual([]);
      expect(existsSync(join(folder, 'x.mdx'))).toBe(false);
    },
  );

  test(
    'a bounded fuzz of the page, campaign and preview posts: always an answer in Vietnamese, never a crash',
    { timeout: 120_000 },
    async () => {
      const text = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.constantFrom('{1}', '<script>', '../', '\u0000', '2026-02-30', '+84', '-1', '&a *a'),
      );
      const post = async (path: string, fields: Record<string, string>) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        return fetch(`${site.url}${path}`, {
          method: 'POST',
          headers: { Origin: site.url, Cookie: cookieOf(writer) },
          body: form,
        });
      };
      await fc.assert(
        fc.asyncProperty(text, text, text, text, async (a, b, c, d) => {
          const page = await post('/to-chuc/noi-dung/trang/', {
            tep: a,
            'tieu-de': b,
            'tom-tat': c,
            'noi-dung': d,
            'duong-dan': b,
          });
          expect([200, 409, 422, 429]).toContain(page.status);
          expect(await page.text()).toContain('<html lang="vi">');
          const campaign = await post('/to-chuc/noi-dung/chien-dich/', {
            'duong-day-nong': a,
            'chi-tieu': b,
            'bat-dau': c,
            'ket-thuc': d,
            goc: a,
          });
          expect([200, 409, 422, 429]).toContain(campaign.status);
          expect(await campaign.text()).toContain('<html lang="vi">');
          const preview = await post(PREVIEW, { 'noi-dung': `${a}\n${d}`, loai: b });
          expect([200, 422, 429]).toContain(preview.status);
          expect(((await preview.json()) as { ok: boolean }).ok).toBe(preview.status === 200);
        }),
        { numRuns: 25 },
      );
    },
  );

  test('the rate limit: the preview answers 429 past its count', { timeout: 120_000 }, async () => {
    const account = `rl${stamp}`;
    await cli('user', 'add', account, '--role', 'editor');
    const cookie = await signIn(site.url, account);
    const statuses: number[] = [];
    for (let i = 0; i <= PREVIEW_POST_LIMIT; i++) {
      const form = new FormData();
      form.set('noi-dung', `Dòng ${i}`);
      const answer = await fetch(`${site.url}${PREVIEW}`, {
        method: 'POST',
        headers: { Origin: site.url, Cookie: cookie },
        body: form,
      });
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, PREVIEW_POST_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('behind Caddy', () => {
  let caddy: CaddyProxy | undefined;
  afterAll(() => caddy?.stop());

  test(
    'an editor’s https session saves an article with a photo; another origin and staff are refused',
    { timeout: 60_000 },
    async () => {
      caddy = await startCaddy(site.port, folder, { httpsPort: await freePort() });
      const { origin } = caddy;
      const cookie = await signInThrough(origin, editor, TEST_PASSWORD);
      const staffCookie = await signInThrough(origin, staff, TEST_PASSWORD);
      const multipart = async (fields: Record<string, string>, picture?: Buffer) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(fields)) form.append(name, value);
        if (picture) form.set('anh', new File([new Uint8Array(picture)], 'anh.jpg', { type: 'image/jpeg' }));
        const request = new Request('http://x/', { method: 'POST', body: form });
        return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type') ?? '' };
      };
      const { body, type } = await multipart({ ...goodFields(40), 'anh-mo-ta': 'Ảnh gửi qua proxy' }, await photo());
      const saved = await sendThrough(origin, 'POST', ARTICLE, body, { Cookie: cookie, 'Content-Type': type });
      expect(saved.status).toBe(200);
      expect(saved.body).toContain('Đã lưu news/bai-thu-so-40-cua-ban-bien-tap.mdx');
      const evil = await sendThrough(origin, 'POST', ARTICLE, body, {
        Cookie: cookie,
        'Content-Type': type,
        Origin: 'https://evil.example',
      });
      expect(evil.status).toBe(403);
      const plainHttp = await sendThrough(origin, 'POST', ARTICLE, body, {
        Cookie: cookie,
        'Content-Type': type,
        Origin: origin.replace('https:', 'http:'),
      });
      expect(plainHttp.status).toBe(403);
      const byStaff = await sendThrough(origin, 'POST', ARTICLE, body, { Cookie: staffCookie, 'Content-Type': type });
      expect(byStaff.status).toBe(403);
      const preview = await multipart({ 'noi-dung': '## Qua proxy\n' });
      const drawn = await sendThrough(origin, 'POST', PREVIEW, preview.body, {
        Cookie: cookie,
        'Content-Type': preview.type,
      });
      expect(drawn.status).toBe(200);
      expect(drawn.body).toContain('Qua proxy');
    },
  );
});
