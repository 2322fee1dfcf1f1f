// Reminders at volume: 10,000 due messages (5,000 people, each with an e-mail address and a
// Web Push subscription, on the test site's next drive) sent by `npm run signups -- reminders
// send --at <the evening before>` as its own process, through the loopback peers of the tests
// (scripts/reminder-peers.mjs): an SMTP server, and a push service that checks every VAPID JWT
// and decrypts every aes128gcm payload. Measures the rate, the sender's peak memory (VmHWM),
// duplicates (every mail and push carries its outbox key), then does it again on a fresh
// database with a kill -9 in the middle and a second run: nothing lost, at most the message in
// flight repeated. Needs the test site in dist-test/ (built when missing) and openssl.
// With --phone, the phone channels instead (scripts/phone-peers.mjs): 10,000 people who chose
// texts to their number, one evening-before message each; the ZNS stand-in answers "no Zalo
// account" (-118) for every other number, so half go by Zalo and half fall back to the SMPP
// peer at SMS_RATE (--sms-rate, 200 a second here; the provider's contract sets it).
//   npm run bench:reminders            (add -- --people=5000 --kill-at=0.5 --sender-heap=<MB>)
//   npm run bench:reminders -- --phone (add --people=10000 --sms-rate=200)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import webpush from 'web-push';
import { FIXTURE_DIST } from '../scripts/fixture-site.mjs';
import { startSmppPeer, startZnsPeer } from '../scripts/phone-peers.mjs';
import { loopbackCertificate, startPushService, startSmtpReceiver } from '../scripts/reminder-peers.mjs';
import { readCatalog } from '../src/reminders/catalog.ts';
import { eveningBefore } from '../src/reminders/schedule.ts';
import { SignupStore } from '../src/signup/store.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const PHONE = process.argv.includes('--phone');
const PEOPLE = arg('people', PHONE ? 10_000 : 5_000);
const SMS_RATE = arg('sms-rate', 200);
const KILL_AT = arg('kill-at', 0.5);
// The sender's V8 old-space limit in MB (0: Node's own), to see how much of its memory is garbage not yet collected.
const SENDER_HEAP = arg('sender-heap', 0);
// By e-mail and push, two messages a person; by phone, one (Zalo, or SMS when Zalo cannot).
const MESSAGES = PHONE ? PEOPLE : PEOPLE * 2;

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
// The phone peers count by number: each person is owed exactly one text, on one channel.
const noZalo = (phone) => Number(phone.at(-1)) % 2 === 0;
const zns = PHONE
  ? await startZnsPeer({
      appId: '4242',
      appSecret: 'bi-mat-ung-dung',
      refreshToken: 'rt-dau-tien',
      templates: { 1002: ['ten', 'ma', 'gio'] },
      answer: (message) => (noZalo(message.phone) ? -118 : 0),
      onZns: (message) => count(message.phone),
    })
  : undefined;
const smsc = PHONE
  ? await startSmppPeer({
      systemId: 'hoictd',
      password: 'mk123456',
      sender: 'HOICTDCAMAU',
      onSms: (sms) => count(sms.to),
    })
  : undefined;
const channelEnv = PHONE
  ? {
      ZALO_APP_ID: '4242',
      ZALO_APP_SECRET: 'bi-mat-ung-dung',
      ZALO_REFRESH_TOKEN: 'rt-dau-tien',
      ZALO_TEMPLATE_EVENING: '1002 name=ten code=ma time=gio',
      ZALO_API_URL: zns.apiUrl,
      ZALO_OAUTH_URL: zns.oauthUrl,
      SMPP_URL: smsc.url,
      SMS_SENDER: 'HOICTDCAMAU',
      SMS_RATE: String(SMS_RATE),
      REMINDER_PHONE_CONFIRMATION: '0',
    }
  : {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@hienmau.example>',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:nhac-hen@hienmau.example',
      PUSH_SERVICES: push.origin,
      NODE_EXTRA_CA_CERTS: certificate.certFile,
    };

