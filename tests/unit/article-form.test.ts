/**
 * The console's article, page and campaign forms as pure parts (src/editor/article-form.ts),
 * the picture's re-encoding (src/editor/picture-upload.ts) and a save with its picture in one
 * commit (src/editor/form-console.ts on a real git repository): a file reads back as the
 * values it was written from, the build's messages land beside their fields, a body with
 * code is refused naming the line, an upload's EXIF and GPS position are gone after it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCommand } from '../../src/cli/main.ts';
import {
  articleFromFile,
  articleToFile,
  campaignFromFile,
  campaignWithValues,
  checkArticle,
  checkPage,
  pageFromFile,
  pageToFile,
  proposeSlug,
  type ArticleValues,
} from '../../src/editor/article-form.ts';
import { ContentRepo } from '../../src/editor/content-repo.ts';
import { existingTags, postArticle } from '../../src/editor/form-console.ts';
import { resetEditorLimits } from '../../src/editor/editor-console.ts';
import { preparePicture } from '../../src/editor/picture-upload.ts';
import { ARTICLE_PICTURE_MAX_BYTES } from '../../src/shared/limits.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const folder = temporaryFolder('article-form-');
afterAll(() => removeFolder(folder));
const SEED = join(import.meta.dirname, '../fixtures/site');

const article: ArticleValues = {
  slug: 'hien-mau-o-phuong-mot',
  title: 'Hiến máu ở phường 1: "một giọt máu" – nghĩa tình',
  description:
    'Sáng Chủ nhật, hơn một trăm người dân phường 1 đã đến nhà văn hoá để hiến máu tình nguyện, đủ cho ba ca mổ.',
  date: '2026-12-20',
  updated: '',
  author: 'Ban biên tập',
  tags: ['Hiến máu tình nguyện', 'Phường 1'],
  draft: false,
  imageSrc: './images/hien-mau-o-phuong-mot-abc.jpg',
  imageAlt: 'Người dân xếp hàng chờ hiến máu',
  body: '## Một buổi sáng\n\nNhiều người **lần đầu** hiến máu.\n\n- Một\n- Hai\n',
};

describe('an article file and its form values', () => {
  test('a written file reads back as the same values', () => {
    const file = articleToFile(article);
    expect(file.startsWith('---\ntitle: ')).toBe(true);
    expect(articleFromFile(article.slug, file)).toEqual(article);
  });

  test('any title, description, tags and body survive the round trip', () => {
    const line = fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ').trim());
    fc.assert(
      fc.property(
        line,
        line,
        fc.array(line.filter(Boolean), { maxLength: 4 }),
        fc.string(),
        (title, description, tags, body) => {
          const values = { ...article, title, description, tags, body: `${body.replace(/\r/g, '').trim()}\n` };
          const back = articleFromFile(values.slug, articleToFile(values));
          expect(back.title).toBe(title);
          expect(back.description).toBe(description);
          expect(back.tags).toEqual(tags);
          expect(back.body.trim()).toBe(values.body.trim());
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the files of the test site read as values', () => {
    const text = readFileSync(join(SEED, 'news', 'ai-co-the-hien-mau.mdx'), 'utf8');
    const values = articleFromFile('ai-co-the-hien-mau', text);
    expect(values.title.length).toBeGreaterThan(5);
    expect(values.tags.length).toBeGreaterThan(0);
  });

  test('a good article has no messages', () => {
    expect(checkArticle(article)).toEqual({});
  });

  test("the build's messages land beside their fields, in Vietnamese", () => {
    const errors = checkArticle({
      ...article,
      slug: '../bad',
      title: 'Ngắn',
      description: 'x'.repeat(161),
      date: '2026-02-30',
      tags: [],
      imageAlt: '',
      body: 'Dòng một\n\n{process.exit(1)}\n',
    });
    expect(errors['title']?.[0]).toContain('ít nhất 10 ký tự');
    expect(errors['description']?.[0]).toContain('tối đa 160 ký tự');
    expect(errors['description']?.[0]).toContain('161');
    expect(errors['date']?.[0]).toContain('YYYY-MM-DD');
    expect(errors['tags']?.[0]).toContain('ít nhất một chủ đề');
    expect(errors['alt']?.[0]).toContain('mô tả');
    expect(errors['slug']?.[0]).toContain('chữ thường không dấu');
    expect(errors['body']?.[0]).toMatch(/^Dòng 3:/);
  });

  test('an import line is refused naming its line', () => {
    const errors = checkArticle({ ...article, body: "Chào\n\nimport fs from 'node:fs'\n" });
    expect(errors['body']?.[0]).toMatch(/^Dòng 3: .*import/);
  });

  test('a line break typed into a date box cannot end the front matter or add a field', () => {
    const injected = '2026-12-03\nauthor: "Người khác"\ntags: ["tin-tuc"]\n---\n{globalThis.process.exit(1)}';
    for (const values of [
      { ...article, date: injected },
      { ...article, updated: injected },
    ]) {
      const file = articleToFile(values);
      // One front matter, ending where the form ends it, and the body as typed.
      expect(file.split('\n').filter((line) => line === '---')).toHaveLength(2);
      expect(file).not.toContain('\n{globalThis');
      expect(articleFromFile(values.slug, file)).toMatchObject({ author: article.author, tags: article.tags });
      const errors = checkArticle(values);
      expect(errors[values.date === injected ? 'date' : 'updated']?.[0]).toContain('YYYY-MM-DD');
    }
    const page = pageToFile({
      slug: 'gioi-thieu',
      title: 'Giới thiệu',
      description: 'Về chiến dịch.',
      updated: injected,
      body: 'Chào\n',
    });
    expect(page.split('\n').filter((line) => line === '---')).toHaveLength(2);
  });

  test('the address is proposed from the title without diacritics', () => {
    expect(proposeSlug('Đoàn viên phường Tân Thành hiến máu')).toBe('doan-vien-phuong-tan-thanh-hien-mau');
  });
});

describe('pages and the campaign', () => {
  test("a page reads back and is checked by the build's schema", () => {
    const page = {
      slug: 'gioi-thieu',
      title: 'Giới thiệu',
      description: 'd'.repeat(60),
      updated: '2026-12-01',
      body: 'Chữ\n',
    };
    expect(pageFromFile(page.slug, pageToFile(page))).toEqual(page);
    expect(checkPage(page)).toEqual({});
    expect(checkPage({ ...page, title: 'x'.repeat(71) })['title']?.[0]).toContain('tối đa 70');
    // A page may use the site's calculator; an article may not.
    expect(checkPage({ ...page, body: '<EligibilityCalculator />\n' })).toEqual({});
    expect(checkArticle({ ...article, body: '<EligibilityCalculator />\n' })['body']).toHaveLength(1);
  });

  test('campaign.yaml keeps its comments and other fields; the figures are checked', () => {
    const file = readFileSync(join(SEED, 'campaign.yaml'), 'utf8');
    const values = campaignFromFile(file);
    const changed = campaignWithValues(file, {
      ...values,
      hotline: '0290 3831 999',
      unitsTarget: '800',
      periodEnd: '',
    });
    expect(changed.errors).toEqual({});
    expect(campaignFromFile(changed.text)).toMatchObject({
      hotline: '0290 3831 999',
      unitsTarget: '800',
      periodEnd: '',
    });
    const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments(changed.text)).toEqual(comments(file));
    const bad = campaignWithValues(file, {
      hotline: '123',
      unitsTarget: 'năm trăm',
      periodStart: '2026-05-01',
      periodEnd: '2026-04-01',
    });
    expect(bad.errors['hotline']?.[0]).toContain('số điện thoại');
    expect(bad.errors['unitsTarget']?.[0]).toContain('số nguyên');
    expect(bad.errors['periodStart']?.[0] ?? bad.errors['periodEnd']?.[0]).toContain('không được trước');
  });
});

/** A JPEG with EXIF: camera, and a GPS position in Cà Mau. */
async function photoWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 160, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'MayChupBiMat', Model: 'SoSeri12345' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '9/1 10/1 36/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 9/1 0/1' },
    })
    .toBuffer();
}

