import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SignupStore } from '../../src/signup/store.ts';
import { erasePhone } from '../../src/privacy/privacy.ts';
import { isBusy, SERVER_BUSY_TIMEOUT_MS, whenFree } from '../../src/store/database.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

let folder: string;
let path: string;
beforeEach(() => {
  folder = temporaryFolder('busy-');
  path = join(folder, 'signups.sqlite');
});
afterEach(() => removeFolder(folder));

const take = (store: SignupStore, n: number) =>
  store.takePlace({
    code: `BUSY${String(n).padStart(6, '0')}`,
    drive: 'd',
    slot: '2026-12-05T07:00:00+07:00',
    slotEnd: '2026-12-05T08:00:00+07:00',
    capacity: 10,
    person: { fullName: `Người ${n}`, phone: `+8491200000${n}`, birthYear: 1990, sex: 'female', weightKg: 50 },
    now: new Date('2026-12-01T08:00:00+07:00'),
  });

test('while another process holds the write lock, a server write waits from a timer and the event loop keeps running', async () => {
  const server = new SignupStore(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  // Another connection, as the command line's purge would be, holds the lock for 600 ms.
  const other = new DatabaseSync(path);
  other.exec('BEGIN IMMEDIATE');
  const release = setTimeout(() => other.exec('COMMIT'), 600);
  let ticks = 0;
  const ticking = setInterval(() => (ticks += 1), 20);
  try {
    expect(() => take(server, 1)).toThrow(/locked/);
    const started = performance.now();
    const result = await whenFree(() => take(server, 2));
    expect(result.status).toBe('created');
    expect(performance.now() - started).toBeGreaterThan(400);
    // A synchronous wait of 600 ms would have let no tick run.
    expect(ticks).toBeGreaterThan(5);
  } finally {
    clearTimeout(release);
    clearInterval(ticking);
    if (other.isTransaction) other.exec('COMMIT');
    other.close();
    server.close();
  }
});

test('whenFree gives up after its deadline with the busy error, and never retries another error', async () => {
  const busy = Object.assign(new Error('database is locked'), { errcode: 5 });
  let tries = 0;
  await expect(
    whenFree(() => {
      tries += 1;
      throw busy;
    }, 120),
  ).rejects.toBe(busy);
  expect(tries).toBeGreaterThan(2);
  expect(isBusy(Object.assign(new Error('x'), { errcode: 517 }))).toBe(true);
  tries = 0;
  await expect(
    whenFree(() => {
      tries += 1;
      throw new Error('UNIQUE constraint failed');
    }),
  ).rejects.toThrow(/UNIQUE/);
  expect(tries).toBe(1);
});

test('the command line’s last checkpoint waits for a long reader from a timer, never with the write lock held for its 5 s busy timeout', async () => {
  const server = new SignupStore(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  const commandLine = new SignupStore(path);
  for (let n = 1; n <= 3; n += 1) take(server, n);
  // Another process reads a long report: its snapshot keeps the write-ahead log from being emptied.
  const reader = new DatabaseSync(path);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM signups').get();
  const release = setTimeout(() => reader.exec('COMMIT'), 1_000);
  let last = performance.now();
  let longestGap = 0;
  const ticking = setInterval(() => {
    const at = performance.now();
    longestGap = Math.max(longestGap, at - last);
    last = at;
  }, 20);
  try {
    const erasing = erasePhone(commandLine.db, '+84912000001');
    // A server write while the checkpoint waits for the reader gets the lock between its tries.
    await new Promise((done) => setTimeout(done, 300));
    const started = performance.now();
    expect((await whenFree(() => take(server, 4))).status).toBe('created');
    const serverWaited = performance.now() - started;
    expect(await erasing).toBe(1);
    // On the base commit each try held the lock and the thread for the 5 s busy timeout.
    expect(serverWaited).toBeLessThan(600);
    expect(longestGap).toBeLessThan(1_500);
    expect(reader.isTransaction).toBe(false);
  } finally {
    clearTimeout(release);
    clearInterval(ticking);
    if (reader.isTransaction) reader.exec('COMMIT');
    reader.close();
    commandLine.close();
    server.close();
  }
});
