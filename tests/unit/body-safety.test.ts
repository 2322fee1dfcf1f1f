/**
 * No code from editors (src/news/body-safety.ts): what a body may hold and what is refused,
 * as a table, then a bounded fuzz whose oracle is the MDX compiler itself: a body the check
 * allows is compiled and rendered, and nothing in it may have run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { evaluate } from 'satteri';
import { describe, expect, test } from 'vitest';
import { findBodyProblems, isDangerousAddress } from '../../src/news/body-safety.ts';
import { refusalOf } from '../../src/news/safe-body-loader.ts';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS } from '../../src/news/body-components.ts';
import { checkUploadedImage, isImageAllowed, imageKindOf } from '../../src/news/image-safety.ts';
import { IMAGE_NOT_A_PHOTO } from '../../src/news/body-words.ts';

const FRONT = '---\ntitle: Một bài viết thử\n---\n\n';

interface Case {
  name: string;
  body: string;
  /** Undefined: allowed. Otherwise the line (of the whole file) and a word of the message. */
  refused?: { line: number; says: string };
  format?: 'md' | 'mdx';
}

const cases: Case[] = [
  { name: 'plain Markdown', body: '# Tiêu đề\n\nMột đoạn **đậm** và [liên kết](https://hienmau.camau.example/).' },
  { name: 'the calculator', body: 'Tính ngày:\n\n<EligibilityCalculator />' },
  { name: 'an MDX comment', body: 'Chữ.\n\n{/* ghi chú của biên tập viên */}' },
  { name: 'escaped braces', body: 'Dấu \\{ và \\} hiện ra như chữ.' },
  { name: 'a code fence holding an expression', body: '```js\n{process.exit(1)}\nimport fs from "node:fs"\n```' },
  { name: 'inline code holding an expression', body: 'Viết `{process.exit(1)}` là mã.' },
  { name: 'a tilde fence', body: '~~~\n<script>alert(1)</script>\n~~~' },
  { name: 'import in the middle of a sentence', body: 'Hàng import từ nước ngoài.' },
  { name: 'import indented into a paragraph', body: 'Chữ\n  import fs from "node:fs"' },
  { name: 'a relative link', body: '[Điều kiện](/dieu-kien/)' },
  { name: 'a mail link', body: '[Thư](mailto:hoi@example.org)' },
  { name: 'a phone link', body: '[Gọi](tel:02903831000)' },
  { name: 'a word with "javascript" in it', body: '[Học](https://example.org/javascript:bai-1)' },
  {
    name: 'the expression of the issue',
    body: "{process.getBuiltinModule('node:fs').writeFileSync('/tmp/x', 'y')}",
    refused: { line: 5, says: 'ngoặc nhọn' },
  },
  // MDX has no indented code blocks: four spaces do not make this text.
  { name: 'an indented "code block"', body: 'Chữ.\n\n    {process.exit(1)}', refused: { line: 7, says: 'ngoặc nhọn' } },
  { name: 'process.exit', body: '{process.exit(1)}', refused: { line: 5, says: 'ngoặc nhọn' } },
  { name: 'an import', body: "import fs from 'node:fs'", refused: { line: 5, says: 'import' } },
  { name: 'an export', body: 'Chữ.\n\nexport const x = 1', refused: { line: 7, says: 'export' } },
  { name: 'an expression inside a heading', body: '# Tin {1 + 1}', refused: { line: 5, says: 'ngoặc nhọn' } },
  {
    name: 'spaces inside the braces',
    body: 'Đoạn {   process.exit(1)   } giữa câu.',
    refused: { line: 5, says: 'ngoặc nhọn' },
  },
  { name: 'braces across lines', body: '{\n  process.exit(1)\n}', refused: { line: 5, says: 'ngoặc nhọn' } },
  { name: 'a comment then code', body: '{/* a */ process.exit(1)}', refused: { line: 5, says: 'ngoặc nhọn' } },
  { name: 'an expression in a list', body: '- một\n- hai {process.exit(1)}', refused: { line: 6, says: 'ngoặc nhọn' } },
  { name: 'an expression in a table', body: '| a |\n| - |\n| {x} |', refused: { line: 7, says: 'ngoặc nhọn' } },
  { name: 'a script tag', body: '<script>alert(1)</script>', refused: { line: 5, says: '<script>' } },
  { name: 'an iframe', body: '<iframe src="https://example.org/"></iframe>', refused: { line: 5, says: '<iframe>' } },
  { name: 'a div', body: '<div>chữ</div>', refused: { line: 5, says: '<div>' } },
  { name: 'a fragment', body: '<>chữ</>', refused: { line: 5, says: '<>' } },
  { name: 'a namespaced component', body: '<Foo.Bar />', refused: { line: 5, says: 'Foo.Bar' } },
  { name: 'an event attribute', body: '<EligibilityCalculator onClick="x" />', refused: { line: 5, says: 'onClick' } },
  {
    name: 'an attribute expression',
    body: '<EligibilityCalculator data={process.exit(1)} />',
    refused: { line: 5, says: 'thuộc tính' },
  },
  {
    name: 'a spread attribute',
    body: '<EligibilityCalculator {...globalThis} />',
    refused: { line: 5, says: 'thuộc tính' },
  },
  { name: 'a javascript: link', body: '[bấm](javascript:alert(1))', refused: { line: 5, says: 'javascript' } },
  { name: 'a mixed-case javascript: link', body: '[bấm](JaVaScRiPt:alert(1))', refused: { line: 5, says: 'liên kết' } },
  {
    name: 'an encoded javascript: link',
    body: '[bấm](&#106;avascript:alert(1))',
    refused: { line: 5, says: 'liên kết' },
  },
  { name: 'a tab in the scheme', body: '[bấm](java&#x09;script:alert(1))', refused: { line: 5, says: 'liên kết' } },
  { name: 'a data: image', body: '![ảnh](data:image/svg+xml;base64,PHN2Zz4=)', refused: { line: 5, says: 'data:' } },
  { name: 'a vbscript: reference', body: '[bấm][x]\n\n[x]: vbscript:msgbox', refused: { line: 7, says: 'liên kết' } },
  { name: 'an HTML comment in .mdx', body: 'Chữ.\n\n<!-- ghi chú -->', refused: { line: 7, says: '<!--' } },
  { name: 'an unclosed tag', body: '<EligibilityCalculator>', refused: { line: 5, says: 'không đóng' } },
  { name: 'a lone brace', body: 'Giá {', refused: { line: 5, says: 'Dòng' } },
  // Plain Markdown files (.md) keep raw HTML as HTML: comments pass, what runs does not.
  { name: '.md: an HTML comment', body: 'Chữ.\n\n<!-- ghi chú -->', format: 'md' },
  { name: '.md: braces are text', body: '{process.exit(1)}\n\nimport fs from "node:fs"', format: 'md' },
  { name: '.md: a script', body: '<script>alert(1)</script>', format: 'md', refused: { line: 5, says: '<script>' } },
  {
    name: '.md: an event attribute',
    body: '<img src="a.png" onerror="alert(1)">',
    format: 'md',
    refused: { line: 5, says: 'onError' },
  },
  {
    name: '.md: a javascript: href in raw HTML',
    body: 'Chữ <a href="javascript:alert(1)">bấm</a>.',
    format: 'md',
    refused: { line: 5, says: 'liên kết' },
  },
];