/** A database with PEOPLE sign-ups, each with an e-mail address and a push subscription, or texts to their phone. */
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
        reminders: PHONE
          ? { texts: true }
          : { email: `nguoi-${i}@example.vn`, push: JSON.stringify(push.subscribe(`p${i}`)) },
      });
    }
  });
  store.close();
  return db;
}

/**
 * Runs the sender at `at`; `killWhen` (checked as messages arrive) ends it with SIGKILL. Wall
 * time and peak memory. A round's time moves on with the clock, so what the killed round passed
 * on from Zalo to SMS is due up to the killed round's length after the evening: the second run
 * is half an hour later, as a later round of the scheduler would be.
 */
function send(db, killWhen, at = evening) {
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
        at,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          SITE_DIST: FIXTURE_DIST,
          SIGNUP_DB: db,
          ...channelEnv,
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

/** Per channel: how many each peer took, and what it found wrong (the push service's refusals, the phone peers' problems). */
const phoneTally = () =>
  PHONE
    ? {
        byZalo: zns.received.length,
        bySms: smsc.received.length,
        smsParts: smsc.received.reduce((sum, sms) => sum + sms.parts, 0),
        peerProblems: [...zns.problems, ...smsc.problems].length,
      }
    : { refusedPushes: push.refused.length };

const received = () => [...seen.values()].reduce((a, b) => a + b, 0);
const tally = () => {
  const counts = [...seen.values()];
  return { distinct: seen.size, duplicates: counts.filter((n) => n > 1).reduce((a, n) => a + n - 1, 0) };
};

console.log(
  PHONE
    ? `${PEOPLE} people on ${drive.slug} (${slot.id}), each with texts to their phone (every other number has no Zalo): ${MESSAGES} messages due at ${evening}, SMS at ${SMS_RATE}/s`
    : `${PEOPLE} people on ${drive.slug} (${slot.id}), each with an e-mail address and a push subscription: ${MESSAGES} messages due at ${evening}`,
);
const results = {
  date: now.toISOString(),
  channels: PHONE ? 'zalo, sms' : 'email, push',
  people: PEOPLE,
  messages: MESSAGES,
  ...(PHONE ? { smsRate: SMS_RATE } : {}),
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
    ...phoneTally(),
  };
  console.log(run.output);
  console.log(results.straight);

  // 2. A kill -9 in the middle, then a second run.
  seen.clear();
  for (const list of [zns?.received, zns?.problems, smsc?.received, smsc?.problems]) list?.splice(0);
  // A new database starts from the Official Account's first refresh token, as a new server would.
  if (zns) zns.state.refreshToken = 'rt-dau-tien';
  const db2 = makeDatabase('killed.sqlite');
  const killed = await send(db2, () => received() >= MESSAGES * KILL_AT);
  const atKill = received();
  const again = await send(db2, undefined, new Date(Date.parse(evening) + 30 * 60_000).toISOString());
  const after = tally();
  if (process.argv.includes('--status')) {
    console.log(
      execFileSync(
        process.execPath,
        ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', 'reminders', 'status'],
        {
          cwd: root,
          env: { ...process.env, SITE_DIST: FIXTURE_DIST, SIGNUP_DB: db2, ...channelEnv },
          encoding: 'utf8',
        },
      ),
    );
  }
  results.killed = {
    killedBy: killed.signal,
    receivedBeforeKill: atKill,
    secondRunSeconds: Number(again.seconds.toFixed(1)),
    lost: MESSAGES - after.distinct,
    duplicates: after.duplicates,
    ...phoneTally(),
  };
  console.log(again.output);
  console.log(results.killed);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(
      root,
      'bench',
      'results',
      `reminders${PHONE ? '-phone' : ''}${SENDER_HEAP ? `-heap-${SENDER_HEAP}` : ''}.json`,
    ),
    `${JSON.stringify(results, null, 2)}\n`,
  );
} finally {
  await Promise.all([smtp.close(), push.close(), zns?.close(), smsc?.close()]);
  certificate.remove();
  rmSync(folder, { recursive: true, force: true });
}
