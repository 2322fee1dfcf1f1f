/**
 * The admins' accounts page, /to-chuc/tai-khoan/ (src/console/AccountsPage.astro): in Chromium
 * at 390 and 1280 px an admin adds an account and reads its password once, disables it (it
 * cannot sign in, its session ends), enables it, resets its password, gives drives, registers a
 * team code; staff and editors get 403; a table of hostile posts and a bounded fuzz over HTTP,
 * another origin, a replayed post, the rate limit; and the page behind Caddy over HTTPS.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { ACCOUNT_POST_LIMIT } from '../../src/console/account-admin.ts';
import { launchChromium } from '../../scripts/chromium.mjs';
import { axeViolations, openSitePage, useSiteBrowser } from './browser.ts';
import { newUsername, signIn, signInPage, TEST_PASSWORD } from './console-accounts.ts';
import { postForm } from './forms.ts';
import { startCaddy, type CaddyProxy } from './caddy-proxy.ts';
import { readDrives } from './drive-data.ts';

const SHOTS = '/tmp/shots-editor-accounts';
mkdirSync(SHOTS, { recursive: true });
const PATH = '/to-chuc/tai-khoan/';

const ownFolder = mkdtempSync(join(tmpdir(), 'accounts-e2e-'));
const signupDb = join(ownFolder, 'signups.sqlite');
const site = await startSite({
  SIGNUP_DB: signupDb,
  LOGIN_RATE_LIMIT: '100000',
  SITE_DIST: FIXTURE_DIST,
});
const baseUrl = site.url;
afterAll(async () => {
  await site.stop();
  rmSync(ownFolder, { recursive: true, force: true });
});
const openPage = useSiteBrowser(baseUrl);
const [drive] = await readDrives();
if (!drive) throw new Error('the test site needs a drive');

async function addAccount(username: string, role: 'admin' | 'staff' | 'editor', drives: string[] = [], db = signupDb) {
  await runCommand(
    ['user', 'add', username, '--role', role, ...drives.flatMap((d) => ['--drive', d]), '--db', db],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );
}

/** A fresh key as the page draws one per form. */
let keys = 0;
const key = () => `e2e-khoa-${Date.now()}-${++keys}`;

async function adminCookie(): Promise<{ username: string; cookie: string }> {
  const username = newUsername('qt');
  await addAccount(username, 'admin');
  return { username, cookie: await signIn(baseUrl, username) };
}

const post = (cookie: string, fields: Record<string, string>, origin?: string) =>
  postForm(baseUrl, PATH, fields, { headers: { Cookie: cookie }, ...(origin ? { origin } : {}) });

