// Sign-up endpoints under load: a copy of the project with one bench drive of
// unlimited places, built and served by `npm start` (src/server/) on loopback with a fresh
// SQLite file, then driven by autocannon. Prints requests per second and
// p50/p99 latency for the places-left JSON, for sign-ups posted as the form
// does (the confirmation page comes back), and for the same action called
// as JSON-RPC (/_actions/signup), each for a few seconds. Requests accept
// brotli and gzip, as a browser's do. Also prints each sign-up's rate as a ratio to the
// places-left GET of the same run (what compares across runs on a shared machine) and the
// server's CPU time per request (from /proc, on Linux).
//   npm run bench:signup            (add -- --seconds=20 --connections=20)
//   npm run bench:signup -- --cpu-prof   the server's CPU profile into bench/results/signup-profile/
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { copyProject } from '../scripts/project-copy.mjs';
import { SignupStore } from '../src/signup/store.ts';
import { FormTokens } from '../src/signup/form-token.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 8);
const connections = arg('connections', 10);

const project = copyProject('bench-signup-');
// A drive a month from now with room for everyone the benchmark sends.
const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
writeFileSync(
  join(project, 'content/drives/bench.yaml'),
  `name: Đợt hiến máu dùng để đo tải
organiser: Hội Chữ thập đỏ tỉnh Cà Mau
address: Hội trường thử tải, phường An Xuyên
commune: Phường An Xuyên
latitude: 9.18
longitude: 105.15
start: ${day}T07:00:00+07:00
end: ${day}T11:00:00+07:00
slots:
  minutes: 240
  places: 10000000
status: scheduled
unitsTarget: 100
phone: 0290 3000 000
`,
);
// --force: the content layer's cache (in node_modules/.astro) may hold another content folder's entries
// (the test site's, after `node scripts/fixture-site.mjs`), which the build would reuse by id and fail on.
execFileSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--force', '--silent'], {
  cwd: project,
  stdio: 'inherit',
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});

const db = join(project, 'data', 'bench.sqlite');
mkdirSync(join(project, 'data'));
const { startSite } = await import(join(project, 'scripts/start-site.mjs'));
const profileDir = join(root, 'bench/results/signup-profile');
const site = await startSite({
  SIGNUP_DB: db,
  SIGNUP_RATE_LIMIT: '1000000000',
  // Written when the server exits, after the runs (open it in Chrome's DevTools, Performance).
  ...(process.argv.includes('--cpu-prof') ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
});
const slot = `${day}T07:00:00+07:00`;
// Every post carries its own form token, as each served form does. They are
// made here with the key the server keeps in the database (issued a minute
// ago, past the too-fast check), so fetching them is not part of the figures.
const keyStore = new SignupStore(db);
const tokens = new FormTokens(keyStore.formTokenKey());
keyStore.close();
const formToken = () => tokens.issue(new Date(Date.now() - 60_000));
let counter = 0;
const body = () => {
  counter += 1;
  return new URLSearchParams({
    formToken: formToken(),
    drive: 'bench',
    slot,
    fullName: 'Người Thử Tải',
    phone: `09${String(counter).padStart(8, '0')}`,
    birthYear: '1990',
    sex: 'female',
    weightKg: '50',
    consent: 'yes',
  }).toString();
};
// Browsers accept compressed answers, and the server compresses on-demand pages as they are sent.
const BROWSER_HEADERS = { 'accept-encoding': 'br, gzip' };
const post = (path) => ({
  url: `${site.url}${path}`,
  connections,
  duration: seconds,
  requests: [
    {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, origin: site.url, 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (request) => ({ ...request, body: body() }),
    },
  ],
});

const runs = [
  [
    'places left (GET JSON)',
    {
      url: `${site.url}/api/diem-hien-mau/bench/cho-trong.json`,
      headers: BROWSER_HEADERS,
      connections,
      duration: seconds,
    },
  ],
  ['sign-up, form post (HTML answer)', post('/dang-ky/?_action=signup')],
  ['sign-up, action as JSON-RPC', post('/_actions/signup/')],
];
/** The server process's CPU time so far in ms (user + system), or undefined off Linux. */
const serverCpuMs = () => {
  try {
    // Fields after the command's name in parentheses: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${site.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux Node runs on
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
};
const rows = [];
try {
  for (const [name, options] of runs) {
    const cpuBefore = serverCpuMs();
    const result = await autocannon(options);
    const cpuAfter = serverCpuMs();
    rows.push({
      cpuPerRequest:
        cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / result.requests.total,
      name,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      total: result.requests.total,
    });
  }
} finally {
  await site.stop();
}
const store = new SignupStore(db);
const stored = store.list('bench').length;
const integrity = store.integrityCheck();
store.close();
rmSync(project, { recursive: true, force: true });

console.log(`\n${connections} connections, ${seconds} s each, synchronous=FULL, WAL, on this machine:\n`);
const getRate = rows[0]?.rps ?? 0;
console.log('| endpoint | requests/s | ratio to GET | p50 ms | p99 ms | server CPU ms/request | non-2xx | errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const ratio = getRate ? `${(r.rps / getRate).toFixed(2)}×` : '–';
  const cpu = r.cpuPerRequest === undefined ? '–' : r.cpuPerRequest.toFixed(2);
  console.log(
    `| ${r.name} | ${r.rps.toFixed(0)} | ${ratio} | ${r.p50} | ${r.p99} | ${cpu} | ${r.non2xx} | ${r.errors} |`,
  );
}
console.log('\nGoal (issue 23 item 10): form post ≥ 0.29× and JSON-RPC ≥ 0.52× the places-left GET of the same run.');
console.log(
  `\nSign-ups stored: ${stored} (sent ${counter}); integrity_check: ${integrity}. Goal: ≥ 500 sign-ups/s, p99 ≤ 50 ms.`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/signup.json'), JSON.stringify({ connections, seconds, rows, stored }, null, 2));