describe('the picture', () => {
  test('an upload with EXIF and a GPS position comes out without any', async () => {
    const upload = await photoWithGps();
    const before = await sharp(upload).metadata();
    expect(before.exif?.length ?? 0).toBeGreaterThan(0);
    expect(upload.includes('MayChupBiMat')).toBe(true);
    const picture = await preparePicture(upload);
    if (!picture.ok) throw new Error(picture.message);
    const after = await sharp(picture.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(picture.bytes.includes('MayChupBiMat')).toBe(false);
    expect(picture.bytes.includes('GPS')).toBe(false);
    expect(picture).toMatchObject({ kind: 'jpeg', extension: 'jpg', width: 640, height: 480 });
  });

  test('a wide photo is made narrower; PNG and WebP stay their kind', async () => {
    const wide = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    expect(await preparePicture(wide)).toMatchObject({ ok: true, kind: 'png', width: 2400, height: 800 });
    const webp = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#00c' } })
      .webp()
      .toBuffer();
    expect(await preparePicture(webp)).toMatchObject({ ok: true, kind: 'webp', extension: 'webp' });
  });

  test('too large, too many pixels, SVG and a broken file are refused in Vietnamese', async () => {
    const big = Buffer.concat([await photoWithGps(), Buffer.alloc(ARTICLE_PICTURE_MAX_BYTES)]);
    expect(await preparePicture(big)).toMatchObject({ ok: false, message: expect.stringContaining('MB') });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(await preparePicture(svg)).toMatchObject({ ok: false, message: expect.stringContaining('SVG') });
    // A PNG header claiming 20,000 × 20,000 pixels, in a few bytes.
    const huge = Buffer.from(
      await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    expect(await preparePicture(huge)).toMatchObject({ ok: false, message: expect.stringContaining('20000') });
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]);
    expect((await preparePicture(broken)).ok).toBe(false);
  });
});

