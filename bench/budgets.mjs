// Page-weight budgets, shared by `npm run bench:pages` (which prints them)
// and tests/e2e/budgets.test.ts (which fails when one is broken). Bytes as
// transferred: the server sends text brotli-compressed. Map tiles, from the
// tile server, are not counted.

/** One page of each type, with its budgets in bytes. */
export const PAGE_BUDGETS = [
  { type: 'home', path: '/', total: 120_000, js: 10_000 },
  { type: 'news list', path: '/tin-tuc/', total: 60_000, js: 10_000 },
  { type: 'article', path: '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/', total: 50_000, js: 5_000 },
  { type: 'static page', path: '/hien-mau-an-toan/', total: 50_000, js: 10_000 },
  { type: 'static page + island', path: '/dieu-kien/', total: 60_000, js: 10_000 },
  { type: 'map page', path: '/diem-hien-mau/', total: 120_000, js: 70_000 },
  { type: 'drive page', path: '/diem-hien-mau/cong-an-tinh-ca-mau-19-04-2020/', total: 120_000, js: 70_000 },
  { type: 'sign-up page', path: '/dang-ky/', total: 60_000, js: 10_000 },
  { type: 'search page', path: '/tim-kiem/', total: 60_000, js: 10_000 },
];

/** The most any one file of a kind may weigh. */
export const FILE_BUDGETS = { html: 40_000, css: 20_000, js: 50_000, font: 60_000, img: 100_000, other: 100_000 };

export const RESOURCE_KINDS = { document: 'html', stylesheet: 'css', script: 'js', font: 'font', image: 'img' };

/**
 * Loads a page in a fresh browser context and weighs what it fetched from the
 * site itself: bytes per kind as transferred, each file, and the requests.
 * Scripts inlined in the HTML count as JavaScript (their brotli size).
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 */
export async function weighPage(context, url) {
  const { brotliCompressSync } = await import('node:zlib');
  const origin = new URL(url).origin;
  const page = await context.newPage();
  const responses = [];
  page.on('response', (response) => responses.push(response));
  await page.goto(url, { waitUntil: 'networkidle' });
  const bytes = { html: 0, css: 0, js: 0, font: 0, img: 0, other: 0 };
  const files = [];
  for (const response of responses) {
    if (response.status() >= 300 || new URL(response.url()).origin !== origin) continue;
    const kind = RESOURCE_KINDS[response.request().resourceType()] ?? 'other';
    const size =
      (await response.request().sizes()).responseBodySize ||
      Number((await response.headerValue('content-length')) ?? 0);
    bytes[kind] += size;
    files.push({ path: new URL(response.url()).pathname, kind, size });
  }
  const inlineScripts = await page.evaluate(() =>
    [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json').map((s) => s.text),
  );
  for (const text of inlineScripts) {
    const size = brotliCompressSync(text).length;
    bytes.js += size;
    bytes.html -= size;
  }
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  await page.close();
  return { bytes, total, files, requests: files.length };
}
