// Reminders at volume: 10,000 due messages (5,000 people, each with an e-mail address and a
// Web Push subscription, on the test site's next drive) sent by `npm run signups -- reminders
// send --at <the evening before>` as its own process, through the loopback peers of the tests
// (scripts/reminder-peers.mjs): an SMTP server, and a push service that checks every VAPID JWT
// and decrypts every aes128gcm payload. Measures the rate, the sender's peak memory (VmHWM),
// duplicates (every mail and push carries its outbox key), then does it again on a fresh
// database with a kill -9 in the middle and a second run: nothing lost, at most the message in
// flight repeated. Needs the test site in dist-test/ (built when missing) and openssl.
//   npm run bench:reminders            (add -- --people=5000 --kill-at=0.5 --sender-heap=<MB>)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import webpush from 'web-push';
import { FIXTURE_DIST } from '../scripts/fixture-site.mjs';
import { loopbackCertificate, startPushService, startSmtpReceiver } from '../scripts/reminder-peers.mjs';
import { readCatalog } from '../src/reminders/catalog.ts';
import { eveningBefore } from '../src/reminders/schedule.ts';
import { SignupStore } from '../src/signup/store.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const PEOPLE = arg('people', 5_000);
const KILL_AT = arg('kill-at', 0.5);
// The sender's V8 old-space limit in MB (0: Node's own), to see how much of its memory is garbage not yet collected.
const SENDER_HEAP = arg('sender-heap', 0);
const MESSAGES = PEOPLE * 2;

if (!existsSync(join(root, FIXTURE_DIST, 'client', 'api', 'diem-hien-mau', 'lich.json'))) {
  console.log('Building the test site into dist-test/ …');
  execFileSync(process.execPath, ['scripts/fixture-site.mjs'], { cwd: root, stdio: 'inherit' });
}
const catalog = readCatalog(join(root, FIXTURE_DIST));
const now = new Date();
const drive = [...catalog.drives.values()]
  .filter((d) => d.status === 'scheduled' && d.start > now && d.slots.length > 0)
  .sort((a, b) => a.start.getTime() - b.start.getTime())[0];
if (!drive) throw new Error('the test site has no drive to come');
const slot = drive.slots[0];
const evening = eveningBefore(new Date(slot.id)).toISOString();

const folder = mkdtempSync(join(tmpdir(), 'bench-reminders-'));
const vapid = webpush.generateVAPIDKeys();
const certificate = loopbackCertificate();
/** Outbox keys seen per channel, to count duplicates and losses. */
const seen = new Map();
const count = (key) => seen.set(key, (seen.get(key) ?? 0) + 1);
const smtp = await startSmtpReceiver({ parse: false, onMail: (mail) => count(mail.key) });
const push = await startPushService({
  vapidPublicKey: vapid.publicKey,
  certificate,
  onPush: (received) => count(`push:${received.id}`),
});

/** A database with PEOPLE sign-ups, each with an e-mail address and a push subscription. */
function makeDatabase(name) {
  const db = join(folder, name);
  const store = new SignupStore(db);
  const created = new Date(now.getTime() - 86_400_000);
  store.db.transaction(() => {
    for (let i = 0; i < PEOPLE; i += 1) {
      store.takePlace({
        code: `B${String(i).padStart(9, '0')}`,
        drive: drive.slug,
        slot: slot.id,
        slotEnd: slot.end,
        capacity: PEOPLE + 1,
        person: {
          fullName: 'Người Thử',
          phone: `+8491${String(i).padStart(7, '0')}`,
          birthYear: 1990,
          sex: 'male',
          weightKg: 60,
        },
        now: created,
        reminders: { email: `nguoi-${i}@example.vn`, push: JSON.stringify(push.subscribe(`p${i}`)) },
      });
    }
  });
  store.close();
  return db;
}

/** Runs the sender; `killWhen` (checked as messages arrive) ends it with SIGKILL. Wall time and peak memory. */
function send(db, killWhen) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        ...(SENDER_HEAP ? [`--max-old-space-size=${SENDER_HEAP}`] : []),
        '--disable-warning=ExperimentalWarning',
        'src/cli/main.ts',
        'reminders',
        'send',
        '--at',
        evening,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          SITE_DIST: FIXTURE_DIST,
          SIGNUP_DB: db,
          SMTP_URL: smtp.url,
          MAIL_FROM: 'Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@hienmau.example>',
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          VAPID_SUBJECT: 'mailto:nhac-hen@hienmau.example',
          PUSH_SERVICES: push.origin,
          NODE_EXTRA_CA_CERTS: certificate.certFile,
          SITE_URL: 'https://hienmau.example',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    let peakKb = 0;
    child.stdout.on('data', (chunk) => (output += chunk));
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // Gone already.
      }
      if (killWhen?.()) child.kill('SIGKILL');
    }, 20);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      done({
        seconds: (performance.now() - started) / 1000,
        peakMb: peakKb / 1024,
        code,
        signal,
        output: output.trim(),
      });
    });
  });
}

const received = () => [...seen.values()].reduce((a, b) => a + b, 0);
const tally = () => {
  const counts = [...seen.values()];
  return { distinct: seen.size, duplicates: counts.filter((n) => n > 1).reduce((a, n) => a + n - 1, 0) };
};

console.log(
  `${PEOPLE} people on ${drive.slug} (${slot.id}), each with an e-mail address and a push subscription: ${MESSAGES} messages due at ${evening}`,
);
const results = {
  date: now.toISOString(),
  people: PEOPLE,
  messages: MESSAGES,
  senderHeapMb: SENDER_HEAP || 'default',
  node: process.version,
};
try {
  // 1. Everything at once.
  const db = makeDatabase('all.sqlite');
  const run = await send(db);
  const { distinct, duplicates } = tally();
  results.straight = {
    seconds: Number(run.seconds.toFixed(1)),
    perSecond: Math.round(MESSAGES / run.seconds),
    peakMb: Math.round(run.peakMb),
    received: received(),
    lost: MESSAGES - distinct,
    duplicates,
    refusedPushes: push.refused.length,
  };
  console.log(run.output);
  console.log(results.straight);

  // 2. A kill -9 in the middle, then a second run.
  seen.clear();
  const db2 = makeDatabase('killed.sqlite');
  const killed = await send(db2, () => received() >= MESSAGES * KILL_AT);
  const atKill = received();
  const again = await send(db2);
  const after = tally();
  results.killed = {
    killedBy: killed.signal,
    receivedBeforeKill: atKill,
    secondRunSeconds: Number(again.seconds.toFixed(1)),
    lost: MESSAGES - after.distinct,
    duplicates: after.duplicates,
    refusedPushes: push.refused.length,
  };
  console.log(again.output);
  console.log(results.killed);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', `reminders${SENDER_HEAP ? `-heap-${SENDER_HEAP}` : ''}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
} finally {
  await Promise.all([smtp.close(), push.close()]);
  certificate.remove();
  rmSync(folder, { recursive: true, force: true });
}
