/**
 * Content history and publishing behind the deployment kit's Caddyfile (TLS ended by Caddy,
 * TRUST_PROXY=1), as tests/e2e/proxy.test.ts runs it: an editor's https session opens the
 * history and publish pages and saves a file (the origin check compares https with https);
 * the same post from the plain-http origin, from another site, or by staff is refused. No
 * build runs here: tests/e2e/publish.test.ts builds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
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

const folder = mkdtempSync(join(tmpdir(), 'publish-proxy-'));
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

const editor = `bt${Date.now() % 100_000}`;
const staff = `nv${Date.now() % 100_000}`;
let editorCookie = '';
let staffCookie = '';
const PATH = 'news/bai-qua-proxy.mdx';
const HISTORY = `/to-chuc/noi-dung/lich-su/?tep=${PATH}`;

beforeAll(async () => {
  const cli = (...args: string[]) =>
    runCommand(
      [...args, '--db', db],
      () => undefined,
      new Date(),
      () => Promise.resolve(TEST_PASSWORD),
    );
  await cli('user', 'add', editor, '--role', 'editor');
  await cli('user', 'add', staff, '--role', 'staff', '--drive', 'cai-nuoc');
  site = await startSite({
    SIGNUP_DB: db,
    TRUST_PROXY: '1',
    CONTENT_DIR: FIXTURE_CONTENT,
    CONTENT_REPO: join(folder, 'noi-dung'),
    PUBLISH_DIR: join(folder, 'ban-dung'),
    PUBLISH_CHECK_MINUTES: '0',
  });
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
  editorCookie = await signIn(editor);
  staffCookie = await signIn(staff);
}, 60_000);

afterAll(async () => {
  caddy?.kill('SIGTERM');
  await site?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const save = (text: string) => new URLSearchParams({ intent: 'save', tep: PATH, 'noi-dung': text, goc: '' }).toString();

describe('history and publishing behind Caddy', () => {
  test('the editor’s https session opens the pages and saves a file', async () => {
    expect(editorCookie).not.toBe('');
    expect((await send('GET', '/to-chuc/noi-dung/', '', { Cookie: editorCookie })).status).toBe(200);
    const publish = await send('GET', '/to-chuc/xuat-ban/', '', { Cookie: editorCookie });
    expect(publish.status).toBe(200);
    expect(publish.body).toContain('data-publish');
    const progress = await send('GET', '/to-chuc/xuat-ban/tien-do.json', '', { Cookie: editorCookie });
    expect(progress.status).toBe(200);
    expect(progress.headers['cache-control']).toBe('no-store');
    const saved = await send('POST', HISTORY, save('qua proxy\n'), { Cookie: editorCookie });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain(`Đã lưu ${PATH}`);
  });

  test('the plain-http origin, another site and staff are refused behind the proxy too', async () => {
    const http = await send('POST', HISTORY, save('x'), {
      Cookie: editorCookie,
      Origin: `http://localhost:${httpsPort}`,
    });
    expect(http.status).toBe(403);
    const evil = await send('POST', '/to-chuc/xuat-ban/', 'intent=publish', {
      Cookie: editorCookie,
      Origin: 'https://evil.example',
    });
    expect(evil.status).toBe(403);
    const byStaff = await send('POST', '/to-chuc/xuat-ban/', 'intent=publish', { Cookie: staffCookie });
    expect(byStaff.status).toBe(403);
    expect((await send('GET', '/to-chuc/xuat-ban/tien-do.json', '', { Cookie: staffCookie })).status).toBe(403);
  });
});
