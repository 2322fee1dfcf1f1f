/**
 * The organisers' console end to end against `npm start` with a real SQLite
 * file: who may see what, sessions, the desk in Chromium at 390 px (check-in,
 * outcomes, live figures on a second device, a desk that goes offline),
 * hostile requests as a table and a fuzz, and the same behind a TLS proxy.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { newConfirmationCode, formatCode } from '../../src/signup/codes.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { SignupStore, type Person } from '../../src/signup/store.ts';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { calendarDateInVietnam, toIsoWithOffset } from '../../src/shared/dates.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { postForm } from './forms.ts';
import { addAccount, newUsername, signIn, signInPage, TEST_PASSWORD } from './console-accounts.ts';

// A server and a database of their own: these tests fill slots and check people in, which
// the sign-up tests on the shared server must not see.
const ownFolder = mkdtempSync(join(tmpdir(), 'console-e2e-'));
const signupDb = join(ownFolder, 'signups.sqlite');
const site = await startSite({
  SIGNUP_DB: signupDb,
  SIGNUP_RATE_LIMIT: '100000',
  LOGIN_RATE_LIMIT: '100000',
  SITE_DIST: FIXTURE_DIST,
});
const baseUrl = site.url;
afterAll(async () => {
  await site.stop();
  rmSync(ownFolder, { recursive: true, force: true });
});
const drives = await readDrives();
const [firstOpen, secondOpen] = nextOpenDrives(drives, new Date(), 5);
if (!firstOpen || !secondOpen) throw new Error('the test site needs two upcoming drives');
const [driveA, driveB] = [firstOpen, secondOpen];
const slotsA = driveSlots(driveA).map((s) => ({ id: s.id, end: toIsoWithOffset(s.end), places: s.places }));
const openPage = useSiteBrowser(baseUrl);
const origin = new URL(baseUrl).origin;

let personCounter = 0;
function withStore<T>(work: (store: SignupStore) => T): T {
  const store = new SignupStore(signupDb);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** Signs `count` people up for a slot of drive A straight into the database; their codes. */
function signUpPeople(count: number, slotIndex = 0, extra: Partial<Person> = {}): string[] {
  const slot = slotsA[slotIndex] ?? slotsA[0];
  if (!slot) throw new Error('drive A has no slots');
  return withStore((store) =>
    Array.from({ length: count }, () => {
      personCounter += 1;
      const code = newConfirmationCode();
      store.takePlace({
        code,
        drive: driveA.slug,
        slot: slot.id,
        slotEnd: slot.end,
        capacity: 100_000,
        person: {
          fullName: `Người Hiến Thứ ${personCounter}`,
          phone: `+8497${String(Date.now() % 100_000).padStart(5, '0')}${String(personCounter % 100).padStart(2, '0')}`,
          birthYear: 1990,
          sex: 'female',
          weightKg: 55,
          ...extra,
        },
        now: new Date(),
      });
      return code;
    }),
  );
}