describe('the accounts page in Chromium', () => {
  test.each([
    [1280, 900],
    [390, 844],
  ])('at %i px an admin adds, disables, enables, resets, gives drives and registers a team', async (width, height) => {
    const admin = newUsername('qt');
    await addAccount(admin, 'admin');
    const { page, errors } = await openPage({ viewport: { width, height } });
    await signInPage(page, baseUrl, admin);
    // The console's link, for admins.
    await Promise.all([page.waitForURL(`${baseUrl}${PATH}`), page.click('a:has-text("Tài khoản")')]);
    expect(await axeViolations(page)).toEqual([]);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(wide).toBe(true);

    const newcomer = newUsername('nv');
    await page.fill('#ten-moi', newcomer);
    await page.selectOption('#vai-tro', 'staff');
    await page.check(`[data-form="add"] input[name="drive"][value="${drive.slug}"]`);
    await Promise.all([page.waitForNavigation(), page.click('[data-form="add"] button')]);
    await expect(page.textContent('[data-accounts-notice="ok"]')).resolves.toContain(`Đã tạo tài khoản ${newcomer}`);
    const password = (await page.textContent(`[data-shown-password="${newcomer}"]`))?.trim() ?? '';
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await page.screenshot({ path: `${SHOTS}/accounts-added-${width}.png`, fullPage: true });
    // Shown once: a reload (GET) no longer has it.
    await page.goto(`${baseUrl}${PATH}`);
    expect(await page.locator('[data-shown-password]').count()).toBe(0);

    // The new account signs in with it; disabled, its session ends and it cannot sign in.
    const newcomerCookie = await signIn(baseUrl, newcomer, password);
    const card = page.locator(`[data-account="${newcomer}"]`);
    await Promise.all([page.waitForNavigation(), card.locator('button:has-text("Khoá")').click()]);
    await expect(page.textContent('[data-accounts-notice="ok"]')).resolves.toContain('Đã khoá');
    expect(await card.locator('[data-account-state]').getAttribute('data-account-state')).toBe('disabled');
    const afterDisable = await fetch(`${baseUrl}/to-chuc/`, {
      headers: { Cookie: newcomerCookie },
      redirect: 'manual',
    });
    expect(afterDisable.status).toBe(303);
    await expect(signIn(baseUrl, newcomer, password)).rejects.toThrow('401');
    await Promise.all([page.waitForNavigation(), card.locator('button:has-text("Mở lại")').click()]);
    expect(await card.locator('[data-account-state]').getAttribute('data-account-state')).toBe('enabled');
    await signIn(baseUrl, newcomer, password);

    // A new password, shown once; the old one stops working.
    await Promise.all([page.waitForNavigation(), card.locator('button:has-text("Đặt mật khẩu mới")').click()]);
    const second = (await page.textContent(`[data-shown-password="${newcomer}"]`))?.trim() ?? '';
    expect(second).not.toBe(password);
    await expect(signIn(baseUrl, newcomer, password)).rejects.toThrow('401');
    await signIn(baseUrl, newcomer, second);

    // A team code, then the log of it all.
    const code = `E2E-${width}-${Date.now() % 10_000}`;
    await page.fill('#ma-moi', code);
    await page.fill('#ten-don-vi', 'Đơn vị thử nghiệm <không phải thẻ>'.replace(/[<>]/g, ''));
    await Promise.all([page.waitForNavigation(), page.click('[data-form="team-add"] button')]);
    expect(await page.locator(`[data-team="${code}"]`).count()).toBe(1);
    const log = (await page.textContent('[data-accounts-audit]')) ?? '';
    for (const words of ['tạo tài khoản', 'khoá tài khoản', 'mở lại tài khoản', 'đặt mật khẩu mới', 'đăng ký đơn vị']) {
      expect(log).toContain(words);
    }
    expect(log).not.toContain(second);
    await page.screenshot({ path: `${SHOTS}/accounts-log-${width}.png`, fullPage: true });

    // Removed, with the confirmation box ticked.
    await card.locator('summary:has-text("Xoá tài khoản")').click();
    await card.locator('input[name="confirm"]').check();
    await Promise.all([page.waitForNavigation(), card.locator('button:has-text("Xoá")').last().click()]);
    await expect(page.textContent('[data-accounts-notice="ok"]')).resolves.toContain(`Đã xoá tài khoản ${newcomer}`);
    expect(await page.locator(`[data-account="${newcomer}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test.each(['staff', 'editor'] as const)('%s sees no link and gets 403 on the page and on a post', async (role) => {
    const username = newUsername(role === 'staff' ? 'nv' : 'bt');
    await addAccount(username, role, role === 'staff' ? [drive.slug] : []);
    const { page } = await openPage({ viewport: { width: 390, height: 844 } });
    await signInPage(page, baseUrl, username);
    expect(await page.locator('a:has-text("Tài khoản")').count()).toBe(0);
    const response = await page.goto(`${baseUrl}${PATH}`);
    expect(response?.status()).toBe(403);
    await expect(page.textContent('[data-accounts-notice="error"]')).resolves.toContain('Chỉ quản trị viên');
    await page.screenshot({ path: `${SHOTS}/accounts-403-${role}.png` });
    const cookie = await signIn(baseUrl, username);
    for (const fields of [
      { intent: 'add', username: newUsername('x'), role: 'admin' },
      { intent: 'reset', username },
      { intent: 'team-add', code: 'HACK', name: 'Không được' },
    ]) {
      const answer = await post(cookie, { key: key(), ...fields });
      expect(answer.status).toBe(403);
    }
  });
});

describe('hostile posts over HTTP', () => {
  let admin: { username: string; cookie: string };
  beforeAll(async () => {
    admin = await adminCookie();
  });

  test('without a session: 401, nothing done', async () => {
    const answer = await postForm(baseUrl, PATH, { key: key(), intent: 'team-add', code: 'ANON', name: 'Ẩn danh' });
    expect(answer.status).toBe(401);
  });

  test('from another origin: refused before the page runs', async () => {
    const answer = await post(
      admin.cookie,
      { key: key(), intent: 'team-add', code: 'CSRF', name: 'Trang khác' },
      'https://ke-gian.example',
    );
    expect(answer.status).toBe(403);
    const page = await fetch(`${baseUrl}${PATH}`, { headers: { Cookie: admin.cookie } });
    expect(await page.text()).not.toContain('data-team="CSRF"');
  });

  test('a replayed post does nothing the second time', async () => {
    const fields = { key: key(), intent: 'team-add', code: `LAP-${Date.now() % 10_000}`, name: 'Gửi hai lần' };
    expect((await post(admin.cookie, fields)).status).toBe(200);
    const again = await post(admin.cookie, fields);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('đã được gửi rồi');
  });

  const table: [string, Record<string, string>, number][] = [
    ['no intent', { key: 'k'.repeat(20) }, 400],
    ['an unknown intent', { intent: 'sql', key: 'k'.repeat(20) }, 400],
    ['no key', { intent: 'team-add', code: 'ABC', name: 'Tên', key: '' }, 400],
    ['a name with ../', { intent: 'add', username: '../../etc', role: 'admin' }, 422],
    ['a name with %2e%2e', { intent: 'add', username: '%2e%2e%2f', role: 'admin' }, 422],
    ['a name with NUL', { intent: 'add', username: 'a\u0000b', role: 'admin' }, 422],
    ['a look-alike name', { intent: 'add', username: 'аdmin', role: 'admin' }, 422],
    ['a reserved-looking name', { intent: 'add', username: 'con', role: 'root' }, 422],
    ['a drive with ../', { intent: 'add', username: 'moi.nv', role: 'staff', drive: '../../x' }, 422],
    ['a drive with NUL', { intent: 'add', username: 'moi.nv', role: 'staff', drive: 'a\u0000' }, 422],
    ['a team code of 5,000 characters', { intent: 'team-add', code: 'A'.repeat(5000), name: 'x y' }, 422],
    ['a team name with a tag', { intent: 'team-add', code: 'THE', name: '<script>alert(1)</script>' }, 422],
    ['an unknown account', { intent: 'disable', username: 'khong.co.ai' }, 404],
  ];
  test.each(table)('%s is refused, in Vietnamese', async (_name, fields, status) => {
    const answer = await post(admin.cookie, { key: key(), ...fields });
    expect(answer.status).toBe(status);
    const html = await answer.text();
    expect(html).toContain('data-accounts-notice="error"');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  test('wrong content types: JSON and a broken multipart are a form with nothing filled in', async () => {
    for (const [type, body] of [
      ['application/json', JSON.stringify({ intent: 'add', username: 'json.nv', role: 'admin', key: key() })],
      ['multipart/form-data; boundary=x', '--x\r\nbroken'],
    ] as const) {
      const answer = await fetch(`${baseUrl}${PATH}`, {
        method: 'POST',
        headers: { Cookie: admin.cookie, Origin: new URL(baseUrl).origin, 'Content-Type': type },
        body,
        redirect: 'manual',
      });
      expect([400, 403, 415]).toContain(answer.status);
    }
  });

  test('bounded fuzz: any fields answer 200-429 with a page, never a 500', async () => {
    const other = await adminCookie();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          intent: fc.constantFrom(
            'add',
            'disable',
            'enable',
            'reset',
            'drives',
            'remove',
            'team-add',
            'team-remove',
            'x',
          ),
          username: fc.string({ maxLength: 40 }),
          role: fc.constantFrom('admin', 'staff', 'editor', 'unit', ''),
          code: fc.string({ maxLength: 30 }),
          name: fc.string({ maxLength: 30 }),
          drive: fc.string({ maxLength: 30 }),
          key: fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z0-9-]{16,30}$/)),
        }),
        async (fields) => {
          const answer = await post(other.cookie, fields);
          expect([200, 400, 404, 409, 422, 429]).toContain(answer.status);
          expect(await answer.text()).toContain('data-accounts-notice');
        },
      ),
      { numRuns: 40, seed: 24 },
    );
  });

  test(`the rate limit: past ${ACCOUNT_POST_LIMIT} posts in ten minutes, 429`, async () => {
    const busy = await adminCookie();
    const statuses: number[] = [];
    for (let i = 0; i <= ACCOUNT_POST_LIMIT; i += 1)
      statuses.push((await post(busy.cookie, { intent: 'x', key: key() })).status);
    expect(statuses.slice(0, ACCOUNT_POST_LIMIT).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('behind Caddy over HTTPS', () => {
  let proxied: Awaited<ReturnType<typeof startSite>>;
  let caddy: CaddyProxy;
  let proxyUrl = '';
  // A database of its own, as every proxied test server has.
  const proxiedDb = join(ownFolder, 'proxied.sqlite');
  beforeAll(async () => {
    proxied = await startSite({ SIGNUP_DB: proxiedDb, TRUST_PROXY: '1', SITE_DIST: FIXTURE_DIST });
    caddy = await startCaddy(proxied.port, ownFolder);
    proxyUrl = caddy.origin;
  }, 60_000);
  afterAll(async () => {
    caddy?.stop();
    await proxied?.stop();
  });

  test('an admin signs in with the __Host- cookie and adds a team; another origin is refused', async () => {
    const admin = newUsername('qt');
    await addAccount(admin, 'admin', [], proxiedDb);
    const browser = await launchChromium();
    try {
      const { page } = await openSitePage(browser, proxyUrl, {
        ignoreHTTPSErrors: true,
        viewport: { width: 390, height: 844 },
      });
      await signInPage(page, proxyUrl, admin);
      const cookies = await page.context().cookies(proxyUrl);
      expect(cookies.map((c) => c.name)).toContain('__Host-hm_console');
      await page.goto(`${proxyUrl}${PATH}`);
      const code = `TLS-${Date.now() % 10_000}`;
      await page.fill('#ma-moi', code);
      await page.fill('#ten-don-vi', 'Đơn vị sau proxy');
      const [response] = await Promise.all([page.waitForNavigation(), page.click('[data-form="team-add"] button')]);
      expect(response?.status()).toBe(200);
      expect(await page.locator(`[data-team="${code}"]`).count()).toBe(1);
      await page.screenshot({ path: `${SHOTS}/accounts-proxy-390.png`, fullPage: true });
      // The same post from another origin, through the proxy, with the session: refused, nothing done.
      const refused = await page.context().request.post(`${proxyUrl}${PATH}`, {
        form: { intent: 'team-add', code: 'KHAC-NGUON', name: 'Trang khác', key: 'k'.repeat(20) },
        headers: { Origin: 'https://ke-gian.example' },
      });
      expect(refused.status()).toBe(403);
      const replay = await page.context().request.post(`${proxyUrl}${PATH}`, {
        form: { intent: 'team-add', code, name: 'Đơn vị sau proxy', key: 'k'.repeat(20) },
        headers: { Origin: proxyUrl },
      });
      expect(replay.status()).toBe(200);
      const again = await page.context().request.post(`${proxyUrl}${PATH}`, {
        form: { intent: 'team-add', code, name: 'Đơn vị sau proxy', key: 'k'.repeat(20) },
        headers: { Origin: proxyUrl },
      });
      expect(again.status()).toBe(409);
      await page.goto(`${proxyUrl}${PATH}`);
      expect(await page.locator('[data-team="KHAC-NGUON"]').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
