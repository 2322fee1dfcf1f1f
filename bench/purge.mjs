// Purge and erase on a big sign-up database while the site serves: `npm start`
// on the test site (dist-test/, built by `node scripts/fixture-site.mjs`) with a
// database of --signups=500000 people (most of a drive 30 days over), a stream of
// GET / (one every 40 ms) and of sign-ups (one every 150 ms); meanwhile
// `signups purge --older-than 7` and then `signups erase --phone …` run as their
// own processes, as an operator's would. Prints GET / p50/p99/max during the
// deletion and what became of every sign-up sent.
//   npm run bench:purge            (add -- --signups=540000)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FormTokens } from '../src/signup/form-token.ts';
import { SignupStore } from '../src/signup/store.ts';
import { percentile, signUpStream, startSiteOnBigDatabase } from '../tests/e2e/store-pressure.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const total = arg('signups', 500_000);
const SECRET = 'khoa-do-tai-xoa-du-lieu-khong-dung-that-2026';
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const folder = mkdtempSync(join(tmpdir(), 'bench-purge-'));
const db = join(folder, 'signups.sqlite');
const { site, big, fillSeconds } = await startSiteOnBigDatabase(db, SECRET, total);
console.log(`filled ${total} sign-ups in ${fillSeconds.toFixed(1)} s`);

const command = (...args) =>
  new Promise((done) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args, '--db', db],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk.toString()));
    child.on('exit', (code) => done({ code, output: output.trim(), seconds: (performance.now() - started) / 1000 }));
  });

const tokens = new FormTokens(SECRET);
const signUp = await signUpStream(site.url, tokens);
// Before the deletion starts (the machine's own noise), then during it.
const idle = { home: [], signup: [] };
const during = { home: [], signup: [] };
let phase = idle;
const home = { push: (ms) => phase.home.push(ms) };
const outcomes = { confirmed: 0, refused: 0, lost: 0 };
const signupMs = { push: (ms) => phase.signup.push(ms) };
const codes = [];
let streaming = true;
const homeStream = (async () => {
  while (streaming) {
    const started = performance.now();
    const response = await fetch(`${site.url}/`);
    await response.arrayBuffer();
    home.push(performance.now() - started);
    await sleep(40);
  }
})();
const signupStream = (async () => {
  while (streaming) {
    const started = performance.now();
    const answer = await signUp();
    if (!answer) break;
    const { status, code } = answer;
    signupMs.push(performance.now() - started);
    if (status === 200 && code) {
      outcomes.confirmed += 1;
      codes.push(code);
    } else outcomes.refused += 1;
    await sleep(150);
  }
})();

let purge;
let erase;
try {
  await sleep(8_000);
  phase = during;
  purge = await command('purge', '--older-than', '7');
  erase = await command('erase', '--phone', big.keptPhone.replace('+84', '0'));
  await sleep(500);
} finally {
  streaming = false;
  await Promise.all([homeStream, signupStream]);
  await site.stop();
}
const store = new SignupStore(db);
for (const code of codes) if (!store.byCode(code)) outcomes.lost += 1;
const integrity = store.integrityCheck();
store.close();
rmSync(folder, { recursive: true, force: true });

console.log(`\npurge: ${purge.output} (${purge.seconds.toFixed(1)} s)`);
console.log(`erase: ${erase.output} (${erase.seconds.toFixed(1)} s)`);
console.log('\n| requests | count | p50 ms | p99 ms | max ms |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, values] of [
  ['GET /, 8 s before', idle.home],
  ['sign-up, 8 s before', idle.signup],
  ['GET /, during purge and erase', during.home],
  ['sign-up, during purge and erase', during.signup],
]) {
  console.log(
    `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(0)} | ${percentile(values, 99).toFixed(0)} | ${Math.max(...values).toFixed(0)} |`,
  );
}
console.log(
  `\nSign-ups: ${outcomes.confirmed} confirmed, ${outcomes.refused} refused, ${outcomes.lost} confirmed but not stored; integrity_check: ${integrity}. Goal: GET / p99 < 100 ms, none refused or lost.`,
);
