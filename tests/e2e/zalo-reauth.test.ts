/**
 * Issue 25's last part: a Zalo token that never leaves the channel dead. A `reminders send`
 * is killed (-9) after Zalo rotated the refresh token and before the answer was stored; the
 * next run asks Zalo again at its start (refused: the alarm) and keeps sending on the old
 * access token; an admin sees the alarm on the console's first page, taps «Cấp quyền lại cho
 * Zalo» in Chromium, follows the link to the loopback stand-in of Zalo's permission page (served
 * as `localhost`, another site than the server's 127.0.0.1), allows the app, and finishes on
 * the page it is sent back to; the next message goes with the new token. That page's GET is
 * shown with or without the console's SameSite=Strict cookie (the table: without).
 * Then the page Zalo sends back to under hostile requests (a table and a bounded fuzz), the
 * roles, the rate limits, and the whole round behind Caddy (deploy/Caddyfile).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startZnsPeer } from '../../scripts/phone-peers.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { person } from '../unit/helpers.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { sendThrough, signInThrough, startCaddy } from './caddy-proxy.ts';
import { addAccount, newUsername, signIn, signInPage, TEST_PASSWORD } from './console-accounts.ts';
import { readDrives } from './drive-data.ts';
import { postForm } from './forms.ts';
import { runCli, startReminderSite } from './reminder-site.ts';

const SHOTS = process.env['ZALO_SHOTS'] ?? join(tmpdir(), 'shots-zalo');
mkdirSync(SHOTS, { recursive: true });
const CALLBACK = '/to-chuc/nhac-hen/zalo/';

const drives = await readDrives();
const hospital = drives.find((d) => d.slug === 'xuan-hong-benh-vien-da-khoa-ca-mau');
if (!hospital) throw new Error('the test site has no hospital drive');
const [slot] = driveSlots(hospital);
if (!slot) throw new Error('the hospital drive has no slots');

const peerOptions: Parameters<typeof startZnsPeer>[0] = {
  appId: '4242',
  appSecret: 'bi-mat-ung-dung',
  refreshToken: 'rt-dau-tien',
  templates: { '1001': ['ten', 'ma'] },
  // An access token of an hour: every run refreshes it, and the one before stays good meanwhile.
  accessSeconds: 3_600,
};
const zns = await startZnsPeer(peerOptions);
const rs = await startReminderSite({
  env: {
    TRUST_PROXY: '1',
    ZALO_APP_ID: '4242',
    ZALO_APP_SECRET: 'bi-mat-ung-dung',
    ZALO_REFRESH_TOKEN: 'rt-dau-tien',
    ZALO_TEMPLATE_CONFIRM: '1001 name=ten code=ma',
    ZALO_API_URL: zns.apiUrl,
    ZALO_OAUTH_URL: zns.oauthUrl,
    ZALO_PERMISSION_URL: zns.permissionUrl,
  },
});
afterAll(async () => {
  await rs.stop();
  await zns.close();
});
// Zalo sends back only to the address registered in the app, as the stand-in checks.
peerOptions.redirectUri = `${rs.url}${CALLBACK}`;
const openPage = useSiteBrowser(rs.url);

const admin = newUsername('qt');
await addAccount(rs.db, admin, 'admin');

/** Three sign-ups with texts on, a day apart, long before the slot: each one's confirmation goes by Zalo. */
const start = slot.start.getTime() - 5 * 86_400_000;
const signedUpAt = [1, 2, 3].map((n) => new Date(start + n * 86_400_000));
{
  const signups = new SignupStore(rs.db);
  for (const [i, now] of signedUpAt.entries()) {
    signups.takePlace({
      code: `ZALO${String(i + 1).padStart(6, '0')}`,
      drive: hospital.slug,
      slot: slot.id,
      slotEnd: toIsoWithOffset(slot.end),
      capacity: 1_000,
      person: person(40 + i),
      now,
      reminders: { texts: true },
    });
  }
  signups.close();
}
const sendAt = (i: number, seconds: number) =>
  rs.cli(['reminders', 'send', '--at', new Date((signedUpAt[i]?.getTime() ?? 0) + seconds * 1_000).toISOString()]);

