/**
 * The unit pages behind the deployment kit's Caddyfile (TLS ended by Caddy, TRUST_PROXY=1), as
 * tests/e2e/proxy.test.ts runs it: a focal person's sign-in holds over https, a list of
 * 1 MB reaches the unit pages (Caddy lets 6 MB through there) while anywhere else Caddy
 * refuses the same body, and a post from another origin is refused as behind no proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { freePort, sendThrough, signInThrough, startCaddy, type CaddyProxy } from './caddy-proxy.ts';
import { TEST_PASSWORD } from './console-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'units-proxy-'));
const db = join(folder, 'signups.sqlite');
const httpsPort = await freePort();
const origin = `https://localhost:${httpsPort}`;
let site: Awaited<ReturnType<typeof startSite>>;
let caddy: CaddyProxy;

/** A request through Caddy, its test certificate unchecked (tests/e2e/caddy-proxy.ts). */
const send = (method: string, path: string, body = '', headers: Record<string, string> = {}) =>
  sendThrough(origin, method, path, body, headers);

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
  caddy = await startCaddy(site.port, folder, { httpsPort });
  cookie = await signInThrough(origin, username, TEST_PASSWORD);
  adminCookie = await signInThrough(origin, admin, TEST_PASSWORD);
}, 60_000);

afterAll(async () => {
  caddy?.stop();
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