const statusOf = (code: string) => withStore((store) => store.byCode(code)?.desk);
const get = (path: string, cookie?: string) =>
  fetch(`${baseUrl}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });
/** The test drives are days ahead: the desk takes their day-bound actions once that day is confirmed (otherDay). */
const dayOf = (slug: string) => {
  const drive = drives.find((d) => d.slug === slug);
  return drive ? calendarDateInVietnam(drive.start) : '';
};
const post = (path: string, fields: Record<string, string>, cookie?: string, from = origin) => {
  const slug = /^\/to-chuc\/([^/]+)\//.exec(path)?.[1];
  const confirmed = slug && 'intent' in fields && !('otherDay' in fields) ? { otherDay: dayOf(slug) } : {};
  return postForm(
    baseUrl,
    path,
    { ...fields, ...confirmed },
    { origin: from, headers: cookie ? { Cookie: cookie } : {} },
  );
};

const desk = (slug = driveA.slug) => `/to-chuc/${slug}/`;
const CONSOLE_URLS = (slug: string) => [
  ['GET', '/to-chuc/'],
  ['GET', desk(slug)],
  ['GET', `${desk(slug)}?ma=7K3Q9XWD2P`],
  ['GET', `${desk(slug)}nhat-ky/`],
  ['GET', `${desk(slug)}so-lieu.json`],
  ['GET', `${desk(slug)}danh-sach.csv`],
  ['POST', desk(slug)],
  ['POST', `${desk(slug)}thao-tac.json`],
];

let admin: string;
let staffA: string;
let adminCookie: string;
let staffCookie: string;

beforeAll(async () => {
  admin = newUsername('qt');
  staffA = newUsername('nv');
  await addAccount(signupDb, admin, 'admin');
  await addAccount(signupDb, staffA, 'staff', [driveA.slug]);
  adminCookie = await signIn(baseUrl, admin);
  staffCookie = await signIn(baseUrl, staffA);
});

describe('who may see what', () => {
  test.each(CONSOLE_URLS(driveA.slug))(
    '%s %s without a session: the sign-in page or 401, never cached',
    async (method, path) => {
      const response = method === 'GET' ? await get(path) : await post(path, { intent: 'arrive', code: '7K3Q9XWD2P' });
      if (method === 'GET' && !/\.(json|csv)$/.test(path)) {
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toBe(
          `/to-chuc/dang-nhap/?tiep=${encodeURIComponent(path.split('?')[0] ?? '')}`,
        );
      } else {
        expect(response.status).toBe(401);
      }
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-robots-tag')).toContain('noindex');
    },
  );

  test.each(CONSOLE_URLS(driveB.slug).filter(([, path]) => path !== '/to-chuc/'))(
    '%s %s: staff of another drive get 404',
    async (method, path) => {
      const response =
        method === 'GET' ? await get(path, staffCookie) : await post(path, { intent: 'no-show-all' }, staffCookie);
      expect(response.status).toBe(404);
      expect(response.headers.get('cache-control')).toBe('no-store');
    },
  );

  test('staff see their own drive only, and not its audit log; admins see every drive and the log', async () => {
    const list = await (await get('/to-chuc/', staffCookie)).text();
    expect(list).toContain(desk(driveA.slug));
    expect(list).not.toContain(desk(driveB.slug));
    expect((await get(desk(), staffCookie)).status).toBe(200);
    expect((await get(`${desk()}nhat-ky/`, staffCookie)).status).toBe(404);
    const all = await (await get('/to-chuc/', adminCookie)).text();
    expect(all).toContain(desk(driveB.slug));
    expect((await get(`${desk(driveB.slug)}nhat-ky/`, adminCookie)).status).toBe(200);
    // Publishing a result is the admins' alone.
    const refused = await post(`${desk()}thao-tac.json`, { intent: 'publish', units: '5' }, staffCookie);
    expect(refused.status).toBe(403);
  });

  test('a post from another origin is refused and changes nothing', async () => {
    const [code = ''] = signUpPeople(1);
    const response = await post(desk(), { intent: 'arrive', code }, staffCookie, 'https://evil.example');
    expect(response.status).toBe(403);
    const login = await post('/to-chuc/dang-nhap/', { username: admin, password: TEST_PASSWORD }, undefined, 'null');
    expect(login.status).toBe(403);
    expect(statusOf(code)?.arrivedAt).toBeNull();
  });

  test('nothing of the console is in the static build, the sitemap or the search index', () => {
    const sitemap = readFileSync(join(FIXTURE_DIST, 'client/sitemap-0.xml'), 'utf8');
    expect(sitemap).not.toContain('/to-chuc/');
    expect(() => readFileSync(join(FIXTURE_DIST, 'client/to-chuc/index.html'))).toThrow();
  });
});

describe('sessions', () => {
  test('a new id at every sign-in; a planted id opens nothing', async () => {
    const planted = `hm_console=${'A'.repeat(43)}`;
    const response = await postForm(
      baseUrl,
      '/to-chuc/dang-nhap/',
      { username: staffA, password: TEST_PASSWORD },
      {
        headers: { Cookie: planted },
      },
    );
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hm_console=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain('A'.repeat(43));
    expect((await get('/to-chuc/', planted)).status).toBe(303);
    const again = await signIn(baseUrl, staffA);
    expect(again).not.toBe(cookie.split(';')[0]);
  });

  test('signing out ends every session of the account; so does a new password', async () => {
    const user = newUsername('so');
    await addAccount(signupDb, user, 'staff', [driveA.slug]);
    const [phone, laptop] = [await signIn(baseUrl, user), await signIn(baseUrl, user)];
    expect((await get('/to-chuc/', laptop)).status).toBe(200);
    const out = await post('/to-chuc/dang-xuat/', {}, phone);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^hm_console=deleted; .*Expires=Thu, 01 Jan 1970/);
    expect((await get('/to-chuc/', phone)).status).toBe(303);
    expect((await get('/to-chuc/', laptop)).status).toBe(303);

    const before = await signIn(baseUrl, user);
    await runCommand(
      ['user', 'passwd', user, '--db', signupDb],
      () => {},
      new Date(),
      () => Promise.resolve('một mật khẩu mới dài'),
    );
    expect((await get('/to-chuc/', before)).status).toBe(303);
    await expect(signIn(baseUrl, user)).rejects.toThrow(/401/);
    expect(await signIn(baseUrl, user, 'một mật khẩu mới dài')).toMatch(/^hm_console=/);
  });

  test('ten wrong passwords lock the account for a while, answered as a wrong password is', async () => {
    const user = newUsername('kh');
    await addAccount(signupDb, user, 'staff', [driveA.slug]);
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const wrong = await post('/to-chuc/dang-nhap/', { username: user, password: `sai mật khẩu ${attempt}` });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    }
    // Locked for this address: the same words and status, so a locked name is not told apart.
    const right = await post('/to-chuc/dang-nhap/', { username: user, password: TEST_PASSWORD });
    expect(right.status).toBe(401);
    expect(await right.text()).toContain('tạm khóa 15 phút trên mạng này');
  });

  test('an unknown name answers like a wrong password', async () => {
    const response = await post('/to-chuc/dang-nhap/', { username: 'khong-co-ai', password: 'mat khau bat ky' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
  });
});

describe('the desk without JavaScript', () => {
  test('check-in by a code as people write it, outcomes, the phone on request, the CSV', async () => {
    const [code = ''] = signUpPeople(1, 0, { weightKg: 44 });
    const typed = formatCode(code).toLowerCase().replace(/-/g, ' ');
    const checkIn = await post(desk(), { intent: 'arrive', code: typed, key: 'form-key-0001' }, staffCookie);
    expect(checkIn.status).toBe(200);
    const page = await checkIn.text();
    expect(page).toContain('Đã ghi nhận đến.');
    expect(page).toContain(`data-person="${code}"`);
    // The same form sent again (reload, double tap) changes nothing.
    const replay = await post(desk(), { intent: 'arrive', code: typed, key: 'form-key-0001' }, staffCookie);
    expect(await replay.text()).toContain('Đã ghi nhận đến.');
    const tooMuch = await post(desk(), { intent: 'gave', code, volume: '350' }, staffCookie);
    expect(tooMuch.status).toBe(422);
    expect(await tooMuch.text()).toContain('tối đa 250 ml');
    expect((await post(desk(), { intent: 'gave', code, volume: '250' }, staffCookie)).status).toBe(200);
    expect(statusOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 250 });

    const masked = await (await get(`${desk()}?ma=${code}`, staffCookie)).text();
    expect(masked).toMatch(/···· ··· \d{3}/);
    const shown = await (await post(desk(), { intent: 'show-phone', code }, staffCookie)).text();
    expect(shown).toMatch(/Điện thoại: 09\d{2} \d{3} \d{3}/);
    const log = withStore((store) => new ConsoleStore(store.db).auditOf(driveA.slug).filter((e) => e.code === code));
    expect(log.map((e) => [e.actor, e.action])).toEqual([
      [staffA, 'show-phone'],
      [staffA, 'gave'],
      [staffA, 'arrive'],
    ]);

    const csv = await get(`${desk()}danh-sach.csv`, staffCookie);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain(`dang-ky-${driveA.slug}.csv`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // The BOM that makes Excel read UTF-8 (Response.text() would drop it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFMã xác nhận,')).toBe(true);
    expect(text).toContain(`${formatCode(code)},${driveA.slug}`);
    expect(text).toMatch(new RegExp(`${formatCode(code)}.*,Đã hiến,.*,250,`));
  });

  test('a code for another drive or a cancelled sign-up says so plainly', async () => {
    const [cancelled = ''] = signUpPeople(1);
    withStore((store) => store.cancel(cancelled, null, new Date()));
    const elsewhere = withStore((store) => {
      const slot = driveSlots(driveB)[0];
      const code = newConfirmationCode();
      store.takePlace({
        code,
        drive: driveB.slug,
        slot: slot?.id ?? '',
        slotEnd: slot ? toIsoWithOffset(slot.end) : '',
        capacity: 1000,
        person: { fullName: 'Người Ở Đợt Khác', phone: '+84971234567', birthYear: 1990, sex: 'male', weightKg: 60 },
        now: new Date(),
      });
      return code;
    });
    const other = await post(desk(), { intent: 'arrive', code: elsewhere }, staffCookie);
    expect(other.status).toBe(409);
    expect(await other.text()).toContain(`Mã này đăng ký cho một đợt hiến máu khác: ${driveB.name}`);
    const gone = await post(desk(), { intent: 'arrive', code: cancelled }, staffCookie);
    expect(await gone.text()).toContain('Đăng ký này đã bị hủy');
    expect(statusOf(elsewhere)?.arrivedAt).toBeNull();
  });

  test('walk-ins: the public form’s rules, the slot’s places, and going over on purpose', async () => {
    const slot = slotsA[2];
    if (!slot) throw new Error('drive A needs three slots');
    const taken = withStore((store) => store.takenBySlot(driveA.slug, [slot]).get(slot.id) ?? 0);
    signUpPeople(Math.max(0, slot.places - taken), 2);
    const walkIn = (extra: Record<string, string>) =>
      post(
        desk(),
        {
          intent: 'walk-in',
          fullName: 'Trần Văn Tới',
          phone: '0912 000 111',
          birthYear: '1988',
          sex: 'male',
          weightKg: '62',
          slot: slot.id,
          consent: 'yes',
          ...extra,
        },
        staffCookie,
      );
    const young = await walkIn({ birthYear: String(new Date().getFullYear() - 16) });
    expect(young.status).toBe(422);
    expect(await young.text()).toContain('18');
    const full = await walkIn({});
    expect(full.status).toBe(409);
    expect(await full.text()).toContain('đủ chỗ');
    const over = await walkIn({ allowOver: 'yes' });
    expect(over.status).toBe(200);
    expect(await over.text()).toContain('vượt số chỗ');
    const record = withStore((store) => store.list(driveA.slug).find((s) => s.fullName === 'Trần Văn Tới'));
    expect(record?.desk).toMatchObject({ walkIn: true, overCapacity: true });
  });
});

describe('the desk in Chromium at 390 px', () => {
  test('check in, record a gift; another device sees the figures change without reloading', async () => {
    const codes = signUpPeople(2);
    const [first = '', second = ''] = codes;
    const organiser = await openPage({ viewport: { width: 390, height: 844 } });
    const colleague = await openPage({ viewport: { width: 390, height: 844 } });
    await signInPage(organiser.page, baseUrl, staffA);
    await signInPage(colleague.page, baseUrl, staffA);
    await colleague.page.goto(`${baseUrl}${desk()}?ngay=${dayOf(driveA.slug)}`);
    const gaveBefore = Number(await colleague.page.textContent('[data-figure="total:gave"]'));

    await organiser.page.goto(`${baseUrl}${desk()}?ngay=${dayOf(driveA.slug)}`);
    expect(await axeViolations(organiser.page)).toEqual([]);
    await organiser.page.fill('#ma', formatCode(first).toLowerCase());
    await Promise.all([organiser.page.waitForURL(/\?ma=/), organiser.page.click('[data-check-in] button')]);
    expect(await organiser.page.textContent('[data-message]')).toContain('Đã ghi nhận đến');
    expect(await organiser.page.textContent(`[data-person="${first}"] [data-status-for]`)).toBe('Đã đến');
    expect(await axeViolations(organiser.page)).toEqual([]);
    await organiser.page.screenshot({ path: 'test-results/console-person-390.png', fullPage: true });
    await Promise.all([
      organiser.page.waitForResponse((r) => r.url().endsWith('/thao-tac.json')),
      organiser.page.click('text=Ghi nhận đã hiến'),
    ]);
    await organiser.page.waitForLoadState();
    expect(statusOf(first)).toMatchObject({ outcome: 'gave', volumeMl: 350 });

    await colleague.page.waitForFunction(
      (before) => Number(document.querySelector('[data-figure="total:gave"]')?.textContent) === before + 1,
      gaveBefore,
      { timeout: 15_000 },
    );
    // The colleague's roster line of the second person changes too, when someone checks them in.
    await post(desk(), { intent: 'arrive', code: second }, adminCookie);
    await colleague.page.waitForFunction(
      (code) => document.querySelector(`.roster [data-status-for="${code}"]`)?.textContent === 'Đã đến',
      second,
      { timeout: 15_000 },
    );
    await colleague.page.screenshot({ path: 'test-results/console-desk-390.png' });
    expect([...organiser.errors, ...colleague.errors]).toEqual([]);
    expect([...organiser.outsideRequests, ...colleague.outsideRequests]).toEqual([]);
    await organiser.context.close();
    await colleague.context.close();
  });

  test('twenty check-ins made offline are kept, shown as not sent, and recorded once when back online', async () => {
    const codes = signUpPeople(20, 1);
    const { page, context, errors } = await openPage({ viewport: { width: 390, height: 844 } });
    await signInPage(page, baseUrl, staffA);
    await page.goto(`${baseUrl}${desk()}?ma=${codes[0] ?? ''}&ngay=${dayOf(driveA.slug)}`);
    await context.setOffline(true);
    for (const code of codes) {
      await page.fill('#ma', formatCode(code));
      await page.click('[data-check-in] button');
      await expect.poll(() => page.inputValue('#ma')).toBe('');
    }
    expect(await page.textContent('[data-queue-count]')).toContain('Chưa gửi được 20 thao tác');
    expect(await page.locator('[data-queue-list] li').count()).toBe(20);
    expect(codes.filter((code) => statusOf(code)?.arrivedAt)).toEqual([]);
    await page.screenshot({ path: 'test-results/console-offline-390.png' });

    await context.setOffline(false);
    await page.waitForSelector('[data-queue]', { state: 'hidden', timeout: 20_000 });
    expect(codes.filter((code) => !statusOf(code)?.arrivedAt)).toEqual([]);
    const arrivals = withStore((store) =>
      new ConsoleStore(store.db)
        .auditOf(driveA.slug, 100_000)
        .filter((e) => e.action === 'arrive' && codes.includes(e.code ?? '')),
    );
    expect(arrivals).toHaveLength(20);
    // Errors while offline are the browser's own failed fetches, not the page's.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e))).toEqual([]);
    await context.close();
  });

  test('check-ins recorded offline on the drive’s day are recorded when sent on another day; a refused one is named', async () => {
    const codes = signUpPeople(2, 1);
    const unknown = newConfirmationCode();
    const { page, context, errors } = await openPage({ viewport: { width: 390, height: 844 } });
    await signInPage(page, baseUrl, staffA);
    // The tablet's clock says the drive's day; the server's says today, days before it (as
    // the morning after would be): the queued forms must name the day of the tap.
    await page.clock.setFixedTime(new Date(`${dayOf(driveA.slug)}T09:00:00+07:00`));
    await page.goto(`${baseUrl}${desk()}?ma=${codes[0] ?? ''}`);
    await context.setOffline(true);
    for (const code of [...codes, unknown]) {
      await page.fill('#ma', formatCode(code));
      await page.click('[data-check-in] button');
      await expect.poll(() => page.inputValue('#ma')).toBe('');
    }
    expect(await page.locator('[data-queue-list] li').count()).toBe(3);
    await context.setOffline(false);
    await page.waitForSelector('[data-queue]', { state: 'hidden', timeout: 20_000 });
    // The base sent no day: all three were refused as "other-day" and dropped from the queue.
    expect(codes.filter((code) => !statusOf(code)?.arrivedAt)).toEqual([]);
    const message = (await page.textContent('[data-message]')) ?? '';
    expect(message).toContain('1 thao tác giữ trên máy đã gửi nhưng KHÔNG được ghi');
    expect(message).toContain(`Ghi nhận đến ${formatCode(unknown).toUpperCase()}`);
    expect(await page.getAttribute('[data-message]', 'role')).toBe('alert');
    // The refused one's 4xx answer is logged by the browser itself.
    expect(
      errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|status of 4\d\d/.test(e)),
      errors.join('\n'),
    ).toEqual([]);
    await context.close();
  });

  test('axe finds nothing on the sign-in page, the list of drives and the audit log', async () => {
    const { page, context } = await openPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${baseUrl}/to-chuc/dang-nhap/`);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#ten-dang-nhap', admin);
    await page.fill('#mat-khau', 'không phải mật khẩu');
    await page.click('button:has-text("Đăng nhập")');
    await page.waitForSelector('[role="alert"]');
    expect(await axeViolations(page)).toEqual([]);
    await signInPage(page, baseUrl, admin);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}${desk()}nhat-ky/`);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}${desk()}?tim=Người Hiến`);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}${desk()}`);
    await page.screenshot({ path: 'test-results/console-desk-1280.png' });
    await context.close();
  });
});

describe('hostile requests', () => {
  const HOSTILE: [string, string, Record<string, string>][] = [
    ['a huge user name', '/to-chuc/dang-nhap/', { username: 'a'.repeat(10_000), password: 'x' }],
    ['a NUL in the name', '/to-chuc/dang-nhap/', { username: 'qt\u0000', password: 'x' }],
    ['a password of 16 kB', '/to-chuc/dang-nhap/', { username: 'qt', password: 'p'.repeat(15_000) }],
    ['no fields', '/to-chuc/dang-nhap/', {}],
    ['an unknown intent', `${desk()}thao-tac.json`, { intent: '__proto__' }],
    ['no intent', `${desk()}thao-tac.json`, { code: '7K3Q9XWD2P' }],
    ['a code of markup', desk(), { intent: 'arrive', code: '<img src=x onerror=alert(1)>' }],
    ['a key of 1,000 characters', `${desk()}thao-tac.json`, { intent: 'undo', key: 'k'.repeat(1000) }],
    ['units beyond any drive', `${desk()}thao-tac.json`, { intent: 'publish', units: '9'.repeat(400) }],
    ['a walk-in with a slot of another drive', desk(), { intent: 'walk-in', slot: '2020-01-01T07:00:00+07:00' }],
    ['a deferral date of 10,000 years', desk(), { intent: 'defer', code: '7K3Q9XWD2P', returnAfter: '99999-01-01' }],
  ];

  test.each(HOSTILE)('%s gets a clear answer, never a 500', async (_name, path, fields) => {
    const response = await post(path, fields, adminCookie);
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toContain('<img src=x');
  });

  test.each([
    `${desk()}so-lieu.json?sau=-1`,
    `${desk()}so-lieu.json?sau=NaN`,
    `${desk()}so-lieu.json?sau=1e400`,
    `${desk()}?ma=${'Z'.repeat(5000)}`,
    `${desk()}?tim=${encodeURIComponent('%00<script>')}`,
    '/to-chuc/..%2f..%2fetc%2fpasswd/',
    '/to-chuc/%00/',
    '/to-chuc/dang-nhap/?tiep=//evil.example/',
  ])('GET %s is answered, never a 500', async (path) => {
    const response = await get(path, adminCookie);
    expect(response.status).toBeLessThan(500);
  });

  test('the sign-in page never sends anyone to another site', async () => {
    const response = await postForm(baseUrl, `/to-chuc/dang-nhap/?tiep=${encodeURIComponent('//evil.example/')}`, {
      username: admin,
      password: TEST_PASSWORD,
    });
    expect(response.headers.get('location')).toBe('/to-chuc/');
  });

  test('random desk posts never fail the server (bounded fuzz)', async () => {
    const field = fc.constantFrom(
      'intent',
      'code',
      'volume',
      'reason',
      'deferralKind',
      'returnAfter',
      'units',
      'key',
      'slot',
      'allowOver',
      'fullName',
      'phone',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'arrive',
        'gave',
        'defer',
        'undo',
        'no-show-all',
        'walk-in',
        'show-phone',
        'publish',
        '350',
        '7K3Q9XWD2P',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value, { maxKeys: 6 }), fc.boolean(), async (fields, asJson) => {
        // Keep the shared drive's people as they are: the fuzz runs against drive B.
        const path = `${desk(driveB.slug)}${asJson ? 'thao-tac.json' : ''}`;
        const response = await post(path, fields, adminCookie);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 120, seed: Number(process.env['FUZZ_SEED'] ?? 4242) },
    );
    expect((await get('/to-chuc/', adminCookie)).status).toBe(200);
  });
});

describe('servers of their own', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'console-own-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('sign-ins are limited per client address', async () => {
    const db = join(folder, 'limit.sqlite');
    const site = await startSite({ SIGNUP_DB: db, LOGIN_RATE_LIMIT: '5', SITE_DIST: FIXTURE_DIST });
    try {
      const tries = [];
      for (let i = 0; i < 6; i += 1) {
        tries.push(
          await postForm(site.url, '/to-chuc/dang-nhap/', { username: `ai-do-${i}`, password: 'sai mật khẩu' }),
        );
      }
      expect(tries.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);
      expect(await tries[5]?.text()).toContain('quá nhiều lần đăng nhập');
    } finally {
      await site.stop();
    }
  });

  test('behind a TLS proxy the cookie is __Host- prefixed and Secure, and only that one opens a session', async () => {
    const db = join(folder, 'proxy.sqlite');
    const user = newUsername('px');
    await addAccount(db, user, 'admin');
    const site = await startSite({ SIGNUP_DB: db, TRUST_PROXY: '1', SITE_DIST: FIXTURE_DIST });
    const proxied = {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'hienmau.example',
      'X-Forwarded-For': '203.0.113.9',
    };
    try {
      const login = await postForm(
        site.url,
        '/to-chuc/dang-nhap/',
        { username: user, password: TEST_PASSWORD },
        {
          origin: 'https://hienmau.example',
          headers: proxied,
        },
      );
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(
        /^__Host-hm_console=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
      );
      const session = cookie.split(';')[0] ?? '';
      const behind = await fetch(`${site.url}/to-chuc/`, {
        headers: { ...proxied, Cookie: session },
        redirect: 'manual',
      });
      expect(behind.status).toBe(200);
      // The same id under the plain name, or over plain http, opens nothing.
      const bare = session.replace('__Host-', '');
      expect(
        (await fetch(`${site.url}/to-chuc/`, { headers: { ...proxied, Cookie: bare }, redirect: 'manual' })).status,
      ).toBe(303);
      expect((await fetch(`${site.url}/to-chuc/`, { headers: { Cookie: session }, redirect: 'manual' })).status).toBe(
        303,
      );
    } finally {
      await site.stop();
    }
  });
});
