/**
 * The unit pages behind the deployment kit's Caddyfile (TLS ended by Caddy, TRUST_PROXY=1), as
 * tests/e2e/proxy.test.ts runs it: a focal person's sign-in holds over https, a list of
 * 1 MB reaches the unit pages (Caddy lets 6 MB through there) while anywhere else Caddy
 * refuses the same body, and a post from another origin is refused as behind no proxy.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { TEST_PASSWORD } from './console-accounts.ts';

const CADDYFILE = resolve(import.meta.dirname, '../../deploy/Caddyfile');
if (spawnSync('caddy', ['version']).status !== 0) throw new Error('Caddy is missing: `apt-get install caddy`.');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const folder = mkdtempSync(join(tmpdir(), 'units-proxy-'));
const db = join(folder, 'signups.sqlite');
const httpsPort = await freePort();
const origin = `https://localhost:${httpsPort}`;
let site: Awaited<ReturnType<typeof startSite>>;
let caddy: ChildProcess;
let caddyLog = '';

/** A request through Caddy, its test certificate unchecked: status, headers and body. */
function send(
  method: string,
  path: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      `${origin}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          Origin: origin,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const username = `dm${Date.now() % 100_000}`;
const admin = `qt${Date.now() % 100_000}`;
let cookie = '';
let adminCookie = '';

beforeAll(async () => {
  const cli = (...args: string[]) =>
    runCommand(
      [...args, '--db', db],
      () => undefined,
      new Date(),
      () => Promise.resolve(TEST_PASSWORD),
    );
  await cli('team', 'add', 'CA-AN-XUYEN', 'Công an phường An Xuyên');
  await cli('user', 'add', username, '--role', 'unit', '--team', 'CA-AN-XUYEN');
  await cli('user', 'add', admin, '--role', 'admin');
  site = await startSite({ SIGNUP_DB: db, TRUST_PROXY: '1', SIGNUP_RATE_LIMIT: '1000' });
  caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      HOME: folder,
      XDG_DATA_HOME: join(folder, 'data'),
      XDG_CONFIG_HOME: join(folder, 'config'),
      SITE_ADDRESS: origin,
      UPSTREAM: `127.0.0.1:${site.port}`,
      CADDY_ADMIN: `127.0.0.1:${await freePort()}`,
      CADDY_HTTP_PORT: String(await freePort()),
      CADDY_HTTPS_PORT: String(httpsPort),
      CADDY_EXTRA_GLOBAL_OPTIONS: 'skip_install_trust',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  caddy.stdout?.on('data', (chunk: Buffer) => (caddyLog += chunk.toString()));
  caddy.stderr?.on('data', (chunk: Buffer) => (caddyLog += chunk.toString()));
  for (let tries = 0; ; tries += 1) {
    const up = await send('GET', '/').catch(() => undefined);
    if (up?.status === 200) break;
    if (tries > 100 || caddy.exitCode !== null) throw new Error(`Caddy did not come up:\n${caddyLog}`);
    await new Promise((done) => setTimeout(done, 200));
  }
  const signIn = async (name: string) => {
    const answer = await send(
      'POST',
      '/to-chuc/dang-nhap/',
      new URLSearchParams({ username: name, password: TEST_PASSWORD }).toString(),
    );
    const set = answer.headers['set-cookie'];
    return ((Array.isArray(set) ? set[0] : set) ?? '').split(';', 1)[0] ?? '';
  };
  cookie = await signIn(username);
  adminCookie = await signIn(admin);
}, 60_000);

afterAll(async () => {
  caddy?.kill('SIGTERM');
  await site?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('the unit pages behind Caddy', () => {
  test('the focal person’s https session reaches its own unit only', async () => {
    expect(cookie).not.toBe('');
    const home = await send('GET', '/to-chuc/don-vi/', '', { Cookie: cookie });
    expect(home.status).toBe(303);
    expect(home.headers['location']).toBe('/to-chuc/don-vi/CA-AN-XUYEN/');
    expect((await send('GET', '/to-chuc/don-vi/CA-AN-XUYEN/', '', { Cookie: cookie })).status).toBe(200);
    expect((await send('GET', '/to-chuc/don-vi/KHAC/', '', { Cookie: cookie })).status).toBe(403);
  });

  test('1 MB reaches the unit pages; the same body anywhere else is refused by Caddy', async () => {
    const big = `intent=reserve&team=CA-AN-XUYEN&note=${'a'.repeat(1024 * 1024)}`;
    const units = await send('POST', '/to-chuc/don-vi/', big, { Cookie: adminCookie });
    expect(units.status).toBe(422);
    expect(units.body).toContain('Hãy chọn một đợt');
    // Caddy stops reading past 64 kB: 413, or 502 when the site already refused the length and closed.
    const elsewhere = await send('POST', '/dang-ky/?_action=signup', big);
    expect([413, 502]).toContain(elsewhere.status);
  });

  test('a post from another origin is refused behind the proxy too', async () => {
    const answer = await send('POST', '/to-chuc/don-vi/', 'intent=reserve', {
      Cookie: adminCookie,
      Origin: 'https://evil.example',
    });
    expect(answer.status).toBe(403);
  });
});
