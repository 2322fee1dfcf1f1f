/**
 * The reminders' routes under hostile and unlucky requests: a table of
 * requests to every new route and a bounded fast-check fuzz (never a 500,
 * never markup echoed), the limits of /nhac-hen/ like the cancel page's,
 * the one-click stop behind the TLS proxy (TRUST_PROXY) with no Origin, and
 * a server with no channel, whose form offers no reminders and no waitlist.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { driveSlots } from '../../src/drives/drives.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { useSiteBrowser } from './browser.ts';
import { addAccount, newUsername, signIn } from './console-accounts.ts';
import { codeOf, postForm } from './forms.ts';
import { readDrives } from './drive-data.ts';
import { postSignup, startReminderSite } from './reminder-site.ts';

const drives = await readDrives();
const drive = drives.find((d) => d.slug === 'dam-doi');
if (!drive) throw new Error('the test site needs the drive dam-doi');
const [slot] = driveSlots(drive);
if (!slot) throw new Error('dam-doi has no slots');

// Behind a stand-in proxy: requests with forwarded headers come from loopback, as Caddy's do.
const rs = await startReminderSite({ env: { TRUST_PROXY: '1' } });
afterAll(() => rs.stop());
const proxied = (client: string) => ({
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Host': 'hienmau.example',
  'X-Forwarded-For': client,
});
const PUBLIC = 'https://hienmau.example';

/** A sign-up with reminders: its code, phone and stop token. */
const subscribed = async () => {
  const { html, person } = await postSignup(rs.url, drive.slug, slot.id, {
    reminders: 'yes',
    email: `an-toan-${Date.now()}@example.vn`,
  });
  const code = codeOf(html) ?? '';
  const store = new SignupStore(rs.db);
  try {
    const contact = new ReminderStore(store.db).contact(store.byCode(code)?.reminderContact ?? 0);
    return { code, phone: person.phone, token: contact?.stopToken ?? '' };
  } finally {
    store.close();
  }
};

