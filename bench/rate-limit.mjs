// Rate limiters under a flood of distinct client addresses. First the limiter
// alone: 100,000 distinct keys, with heap and the p99 of one check per block
// of 10,000. Then the real server behind a stand-in proxy (TRUST_PROXY=1):
// 100,000 cancellation posts, each from another X-Forwarded-For address (so
// every post adds a key to three limiters), with the server's resident memory
// and the p99 latency per block of 10,000.
//   npm run bench:rate-limit            (add -- --requests=20000 for a short run)
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startSite } from '../scripts/start-site.mjs';
import { RateLimiter, DEFAULT_MAX_KEYS } from '../src/signup/rate-limit.ts';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const total = arg('requests', 100_000);
const block = Math.max(1, Math.floor(total / 10));

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const mb = (bytes) => (bytes / 1e6).toFixed(1);

console.log(
  `\nThe limiter alone (limit ${DEFAULT_MAX_KEYS.toLocaleString('en')} keys), ${total.toLocaleString('en')} distinct keys:\n`,
);
console.log('| keys sent | keys held | heap MB | p99 of one check, µs |');
console.log('| --- | --- | --- | --- |');
const limiter = new RateLimiter(120, 10 * 60_000);
for (let sent = 0; sent < total;) {
  const timings = [];
  for (let i = 0; i < block; i += 1, sent += 1) {
    const key = `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`;
    const started = performance.now();
    limiter.allow(key, Date.now());
    timings.push((performance.now() - started) * 1000);
  }
  globalThis.gc?.();
  console.log(
    `| ${sent.toLocaleString('en')} | ${limiter.size.toLocaleString('en')} | ${mb(process.memoryUsage().heapUsed)} | ${percentile(timings, 99).toFixed(2)} |`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'bench-rate-limit-'));
const site = await startSite({ SIGNUP_DB: join(folder, 'signups.sqlite'), TRUST_PROXY: '1' });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${site.pid}/status`, 'utf8'))?.[1] ?? 0) * 1000;
let counter = 0;
const rows = [];
try {
  for (let sent = 0; sent < total; sent += block) {
    const result = await autocannon({
      url: `${site.url}/dang-ky/huy/?_action=cancelSignup`,
      connections: 10,
      amount: block,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            counter += 1;
            return {
              ...request,
              headers: {
                origin: 'https://hienmau.example.vn',
                'content-type': 'application/x-www-form-urlencoded',
                'accept-encoding': 'br, gzip',
                'x-forwarded-proto': 'https',
                'x-forwarded-host': 'hienmau.example.vn',
                'x-forwarded-for': `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`,
              },
              body: new URLSearchParams({
                code: `AB${String(counter).padStart(8, '0')}`,
                phone: `09${String(counter).padStart(8, '0')}`,
              }).toString(),
            };
          },
        },
      ],
    });
    rows.push({
      sent: sent + block,
      rps: result.requests.average,
      p99: result.latency.p99,
      rss: rss(),
      statuses: Object.entries(result.statusCodeStats ?? {})
        .map(([code, { count }]) => `${count} × ${code}`)
        .join(', '),
    });
  }
} finally {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
}
console.log(`\nThe server (TRUST_PROXY=1), cancellation posts each from a new address, 10 connections:\n`);
console.log('| posts sent | requests/s | p99 ms | server memory (RSS) MB | answers |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.sent.toLocaleString('en')} | ${r.rps.toFixed(0)} | ${r.p99} | ${mb(r.rss)} | ${r.statuses} |`);
}
