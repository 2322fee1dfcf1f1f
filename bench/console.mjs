// Organisers' console on a busy drive day: the test site (tests/fixtures/site/)
// served by `npm start`'s server on loopback with a fresh SQLite file holding
// 1,000 sign-ups for its next open drive. Measures
//   - check-in latency: 50 staff devices posting check-ins to the desk's
//     action endpoint (/to-chuc/<drive>/thao-tac.json) at once, each on its
//     own keep-alive connection: paced (one a second each), then flat out;
//   - the desk page (/to-chuc/<drive>/, the whole roster): bytes transferred
//     with an empty cache, and the time to draw it in Chromium at 390×844
//     with the CPU slowed 4× (median of several loads).
// Serves dist-test/ when it holds the console; otherwise builds the test site
// in a copy of the project (the real dist-test/ and .fixture/ stay as they are).
//   npm run bench:console   (add -- --seconds=15 --devices=50 --runs=5 --pace-ms=1000, or --build to always build)
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, brotliDecompressSync, constants as zlib, gunzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import { launchChromium } from '../scripts/chromium.mjs';
import { FIXTURE_DIST, todayInCaMau } from '../scripts/fixture-site.mjs';
import { copyProject } from '../scripts/project-copy.mjs';
import { seededRandom } from '../scripts/seeded-random.mjs';
import { DESK_ACTION_LIMIT, PASSWORD_CHECKS_PER_ADDRESS } from '../src/console/console-service.ts';
import { driveSchema } from '../src/drives/drive-schema.ts';
import { driveSlots, nextOpenDrives } from '../src/drives/drives.ts';
import { calendarDateInVietnam, toIsoWithOffset } from '../src/shared/dates.ts';
import { slugify } from '../src/shared/vietnamese.ts';
import { newConfirmationCode } from '../src/signup/codes.ts';
import { SignupStore } from '../src/signup/store.ts';
import { addAccount, signIn } from '../tests/e2e/console-accounts.ts';

const root = resolve(import.meta.dirname, '..');
/** @param {string} name @param {number} fallback */
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 15);
const DEVICES = arg('devices', 50);
const RUNS = arg('runs', 5);
const SIGNUPS = 1_000;
const WARM_UP_MS = 3_000;
const WARM_UP_CODES = 100;
// Paced phase: each device one check-in a second, 50 a second in all: ten times a rush in
// which each device scans someone every ten seconds.
const PACE_MS = arg('pace-ms', 1_000);
const CPU_SLOWDOWN = 4;
// Each device is a staff account of its own with its own session: an account may make
// DESK_ACTION_LIMIT desk actions per 10 minutes (console-service.ts), which devices posting flat
// out would soon reach if they shared accounts. All of them sign in from 127.0.0.1, so the
// server gets a sign-in limit per address above the default 30 (LOGIN_RATE_LIMIT).
const PASSWORD = 'mat-khau-do-tai-2026';
const ADMIN = 'quan-tri';
const STAFF = Array.from({ length: DEVICES }, (_, i) => `ban-tiep-don.${i + 1}`);
/** Accounts are made and signed in this many at a time: each costs a third of a second of scrypt. */
const AT_ONCE = 4;

const random = seededRandom(20261127);
/** @template T @param {readonly T[]} list @returns {T} */
const pick = (list) => /** @type {T} */ (list[Math.floor(random() * list.length)]);

// 1. A built test site with the console, and its next open drive.

/**
 * Whether the test site built under `project` has the desk's routes: a build older than the console has not.
 * @param {string} project
 */
function hasConsole(project) {
  const chunks = join(project, FIXTURE_DIST, 'server', 'chunks');
  if (!existsSync(join(project, FIXTURE_DIST, 'server', 'entry.mjs')) || !existsSync(chunks)) return false;
  return readdirSync(chunks).some((name) =>
    readFileSync(join(chunks, name), 'utf8').includes('to-chuc/[drive]/thao-tac.json'),
  );
}

