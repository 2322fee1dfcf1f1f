/**
 * On-demand HTML answers in gzip with the stylesheet's compression kept
 * (src/server/answer-compression.ts): every answer decodes to the page's exact bytes,
 * whatever comes before and after its <style>, and the site's server sends them with the
 * right headers while everything else still goes through the `compression` middleware.
 */
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acceptsGzip, gzipWithKeptStyle } from '../../src/server/answer-compression.ts';
import { createSiteServer, type SiteHandler } from '../../src/server/site-server.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

/** A stylesheet about the size of the site's (39 kB), different for each `seed`. */
function stylesheet(seed: number, bytes = 39_000): string {
  const rules: string[] = [];
  for (let i = 0; rules.join('').length < bytes; i += 1) {
    rules.push(`.c${seed}-${i}{margin:${i % 7}px;color:#${(i * 2654435761 + seed).toString(16).slice(-6)}}`);
  }
  return `<style>${rules.join('')}</style>`;
}

function page(style: string, body: string): Buffer {
  return Buffer.from(
    `<!DOCTYPE html><html lang="vi"><head><title>Đăng ký hiến máu</title>${style}</head><body>${body}</body></html>`,
  );
}

describe('gzipWithKeptStyle', () => {
  const style = stylesheet(1);

  test('two answers with the same stylesheet decode to their own pages', () => {
    for (const name of ['Nguyễn Thị Hồng', 'Trần Văn Bình']) {
      const html = page(style, `<h1>Cảm ơn ${name}</h1><p>Mã xác nhận: <strong>K7Q-2MX</strong></p>`);
      const gzipped = gzipWithKeptStyle(html);
      expect(gzipped).toBeDefined();
      expect(gunzipSync(gzipped ?? Buffer.alloc(0)).equals(html)).toBe(true);
      // Compressed as well as the whole page at once (gzip -6 gives about 25 % of it here).
      expect(gzipped?.length).toBeLessThan(html.length / 3);
    }
  });

  test('a new build’s stylesheet, and more stylesheets than are kept, still decode exactly', () => {
    for (const seed of [2, 3, 4, 5, 6, 7, 2, 1]) {
      const html = page(stylesheet(seed), `<p>đợt ${seed}</p>`);
      expect(gunzipSync(gzipWithKeptStyle(html) ?? Buffer.alloc(0)).equals(html)).toBe(true);
    }
  });

  test.each([
    ['no <style>', page('', '<p>không có kiểu</p>')],
    ['a small <style>', page('<style>p{color:red}</style>', '<p>nhỏ</p>')],
    ['a <style> never closed', Buffer.from(`<html><head>${stylesheet(8).replace('</style>', '')}`)],
    ['nothing', Buffer.alloc(0)],
  ])('%s: left to the usual compression', (_name, html) => {
    expect(gzipWithKeptStyle(html)).toBeUndefined();
  });

  test('answers with the same head and header and their own <main> decode to their own pages, as do other headers', () => {
    // <main> repeats bytes of the header and of the stylesheet's end: compressed against the
    // wrong bytes before it, it would not decode to itself.
    const header = (n: number) =>
      `<header><nav><a href="/">Trang chủ ${n}</a>${'<a href="/tin-tuc/">Tin tức</a>'.repeat(40)}</nav></header>`;
    const answers = [1, 1, 2, 3, 1, 2].map((n, i) =>
      page(
        style,
        `${header(n)}<main><h1>Cảm ơn người thứ ${i}</h1><p>Mã: K7Q-2M${i}</p><p><a href="/">Trang chủ ${n}</a><a href="/tin-tuc/">Tin tức</a></p><pre>${style.slice(-200, -8)}</pre></main><footer>Hội Chữ thập đỏ</footer>`,
      ),
    );
    for (const html of [...answers, ...answers]) {
      const gzipped = gzipWithKeptStyle(html);
      expect(gunzipSync(gzipped ?? Buffer.alloc(0)).equals(html)).toBe(true);
      expect(gzipped?.length).toBeLessThan(html.length / 3);
    }
    // More headers than are kept, then the first again.
    for (let n = 0; n < 40; n += 1) {
      const html = page(style, `${header(n)}<main>${n}</main>`);
      expect(gunzipSync(gzipWithKeptStyle(html) ?? Buffer.alloc(0)).equals(html)).toBe(true);
    }
    expect(
      gunzipSync(gzipWithKeptStyle(answers[0] ?? Buffer.alloc(0)) ?? Buffer.alloc(0)).equals(
        answers[0] ?? Buffer.alloc(0),
      ),
    ).toBe(true);
  });

  test('the page before and after the stylesheet may be anything, <main> or not (fuzz)', () => {
    const kept = stylesheet(9);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 3000 }),
        fc.string({ maxLength: 20_000 }),
        fc.option(fc.tuple(fc.string({ maxLength: 12_000 }), fc.string({ maxLength: 3000 }))),
        (before, after, main) => {
          const body = main ? `${main[0]}<main${main[1]}${after}` : after;
          const html = Buffer.from(`${before}${kept}${body}`);
          expect(gunzipSync(gzipWithKeptStyle(html) ?? Buffer.alloc(0)).equals(html)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('acceptsGzip', () => {
  test.each([
    ['gzip', true],
    ['br, gzip', true],
    ['gzip, deflate, br, zstd', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['gzip;q=abc', false],
    ['br', false],
    ['identity', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['', false],
    [undefined, false],
  ])('%j → %j', (header, taken) => {
    expect(acceptsGzip(header)).toBe(taken);
  });
});

describe('the site server’s on-demand answers', () => {
  const style = stylesheet(10);
  const answers: Record<string, { status: number; headers: Record<string, string>; chunks: string[] }> = {
    '/dang-ky/': {
      status: 200,
      headers: {
        'content-type': 'text/html',
        'content-security-policy': "style-src 'sha256-abc'",
        'cache-control': 'no-store',
      },
      // Astro writes a page in one piece; two here, to show they are joined.
      chunks: [page(style, '<p>Mã xác nhận').toString(), ': <strong>K7Q-2MX</strong></p>'],
    },
    '/khong-kieu/': {
      status: 200,
      headers: { 'content-type': 'text/html' },
      chunks: [page('', 'x'.repeat(5000)).toString()],
    },
    '/api/cho-trong.json': {
      status: 200,
      headers: { 'content-type': 'application/json' },
      chunks: [JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ slot: i, taken: i })))],
    },
    '/khong-doi/': { status: 304, headers: { 'content-type': 'text/html' }, chunks: [] },
  };
  const handler: SiteHandler = (req, res) => {
    const answer = answers[(req.url ?? '').split('?')[0] ?? ''];
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('không có');
      return;
    }
    res.writeHead(answer.status, answer.headers);
    for (const chunk of answer.chunks) res.write(Buffer.from(chunk));
    res.end();
  };
  let folder: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    folder = temporaryFolder('answer-compression-');
    ({ server } = createSiteServer({ handler, clientDir: `${folder}/`, trustProxy: false }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    removeFolder(folder);
  });

  /** The raw answer: status, headers and the body as sent, not decoded. */
  function get(path: string, encoding: string, method = 'GET') {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request({ port, path, method, headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
  }

  test('an HTML answer with the stylesheet comes in gzip, with its length, its policy merged and its headers', async () => {
    const sent = await get('/dang-ky/?_action=signup', 'br, gzip');
    const expected = Buffer.concat((answers['/dang-ky/']?.chunks ?? []).map((c) => Buffer.from(c)));
    expect(sent.status).toBe(200);
    expect(sent.headers['content-encoding']).toBe('gzip');
    expect(sent.headers['vary']).toBe('Accept-Encoding');
    expect(Number(sent.headers['content-length'])).toBe(sent.body.length);
    expect(sent.headers['cache-control']).toBe('no-store');
    expect(sent.headers['content-security-policy']).toMatch(
      /^style-src 'sha256-abc'; object-src 'none'.*frame-ancestors 'none'/,
    );
    expect(sent.headers['x-frame-options']).toBe('DENY');
    expect(gunzipSync(sent.body).equals(expected)).toBe(true);
  });

  test('a client that takes only brotli, or nothing, gets the page as before', async () => {
    const expected = Buffer.concat((answers['/dang-ky/']?.chunks ?? []).map((c) => Buffer.from(c)));
    const br = await get('/dang-ky/', 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(expected)).toBe(true);
    const plain = await get('/dang-ky/', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(expected)).toBe(true);
  });

  test('HEAD, a 304, a page without a stylesheet and JSON go through the compression middleware as before', async () => {
    const head = await get('/dang-ky/', 'br, gzip', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const unchanged = await get('/khong-doi/', 'br, gzip');
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    const noStyle = await get('/khong-kieu/', 'br, gzip');
    expect(noStyle.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(noStyle.body).toString()).toBe(answers['/khong-kieu/']?.chunks[0]);
    const json = await get('/api/cho-trong.json', 'br, gzip');
    expect(json.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(json.body).toString())).toHaveLength(200);
    const missing = await get('/khong-co/', 'identity');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toBe('không có');
  });
});
