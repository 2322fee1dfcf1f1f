/**
 * Content history and publishing behind the deployment kit's Caddyfile (TLS ended by Caddy,
 * TRUST_PROXY=1), as tests/e2e/proxy.test.ts runs it: an editor's https session opens the
 * history and publish pages and saves a file (the origin check compares https with https);
 * the same post from the plain-http origin, from another site, or by staff is refused; the
 * drive form (src/editor/drive-console.ts) saves a drive and refuses the same. No build runs
 * here: tests/e2e/publish.test.ts builds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { freePort, sendThrough, signInThrough, startCaddy, type CaddyProxy } from './caddy-proxy.ts';
import { TEST_PASSWORD } from './console-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'publish-proxy-'));
const db = join(folder, 'signups.sqlite');
const httpsPort = await freePort();
const origin = `https://localhost:${httpsPort}`;
let site: Awaited<ReturnType<typeof startSite>>;
let caddy: CaddyProxy;

/** A request through Caddy, its test certificate unchecked (tests/e2e/caddy-proxy.ts). */
const send = (method: string, path: string, body = '', headers: Record<string, string> = {}) =>
  sendThrough(origin, method, path, body, headers);

const editor = `bt${Date.now() % 100_000}`;
const staff = `nv${Date.now() % 100_000}`;
let editorCookie = '';
let staffCookie = '';
const PATH = 'news/bai-qua-proxy.mdx';
const LONG_PATH = 'news/bai-dai-qua-proxy.mdx';
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
  caddy = await startCaddy(site.port, folder, { httpsPort });
  editorCookie = await signInThrough(origin, editor, TEST_PASSWORD);
  staffCookie = await signInThrough(origin, staff, TEST_PASSWORD);
}, 60_000);

afterAll(async () => {
  caddy?.stop();
  await site?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const save = (text: string) => new URLSearchParams({ intent: 'save', tep: PATH, 'noi-dung': text, goc: '' }).toString();

/** A new drive as the drive form posts it (tests/e2e/drive-form.test.ts has every field's case). */
const DRIVE_FORM = '/to-chuc/noi-dung/diem-hien-mau/';
const driveBody = (name: string) =>
  new URLSearchParams({
    ten: name,
    'don-vi': 'Hội Chữ thập đỏ phường Tân Thành',
    'dia-chi': 'Nhà văn hóa khóm 5, đường Ngô Quyền, phường Tân Thành',
    xa: 'Phường Tân Thành',
    'vi-do': '9.1702',
    'kinh-do': '105.1630',
    ngay: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(Date.now() + 30 * 86_400_000),
    'bat-dau': '07:00',
    'ket-thuc': '11:00',
    phut: '30',
    cho: '10',
    'trang-thai': 'scheduled',
    'chi-tieu': '100',
    'dien-thoai': '0290 3831 000',
    tep: '',
    goc: '',
  }).toString();

describe('history and publishing behind Caddy', () => {
  test('the drive form through the proxy: the https session saves a drive; plain http, another site and staff are refused', async () => {
    const form = await send('GET', DRIVE_FORM, '', { Cookie: editorCookie });
    expect(form.status).toBe(200);
    expect(form.body).toContain('data-position-map');
    const saved = await send('POST', DRIVE_FORM, driveBody('Ngày hội hiến máu qua proxy'), { Cookie: editorCookie });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('Đã lưu drives/ngay-hoi-hien-mau-qua-proxy-');
    const wrong = await send('POST', DRIVE_FORM, driveBody('Ngắn'), { Cookie: editorCookie });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toContain('ít nhất 10 ký tự');
    const http = await send('POST', DRIVE_FORM, driveBody('Ngày hội hiến máu qua http'), {
      Cookie: editorCookie,
      Origin: `http://localhost:${httpsPort}`,
    });
    expect(http.status).toBe(403);
    const evil = await send('POST', DRIVE_FORM, driveBody('Ngày hội hiến máu từ nơi khác'), {
      Cookie: editorCookie,
      Origin: 'https://evil.example',
    });
    expect(evil.status).toBe(403);
    const byStaff = await send('POST', DRIVE_FORM, driveBody('Ngày hội hiến máu của nhân viên'), {
      Cookie: staffCookie,
    });
    expect(byStaff.status).toBe(403);
  });

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

  test('a long article saves through the proxy: content saves have a body limit of their own', async () => {
    const paragraph = 'Người hiến máu được khám, xét nghiệm miễn phí và nhận giấy chứng nhận. '.repeat(40);
    const text = `${paragraph}\n\n`.repeat(100);
    const body = new URLSearchParams({ intent: 'save', tep: LONG_PATH, 'noi-dung': text, goc: '' }).toString();
    // Far over the 16 kB of a form, and the 64 kB the proxy lets through elsewhere.
    expect(Buffer.byteLength(body)).toBeGreaterThan(512 * 1024);
    const saved = await send('POST', `/to-chuc/noi-dung/lich-su/?tep=${LONG_PATH}`, body, { Cookie: editorCookie });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain(`Đã lưu ${LONG_PATH}`);
    // The same body anywhere else is refused: Caddy stops reading past 64 kB (413, or 502 when
    // the site already refused the length and closed, as tests/e2e/units-proxy.test.ts says).
    const elsewhere = await send('POST', '/to-chuc/tai-khoan/', body, { Cookie: editorCookie });
    expect([413, 502]).toContain(elsewhere.status);
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
