// Search benchmark: 1,000 and 5,000 generated articles of Vietnamese text in
// a copy of the project, each built in full (pages and index); prints the
// index time (from the build's own log line), the index size on disk, and
// the bytes a first one-word search downloads in Chromium, all of them
// (Pagefind's script, worker and wasm, index chunks, result fragments), as
// transferred.
//   npm run bench:search            (add -- --sizes=1000 to run one size)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyProject } from '../scripts/project-copy.mjs';
import { launchChromium } from '../scripts/chromium.mjs';
import { generateArticles } from '../scripts/generate-articles.mjs';

const root = resolve(import.meta.dirname, '..');
const sizes = (process.argv.find((a) => a.startsWith('--sizes='))?.split('=')[1] ?? '1000,5000').split(',').map(Number);
// A word typed without its đ, so the search runs both ways (two index chunks),
// and one without a d (one chunk).
const QUERIES = ['duong', 'mau'];

function folderBytes(folder) {
  let total = 0;
  let files = 0;
  for (const entry of readdirSync(folder, { recursive: true })) {
    const stat = statSync(join(folder, entry));
    if (stat.isFile()) {
      total += stat.size;
      files += 1;
    }
  }
  return { total, files };
}

const rows = [];
for (const size of sizes) {
  const project = copyProject(`bench-search-${size}-`);
  generateArticles(join(project, 'content/news'), size);
  const started = performance.now();
  const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    maxBuffer: 1 << 28,
  });
  const buildSeconds = (performance.now() - started) / 1000;
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr.slice(-3000)}`);
  const indexed = /Đã lập chỉ mục tìm kiếm cho (\d+) trang trong (\d+) ms/.exec(build.stdout);
  const index = folderBytes(join(project, 'dist/client/pagefind'));

  const { startSite } = await import(join(project, 'scripts/start-site.mjs'));
  const site = await startSite({ SIGNUP_DB: join(project, 'signups.sqlite') });
  const browser = await launchChromium();
  const searches = {};
  try {
    for (const query of QUERIES) {
      // A fresh context each time: nothing cached from the previous search.
      const context = await browser.newContext();
      const page = await context.newPage();
      let bytes = 0;
      let requests = 0;
      page.on('response', async (response) => {
        if (!new URL(response.url()).pathname.startsWith('/pagefind/')) return;
        requests += 1;
        // Bytes on the wire, compressed where the server compressed them. Chromium reports no
        // body size for a worker's own script: its Content-Length is the same thing.
        const size =
          (await response.request().sizes()).responseBodySize ||
          Number((await response.headerValue('content-length')) ?? 0);
        bytes += size;
        if (process.argv.includes('--verbose')) console.log(`  ${size}\t${new URL(response.url()).pathname}`);
      });
      await page.goto(`${site.url}/tim-kiem/?q=${query}`);
      await page.waitForFunction(
        () => /kết quả|Không tìm thấy/.test(document.querySelector('search-page [data-status]')?.textContent ?? ''),
        null,
        { timeout: 60_000 },
      );
      await page.waitForLoadState('networkidle');
      searches[query] = { bytes, requests };
      await context.close();
    }
  } finally {
    await browser.close();
    await site.stop();
    rmSync(project, { recursive: true, force: true });
  }
  rows.push({
    size,
    pages: Number(indexed?.[1] ?? 0),
    indexMs: Number(indexed?.[2] ?? 0),
    buildSeconds,
    indexBytes: index.total,
    indexFiles: index.files,
    searches,
  });
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log('\nFirst search on /tim-kiem/: everything fetched under /pagefind/, as transferred:\n');
console.log(
  `| articles | pages indexed | index time | full build | index on disk | ${QUERIES.map((q) => `first search "${q}"`).join(' | ')} |`,
);
console.log(`| --- | --- | --- | --- | --- | ${QUERIES.map(() => '---').join(' | ')} |`);
for (const r of rows) {
  const cells = QUERIES.map((q) => `${kB(r.searches[q].bytes)} in ${r.searches[q].requests} requests`);
  console.log(
    `| ${r.size} | ${r.pages} | ${(r.indexMs / 1000).toFixed(1)} s | ${r.buildSeconds.toFixed(0)} s | ${(r.indexBytes / 1e6).toFixed(1)} MB in ${r.indexFiles} files | ${cells.join(' | ')} |`,
  );
}
if (rows.length > 1) {
  const [a, b] = [rows[0], rows.at(-1)];
  console.log(
    `\nIndex time per page: ${(a.indexMs / a.pages).toFixed(2)} ms at ${a.size}, ${(b.indexMs / b.pages).toFixed(2)} ms at ${b.size}. Goal: first search ≤ 150 kB at 5,000 articles.`,
  );
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/search.json'), JSON.stringify(rows, null, 2));
