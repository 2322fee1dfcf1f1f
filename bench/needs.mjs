// The blood levels' JSON under load: /api/nhu-cau-mau.json (what every page's banner reads)
// on the test site's server over loopback, with every group set and O+ at the lowest level,
// driven by autocannon for --seconds (10) with --connections (50). Prints answers per second,
// latency p50/p99 and the answer's size; then the home page's weight (raw, gzip, brotli) and
// the banner's own bytes in it. Needs the test site in dist-test/ (built when missing).
//   npm run bench:needs            (add -- --seconds=10 --connections=50)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { FIXTURE_DIST } from '../scripts/fixture-site.mjs';
import { startSite } from '../scripts/start-site.mjs';
import { SignupStore } from '../src/signup/store.ts';
import { NeedsStore } from '../src/needs/needs-store.ts';
import { BLOOD_GROUPS } from '../src/needs/blood.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 50);

if (!existsSync(join(root, FIXTURE_DIST, 'server', 'entry.mjs'))) {
  console.log('Building the test site into dist-test/ …');
  execFileSync(process.execPath, ['scripts/fixture-site.mjs'], { cwd: root, stdio: 'inherit' });
}
const folder = mkdtempSync(join(tmpdir(), 'bench-needs-'));
const db = join(folder, 'signups.sqlite');
const store = new SignupStore(db);
new NeedsStore(store.db).setLevels(
  BLOOD_GROUPS.map((group, i) => ({ group, level: group === 'O+' ? 1 : (i % 3) + 2, note: null, source: 'bench' })),
  'bench',
  'bench-key-0001',
  new Date(),
);
store.close();
const site = await startSite({ SITE_DIST: FIXTURE_DIST, SIGNUP_DB: db, REMINDER_SCHEDULER: '0' });
try {
  const url = `${site.url}/api/nhu-cau-mau.json`;
  const body = await (await fetch(url)).text();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  console.log(`JSON ${body.length} B; ${CONNECTIONS} connections for ${SECONDS} s`);
  console.log(
    `answers/s: ${Math.round(result.requests.average)} (${result.requests.total} in all, ${result.non2xx} not 2xx, ${result.errors} errors)`,
  );
  console.log(`latency ms: p50 ${result.latency.p50}, p99 ${result.latency.p99}, max ${result.latency.max}`);
} finally {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
}
const home = join(root, FIXTURE_DIST, 'client', 'index.html');
const html = readFileSync(home, 'utf8');
const size = (file) => (existsSync(file) ? statSync(file).size : NaN);
console.log(`home page: ${size(home)} B, gzip ${size(`${home}.gz`)} B, brotli ${size(`${home}.br`)} B`);
const banner = /<needs-banner[\s\S]*?<\/needs-banner>/.exec(html)?.[0] ?? '';
const island = /<script type="module">([^<]*needs-banner[^<]*)<\/script>/.exec(html)?.[1] ?? '';
console.log(`the banner in it: markup ${banner.length} B, island ${Buffer.byteLength(island)} B of JavaScript`);