test(
  'a kill -9 mid-refresh: Zalo keeps sending on the old token, the admin authorises again in Chromium, the next message has the new token',
  { timeout: 150_000 },
  async () => {
    expect((await sendAt(0, 30)).code).toBe(0);
    expect(zns.received.map((z) => z.data['ma'])).toEqual(['ZALO-0000-01']);

    // The refresh is taken and rotated at Zalo, its answer never comes; the sender is killed there.
    zns.state.stallRefresh = true;
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const killed = runCli(
      ['reminders', 'send', '--at', new Date((signedUpAt[1]?.getTime() ?? 0) + 30_000).toISOString()],
      rs.env,
      (c) => (child = c),
    );
    await expect.poll(() => zns.state.refreshes, { timeout: 20_000 }).toBe(2);
    child?.kill('SIGKILL');
    await killed;
    zns.state.stallRefresh = false;

    // The next run asks Zalo once more at its start (refused: Zalo took the token), raises the
    // alarm, and sends on the old access token.
    const again = await sendAt(1, 40);
    expect(again.code).toBe(0);
    expect(zns.received.map((z) => z.data['ma'])).toEqual(['ZALO-0000-01', 'ZALO-0000-02']);
    expect(zns.usedTokens[1]).toBe(zns.usedTokens[0]);

    const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
    // Zalo's stand-in is the one other site this browser may reach (the last route set goes first).
    await context.route(`${new URL(zns.permissionUrl).origin}/**`, (route) => route.continue());
    try {
      await signInPage(page, rs.url, admin);
      const alarm = page.locator('[data-zalo-alarm]');
      expect(await alarm.textContent()).toMatch(/Zalo cần được cấp quyền lại.*Zalo từ chối refresh token/s);
      await page.screenshot({ path: join(SHOTS, 'first-page-alarm-390.png'), fullPage: true });
      await Promise.all([page.waitForURL(/\/to-chuc\/nhac-hen\//), alarm.locator('a').click()]);
      expect(await page.getAttribute('[data-zalo-state]', 'data-zalo-state')).toBe('alarm');
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('#quyen-zalo').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'outbox-zalo-390.png'), fullPage: true });

      // To Zalo's permission page (another site) and back.
      await Promise.all([page.waitForLoadState('load'), page.click('[data-zalo-reauth]')]);
      await page.waitForSelector('[data-zalo-continue]');
      await page.screenshot({ path: join(SHOTS, 'continue-390.png'), fullPage: true });
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(zns.permissionUrl)),
        page.click('[data-zalo-continue]'),
      ]);
      const asked = new URL(page.url());
      expect(asked.searchParams.get('redirect_uri')).toBe(`${rs.url}${CALLBACK}`);
      await Promise.all([
        page.waitForURL((url) => url.pathname === CALLBACK),
        page.click('button:has-text("Cho phép")'),
      ]);
      expect(new URL(page.url()).searchParams.get('oa_id')).toBe('1234567890');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'callback-390.png'), fullPage: true });
      await Promise.all([page.waitForLoadState('load'), page.click('[data-zalo-finish]')]);
      await page.waitForSelector('[data-zalo-answer]', { timeout: 5_000 }).catch(async () => {
        throw new Error(`${page.url()}\n${(await page.content()).slice(0, 3_000)}`);
      });
      expect(await page.getAttribute('[data-zalo-answer]', 'data-zalo-answer')).toBe('ok');
      expect(await page.textContent('[data-zalo-answer]')).toMatch(/Đã lưu quyền Zalo mới/);
      await page.screenshot({ path: join(SHOTS, 'done-390.png'), fullPage: true });
      expect(zns.state.authorisations).toBe(1);

      // The alarm is gone from both pages, and the outbox says who authorised when.
      await page.goto(`${rs.url}/to-chuc/`);
      expect(await page.locator('[data-zalo-alarm]').count()).toBe(0);
      await page.goto(`${rs.url}/to-chuc/nhac-hen/`);
      expect(await page.getAttribute('[data-zalo-state]', 'data-zalo-state')).toBe('ok');
      expect(await page.textContent('[data-zalo-auth]')).toContain(`bởi ${admin}`);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: join(SHOTS, 'outbox-zalo-1280.png'), fullPage: true });
    } finally {
      await context.close();
    }

    // The next message goes with the new tokens (the authorisation's hour-long access token is
    // refreshed at once with its refresh token, which Zalo takes): none by another channel.
    expect((await sendAt(2, 30)).code).toBe(0);
    expect(zns.received.map((z) => z.data['ma'])).toEqual(['ZALO-0000-01', 'ZALO-0000-02', 'ZALO-0000-03']);
    expect(zns.usedTokens[2]).toBe([...zns.state.accessTokens].at(-1));
    expect(zns.usedTokens[2]).not.toBe(zns.usedTokens[0]);
    expect((await rs.cli(['reminders', 'status'])).stdout).not.toMatch(/Zalo:/);
  },
);