describe('hostile requests to the reminders’ routes', () => {
  const HOSTILE: [string, string, Record<string, string>][] = [
    ['a lookup with nothing', '/nhac-hen/?_action=reminderLookup', {}],
    [
      'a code of 10,000 characters',
      '/nhac-hen/?_action=reminderLookup',
      { code: 'Z'.repeat(10_000), phone: '0912345678' },
    ],
    [
      'a code of markup',
      '/nhac-hen/?_action=reminderLookup',
      { code: '<img src=x onerror=alert(1)>', phone: '0912345678' },
    ],
    ['a NUL in the phone', '/nhac-hen/?_action=reminderLookup', { code: '7K3Q9XWD2P', phone: '0912\u0000345678' }],
    ['a stop for nobody', '/nhac-hen/?_action=stopReminders', { code: '7K3Q9XWD2P', phone: '0912345678' }],
    [
      'a stop of one channel for nobody',
      '/nhac-hen/?_action=stopReminders',
      { code: '7K3Q9XWD2P', phone: '0912345678', channel: 'zalo' },
    ],
    [
      'a stop of a channel of markup',
      '/nhac-hen/?_action=stopReminders',
      { code: '7K3Q9XWD2P', phone: '0912345678', channel: '<script>alert(1)</script>' },
    ],
    [
      'a stop of a channel with a NUL',
      '/nhac-hen/?_action=stopReminders',
      { code: '7K3Q9XWD2P', phone: '0912345678', channel: 'sms\u0000' },
    ],
    ['the outbox page posted to', '/to-chuc/nhac-hen/', { channel: 'email' }],
    ['an offer with no token', '/nhac-hen/nhan-cho/?_action=acceptOffer', {}],
    ['an offer token of 5,000 characters', '/nhac-hen/nhan-cho/?_action=acceptOffer', { offer: 'a'.repeat(5_000) }],
    ['an offer token of markup', '/nhac-hen/nhan-cho/?_action=acceptOffer', { offer: '<script>alert(1)</script>' }],
    ['a one-click stop with no token', '/nhac-hen/dung/', { 'List-Unsubscribe': 'One-Click' }],
    [
      'a one-click stop with a path for a token',
      '/nhac-hen/dung/?t=../../etc/passwd',
      { 'List-Unsubscribe': 'One-Click' },
    ],
    ['a one-click stop with markup', `/nhac-hen/dung/?t=${encodeURIComponent('<b>x</b>')}`, { tu: 'trang' }],
    [
      'a waitlist post with a push subscription of garbage',
      '/dang-ky/?_action=joinWaitlist',
      { drive: 'dam-doi', slot: slot.id, reminders: 'yes', reminderPush: 'yes', pushSubscription: '{'.repeat(3_000) },
    ],
    [
      'a push subscription pointing into the server’s own network',
      '/dang-ky/?_action=signup',
      {
        drive: 'dam-doi',
        slot: slot.id,
        reminders: 'yes',
        reminderPush: 'yes',
        pushSubscription: JSON.stringify({
          endpoint: 'https://169.254.169.254/latest/meta-data/',
          keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16).toString('base64url') },
        }),
      },
    ],
    ['an e-mail of markup', '/dang-ky/?_action=signup', { reminders: 'yes', email: '"><script>@x.vn' }],
    ['the waitlist posted to the reminders page', '/nhac-hen/?_action=joinWaitlist', { drive: 'dam-doi' }],
    ['an offer taken on the sign-up page', '/dang-ky/?_action=acceptOffer', { offer: 'x' }],
  ];

  test.each(HOSTILE)('%s gets a clear answer, never a 500', async (_name, path, fields) => {
    const response = await postForm(rs.url, path, fields);
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    const body = await response.text();
    expect(body).not.toContain('<img src=x');
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('"><script>');
  });

  test.each([
    'https://169.254.169.254/latest/meta-data/',
    // Read as *.push.apple.com by the URL standard, as 127.0.0.2 by web-push's url.parse.
    'https://127.0.0.2;.push.apple.com/x',
    'https://10.0.0.1{.push.apple.com/x',
    "https://169.254.169.254'.notify.windows.com/x",
  ])('a push subscription pointing inside (%s) is refused with its reason', async (endpoint) => {
    const { response, html } = await postSignup(rs.url, drive.slug, slot.id, {
      reminders: 'yes',
      reminderPush: 'yes',
      pushSubscription: JSON.stringify({
        endpoint,
        keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16).toString('base64url') },
      }),
    });
    expect(response.status).toBe(400);
    expect(html).toContain('Không gửi được thông báo đến trình duyệt này');
  });

  test.each([
    ['a token that is not UTF-8', '/nhac-hen/dung/?t=%ff'],
    ['a token of 3,000 characters', `/nhac-hen/dung/?t=${'x'.repeat(3_000)}`],
    ['two tokens', '/nhac-hen/dung/?t=a&t=b'],
    ['an offer token of NUL', '/nhac-hen/nhan-cho/?t=%00'],
    ['an offer token of markup', `/nhac-hen/nhan-cho/?t=${encodeURIComponent('<script>')}`],
    ['the reminders page with markup', '/nhac-hen/?ma=<script>'],
    ['the outbox page with markup, signed out', `/to-chuc/nhac-hen/?k=${encodeURIComponent('<script>')}`],
    ['a short stop link of markup', `/nhac-hen/d/${encodeURIComponent('<script>alert(1)</scr')}`],
    ['a short stop link too long', `/nhac-hen/d/${'a'.repeat(400)}`],
  ])('GET with %s is answered, never a 500', async (_name, path) => {
    const response = await fetch(`${rs.url}${path}`);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toContain('<script>');
  });

  test('a one-click stop that is not a form is refused before it is read (415)', async () => {
    const response = await fetch(`${rs.url}/nhac-hen/dung/?t=abcdefghijklmnopqrstuv`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(415);
  });

  test('the reminders page’s forms refuse a post from another site; the one-click stop needs no origin', async () => {
    const looked = await postForm(
      rs.url,
      '/nhac-hen/?_action=reminderLookup',
      { code: '7K3Q9XWD2P', phone: '0912345678' },
      { origin: 'https://evil.example' },
    );
    expect(looked.status).toBe(403);
    const { token } = await subscribed();
    const stopped = await fetch(`${rs.url}/nhac-hen/dung/?t=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect(stopped.status).toBe(200);
  });

  test('random posts to the reminders’ routes never fail the server (bounded fuzz)', async () => {
    const route = fc.constantFrom(
      '/nhac-hen/?_action=reminderLookup',
      '/nhac-hen/?_action=stopReminders',
      '/nhac-hen/nhan-cho/?_action=acceptOffer',
      '/nhac-hen/dung/?t=abcdefghijklmnopqrstuv',
      '/dang-ky/?_action=joinWaitlist',
    );
    const field = fc.constantFrom(
      'code',
      'phone',
      'offer',
      'tu',
      'List-Unsubscribe',
      'reminders',
      'email',
      'reminderPush',
      'pushSubscription',
      'reminderSms',
      'drive',
      'slot',
      'formToken',
      'channel',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        'yes',
        'One-Click',
        'trang',
        '7K3Q9XWD2P',
        '0912345678',
        'dam-doi',
        slot.id,
        '{"endpoint":1}',
        'a@b.vn',
        'email',
        'zalo',
        'sms',
      ),
    );
    await fc.assert(
      fc.asyncProperty(route, fc.dictionary(field, value, { maxKeys: 7 }), async (path, fields) => {
        const response = await postForm(rs.url, path, fields);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150, seed: Number(process.env['FUZZ_SEED'] ?? 4242) },
    );
    expect((await fetch(`${rs.url}/nhac-hen/`)).status).toBe(200);
  });
});

describe('limits and the proxy', () => {
  test('looking up reminders is limited like cancelling: 5 tries per phone in 10 minutes', async () => {
    const phone = '0987000111';
    const tries = [];
    for (let i = 0; i < 6; i += 1) {
      tries.push(
        (await postForm(rs.url, '/nhac-hen/?_action=reminderLookup', { code: `7K3Q9XWD${i}P`, phone })).status,
      );
    }
    expect(tries).toEqual([404, 404, 404, 404, 404, 429]);
  });

  test('behind the proxy: the https page’s posts pass the origin check, and each client has its own limit', async () => {
    const send = (client: string, n: number) =>
      postForm(
        rs.url,
        '/nhac-hen/?_action=reminderLookup',
        { code: `8K3Q9XWD${String(n).padStart(2, '0')}`.slice(0, 10), phone: `09770${String(n).padStart(5, '0')}` },
        { origin: PUBLIC, headers: proxied(client) },
      );
    const first: number[] = [];
    for (let n = 0; n < 31; n += 1) first.push((await send('203.0.113.7', n)).status);
    expect(first.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(first[30]).toBe(429);
    expect((await send('203.0.113.8', 40)).status).toBe(404);
    // Without the proxy's word the https origin is another site's.
    const direct = await postForm(
      rs.url,
      '/nhac-hen/?_action=reminderLookup',
      { code: '7K3Q9XWD2P', phone: '0912345678' },
      { origin: PUBLIC },
    );
    expect(direct.status).toBe(403);
  });

  test('behind the proxy: the mail provider’s one-click post stops, and the page’s button comes back to it', async () => {
    const { token, code, phone } = await subscribed();
    const button = await fetch(`${rs.url}/nhac-hen/dung/?t=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...proxied('198.51.100.4') },
      body: 'tu=trang',
      redirect: 'manual',
    });
    expect(button.status).toBe(303);
    expect(button.headers.get('location')).toBe(`/nhac-hen/dung/?t=${token}`);
    const again = await fetch(`${rs.url}/nhac-hen/dung/?t=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...proxied('198.51.100.5') },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(again.status).toBe(200);
    const looked = await postForm(
      rs.url,
      '/nhac-hen/?_action=reminderLookup',
      { code, phone },
      { origin: PUBLIC, headers: proxied('198.51.100.6') },
    );
    expect(await looked.text()).toContain('Đã dừng nhận nhắc hẹn');
  });
});

describe('one channel stopped, the outbox page, the short link and the needs behind the proxy', () => {
  test('a stop of the only channel, by name, through the proxy, stops everything', async () => {
    const { code, phone } = await subscribed();
    const stopped = await postForm(
      rs.url,
      '/nhac-hen/?_action=stopReminders',
      { code, phone, channel: 'email' },
      { origin: PUBLIC, headers: proxied('198.51.100.21') },
    );
    expect(stopped.status).toBe(200);
    expect(await stopped.text()).toContain('Đã dừng mọi nhắc hẹn');
    // A channel the person never had changes nothing and says so plainly.
    const second = await subscribed();
    const other = await postForm(
      rs.url,
      '/nhac-hen/?_action=stopReminders',
      { code: second.code, phone: second.phone, channel: 'sms' },
      { origin: PUBLIC, headers: proxied('198.51.100.22') },
    );
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('thư điện tử');
  });

  test('the outbox page: signed out (through the proxy) to the sign-in, staff refused, an admin sees it', async () => {
    const signedOut = await fetch(`${rs.url}/to-chuc/nhac-hen/`, {
      headers: proxied('198.51.100.23'),
      redirect: 'manual',
    });
    expect(signedOut.status).toBe(303);
    const staff = newUsername('nv');
    const admin = newUsername('qt');
    await addAccount(rs.db, staff, 'staff', [drive.slug]);
    await addAccount(rs.db, admin, 'admin');
    const asStaff = await fetch(`${rs.url}/to-chuc/nhac-hen/`, {
      headers: { Cookie: await signIn(rs.url, staff) },
      redirect: 'manual',
    });
    expect(asStaff.status).toBe(403);
    const asAdmin = await fetch(`${rs.url}/to-chuc/nhac-hen/`, {
      headers: { Cookie: await signIn(rs.url, admin) },
      redirect: 'manual',
    });
    expect(asAdmin.status).toBe(200);
    const html = await asAdmin.text();
    expect(html).toContain('Hộp thư nhắc hẹn');
    expect(html).toContain('thư điện tử');
    expect(asAdmin.headers.get('cache-control')).toContain('no-store');
  });

  test('behind the proxy: a text’s short stop link leads to the https stop page; the needs answer any site', async () => {
    const { token } = await subscribed();
    const short = await fetch(`${rs.url}/nhac-hen/d/${token.slice(0, 18)}`, {
      headers: proxied('198.51.100.26'),
      redirect: 'manual',
    });
    expect(short.status).toBe(303);
    expect(short.headers.get('location')).toBe(`/nhac-hen/dung/?t=${token}`);
    const needs = await fetch(`${rs.url}/api/nhu-cau-mau.json`, {
      headers: { ...proxied('198.51.100.27'), Origin: 'https://bao-ca-mau.example' },
    });
    expect(needs.status).toBe(200);
    expect(needs.headers.get('access-control-allow-origin')).toBe('*');
    expect(needs.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});

describe('a server with no channel', () => {
  const baseUrl = inject('baseUrl');
  const openPage = useSiteBrowser(baseUrl);

  test('offers no reminders and no waitlist; an address posted anyway is not kept', async () => {
    const places = await fetch(`${baseUrl}/api/diem-hien-mau/${drive.slug}/cho-trong.json`);
    expect(places.headers.get('x-reminder-channels')).toBe('');
    expect(places.headers.get('x-push-key')).toBeNull();
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${drive.slug}/`);
      // Once the places left have come, the island has heard which channels the server has: none.
      // Drawn by the sign-up form's island, added after the largest paint (seconds on a busy machine).
      await expect
        .poll(() => page.textContent(`[data-places="${slot.id}"]`), { timeout: 15_000 })
        .toMatch(/^Còn \d+\/\d+ chỗ$/);
      expect(await page.isHidden('[data-reminders]')).toBe(true);
    } finally {
      await context.close();
    }
    const form = await fetch(`${baseUrl}/dang-ky/?diem=${drive.slug}`);
    expect(await form.text()).toMatch(/<fieldset[^>]*data-reminders[^>]*hidden/);
    const { html } = await postSignup(baseUrl, drive.slug, slot.id, {
      email: 'khong-giu@example.vn',
      reminders: 'yes',
    });
    expect(codeOf(html)).toMatch(/^[0-9A-Z]{10}$/);
    expect(html).not.toContain('data-reminders-on');
    const waitlist = await postSignup(
      baseUrl,
      drive.slug,
      slot.id,
      { reminders: 'yes', email: 'a@b.vn' },
      'joinWaitlist',
    );
    expect(waitlist.response.status).toBe(400);
  });
});