/** Builds the test site into dist-test/ of a copy of the project, as `node scripts/fixture-site.mjs` does; the copy's path. */
function buildInCopy() {
  const copy = copyProject('bench-console-');
  cpSync(join(root, 'tests/fixtures/site'), join(copy, 'tests/fixtures/site'), { recursive: true });
  execFileSync(process.execPath, ['scripts/fixture-site.mjs'], {
    cwd: copy,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  return copy;
}

/**
 * The next open drive of the test site built under `project`, from the content that build read.
 * @param {string} project
 */
function nextDrive(project) {
  const folder = join(project, '.fixture/content/drives');
  const drives = readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({
      ...driveSchema.parse(yaml.load(readFileSync(join(folder, name), 'utf8'), { schema: yaml.CORE_SCHEMA })),
      slug: slugify(name.replace(/\.yaml$/, '')),
    }));
  const drive = nextOpenDrives(drives, new Date(), 1)[0];
  if (!drive) throw new Error(`No open drive in ${folder}: build the test site again (node scripts/fixture-site.mjs).`);
  return drive;
}

// 2. A database with the sign-ups and the accounts.

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Huỳnh',
  'Hoàng',
  'Phan',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
];
const MIDDLE = {
  female: ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Kim', 'Mỹ', 'Bích', 'Hồng'],
  male: ['Văn', 'Minh', 'Quốc', 'Hữu', 'Thanh', 'Đức', 'Công', 'Hoàng'],
};
const GIVEN = {
  female: ['An', 'Hương', 'Lan', 'Mai', 'Nhung', 'Thảo', 'Trang', 'Yến', 'Ngân', 'Diễm', 'Hạnh', 'Phượng', 'Tuyết'],
  male: ['Bình', 'Dũng', 'Hải', 'Khánh', 'Lợi', 'Nam', 'Phúc', 'Quân', 'Tâm', 'Tuấn', 'Thắng', 'Toàn', 'Vĩnh'],
};
// Units that sign up together: police, youth union, hospital, a school, a company.
const TEAMS = ['CA-CAMAU', 'DOAN-TN-AN-XUYEN', 'BV-DK-CAMAU', 'THPT-HV', 'CTY-KHI-DIEN-DAM'];

/**
 * Stores `count` sign-ups for `drive`, round the slots, through the store's own takePlace; their codes.
 * @param {string} db @param {string} drive @param {import('../src/drives/drives.ts').Slot[]} slots @param {number} count
 */
function seed(db, drive, slots, count) {
  const store = new SignupStore(db);
  // Seeding is not measured: a sync per sign-up would only make the wait longer. The server
  // opens its own connection, with synchronous=FULL.
  store.db.exec('PRAGMA synchronous = OFF');
  /** @type {string[]} */
  const codes = [];
  const now = new Date();
  try {
    for (let i = 0; i < count; i += 1) {
      const slot = /** @type {import('../src/drives/drives.ts').Slot} */ (slots[i % slots.length]);
      /** @type {'female' | 'male'} */
      const sex = random() < 0.5 ? 'female' : 'male';
      const result = store.takePlace({
        code: newConfirmationCode(),
        drive,
        slot: slot.id,
        slotEnd: toIsoWithOffset(slot.end),
        capacity: 1_000_000,
        person: {
          fullName: `${pick(FAMILY)} ${pick(MIDDLE[sex])} ${pick(GIVEN[sex])}`,
          phone: `+8491${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`,
          birthYear: 1966 + Math.floor(random() * 42),
          sex,
          weightKg: 45 + Math.floor(random() * 35),
          teamCode: random() < 0.3 ? pick(TEAMS) : undefined,
        },
        now,
      });
      if (result.status !== 'created') throw new Error(`sign-up ${i} not stored: ${result.status}`);
      codes.push(result.signup.code);
    }
  } finally {
    store.close();
  }
  return codes;
}

// 3. Check-ins from the desk devices.

/**
 * One POST on the device's own connection (`agent`); the status and the body once all of it has come.
 * @param {Agent} agent @param {string} url @param {Record<string, string>} headers @param {string} body
 * @returns {Promise<{ status: number, body: string }>}
 */