/** Zalo's side for a test that starts an authorisation itself: the permission page's "Cho phép", by fetch. */
async function allowAtZalo(url: string): Promise<URL> {
  const shown = await (await fetch(url)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of shown.matchAll(/name="(\w+)" value="([^"]*)"/g)) form.set(name ?? '', value ?? '');
  const allowed = await fetch(new URL('/v4/oa/permission/allow', url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  return new URL(allowed.headers.get('location') ?? '');
}

/** The link to Zalo's permission page on the answer to the button's post. */
const continueLink = (html: string) =>
  (/<a href="([^"]+)"[^>]*data-zalo-continue/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');

/** An admin's start (the button's post): where Zalo sends back, with code and state. */
async function authorised(cookie: string): Promise<{ code: string; state: string }> {
  const started = await postForm(
    rs.url,
    '/to-chuc/nhac-hen/',
    { intent: 'zalo-auth' },
    { headers: { Cookie: cookie } },
  );
  expect(started.status).toBe(200);
  const back = await allowAtZalo(continueLink(await started.text()));
  return { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
}

async function roleCookie(role: 'staff' | 'editor' | 'unit'): Promise<string> {
  const username = newUsername(role.slice(0, 2));
  const lines: string[] = [];
  const run = (args: string[]) =>
    runCommand(
      [...args, '--db', rs.db],
      (line) => lines.push(line),
      new Date(),
      () => Promise.resolve(TEST_PASSWORD),
    );
  const team = `DV${Date.now() % 100_000}`;
  if (role === 'unit') await run(['team', 'add', team, 'Đơn vị thử']);
  const extra = role === 'unit' ? ['--team', team] : role === 'staff' ? ['--drive', hospital?.slug ?? ''] : [];
  await run(['user', 'add', username, '--role', role, ...extra]);
  return signIn(rs.url, username);
}

describe('the page Zalo sends back to, under hostile requests', () => {
  test('a table: missing, replayed, forged, wrong, huge, markup, another origin, no session', async () => {
    // An admin of its own: the posts here would spend the first one's ten tries.
    const tester = newUsername('qt');
    await addAccount(rs.db, tester, 'admin');
    const cookie = await signIn(rs.url, tester);
    const get = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${rs.url}${CALLBACK}${query}`, {
        headers: { 'X-Forwarded-For': '10.9.0.1', ...headers },
        redirect: 'manual',
      });
    const post = (fields: Record<string, string>, options: { cookie?: string; origin?: string } = {}) =>
      postForm(rs.url, CALLBACK, fields, {
        ...(options.origin ? { origin: options.origin } : {}),
        headers: options.cookie === '' ? {} : { Cookie: options.cookie ?? cookie },
      });
    const state = 'A'.repeat(43);

    const gets: [string, string, number, RegExp][] = [
      ['nothing', '', 400, /Zalo chưa cấp quyền/],
      ['Zalo refused', '?error=access_denied&state=' + state, 400, /Zalo chưa cấp quyền/],
      ['a code of 10,000 characters', `?code=${'x'.repeat(10_000)}&state=${state}`, 400, /mã cấp quyền/],
      [
        'a code of markup',
        `?code=${encodeURIComponent('<script>alert(1)</script>')}&state=${state}`,
        400,
        /mã cấp quyền/,
      ],
      ['a state of markup', `?code=abc&state=${encodeURIComponent('"><img src=x>')}`, 400, /không còn dùng được/],
      ['no state', '?code=abc', 400, /không còn dùng được/],
      ['a forged state, well formed', `?code=abc&state=${state}`, 200, /Hoàn tất cấp quyền/],
    ];
    for (const [what, query, status, words] of gets) {
      const answer = await get(query);
      const html = await answer.text();
      expect(answer.status, what).toBe(status);
      expect(html, what).toMatch(words);
      expect(html, what).not.toContain('<script>alert');
      expect(html, what).not.toContain('<img src=x>');
    }
    // Without a session the GET still shows the button (the cookie stays behind coming from Zalo).
    expect((await fetch(`${rs.url}${CALLBACK}?code=abc&state=${state}`, { redirect: 'manual' })).status).toBe(200);

    const good = await authorised(cookie);
    const posts: [string, Record<string, string>, { cookie?: string; origin?: string }, number, RegExp | undefined][] =
      [
        ['no session', good, { cookie: '' }, 401, undefined],
        ['another origin', good, { origin: 'https://ke-gian.example' }, 403, undefined],
        ['a forged state', { code: good.code, state }, {}, 400, /không còn dùng được/],
        ['no code', { state: good.state }, {}, 400, /mã cấp quyền/],
        ['a long code', { code: 'x'.repeat(3_000), state: good.state }, {}, 400, /mã cấp quyền/],
        ['a body past the console form limit', { code: 'x'.repeat(100_000), state: good.state }, {}, 413, undefined],
      ];
    for (const [what, fields, options, status, words] of posts) {
      const answer = await post(fields, options);
      expect(answer.status, what).toBe(status);
      if (words) expect(await answer.text(), what).toMatch(words);
    }
    // The right answer stores the tokens once; replayed, it finds its state taken.
    const first = await post(good);
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/Đã lưu quyền Zalo mới/);
    const replay = await post(good);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/không còn dùng được/);
    // A wrong code spends its state: Zalo refuses it, nothing stored.
    const other = await authorised(cookie);
    const before = zns.state.authorisations;
    const wrong = await post({ code: 'code-sai', state: other.state });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/Zalo không đổi mã cấp quyền/);
    expect((await post(other)).status).toBe(400);
    expect(zns.state.authorisations).toBe(before);
  }, 60_000);

  test('staff, editors and units get 403 at the start, the page and its post', async () => {
    for (const role of ['staff', 'editor', 'unit'] as const) {
      const cookie = await roleCookie(role);
      const start = await postForm(
        rs.url,
        '/to-chuc/nhac-hen/',
        { intent: 'zalo-auth' },
        { headers: { Cookie: cookie } },
      );
      expect(start.status, role).toBe(403);
      const view = await fetch(`${rs.url}${CALLBACK}?code=abc&state=${'A'.repeat(43)}`, {
        headers: { Cookie: cookie },
      });
      expect(view.status, role).toBe(403);
      const done = await postForm(
        rs.url,
        CALLBACK,
        { code: 'abc', state: 'A'.repeat(43) },
        { headers: { Cookie: cookie } },
      );
      expect(done.status, role).toBe(403);
    }
  }, 60_000);

  test('a bounded fuzz of the page and its post: never a 500, never markup echoed', async () => {
    const fuzzer = newUsername('qt');
    await addAccount(rs.db, fuzzer, 'admin');
    const cookie = await signIn(rs.url, fuzzer);
    const value = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('<b>x</b>', '"><svg onload=1>', '\u0000', 'A'.repeat(43), 'x'.repeat(3_000), '%', '&&&'),
    );
    const field = fc.constantFrom('code', 'state', 'oa_id', 'error', 'intent', 'code_verifier');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.dictionary(field, value, { maxKeys: 5 }), async (asPost, fields) => {
        const answer = asPost
          ? await postForm(rs.url, CALLBACK, fields, { headers: { Cookie: cookie } })
          : await fetch(`${rs.url}${CALLBACK}?${new URLSearchParams(fields).toString()}`, {
              headers: { Cookie: cookie, 'X-Forwarded-For': `10.8.${fields['code']?.length ?? 0}.1` },
            });
        const html = await answer.text();
        expect(answer.status).toBeLessThan(500);
        for (const v of Object.values(fields)) if (/[<>"]/.test(v) && v.length > 3) expect(html).not.toContain(v);
      }),
      { numRuns: 40, seed: 25 },
    );
  }, 90_000);

  test('rate limits: ten starts and finishes per admin in ten minutes, thirty views per address', async () => {
    const busy = newUsername('qt');
    await addAccount(rs.db, busy, 'admin');
    const cookie = await signIn(rs.url, busy);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      statuses.push(
        (await postForm(rs.url, '/to-chuc/nhac-hen/', { intent: 'zalo-auth' }, { headers: { Cookie: cookie } })).status,
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    const views: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      views.push((await fetch(`${rs.url}${CALLBACK}`, { headers: { 'X-Forwarded-For': '10.7.7.7' } })).status);
    }
    expect(views.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(views[30]).toBe(429);
  }, 60_000);
});

test(
  'behind Caddy: Zalo is told the public https address, and the round trip stores the tokens',
  { timeout: 90_000 },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'zalo-caddy-'));
    const caddy = await startCaddy(rs.site.port, folder);
    try {
      const cookie = await signInThrough(caddy.origin, admin, TEST_PASSWORD);
      expect(cookie).toMatch(/^__Host-hm_console=/);
      const started = await sendThrough(caddy.origin, 'POST', '/to-chuc/nhac-hen/', 'intent=zalo-auth', {
        Cookie: cookie,
      });
      expect(started.status).toBe(200);
      const location = continueLink(started.body);
      expect(new URL(location).searchParams.get('redirect_uri')).toBe(`${caddy.origin}${CALLBACK}`);
      peerOptions.redirectUri = `${caddy.origin}${CALLBACK}`;
      const back = await allowAtZalo(location);
      expect(back.origin).toBe(caddy.origin);
      const view = await sendThrough(caddy.origin, 'GET', `${back.pathname}${back.search}`);
      expect(view.status).toBe(200);
      expect(view.body).toContain('data-zalo-finish');
      const before = zns.state.authorisations;
      const body = new URLSearchParams({
        code: back.searchParams.get('code') ?? '',
        state: back.searchParams.get('state') ?? '',
      }).toString();
      const done = await sendThrough(caddy.origin, 'POST', CALLBACK, body, { Cookie: cookie });
      expect(done.status).toBe(200);
      expect(done.body).toMatch(/Đã lưu quyền Zalo mới/);
      expect(zns.state.authorisations).toBe(before + 1);
    } finally {
      peerOptions.redirectUri = `${rs.url}${CALLBACK}`;
      caddy.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  },
);
