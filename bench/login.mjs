// A burst of organisers' sign-in posts for names that do not exist, and what
// it does to everyone else: the test site (dist-test/, `node
// scripts/fixture-site.mjs`) served by `npm start`'s server on loopback with a
// fresh SQLite file and LOGIN_RATE_LIMIT=1000 (every post reaches the password
// check). For 0, 30 and 100 posts sent at once it asks `GET /` (a static file)
// every 50 ms until the last post is answered, and prints that latency
// (p50/p99/max), how the posts were answered and how long the last took.
//   npm run bench:login                         (this worktree)
//   npm run bench:login -- --root=/path/to/other/checkout   (another commit's server and build, e.g. the base)
// Only loopback; every loop is bounded by its post count and a 120 s cap (360 s for a post).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const rootArg = process.argv.find((a) => a.startsWith('--root='))?.split('=')[1];
const root = resolve(rootArg ?? join(import.meta.dirname, '..'));
const BURSTS = [0, 30, 100];
const CAP_MS = 120_000;

/** @type {{ startSite: (env?: Record<string, string>) => Promise<{ url: string, stop: () => Promise<unknown> }> }} */
const { startSite } = await import(pathToFileURL(join(root, 'scripts/start-site.mjs')).href);

/** @param {number[]} values @param {number} share */
const percentile = (values, share) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? NaN;
};

/** @param {string} url @param {string} path */
async function timed(url, path) {
  const start = performance.now();
  try {
    // A home page held longer than this is counted as this long (the base commit held it 84 s).
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(CAP_MS) });
    await response.arrayBuffer();
  } catch {
    return CAP_MS;
  }
  return performance.now() - start;
}

const folder = mkdtempSync(join(tmpdir(), 'bench-login-'));
process.env['SITE_DIST'] ??= 'dist-test';
const site = await startSite({ SIGNUP_DB: join(folder, 's.sqlite'), LOGIN_RATE_LIMIT: '1000' });
try {
  for (let i = 0; i < 5; i += 1) await timed(site.url, '/');
  await timed(site.url, '/to-chuc/dang-nhap/');
  console.log(`server: ${root}`);
  console.log('posts at once | GET / p50 | p99 | max | asked | posts 401 | 429 | other | last post answered after');
  for (const count of BURSTS) {
    const began = performance.now();
    let done = count === 0;
    /** @type {Record<string, number>} */
    const statuses = {};
    const posts = Promise.all(
      Array.from({ length: count }, async (_, i) => {
        let status = 'none';
        try {
          const response = await fetch(`${site.url}/to-chuc/dang-nhap/`, {
            method: 'POST',
            headers: { Origin: site.url, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ username: `khong-ai-${count}-${i}`, password: `sai mat khau ${i}` }),
            redirect: 'manual',
            signal: AbortSignal.timeout(3 * CAP_MS),
          });
          await response.arrayBuffer();
          status = String(response.status);
        } catch {
          // Not answered within the cap: counted under "other".
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    ).finally(() => (done = true));
    /** @type {number[]} */
    const home = [];
    const quietUntil = performance.now() + 3_000;
    while ((!done || performance.now() < quietUntil) && performance.now() - began < CAP_MS) {
      home.push(await timed(site.url, '/'));
      await sleep(50);
    }
    await posts;
    const last = performance.now() - began;
    const other = Object.entries(statuses)
      .filter(([status]) => status !== '401' && status !== '429')
      .reduce((sum, [, n]) => sum + n, 0);
    console.log(
      [
        count,
        `${percentile(home, 0.5).toFixed(0)} ms`,
        `${percentile(home, 0.99).toFixed(0)} ms`,
        `${Math.max(...home).toFixed(0)} ms`,
        home.length,
        statuses['401'] ?? 0,
        statuses['429'] ?? 0,
        other,
        count === 0 ? '-' : `${(last / 1000).toFixed(1)} s`,
      ].join(' | '),
    );
    // The queue of the burst before is empty again before the next.
    await sleep(2_000);
  }
} finally {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
}