describe('saving an article with its picture', async () => {
  const repo = await ContentRepo.open(join(folder, 'repo'), SEED);
  const editor = { username: 'bientap', role: 'editor' as const, drives: [] };
  const audit = {
    entries: [] as unknown[],
    record(entry: unknown) {
      this.entries.push(entry);
      return Promise.resolve();
    },
  };

  function formOf(values: Record<string, string | string[]>, picture?: Buffer): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(values)) for (const one of [value].flat()) form.append(name, one);
    if (picture) form.set('anh', new File([new Uint8Array(picture)], 'anh.jpg', { type: 'image/jpeg' }));
    return form;
  }
  const fields = {
    'tieu-de': article.title,
    'tom-tat': article.description,
    'ngay-dang': article.date,
    'tac-gia': 'Ban biên tập',
    'chu-de': ['Hiến máu tình nguyện'],
    'chu-de-moi': 'Phường 1, Tình nguyện viên',
    'anh-mo-ta': article.imageAlt,
    'noi-dung': article.body,
  };

  test('the article and its picture are one commit, by the account, the picture without GPS', async () => {
    resetEditorLimits();
    const state = await postArticle(editor, formOf(fields, await photoWithGps()), repo, audit as never, new Date());
    expect(state.notice).toMatchObject({ ok: true });
    expect(state.path).toBe('news/hien-mau-o-phuong-1-mot-giot-mau-nghia-tinh.mdx');
    const head = await repo.git(['show', '--name-only', '--format=%an', 'HEAD']);
    expect(head).toContain('bientap');
    expect(head).toMatch(/news\/images\/hien-mau-o-phuong-1-mot-giot-mau-nghia-tinh-[0-9a-f]{10}\.jpg/);
    const saved = articleFromFile('x', (await repo.read(state.path ?? ''))?.text ?? '');
    expect(saved.tags).toEqual(['Hiến máu tình nguyện', 'Phường 1', 'Tình nguyện viên']);
    const picture = readFileSync(join(repo.dir, 'news', saved.imageSrc.replace('./', '')));
    expect((await sharp(picture).metadata()).exif).toBeUndefined();
    expect(await existingTags(repo)).toContain('Tình nguyện viên');
    expect(audit.entries).toHaveLength(1);
  });

  test('the same post again is told the file has moved on, nothing written', async () => {
    const head = await repo.head();
    const again = await postArticle(editor, formOf(fields), repo, audit as never, new Date());
    expect(again.errors['slug']?.[0]).toContain('Đã có');
    expect(await repo.head()).toBe(head);
  });

  test('a body with code is refused before anything is written, naming the line', async () => {
    const head = await repo.head();
    const state = await postArticle(
      editor,
      formOf({ ...fields, 'tieu-de': 'Một bài khác hẳn bài trước', 'noi-dung': 'Một\n\n{process.exit(1)}\n' }),
      repo,
      audit as never,
      new Date(),
    );
    expect(state.notice?.status).toBe(422);
    expect(state.errors['body']?.[0]).toMatch(/^Dòng 3:/);
    expect(await repo.head()).toBe(head);
  });

  test('a photo that passed is kept while another field is fixed, and saved with the article', async () => {
    const stash = join(folder, 'anh-cho');
    const fixed = { ...fields, 'tieu-de': 'Bài có ảnh giữ lại khi sửa ô khác', 'anh-mo-ta': '' };
    const first = await postArticle(
      editor,
      formOf(fixed, await photoWithGps()),
      repo,
      audit as never,
      new Date(),
      stash,
    );
    expect(first.notice?.status).toBe(422);
    expect(first.errors['alt']?.[0]).toContain('mô tả');
    expect(first.keptPicture).toMatch(/^[0-9a-f]{10}\.jpg$/);
    expect(first.notice?.lines.join(' ')).toContain('không cần chọn lại');
    // A name sent by hand reaches nothing; a kept file changed behind the form is not taken.
    const forged = await postArticle(
      editor,
      formOf({ ...fixed, 'anh-mo-ta': 'Ảnh giữ lại', 'anh-cho': '../../campaign.yaml' }),
      repo,
      audit as never,
      new Date(),
      stash,
    );
    expect(forged.notice).toMatchObject({ ok: true });
    expect((await repo.read(forged.path ?? ''))?.text).not.toContain('image:');
    const again = await postArticle(
      editor,
      formOf({
        ...fixed,
        'tieu-de': 'Bài thứ hai có ảnh giữ lại khi sửa',
        'anh-mo-ta': 'Ảnh giữ lại',
        'anh-cho': first.keptPicture ?? '',
      }),
      repo,
      audit as never,
      new Date(),
      stash,
    );
    expect(again.notice).toMatchObject({ ok: true });
    const saved = articleFromFile('x', (await repo.read(again.path ?? ''))?.text ?? '');
    expect(saved.imageSrc).toMatch(/^\.\/images\/bai-thu-hai-co-anh-giu-lai-khi-sua-[0-9a-f]{10}\.jpg$/);
  });

  test('staff may not save', async () => {
    const state = await postArticle({ ...editor, role: 'staff' }, formOf(fields), repo, audit as never, new Date());
    expect(state.notice?.status).toBe(403);
  });
});

