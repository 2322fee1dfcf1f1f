/**
 * Authorising the Zalo app again (src/reminders/zalo-auth.ts) against the loopback stand-in of
 * Zalo's OAuth v4 (scripts/phone-peers.mjs): the state and PKCE verifier kept once for 10
 * minutes, the code exchanged with the verifier, the new tokens kept by the next load (the
 * setting unchanged) and replaced by a new setting value; the start-up retry of a refresh
 * whose answer was lost; and `npm run signups -- reminders zalo-auth [--code]`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startZnsPeer } from '../../scripts/phone-peers.mjs';
import { readSettings, type ZaloSettings } from '../../src/settings.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { zaloChannel } from '../../src/reminders/channels/zalo.ts';
import { begin, finish } from '../../src/reminders/zalo-auth.ts';
import { AUTHORISATION_MS, ZaloTokenStore } from '../../src/reminders/zalo-token-store.ts';
import { zaloProblem } from '../../src/reminders/words.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const REDIRECT = 'https://hienmau.example.vn/to-chuc/nhac-hen/zalo/';
let folder: string;
let signups: SignupStore;
let zns: Awaited<ReturnType<typeof startZnsPeer>>;
let zalo: ZaloSettings;
let env: Record<string, string>;

beforeEach(async () => {
  folder = temporaryFolder('zalo-reauth-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  zns = await startZnsPeer({
    appId: '4242',
    appSecret: 'bi-mat-ung-dung',
    refreshToken: 'rt-dau-tien',
    templates: { '1001': ['ten', 'ma'] },
    redirectUri: REDIRECT,
  });
  env = {
    SIGNUP_DB: join(folder, 'signups.sqlite'),
    ZALO_APP_ID: '4242',
    ZALO_APP_SECRET: 'bi-mat-ung-dung',
    ZALO_REFRESH_TOKEN: 'rt-dau-tien',
    ZALO_TEMPLATE_CONFIRM: '1001 name=ten code=ma',
    ZALO_API_URL: zns.apiUrl,
    ZALO_OAUTH_URL: zns.oauthUrl,
    ZALO_PERMISSION_URL: zns.permissionUrl,
    SITE_URL: 'https://hienmau.example.vn',
  };
  const settings = readSettings(env).reminders.zalo;
  if (!settings) throw new Error('no Zalo settings');
  zalo = settings;
});
afterEach(async () => {
  signups.close();
  await zns.close();
  removeFolder(folder);
});

/** What the admin's browser does at Zalo: opens the permission page, taps "Cho phép", follows the redirect. */
async function allowAtZalo(url: string): Promise<URL> {
  const shown = await fetch(url);
  expect(shown.status).toBe(200);
  const form = new URLSearchParams();
  for (const [, name, value] of (await shown.text()).matchAll(/name="(\w+)" value="([^"]*)"/g))
    form.set(
      name ?? '',
      (value ?? '').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
    );
  const allowed = await fetch(new URL('/v4/oa/permission/allow', url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(allowed.status).toBe(302);
  return new URL(allowed.headers.get('location') ?? '');
}

describe('the stored authorisation', () => {
  test('a state is taken once, within 10 minutes, and only as begun', () => {
    const store = new ZaloTokenStore(signups.db);
    const now = new Date('2026-12-01T08:00:00Z');
    const begun = store.beginAuthorisation('admin1', now);
    expect(begun.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(begun.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const forged = `${begun.state.slice(0, -1)}${begun.state.endsWith('A') ? 'B' : 'A'}`;
    expect(store.takeAuthorisation(forged, 'admin1', now)).toBeUndefined();
    const late = store.beginAuthorisation('admin1', now);
    expect(store.takeAuthorisation(late.state, 'admin1', new Date(now.getTime() + AUTHORISATION_MS))).toBeUndefined();
    const taken = store.takeAuthorisation(begun.state, 'admin1', now);
    expect(taken?.actor).toBe('admin1');
    expect(store.takeAuthorisation(begun.state, 'admin1', now)).toBeUndefined();
    // Only the verifier's hash went to Zalo; the verifier itself stayed here.
    expect(taken?.verifier).not.toBe(begun.challenge);
  });

  test('a refresh still on its way when an admin authorises again neither replaces nor breaks the new tokens', () => {
    const store = new ZaloTokenStore(signups.db);
    const now = new Date('2026-12-01T08:00:00Z');
    store.load('rt-dau-tien', now);
    store.beginRefresh(now);
    const expiresAt = new Date(now.getTime() + 90_000_000);
    store.storeAuthorised(
      { refreshToken: 'rt-moi', accessToken: 'at-moi', expiresAt },
      'rt-dau-tien',
      'admin1',
      'console',
      now,
    );
    // The refresh asked with the old token answers after the authorisation: refused…
    store.markBroken('Zalo từ chối refresh token (-14014 Invalid refresh token)', 'rt-dau-tien', now);
    expect(store.load('rt-dau-tien', now)).toMatchObject({
      refreshToken: 'rt-moi',
      accessToken: 'at-moi',
      broken: null,
    });
    // …or accepted: the authorisation is newer and stays.
    const stored = store.storeRefreshed(
      { refreshToken: 'rt-cu-doi', accessToken: 'at-cu-doi', expiresAt },
      'rt-dau-tien',
      now,
    );
    expect(stored).toBe(false);
    expect(store.load('rt-dau-tien', now)).toMatchObject({
      refreshToken: 'rt-moi',
      accessToken: 'at-moi',
      broken: null,
    });
    // The refresh of the stored token is kept as before.
    expect(
      store.storeRefreshed({ refreshToken: 'rt-ke-tiep', accessToken: 'at-ke-tiep', expiresAt }, 'rt-moi', now),
    ).toBe(true);
    expect(store.load('rt-dau-tien', now)).toMatchObject({ refreshToken: 'rt-ke-tiep', accessToken: 'at-ke-tiep' });
  });

  test('tokens from an authorisation outlive the next load; a new setting value still replaces them', () => {
    const store = new ZaloTokenStore(signups.db);
    const now = new Date('2026-12-01T08:00:00Z');
    store.load('rt-dau-tien', now);
    store.beginRefresh(now);
    store.markBroken('Zalo từ chối refresh token (-14014 Invalid refresh token)', 'rt-dau-tien', now);
    const expiresAt = new Date(now.getTime() + 90_000_000);
    store.storeAuthorised(
      { refreshToken: 'rt-moi', accessToken: 'at-moi', expiresAt },
      'rt-dau-tien',
      'admin1',
      'console',
      now,
    );
    const loaded = store.load('rt-dau-tien', now);
    expect(loaded).toMatchObject({
      refreshToken: 'rt-moi',
      accessToken: 'at-moi',
      broken: null,
      refreshingSince: null,
    });
    expect(zaloProblem(store.status())).toBeUndefined();
    expect(store.lastAuthorised()).toEqual({ at: now.toISOString(), actor: 'admin1' });
    expect(store.load('rt-tu-cai-dat', now)).toMatchObject({ refreshToken: 'rt-tu-cai-dat', accessToken: null });
  });
});

describe('exchanging Zalo’s code', () => {
  test('the permission page, the code and the verifier give new tokens, stored with their audit entry', async () => {
    const begun = begin(signups.db, zalo, REDIRECT, 'admin1', new Date());
    const url = new URL(begun.url);
    expect(url.origin + url.pathname).toBe(zns.permissionUrl);
    expect([...url.searchParams.keys()].sort()).toEqual(['app_id', 'code_challenge', 'redirect_uri', 'state']);
    const back = await allowAtZalo(begun.url);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('oa_id')).toBe('1234567890');
    const answer = { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
    const finished = await finish(signups.db, zalo, answer, 'admin1', 'console');
    expect(finished.ok).toBe(true);
    expect(zns.state.authorisations).toBe(1);
    const stored = new ZaloTokenStore(signups.db).load(zalo.refreshToken, new Date());
    expect(stored.refreshToken).toBe(zns.state.refreshToken);
    expect(zns.state.accessTokens.has(stored.accessToken ?? '')).toBe(true);
    // Replayed, the same answer finds its state taken and asks Zalo nothing.
    expect(await finish(signups.db, zalo, answer, 'admin1', 'console')).toEqual({ ok: false, why: 'state' });
    expect(zns.state.authorisations).toBe(1);
    const audit = signups.db.prepare(`SELECT actor, action, after FROM audit_log WHERE code = 'zalo'`).all() as {
      actor: string;
      action: string;
      after: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin1', action: 'zalo-authorised' });
    expect(audit[0]?.after).not.toContain(stored.refreshToken);
  });

  test('a wrong code, a verifier Zalo did not see, a forged state: refused, nothing stored', async () => {
    const store = new ZaloTokenStore(signups.db);
    store.load(zalo.refreshToken, new Date());
    const first = begin(signups.db, zalo, REDIRECT, 'admin1', new Date());
    const back = await allowAtZalo(first.url);
    const state = back.searchParams.get('state') ?? '';
    expect(await finish(signups.db, zalo, { code: 'code-sai', state }, 'admin1', 'console')).toMatchObject({
      ok: false,
      why: 'refused',
      detail: '-14019 Invalid authorization code',
    });
    // The state was spent by the wrong code: the right one now needs a new start.
    const right = { code: back.searchParams.get('code') ?? '', state };
    expect(await finish(signups.db, zalo, right, 'admin1', 'console')).toEqual({ ok: false, why: 'state' });
    // A code given for another challenge (someone else's authorisation) fails the PKCE check.
    const second = begin(signups.db, zalo, REDIRECT, 'admin1', new Date());
    const other = await allowAtZalo(second.url.replace(/code_challenge=[^&]+/, `code_challenge=${'A'.repeat(43)}`));
    const forged = { code: other.searchParams.get('code') ?? '', state: other.searchParams.get('state') ?? '' };
    expect(await finish(signups.db, zalo, forged, 'admin1', 'console')).toMatchObject({ ok: false, why: 'refused' });
    for (const bad of [
      { code: '', state },
      { code: 'x'.repeat(5_000), state },
      { code: 'a b', state },
      { code: 'ok', state: 'ngắn' },
      { code: 'ok', state: `${state}x` },
    ])
      expect((await finish(signups.db, zalo, bad, 'admin1', 'console')).ok).toBe(false);
    expect(store.load(zalo.refreshToken, new Date()).refreshToken).toBe('rt-dau-tien');
    expect(zns.state.authorisations).toBe(0);
  });
});

describe('a refresh whose answer was lost, found at start-up', () => {
  function lostRefresh(): ZaloTokenStore {
    const store = new ZaloTokenStore(signups.db);
    store.load(zalo.refreshToken, new Date());
    store.beginRefresh(new Date(Date.now() - 60_000));
    return store;
  }

  test('Zalo never got it: the stored refresh token still works and the alarm clears', async () => {
    const store = lostRefresh();
    await zaloChannel(zalo, () => store).recover?.();
    expect(zns.state.refreshes).toBe(1);
    expect(store.status()).toMatchObject({ broken: null, refreshingSince: null });
    expect(store.load(zalo.refreshToken, new Date()).refreshToken).toBe(zns.state.refreshToken);
  });

  test('Zalo took it: refused at once, the channel is marked for a new authorisation', async () => {
    const store = lostRefresh();
    zns.state.refreshToken = 'rt-zalo-da-doi';
    await zaloChannel(zalo, () => store).recover?.();
    expect(store.status()?.broken).toMatch(/Zalo từ chối refresh token \(-14014/);
    expect(zaloProblem(store.status())).toMatch(/Cấp quyền lại cho Zalo.*reminders zalo-auth/);
  });

  test('a refresh begun moments ago may still be running elsewhere: left alone', async () => {
    const store = new ZaloTokenStore(signups.db);
    store.load(zalo.refreshToken, new Date());
    store.beginRefresh(new Date());
    await zaloChannel(zalo, () => store).recover?.();
    expect(zns.state.refreshes).toBe(0);
  });
});

function cli(args: string[], extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('npm run signups -- reminders zalo-auth: the address to open, then --code; a spent code is refused', async () => {
  const started = await cli(['reminders', 'zalo-auth']);
  expect(started.code).toBe(0);
  const url = /^https?:\/\/\S+$/m.exec(started.out)?.[0] ?? '';
  expect(url.startsWith(zns.permissionUrl)).toBe(true);
  expect(started.out).toMatch(/Mở địa chỉ này trong trình duyệt/);
  const back = await allowAtZalo(url);
  const code = back.searchParams.get('code') ?? '';
  const done = await cli(['reminders', 'zalo-auth', '--code', code]);
  expect(done.out).toMatch(/Đã lưu quyền Zalo mới/);
  expect(done.code).toBe(0);
  expect(new ZaloTokenStore(signups.db).load(zalo.refreshToken, new Date()).refreshToken).toBe(zns.state.refreshToken);
  const again = await cli(['reminders', 'zalo-auth', '--code', code]);
  expect(again.code).toBe(3);
  expect(again.out).toMatch(/không còn dùng được/);
  const noSite = await cli(['reminders', 'zalo-auth'], { SITE_URL: '' });
  expect(noSite.out).toMatch(/đặt SITE_URL \(hoặc ZALO_REDIRECT_URI\)/);
  expect(noSite.code).not.toBe(0);
  const help = await cli(['reminders', '--help']);
  expect(help.out).toMatch(/zalo-auth: cấp quyền lại cho ứng dụng Zalo/);
}, 60_000);