function post(agent, url, headers, body) {
  return new Promise((done, fail) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (response) => {
        /** @type {Buffer[]} */
        const chunks = [];
        response.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
        response.on('end', () => {
          // The server compresses these answers too, small as they are: they are streamed, with no
          // length for compression's 1 kB threshold to go by.
          const encoding = response.headers['content-encoding'];
          const raw = Buffer.concat(chunks);
          const text = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
          done({ status: response.statusCode ?? 0, body: text.toString() });
        });
        response.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/**
 * What the devices saw in one phase: every answer's time, and the times of first check-ins
 * (someone marked as arrived) apart from repeats (answered "already checked in").
 * @typedef {{ latencies: number[], first: number[], statuses: Map<number, number>, repeats: number, errors: number }} Tally
 */
/** @returns {Tally} */
const newTally = () => ({ latencies: [], first: [], statuses: new Map(), repeats: 0, errors: 0 });

/**
 * A desk device: check-ins until `until`, each as soon as the last is answered, or with `paceMs`
 * one every `paceMs` from a random start, as a person at the desk scans one code after another.
 * `otherDay` is the drive's day, which the desk page confirms when the drive is not today (desk-actions.ts, dayCheck).
 * @param {{ url: string, origin: string, cookie: string, nextCode: () => string, until: number, paceMs: number, tally: Tally, otherDay: string }} device
 */
async function checkInUntil({ url, origin, cookie, nextCode, until, paceMs, tally, otherDay }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  // What the island's fetch sends (desk-console.ts); the browser adds Origin to a POST.
  const headers = {
    Origin: origin,
    Cookie: cookie,
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
    'Accept-Encoding': 'br, gzip',
  };
  let next = performance.now() + random() * paceMs;
  try {
    for (;;) {
      if (paceMs) {
        await sleep(Math.max(0, next - performance.now()));
        next += paceMs;
      }
      if (performance.now() >= until) break;
      // A fresh idempotency key with every press, as the island makes them.
      const body = new URLSearchParams({ intent: 'arrive', code: nextCode(), key: randomUUID(), otherDay }).toString();
      const started = performance.now();
      try {
        const answer = await post(agent, url, headers, body);
        const latency = performance.now() - started;
        tally.latencies.push(latency);
        tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) {
          const { already } = /** @type {{ already?: boolean }} */ (JSON.parse(answer.body));
          if (already) tally.repeats += 1;
          else tally.first.push(latency);
        }
      } catch {
        tally.errors += 1;
      }
    }
  } finally {
    agent.destroy();
  }
}

/** @param {number[]} sorted @param {number} p */
const percentile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** @param {Tally} tally @param {number} seconds */
function summarise(tally, seconds) {
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const first = [...tally.first].sort((a, b) => a - b);
  const non2xx = [...tally.statuses].filter(([status]) => status < 200 || status > 299);
  return {
    requests: sorted.length,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    non2xx: non2xx.reduce((sum, [, count]) => sum + count, 0),
    non2xxStatuses: Object.fromEntries(non2xx),
    firstTime: first.length,
    firstP99: percentile(first, 99),
    repeats: tally.repeats,
    errors: tally.errors,
  };
}

// 4. The desk page in Chromium.

/**
 * Loads the desk page once in a fresh context (empty cache) with the CPU slowed: what it
 * transferred up to the load event (CDP's encodedDataLength, headers and body as sent) and when
 * it was drawn.
 * @param {import('playwright-core').Browser} browser @param {string} url @param {string} [sessionId] none: signed out
 */
async function measurePage(browser, url, sessionId) {
  const { origin } = new URL(url);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  if (sessionId) {
    await context.addCookies([
      { name: 'hm_console', value: sessionId, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict' },
    ]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  /** @type {Map<string, { url: string, type: string }>} */
  const requests = new Map();
  /** @type {{ url: string, type: string, bytes: number, at: number }[]} */
  const finished = [];
  let loadAt = Infinity;
  cdp.on('Network.requestWillBeSent', (event) =>
    requests.set(event.requestId, { url: event.request.url, type: event.type ?? 'Other' }),
  );
  cdp.on('Network.loadingFinished', (event) => {
    const sent = requests.get(event.requestId);
    if (sent) finished.push({ ...sent, bytes: event.encodedDataLength, at: event.timestamp });
  });
  cdp.on('Page.loadEventFired', (event) => (loadAt = event.timestamp));
  await cdp.send('Network.enable');
  await cdp.send('Page.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
    await page.waitForFunction(() => {
      const navigation = /** @type {PerformanceNavigationTiming | undefined} */ (
        performance.getEntriesByType('navigation')[0]
      );
      return (navigation?.loadEventEnd ?? 0) > 0;
    });
    const timing = await page.evaluate(async () => {
      const navigation = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
      /** @type {number} */
      const lcp = await new Promise((done) => {
        new PerformanceObserver((list) => done(list.getEntries().at(-1)?.startTime ?? NaN)).observe({
          type: 'largest-contentful-paint',
          buffered: true,
        });
        setTimeout(() => done(NaN), 2_000);
      });
      return {
        responseStart: navigation.responseStart,
        responseEnd: navigation.responseEnd,
        domContentLoaded: navigation.domContentLoadedEventEnd,
        load: navigation.loadEventEnd,
        lcp,
        htmlRaw: navigation.decodedBodySize,
        roster: document.getElementById('danh-sach')?.closest('section')?.outerHTML ?? '',
        people: document.querySelectorAll('ul.roster > li').length,
      };
    });
    const encoding = await response.headerValue('content-encoding');
    // Only what came before the load event: the island's poll for live figures comes every 5 s after.
    const files = finished
      .filter((file) => file.at <= loadAt && new URL(file.url).origin === origin)
      .map(({ url: address, type, bytes }) => ({ path: new URL(address).pathname, type, bytes }));
    const { roster, ...times } = timing;
    return {
      ...times,
      encoding,
      html: files.find((file) => file.type === 'Document')?.bytes ?? NaN,
      total: files.reduce((sum, file) => sum + file.bytes, 0),
      files,
      rosterRaw: Buffer.byteLength(roster),
      // The server compresses on-demand pages with brotli quality 4 (docs/benchmarks.md).
      rosterBrotli: brotliCompressSync(roster, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }).length,
    };
  } finally {
    await context.close();
  }
}

// The run. Everything it makes (a project copy, the database, the server) goes in the end.

/** @type {string | undefined} */
let copy;
const temp = mkdtempSync(join(tmpdir(), 'bench-console-db-'));
const db = join(temp, 'signups.sqlite');
/** @type {Awaited<ReturnType<typeof import('../scripts/start-site.mjs').startSite>> | undefined} */
let site;
/** @type {ReturnType<typeof summarise> | undefined} */
let checkIns;
/** @type {ReturnType<typeof summarise> | undefined} */
let paced;
/**
 * Loads of the desk page, and for comparison of the same page without the roster (a search that
 * finds no one) and of the sign-in page, the console's smallest.
 * @type {Record<'desk' | 'noRoster' | 'signIn', Awaited<ReturnType<typeof measurePage>>[]>}
 */
const pageRuns = { desk: [], noRoster: [], signIn: [] };
let arrived = NaN;
let integrity = '';
// The server's first answers compile its code: a warm-up before the measured check-ins, not counted.
const warmUp = newTally();
/** @type {ReturnType<typeof nextDrive> | undefined} */
let drive;
try {
  let project = root;
  if (process.argv.includes('--build') || !hasConsole(root)) {
    console.log('Building the test site in a copy of the project (dist-test/ is missing or has no console)…');
    copy = buildInCopy();
    project = copy;
  }
  drive = nextDrive(project);
  const { slug } = drive;
  const codes = seed(db, slug, driveSlots(drive), SIGNUPS);
  await addAccount(db, ADMIN, 'admin', [], PASSWORD);
  for (let i = 0; i < STAFF.length; i += AT_ONCE) {
    await Promise.all(STAFF.slice(i, i + AT_ONCE).map((name) => addAccount(db, name, 'staff', [slug], PASSWORD)));
  }

  /** @type {typeof import('../scripts/start-site.mjs')} */
  const { startSite } = await import(join(project, 'scripts/start-site.mjs'));
  site = await startSite({
    SIGNUP_DB: db,
    SITE_DIST: FIXTURE_DIST,
    SIGNUP_RATE_LIMIT: '1000000',
    LOGIN_RATE_LIMIT: String(DEVICES + 10),
  });
  const { url } = site;
  const deskUrl = `${url}/to-chuc/${slug}/`;

  /** @type {string[]} */
  const cookies = [];
  // As many at once as the server checks from one address (more get 429: docs/deploy.md, "Limits").
  for (let i = 0; i < STAFF.length; i += PASSWORD_CHECKS_PER_ADDRESS) {
    const names = STAFF.slice(i, i + PASSWORD_CHECKS_PER_ADDRESS);
    cookies.push(...(await Promise.all(names.map((name) => signIn(url, name, PASSWORD)))));
  }
  const adminCookie = await signIn(url, ADMIN, PASSWORD);

  // Codes in a shuffled order. The warm-up goes round the first 100 (first check-ins, then
  // repeats); the measured phases take the others once each, then everyone again: from then on
  // a check-in is a repeat ("already checked in"), as when two desks scan one person.
  const order = [...codes];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? '', order[i] ?? ''];
  }
  let warmUpCursor = 0;
  let cursor = WARM_UP_CODES;
  /**
   * Every device for a phase, ending after `seconds`; its figures.
   * @param {number} seconds @param {number} paceMs @param {() => string} nextCode @param {Tally} tally
   */
  const phase = async (seconds, paceMs, nextCode, tally = newTally()) => {
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: DEVICES }, (_, d) =>
        checkInUntil({
          url: `${deskUrl}thao-tac.json`,
          origin: url,
          cookie: cookies[d] ?? '',
          nextCode,
          until,
          paceMs,
          tally,
          otherDay: calendarDateInVietnam(drive.start),
        }),
      ),
    );
    return summarise(tally, (performance.now() - started) / 1000);
  };
  await phase(WARM_UP_MS / 1000, 0, () => order[warmUpCursor++ % WARM_UP_CODES] ?? '', warmUp);
  const nextCode = () => order[cursor++ % order.length] ?? '';
  // Paced first, so that its check-ins are first ones: the desk's everyday work.
  paced = await phase(SECONDS, PACE_MS, nextCode);
  checkIns = await phase(SECONDS, 0, nextCode);

  const browser = await launchChromium();
  try {
    const sessionId = adminCookie.slice(adminCookie.indexOf('=') + 1);
    // Taken in turns, so that the machine's ups and downs fall on all three alike.
    for (let run = 0; run < RUNS; run += 1) {
      pageRuns.desk.push(await measurePage(browser, deskUrl, sessionId));
      pageRuns.noRoster.push(await measurePage(browser, `${deskUrl}?tim=khong-co-ai`, sessionId));
      pageRuns.signIn.push(await measurePage(browser, `${url}/to-chuc/dang-nhap/`));
    }
  } finally {
    await browser.close();
  }
} finally {
  await site?.stop();
  if (existsSync(db)) {
    const store = new SignupStore(db);
    const row = /** @type {{ arrived: number }} */ (
      store.db.prepare('SELECT count(arrived_at) AS arrived FROM signups').get()
    );
    arrived = row.arrived;
    integrity = store.integrityCheck();
    store.close();
  }
  rmSync(temp, { recursive: true, force: true });
  if (copy) rmSync(copy, { recursive: true, force: true });
}

