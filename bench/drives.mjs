// Map-page benchmark: 500 generated drives in a copy of the project, built and
// served, then loaded in Chromium. Prints the map page's JavaScript and CSS
// (gzipped, everything it loads, Leaflet included), the bytes of drive data in
// the page (the list the island reads), and how long the island takes to put
// every marker on the map, on this machine and with the CPU slowed 4× as
// Lighthouse does for a mid-range phone.
//   npm run bench:drives            (add -- --count=1000 for another size)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { copyProject } from '../scripts/project-copy.mjs';
import { launchChromium } from '../scripts/chromium.mjs';
import { generateDrives } from '../scripts/generate-drives.mjs';

const root = resolve(import.meta.dirname, '..');
const count = Number(process.argv.find((a) => a.startsWith('--count='))?.split('=')[1] ?? 500);
const gz = (data) => gzipSync(data, { level: 6 }).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

// A copy of the project, so the real dist/ and content stay as they are.
const project = copyProject('bench-drives-');
const content = join(project, 'content');
rmSync(join(content, 'drives'), { recursive: true });
generateDrives(join(content, 'drives'), count);

const started = performance.now();
execFileSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--silent'], {
  cwd: project,
  stdio: 'inherit',
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
const buildSeconds = (performance.now() - started) / 1000;

const { startSite } = await import(join(project, 'scripts/start-site.mjs'));
const site = await startSite();
const browser = await launchChromium();
const results = {};
try {
  for (const slowdown of [1, 4]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    // Tiles are not what is measured: a blank answer keeps the network out.
    await context.route(/tile\.openstreetmap\.org/, (route) => route.fulfill({ status: 204 }));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    const bytes = { js: 0, css: 0, html: 0 };
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.goto(`${site.url}/diem-hien-mau/`, { waitUntil: 'load' });
    await page.waitForSelector('drive-finder[data-map-ready="true"]', { timeout: 60_000 });
    const upcoming = await page.evaluate(() => ({
      markers: document.querySelectorAll('[data-list] > li:not([hidden])').length,
      ms: performance.getEntriesByName('drive-map:markers').at(-1)?.duration ?? NaN,
      readyMs: performance.now(),
    }));
    await page.check('input[name="when"][value="all"]');
    await page.waitForFunction(() => performance.getEntriesByName('drive-map:markers').length >= 2, null, {
      timeout: 60_000,
    });
    const all = await page.evaluate(() => ({
      markers: document.querySelectorAll('[data-list] > li:not([hidden])').length,
      ms: performance.getEntriesByName('drive-map:markers').at(-1)?.duration ?? NaN,
    }));
    for (const response of responses) {
      const type = response.request().resourceType();
      const kind = type === 'script' ? 'js' : type === 'stylesheet' ? 'css' : type === 'document' ? 'html' : null;
      if (kind && response.status() < 300) bytes[kind] += gz(await response.body());
    }
    const list = await page.evaluate(() => document.querySelector('[data-list]')?.outerHTML ?? '');
    results[slowdown] = { bytes, upcoming, all, listRaw: Buffer.byteLength(list), listGz: gz(list) };
    await context.close();
  }
} finally {
  await browser.close();
  await site.stop();
  rmSync(project, { recursive: true, force: true });
}

const fast = results[1];
const slow = results[4];
const lines = [
  `Map page with ${count} drives (build ${buildSeconds.toFixed(1)} s)`,
  `  JavaScript, gzipped, all of it:   ${kB(fast.bytes.js)}   (goal ≤ 60 kB)`,
  `  CSS, gzipped:                     ${kB(fast.bytes.css)}`,
  `  HTML, gzipped:                    ${kB(fast.bytes.html)}`,
  `  drive data (the list), raw / gz:  ${kB(fast.listRaw)} / ${kB(fast.listGz)}`,
  `  markers for upcoming drives (${fast.upcoming.markers}): ${fast.upcoming.ms.toFixed(0)} ms; 4× slower CPU ${slow.upcoming.ms.toFixed(0)} ms`,
  `  markers for all drives (${fast.all.markers}):      ${fast.all.ms.toFixed(0)} ms; 4× slower CPU ${slow.all.ms.toFixed(0)} ms   (goal ≤ 200 ms)`,
  `  page load to map ready:           ${fast.upcoming.readyMs.toFixed(0)} ms; 4× slower CPU ${slow.upcoming.readyMs.toFixed(0)} ms`,
];
console.log(lines.join('\n'));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/drives.json'), JSON.stringify({ count, buildSeconds, results }, null, 2));