describe('what a body may hold', () => {
  test.each(cases)('$name', ({ body, refused, format }) => {
    const problems = findBodyProblems(FRONT + body, format ?? 'mdx');
    if (!refused) {
      expect(problems).toEqual([]);
      return;
    }
    expect(problems.length).toBeGreaterThan(0);
    const [first] = problems;
    expect(first?.line).toBe(refused.line);
    expect(first?.message).toContain(`Dòng ${refused.line}`);
    expect(problems.map((p) => p.message).join('\n')).toContain(refused.says);
  });

  test('every real content body of the test site may be built', async () => {
    for (const folder of ['tests/fixtures/site/news', 'tests/fixtures/site/pages']) {
      for (const name of (await readdir(folder)).filter((n) => n.endsWith('.mdx'))) {
        expect(refusalOf(name, await readFile(join(folder, name), 'utf8')), name).toBeUndefined();
      }
    }
  });

  test("the build's message names the file and each line", () => {
    const message = refusalOf('content/news/bai.mdx', `${FRONT}{process.exit(1)}\n\nimport fs from 'node:fs'`);
    expect(message).toContain('content/news/bai.mdx');
    expect(message).toContain('Dòng 5');
    expect(message).toContain('Dòng 7');
  });

  test.each([
    ['javascript:alert(1)', true],
    ['  JAVASCRIPT:alert(1)', true],
    ['java\nscript:alert(1)', true],
    ['jav&#x61;script:alert(1)', true],
    ['javascript&colon;alert(1)', true],
    ['\u0000javascript:alert(1)', true],
    ['data:text/html,<script>', true],
    ['VBScript:x', true],
    ['https://example.org/', false],
    ['/tin-tuc/', false],
    ['#muc-1', false],
    ['mailto:a@example.org', false],
  ])('the address %j is dangerous: %s', (address, dangerous) => {
    expect(isDangerousAddress(address)).toBe(dangerous);
  });
});

