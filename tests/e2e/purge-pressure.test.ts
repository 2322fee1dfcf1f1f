/**
 * Purge and erase on half a million sign-ups, run from the command line as an
 * operator would, beside `npm start` serving a stream of sign-ups and GET /:
 * no acknowledged sign-up lost, none refused, every page served. Before purge
 * and erase worked in short batches, the command line held the write lock for
 * seconds: the server's requests waited on it synchronously (GET / too) and
 * sign-ups got 503 (src/store/README.md, "Under load").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { FormTokens } from '../../src/signup/form-token.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { percentile, signUpStream, startSiteOnBigDatabase } from './store-pressure.ts';

const folder = mkdtempSync(join(tmpdir(), 'purge-pressure-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const SECRET = 'khoa-thu-nghiem-cho-bai-kiem-tra-xoa-du-lieu-2026';

/** Runs `npm run signups -- …` as its own process, as the operator (or backup.sh) would. */
function signupsCommand(db: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args, '--db', db],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, output })));
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

test('purge and erase on 500,000 sign-ups from the command line lose and refuse no sign-up, and GET / is served throughout', async () => {
  const db = join(folder, 'signups.sqlite');
  const { site, big } = await startSiteOnBigDatabase(db, SECRET);
  const tokens = new FormTokens(SECRET);
  const next = await signUpStream(site.url, tokens);
  const signUp = async () => {
    const answer = await next();
    if (!answer) throw new Error('the test site has no places left');
    return answer;
  };

  const home: number[] = [];
  const homeStatuses: number[] = [];
  const signups: { status: number; code: string | undefined }[] = [];
  let streaming = true;
  const homeStream = (async () => {
    while (streaming) {
      const started = performance.now();
      const response = await fetch(`${site.url}/`);
      await response.arrayBuffer();
      home.push(performance.now() - started);
      homeStatuses.push(response.status);
      await sleep(40);
    }
  })();
  const signupStream = (async () => {
    while (streaming) {
      signups.push(await signUp());
      await sleep(150);
    }
  })();

  try {
    await sleep(1_000);
    const purge = await signupsCommand(db, 'purge', '--older-than', '7');
    expect(purge.output).toContain(`Đã xóa ${big.old} đăng ký`);
    expect(purge.code).toBe(0);
    const erase = await signupsCommand(db, 'erase', '--phone', big.keptPhone.replace('+84', '0'));
    expect(erase.output).toContain('Đã xóa 1 đăng ký');
    await sleep(500);
  } finally {
    streaming = false;
    await Promise.all([homeStream, signupStream]);
    await site.stop();
  }

  console.log(
    `purge under load: GET / ${home.length} requests, p50 ${percentile(home, 50).toFixed(0)} ms, p99 ${percentile(home, 99).toFixed(0)} ms, max ${Math.max(...home).toFixed(0)} ms; ${signups.length} sign-ups`,
  );
  expect(homeStatuses.every((status) => status === 200)).toBe(true);
  // Refused: anything but the confirmation page (a 503 "chưa lưu được" was what the lock gave).
  expect(signups.filter((s) => s.status !== 200 || !s.code)).toEqual([]);
  expect(signups.length).toBeGreaterThan(5);
  const store = new SignupStore(db);
  try {
    // Every acknowledged code is stored; the drive that is over is gone, the other kept but one.
    for (const { code } of signups) expect(store.byCode(code ?? '')?.fullName).toBe('Người Đăng Ký Lúc Xóa');
    expect(store.drives().find((d) => d.drive === 'da-qua')).toBeUndefined();
    expect(store.drives().find((d) => d.drive === 'sap-toi')?.signups).toBe(big.kept - 1);
    expect(store.integrityCheck()).toBe('ok');
  } finally {
    store.close();
  }
  // Generous for a busy 2-core machine (1.1 s seen there): the lock held for seconds made it 5–12 s.
  expect(Math.max(...home)).toBeLessThan(3_000);
}, 600_000);