// 5. The figures.

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}
/** @param {number} n */
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
/** @param {number} n */
const ms = (n) => `${n.toFixed(0)} ms`;
/** @typedef {(typeof pageRuns.desk)[number]} PageRun */
/** @param {(run: PageRun) => number} of @param {PageRun[]} [runs] */
const med = (of, runs = pageRuns.desk) => median(runs.map(of));
/** @param {boolean} met */
const goal = (met) => (met ? 'met' : 'MISSED');

const c = /** @type {NonNullable<typeof checkIns>} */ (checkIns);
const p = /** @type {NonNullable<typeof paced>} */ (paced);
const first = /** @type {PageRun} */ (pageRuns.desk[0]);
const drawn = Math.max(
  med((r) => r.load),
  med((r) => r.lcp),
);
const slowed = `${CPU_SLOWDOWN}× slower CPU`;
const flatOut = `${DEVICES} devices flat out`;
const pacedName = `${DEVICES} devices, one check-in each per ${PACE_MS / 1000} s`;
const rows = [
  [`check-ins, ${pacedName}, ${SECONDS} s`, `${p.requests} (${p.perSecond.toFixed(0)}/s)`, '–'],
  [`check-in latency, ${pacedName}: p50 / p90`, `${ms(p.p50)} / ${ms(p.p90)}`, '–'],
  [`check-in latency, ${pacedName}: p99 / max`, `${ms(p.p99)} / ${ms(p.max)}`, `≤ 50 ms: ${goal(p.p99 <= 50)}`],
  [`check-ins, ${flatOut}, ${SECONDS} s`, `${c.requests} (${c.perSecond.toFixed(0)}/s)`, '–'],
  [`check-in latency, ${flatOut}: p50 / p90`, `${ms(c.p50)} / ${ms(c.p90)}`, '–'],
  [`check-in latency, ${flatOut}: p99`, ms(c.p99), `≤ 50 ms: ${goal(c.p99 <= 50)}`],
  [`check-in latency, ${flatOut}: max`, ms(c.max), '–'],
  ['answers not 2xx / connection errors', `${c.non2xx + p.non2xx} / ${c.errors + p.errors}`, '0 / 0'],
  ['desk page, HTML transferred', `${kB(first.html)} (${first.encoding ?? 'identity'}; ${kB(first.htmlRaw)} raw)`, '–'],
  [
    'desk page, everything transferred',
    `${kB(first.total)} in ${first.files.length} requests`,
    `≤ 60 kB: ${goal(first.total <= 60_000)}`,
  ],
  [
    `roster in the page (${first.people} people), raw / brotli`,
    `${kB(first.rosterRaw)} / ${kB(first.rosterBrotli)}`,
    '–',
  ],
  [
    'desk page, first / last byte of the HTML',
    `${ms(med((r) => r.responseStart))} / ${ms(med((r) => r.responseEnd))}`,
    '–',
  ],
  [`desk page, ${slowed}: DOMContentLoaded`, ms(med((r) => r.domContentLoaded)), '–'],
  [`desk page, ${slowed}: load event end`, ms(med((r) => r.load)), '–'],
  [`desk page, ${slowed}: Largest Contentful Paint`, ms(med((r) => r.lcp)), '–'],
  ['desk page drawn (the later of the two)', ms(drawn), `≤ 200 ms: ${goal(drawn <= 200)}`],
  [
    `same page without the roster (a search finding no one), ${slowed}: load / LCP`,
    `${ms(med((r) => r.load, pageRuns.noRoster))} / ${ms(med((r) => r.lcp, pageRuns.noRoster))}`,
    '–',
  ],
  [
    `sign-in page, for comparison, ${slowed}: load / LCP`,
    `${ms(med((r) => r.load, pageRuns.signIn))} / ${ms(med((r) => r.lcp, pageRuns.signIn))}`,
    '–',
  ],
];
console.log(
  `\nOrganisers' console: drive ${drive?.slug} (${drive && driveSlots(drive).length} slots), ${SIGNUPS} sign-ups, ` +
    `${todayInCaMau()}; page times are medians of ${RUNS} loads, navigation start = 0\n`,
);
console.log('| measure | figure | goal |');
console.log('| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\nCheck-ins: ${warmUp.latencies.length} in the warm-up (not counted).`);
for (const { name, phase } of [
  { name: pacedName, phase: p },
  { name: flatOut, phase: c },
]) {
  console.log(
    `  ${name}: ${phase.firstTime} first check-ins (p99 ${ms(phase.firstP99)}), ${phase.repeats} repeats; ` +
      `non-2xx by status ${JSON.stringify(phase.non2xxStatuses)}.`,
  );
}
if (c.non2xxStatuses[429] || p.non2xxStatuses[429]) {
  console.log(
    `  429: an account reached its ${DESK_ACTION_LIMIT} desk actions per 10 minutes (console-service.ts); ` +
      'fewer --seconds keep the devices under it.',
  );
}
console.log(`Checked in after the run: ${arrived} of ${SIGNUPS}; integrity_check: ${integrity}.`);
console.log(`Each load (load event / LCP): ${pageRuns.desk.map((r) => `${ms(r.load)} / ${ms(r.lcp)}`).join(', ')}.`);
console.log('Files of the first load, bytes as transferred:');
for (const file of first.files)
  console.log(`  ${file.type.padEnd(10)} ${String(file.bytes).padStart(7)}  ${file.path}`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/console.json'),
  JSON.stringify(
    { drive: drive?.slug, signups: SIGNUPS, devices: DEVICES, seconds: SECONDS, paced, checkIns, pageRuns },
    null,
    2,
  ),
);
