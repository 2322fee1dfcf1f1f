/**
 * The Zalo refresh token under a kill -9: `reminders send` is killed after Zalo rotated the
 * refresh token and before the answer was stored (the stand-in takes the refresh and never
 * finishes its answer). The access token refreshed earlier, in the second half of its life, is
 * still good: the next run sends by Zalo with it and says the token needs a new authorisation
 * (without any access token left, the message goes by SMS: phone-channels.test.ts, the
 * refused template). The next run's start asks Zalo once more with the stored refresh token
 * (refused: Zalo took it) and raises the alarm; the IT officer authorises the app again with
 * `reminders zalo-auth` (no restart, no new setting: the browser's way is
 * tests/e2e/zalo-reauth.test.ts) and the next message goes with the new token. Nothing is
 * lost or sent twice.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { SignupStore } from '../../src/signup/store.ts';
import type { ScheduledDrive } from '../../src/signup/slot-check.ts';
import { startSmppPeer, startZnsPeer } from '../../scripts/phone-peers.mjs';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const SLOT = { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T07:30:00+07:00', places: 10 };
const DRIVE: ScheduledDrive = {
  slug: 'u-minh',
  status: 'scheduled',
  slots: [SLOT],
  name: 'Hội trường xã U Minh',
  start: SLOT.id,
  end: '2026-12-12T11:00:00+07:00',
  address: 'Ấp 3, xã U Minh',
  url: 'https://hienmau.camau.gov.vn/diem-hien-mau/u-minh/',
  hotline: '0290 3831 234',
};

let folder: string;
const closing: { close(): Promise<unknown> }[] = [];
beforeEach(() => {
  folder = temporaryFolder('zalo-kill-');
});
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
  removeFolder(folder);
});

function cli(args: string[], env: Record<string, string>, onStart?: (pid: number) => void) {
  return new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
    if (child.pid) onStart?.(child.pid);
  });
}

test(
  'a kill -9 between the refresh and its storing leaves a usable token; nothing lost or twice',
  { timeout: 60_000 },
  async () => {
    mkdirSync(join(folder, 'dist', 'client', 'api', 'diem-hien-mau'), { recursive: true });
    writeFileSync(join(folder, 'dist', 'client', 'api', 'diem-hien-mau', 'lich.json'), JSON.stringify([DRIVE]));
    const db = join(folder, 'signups.sqlite');
    const signups = new SignupStore(db);
    for (const n of [1, 2, 3]) {
      signups.takePlace({
        code: `CODE${String(n).padStart(6, '0')}`,
        drive: 'u-minh',
        slot: SLOT.id,
        slotEnd: SLOT.end,
        capacity: SLOT.places,
        person: person(n),
        now: new Date(`2026-11-2${n}T10:00:00+07:00`),
        reminders: { texts: true },
      });
    }
    signups.close();
    // An access token of an hour: every run refreshes it, and the one before stays good meanwhile.
    const zns = await startZnsPeer({
      appId: '4242',
      appSecret: 'bi-mat-ung-dung',
      refreshToken: 'rt-dau-tien',
      templates: { '1001': ['ten', 'ma'] },
      accessSeconds: 3_600,
    });
    const smsc = await startSmppPeer({ systemId: 'hoictd', password: 'mk123456', sender: 'HOICTDCAMAU' });
    closing.push(zns, smsc);
    const env = {
      SIGNUP_DB: db,
      SITE_DIST: join(folder, 'dist'),
      ZALO_APP_ID: '4242',
      ZALO_APP_SECRET: 'bi-mat-ung-dung',
      ZALO_REFRESH_TOKEN: 'rt-dau-tien',
      ZALO_TEMPLATE_CONFIRM: '1001 name=ten code=ma',
      ZALO_API_URL: zns.apiUrl,
      ZALO_OAUTH_URL: zns.oauthUrl,
      ZALO_PERMISSION_URL: zns.permissionUrl,
      SITE_URL: 'https://hienmau.example.vn',
      SMPP_URL: smsc.url,
      SMS_SENDER: 'HOICTDCAMAU',
    };
    const send = (at: string, onStart?: (pid: number) => void) => cli(['reminders', 'send', '--at', at], env, onStart);

    // Sign-up 1's confirmation: refreshed once, stored, sent by Zalo.
    expect((await send('2026-11-21T10:00:30+07:00')).code).toBe(0);
    expect(zns.received.map((z) => z.data['ma'])).toEqual(['CODE-0000-01']);

    // Sign-up 2's: the refresh is taken and rotated, its answer never comes; the sender is killed there.
    zns.state.stallRefresh = true;
    let pid = 0;
    const killed = send('2026-11-22T10:00:30+07:00', (p) => (pid = p));
    await expect.poll(() => zns.state.refreshes, { timeout: 20_000 }).toBe(2);
    process.kill(pid, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    zns.state.stallRefresh = false;

    // Run again: its start finds the lost refresh and asks once more; the stored refresh token is
    // refused (Zalo took it), and the access token of the first run still works.
    const firstAccess = zns.usedTokens[0];
    const refreshesBefore = zns.state.refreshes;
    const again = await send('2026-11-22T10:00:40+07:00');
    expect(again.code).toBe(0);
    expect(zns.state.refreshes).toBe(refreshesBefore);
    expect(zns.received.map((z) => z.data['ma'])).toEqual(['CODE-0000-01', 'CODE-0000-02']);
    expect(zns.usedTokens[1]).toBe(firstAccess);
    const status = await cli(['reminders', 'status'], env);
    expect(status.stdout).toMatch(/Zalo: Zalo từ chối refresh token.*Cấp quyền lại cho Zalo.*reminders zalo-auth/);

    // The IT officer authorises the app again from the command line: no restart, no new setting.
    const begun = await cli(['reminders', 'zalo-auth'], env);
    const url = /^https?:\/\/\S+$/m.exec(begun.stdout)?.[0] ?? '';
    const shown = await (await fetch(url)).text();
    const form = new URLSearchParams();
    for (const [, name, value] of shown.matchAll(/name="(\w+)" value="([^"]*)"/g)) form.set(name ?? '', value ?? '');
    const allowed = await fetch(new URL('/v4/oa/permission/allow', url), {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const code = new URL(allowed.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const done = await cli(['reminders', 'zalo-auth', '--code', code], env);
    expect(done.stdout).toMatch(/Đã lưu quyền Zalo mới/);
    expect((await cli(['reminders', 'status'], env)).stdout).not.toMatch(/Zalo:/);

    // Sign-up 3's goes by Zalo with the new tokens (this test's hour-long access token is refreshed
    // at once, with the authorisation's refresh token, which Zalo takes); each confirmation went
    // once, on one channel.
    expect((await send('2026-11-23T10:00:30+07:00')).code).toBe(0);
    expect(zns.usedTokens[2]).toBe([...zns.state.accessTokens].at(-1));
    expect(zns.usedTokens[2]).not.toBe(firstAccess);
    expect((await cli(['reminders', 'status'], env)).stdout).not.toMatch(/Zalo:/);
    const byZalo = zns.received.map((z) => z.data['ma']);
    const bySms = smsc.received.map((s) => /Ma: (\S+)\./.exec(s.text)?.[1]);
    expect(bySms).toEqual([]);
    expect(byZalo).toEqual(['CODE-0000-01', 'CODE-0000-02', 'CODE-0000-03']);
  },
);
