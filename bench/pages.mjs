// Page-weight benchmark: builds the site, serves it, loads one page of each
// type in Chromium with an empty cache and prints, per page, the bytes of
// HTML, CSS, JS, fonts and images as transferred (the server sends text
// brotli-compressed) and the number of requests, against the budgets in
// bench/budgets.mjs.
// Sizes are deterministic for a given build, so they are comparable run to run.
//   npm run bench:pages            (add -- --no-build to reuse dist/)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchChromium } from '../scripts/chromium.mjs';
import { startSite } from '../scripts/start-site.mjs';
import { PAGE_BUDGETS, weighPage } from './budgets.mjs';

const PAGES = PAGE_BUDGETS;

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--silent'], { stdio: 'inherit' });
}

const site = await startSite();
const browser = await launchChromium();
const rows = [];
try {
  for (const { type, path, total: budget, js: jsBudget } of PAGES) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const weight = await weighPage(context, `${site.url}${path}`);
    rows.push({ type, path, ...weight.bytes, total: weight.total, requests: weight.requests, budget, jsBudget });
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
console.log(
  '\nkB per page as transferred (brotli), empty cache, 390 px wide; JS includes scripts inlined in the HTML:\n',
);
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => ' --- ').join('|')}|`);
for (const line of lines) console.log(`| ${line.join(' | ')} |`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pages.json', JSON.stringify(rows, null, 2));