describe('npm run signups -- content bai|trang', () => {
  const lines: string[] = [];
  const cli = (...args: string[]) =>
    runCommand([...args, '--db', join(folder, 'cli.sqlite')], (line) => lines.push(line), new Date());
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    process.env['CONTENT_REPO'] = join(folder, 'cli-repo');
    process.env['PUBLISH_DIR'] = join(folder, 'cli-ban-dung');
    process.env['CONTENT_DIR'] = SEED;
  });
  afterEach(() => {
    process.env = saved;
  });

  test('an article file with a photo is checked as the form checks it and saved; code in it is refused by line', async () => {
    const file = join(folder, 'bai.mdx');
    // The file's image.alt describes the photo --anh brings (which replaces its image.src).
    writeFileSync(file, articleToFile(article));
    const picture = join(folder, 'anh.jpg');
    writeFileSync(picture, await photoWithGps());
    await cli('content', 'bai', `news/${article.slug}.mdx`, '--file', file, '--anh', picture);
    expect(lines.at(-1)).toContain(`Đã lưu news/${article.slug}.mdx`);
    const repo = await ContentRepo.open(join(folder, 'cli-repo'));
    const stored = articleFromFile(article.slug, (await repo.read(`news/${article.slug}.mdx`))?.text ?? '');
    expect(stored.imageSrc).toMatch(/^\.\/images\/hien-mau-o-phuong-mot-[0-9a-f]{10}\.jpg$/);
    expect(stored.imageAlt).toBe(article.imageAlt);
    writeFileSync(file, articleToFile({ ...article, imageSrc: '', body: 'Một\n\n{process.exit(1)}\n' }));
    await expect(cli('content', 'bai', `news/${article.slug}.mdx`, '--file', file)).rejects.toThrow(/body: Dòng 3:/);
    await expect(cli('content', 'bai', 'drives/cai-nuoc.yaml', '--file', file)).rejects.toThrow(
      /không phải một bài viết/,
    );
    const page = join(folder, 'trang.mdx');
    writeFileSync(
      page,
      pageToFile({ slug: 'x', title: 'x'.repeat(71), description: 'd'.repeat(60), updated: '2026-12-01', body: 'a\n' }),
    );
    await expect(cli('content', 'trang', 'pages/gioi-thieu.mdx', '--file', page)).rejects.toThrow(/title: .*tối đa 70/);
  });
});