// Pieces a body is made of, several of which run code when built, so that a body the check
// allows can be compiled, rendered and shown to have run nothing.
const RUNS = 'globalThis.__bodyRan = true';
const pieces = [
  '# Tiêu đề',
  'Chữ thường',
  '\n',
  '\n\n',
  ' ',
  '{',
  '}',
  '<',
  '>',
  '/',
  '`',
  '```',
  '~~~',
  '\\',
  '"',
  '*',
  '-',
  '[a](',
  ')',
  `{${RUNS}}`,
  `{ ${RUNS} }`,
  `{/* x */ ${RUNS}}`,
  `export const a = (${RUNS})`,
  `import x from 'data:text/javascript,${RUNS}'`,
  `<EligibilityCalculator data={${RUNS}} />`,
  `<EligibilityCalculator {...(${RUNS}, {})} />`,
  '<EligibilityCalculator />',
  '<script>',
  '</script>',
  '<!--',
  '-->',
  '{/* c */}',
  'javascript:',
];

describe('bounded fuzz', () => {
  test('never throws, and what it allows runs nothing when built', async () => {
    const jsx = (type: unknown, props: unknown) => ({ type, props });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), async (parts) => {
        const body = parts.join('');
        const problems = findBodyProblems(FRONT + body);
        expect(Array.isArray(problems)).toBe(true);
        findBodyProblems(body, 'md');
        if (problems.length > 0) return;
        const scope = globalThis as { __bodyRan?: boolean };
        delete scope.__bodyRan;
        const compiled = (await evaluate(FRONT + body, { Fragment: 'fragment', jsx, jsxs: jsx })) as {
          default: (props: unknown) => unknown;
        };
        compiled.default({ components: { EligibilityCalculator: () => null } });
        expect(scope.__bodyRan, body).toBeUndefined();
      }),
      { numRuns: 400, seed: 24 },
    );
  });

  test('any text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(Array.isArray(findBodyProblems(text))).toBe(true);
        expect(Array.isArray(findBodyProblems(text, 'md'))).toBe(true);
      }),
      { numRuns: 300, seed: 24 },
    );
  });
});

describe('uploaded pictures', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
  const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
  const svg = Buffer.from(
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  test.each([
    ['a PNG', png, 'png'],
    ['a JPEG', jpeg, 'jpeg'],
    ['a WebP', webp, 'webp'],
    ['an SVG', svg, undefined],
    ['an SVG with a BOM and spaces', Buffer.from(`\ufeff  <svg xmlns="http://www.w3.org/2000/svg"/>`), undefined],
    ['an SVG named photo.png', svg, undefined],
    ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>'), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s', (_name, bytes, kind) => {
    expect(imageKindOf(bytes)).toBe(kind);
    expect(isImageAllowed(bytes)).toEqual(kind ? { ok: true, kind } : { ok: false, message: IMAGE_NOT_A_PHOTO });
  });
});

describe('the whole upload gate', () => {
  /** A PNG whose header claims `width` × `height`, with one tiny compressed chunk: under a hundred bytes. */
  function claimedPng(width: number, height: number): Buffer {
    const chunk = (name: string, data: Buffer) => {
      const type = Buffer.from(name);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
      return Buffer.concat([length, type, data, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(100))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }

  test('a picture that claims 20,000 × 20,000 pixels in a few bytes is refused before decoding', async () => {
    const bomb = claimedPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(50_000);
    const started = performance.now();
    const verdict = await checkUploadedImage(bomb);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.message).toContain('20000 × 20000');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('a real small photo passes with its size', async () => {
    const { default: sharp } = await import('sharp');
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#b91c1c' } })
      .jpeg()
      .toBuffer();
    expect(await checkUploadedImage(photo)).toEqual({ ok: true, kind: 'jpeg', width: 64, height: 48 });
  });

  test('too many bytes, a broken file and an SVG are refused in Vietnamese', async () => {
    expect((await checkUploadedImage(claimedPng(10, 10), { maxBytes: 10, maxPixels: 100 })).ok).toBe(false);
    expect(await checkUploadedImage(Buffer.from('ffd8ffe0000000', 'hex'))).toMatchObject({ ok: false });
    expect(await checkUploadedImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      ok: false,
      message: IMAGE_NOT_A_PHOTO,
    });
  });
});

describe('components by where the body is rendered', () => {
  test('the calculator is for pages; an article, which renders no component, is told so', () => {
    const body = `${FRONT}<EligibilityCalculator />`;
    expect(findBodyProblems(body, 'mdx', PAGE_COMPONENTS)).toEqual([]);
    const [problem] = findBodyProblems(body, 'mdx', ARTICLE_COMPONENTS);
    expect(problem?.line).toBe(5);
    expect(problem?.message).toContain('<EligibilityCalculator>');
    expect(problem?.message).not.toContain('thành phần của trang');
  });
});
