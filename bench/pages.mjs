// Page-weight benchmark: builds the site, serves it, loads one page of each
// type in Chromium with an empty cache and prints, per page, the gzipped
// bytes of HTML, CSS, JS, fonts and images and the number of requests.
// Sizes are deterministic for a given build, so they are comparable run to run.
//   npm run bench:pages            (add -- --no-build to reuse dist/)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../scripts/chromium.mjs';
import { startSite } from '../scripts/start-site.mjs';

const PAGES = [
  { type: 'home', path: '/', budget: 120_000 },
  { type: 'news list', path: '/tin-tuc/' },
  { type: 'article', path: '/tin-tuc/cong-an-tinh-ca-mau-hien-667-don-vi-mau/', budget: 50_000, jsBudget: 5_000 },
  { type: 'static page', path: '/hien-mau-an-toan/' },
  { type: 'static page + island', path: '/dieu-kien/' },
  { type: 'map page', path: '/diem-hien-mau/', budget: 120_000 },
  { type: 'drive page', path: '/diem-hien-mau/cong-an-tinh-ca-mau-19-04-2020/' },
];

const KINDS = { document: 'html', stylesheet: 'css', script: 'js', font: 'font', image: 'img' };

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--silent'], { stdio: 'inherit' });
}

const site = await startSite();
const browser = await launchChromium();
const rows = [];
try {
  for (const { type, path, budget, jsBudget } of PAGES) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' });
    const bytes = { html: 0, css: 0, js: 0, font: 0, img: 0, other: 0 };
    for (const response of responses) {
      if (response.status() >= 300) continue;
      const kind = KINDS[response.request().resourceType()] ?? 'other';
      bytes[kind] += gzipSync(await response.body(), { level: 6 }).length;
    }
    // Astro inlines small scripts into the HTML; count them as JavaScript too.
    const inlineScripts = await page.evaluate(() =>
      [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json').map((s) => s.text),
    );
    for (const text of inlineScripts) {
      const size = gzipSync(text, { level: 6 }).length;
      bytes.js += size;
      bytes.html -= size;
    }
    const total = Object.values(bytes).reduce((a, b) => a + b, 0);
    rows.push({ type, path, ...bytes, total, requests: responses.length, budget, jsBudget });
    await context.close();
  }
} finally {
  await browser.close();
  await site.stop();
}

const kB = (n) => (n / 1000).toFixed(1);
const header = ['page type', 'HTML', 'CSS', 'JS', 'fonts', 'images', 'total', 'requests', 'goal'];
const lines = rows.map((r) => {
  const goals = [];
  if (r.budget) goals.push(`total ≤ ${kB(r.budget)} kB: ${r.total <= r.budget ? 'met' : 'MISSED'}`);
  if (r.jsBudget) goals.push(`JS ≤ ${kB(r.jsBudget)} kB: ${r.js <= r.jsBudget ? 'met' : 'MISSED'}`);
  return [
    r.type,
    kB(r.html),
    kB(r.css),
    kB(r.js),
    kB(r.font),
    kB(r.img),
    kB(r.total),
    String(r.requests),
    goals.join('; ') || '–',
  ];
});
console.log('\nGzipped kB per page (level 6), empty cache, 390 px wide; JS includes scripts inlined in the HTML:\n');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => ' --- ').join('|')}|`);
for (const line of lines) console.log(`| ${line.join(' | ')} |`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pages.json', JSON.stringify(rows, null, 2));
