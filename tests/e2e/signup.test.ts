/**
 * Signing up, end to end against `npm start` (src/server/) with a temporary
 * SQLite file: the island flow and the no-JavaScript flow in Chromium, the
 * HTTP answers to bad and hostile requests, and load and crash tests on
 * servers of their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { run as signupsCli } from '../../src/cli/main.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { driveSlots, isOpen, nextOpenDrives } from '../../src/drives/drives.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { startSite } from '../../scripts/start-site.mjs';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { readDrives } from './drive-data.ts';
import { agedFormTokens, codeOf, freshFormToken, postForm, HUMAN_FILL_MS } from './forms.ts';

const baseUrl = inject('baseUrl');
const signupDb = inject('signupDb');
const drives = await readDrives();
const open = nextOpenDrives(drives, new Date(), 20);
const [firstDrive, secondDrive] = open;
if (!firstDrive || !secondDrive) throw new Error('the sample data needs two upcoming drives');
const openPage = useSiteBrowser(baseUrl);
let phoneCounter = 0;
/** A mobile number no other test uses. */
const newPhone = () =>
  `09${String(Date.now() % 1_000_000).padStart(6, '0')}${String(++phoneCounter % 100).padStart(2, '0')}`;

function withStore<T>(work: (store: SignupStore) => T, path = signupDb): T {
  const store = new SignupStore(path);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** Posts the sign-up form as a browser without JavaScript would, with a fresh form token. */
async function postSignup(url: string, fields: Record<string, string>, origin = new URL(url).origin) {
  const formToken = await freshFormToken(url, firstDrive?.slug ?? '', 50);
  return postForm(url, '/dang-ky/?_action=signup', { formToken, ...fields }, { origin });
}

const person = (drive: string, slot: string, phone = newPhone()) => ({
  drive,
  slot,
  fullName: 'Trần Thị Mai',
  phone,
  birthYear: '1992',
  sex: 'female',
  weightKg: '50',
  consent: 'yes',
});

async function fillPerson(page: Page, phone: string) {
  await page.fill('#ho-ten', 'Phạm Minh Đức');
  await page.fill('#so-dien-thoai', phone);
  await page.fill('#nam-sinh', '1988');
  await page.check('input[name="sex"][value="male"]');
  await page.fill('#can-nang', '62');
}

describe('the sign-up island', () => {
  test('shows places left, explains mistakes on their fields, then confirms and stores the sign-up', async () => {
    const { page, context, errors } = await openPage();
    try {
      const loaded = Date.now();
      await page.goto(`${baseUrl}/dang-ky/?diem=${firstDrive.slug}`);
      await page.waitForFunction(() => document.querySelector('[data-places]')?.textContent?.startsWith('Còn'));
      const slots = driveSlots(firstDrive);
      expect(await page.textContent(`[data-places="${slots[0]?.id}"]`)).toMatch(/^Còn \d+\/\d+ chỗ$/);

      // Sending an empty form: a summary gets focus, each message sits by its field.
      await page.click('form[data-signup] button[type="submit"]');
      await page.waitForSelector('[data-error-summary]:not([hidden])');
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).toBe(true);
      expect(await page.textContent('#ho-ten-loi')).toContain('Vui lòng nhập họ và tên');
      expect(await page.getAttribute('#ho-ten', 'aria-describedby')).toContain('ho-ten-loi');
      expect(await page.getAttribute('#ho-ten', 'aria-invalid')).toBe('true');
      expect(await page.textContent('#dong-y-loi')).toContain('đồng ý');
      expect(await axeViolations(page)).toEqual([]);

      // The pre-check explains the weight rule as soon as it applies.
      const phone = newPhone();
      await fillPerson(page, phone);
      await page.fill('#can-nang', '44');
      await page.locator('#can-nang').blur();
      await page.waitForFunction(() => document.querySelector('#can-nang-loi')?.textContent?.includes('45 kg'));
      await page.fill('#can-nang', '62');
      await page.locator('#can-nang').blur();

      await page.check(`input[name="slot"][value="${slots[1]?.id}"]`);
      await page.check('#dong-y');
      // A person takes more than 3 seconds; the server refuses faster posts quietly.
      await page.waitForTimeout(Math.max(0, HUMAN_FILL_MS - (Date.now() - loaded)));
      await Promise.all([
        page.waitForURL(/_action=signup/),
        page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
      ]);
      const code = await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code');
      expect(code).toMatch(/^[0-9A-Z]{10}$/);
      expect(await page.textContent('main')).toContain(firstDrive.address);
      expect(await page.getAttribute('a[href$=".ics"]', 'href')).toBe(`/diem-hien-mau/${firstDrive.slug}.ics`);
      expect(await page.getAttribute('a[href^="/dang-ky/huy/"]', 'href')).toContain('?ma=');
      expect(errors).toEqual([]);

      const stored = withStore((store) => store.byCode(code ?? ''));
      expect(stored).toMatchObject({ drive: firstDrive.slug, slot: slots[1]?.id, fullName: 'Phạm Minh Đức' });
      expect(stored?.phone).toBe(`+84${phone.slice(1)}`);

      const lines: string[] = [];
      signupsCli(['list', '--drive', firstDrive.slug, '--db', signupDb], (line) => lines.push(line));
      expect(lines.join('\n')).toContain('Phạm Minh Đức');
    } finally {
      await context.close();
    }
  });

  test('on a drive page the drive is chosen already; a full slot cannot be chosen', async () => {
    const [first, second] = driveSlots(secondDrive);
    if (!first || !second) throw new Error('need two slots');
    withStore((store) => {
      for (let i = 0; i < first.places; i += 1) {
        store.takePlace({
          code: `FULL${String(i).padStart(6, '0')}`,
          drive: secondDrive.slug,
          slot: first.id,
          slotEnd: toIsoWithOffset(first.end),
          capacity: first.places,
          person: {
            fullName: 'Người thử',
            phone: `+8498${String(i).padStart(7, '0')}`,
            birthYear: 1990,
            sex: 'male',
            weightKg: 60,
          },
          now: new Date(),
        });
      }
    });
    const { page, context } = await openPage();
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${secondDrive.slug}/`);
      await page.waitForFunction(
        (id) => document.querySelector(`[data-places="${id}"]`)?.textContent === 'Hết chỗ',
        first.id,
      );
      // The form's time starts when the places (and with them the form token) arrive.
      const loaded = Date.now();
      expect(await page.isDisabled(`input[name="slot"][value="${first.id}"]`)).toBe(true);
      expect(await page.getAttribute('input[name="drive"]', 'value')).toBe(secondDrive.slug);
      await fillPerson(page, newPhone());
      await page.check(`input[name="slot"][value="${second.id}"]`);
      await page.check('#dong-y');
      await page.waitForTimeout(Math.max(0, HUMAN_FILL_MS - (Date.now() - loaded)));
      await Promise.all([page.waitForURL(/dang-ky/), page.click('form[data-signup] button[type="submit"]')]);
      expect(await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')).toMatch(/^[0-9A-Z]{10}$/);
    } finally {
      await context.close();
    }
  });
});

describe('without JavaScript', () => {
  test('a drive page, which cannot carry a form token, sends people to the sign-up page for its drive', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${baseUrl}/diem-hien-mau/${firstDrive.slug}/`);
      expect(await page.isVisible('form[data-signup]')).toBe(false);
      await Promise.all([
        page.waitForURL(/dang-ky\/\?diem=/),
        page.click(`a[href="/dang-ky/?diem=${firstDrive.slug}"]`),
      ]);
      expect(await page.getAttribute('input[name="formToken"]', 'value')).toMatch(/^\d{13}\./);
    } finally {
      await context.close();
    }
  });

  test('choose a drive, see each error by its field with the answers kept, correct, and get the confirmation', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${baseUrl}/dang-ky/`);
      await Promise.all([page.waitForURL(/diem=/), page.click(`a[href="/dang-ky/?diem=${firstDrive.slug}"]`)]);
      const slot = driveSlots(firstDrive)[0]?.id ?? '';
      await page.check(`input[name="slot"][value="${slot}"]`);
      await page.fill('#ho-ten', 'Võ Thị Lan');
      await page.fill('#so-dien-thoai', '0290 3831 000');
      await page.fill('#nam-sinh', '1995');
      await page.check('input[name="sex"][value="female"]');
      await page.fill('#can-nang', '47');
      await page.waitForTimeout(HUMAN_FILL_MS);
      const response = await Promise.all([
        page.waitForNavigation(),
        page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
      ]).then(([r]) => r);
      expect(response?.status()).toBe(400);
      expect(await page.textContent('#so-dien-thoai-loi')).toContain('03, 05, 07, 08 hoặc 09');
      expect(await page.textContent('#dong-y-loi')).toContain('đồng ý');
      expect(await page.textContent('[data-error-summary]')).toContain('Vui lòng xem lại');
      expect(await page.inputValue('#ho-ten')).toBe('Võ Thị Lan');
      expect(await page.inputValue('#nam-sinh')).toBe('1995');
      expect(await page.isChecked(`input[name="slot"][value="${slot}"]`)).toBe(true);

      const phone = newPhone();
      await page.fill('#so-dien-thoai', phone);
      await page.check('#dong-y');
      await page.waitForTimeout(HUMAN_FILL_MS);
      const done = await Promise.all([
        page.waitForNavigation(),
        page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
      ]).then(([r]) => r);
      expect(done?.status()).toBe(200);
      const code = await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code');
      expect(withStore((store) => store.byCode(code ?? '')?.fullName)).toBe('Võ Thị Lan');

      // Cancel from the confirmation: the code is filled in, the phone proves it is theirs.
      await Promise.all([page.waitForNavigation(), page.click('a[href^="/dang-ky/huy/"]')]);
      expect((await page.inputValue('#ma-xac-nhan')).replace(/-/g, '')).toBe(code);
      await page.fill('#sdt-huy', phone);
      await Promise.all([page.waitForNavigation(), page.click('main button.button-primary')]);
      expect(await page.textContent('main')).toContain('Đã hủy đăng ký');
      expect(withStore((store) => store.byCode(code ?? '')?.cancelledAt)).not.toBeNull();
    } finally {
      await context.close();
    }
  });
});

describe('a fast person (phone autofill)', () => {
  async function fillAtOnce(page: Page, phone: string, slot: string) {
    await page.check(`input[name="slot"][value="${slot}"]`);
    await fillPerson(page, phone);
    await page.check('#dong-y');
  }

  /**
   * The page's own token was issued when the page was rendered, which on a busy test
   * machine can be seconds before the page is ready to fill: the first post of the form
   * carries one issued as it leaves instead, standing for a page that loaded at once.
   */
  async function sendFirstPostAsJustServed(page: Page) {
    let first = true;
    await page.route(/\/dang-ky\/\?_action=/, async (route) => {
      if (!first || route.request().method() !== 'POST') return route.continue();
      first = false;
      const response = await fetch(`${baseUrl}/api/diem-hien-mau/${firstDrive?.slug ?? ''}/cho-trong.json`);
      const body = new URLSearchParams(route.request().postData() ?? '');
      body.set('formToken', response.headers.get('X-Form-Token') ?? '');
      return route.continue({ postData: body.toString() });
    });
  }

  for (const javaScriptEnabled of [true, false]) {
    test(`a valid form sent 1 s after the page loaded keeps every answer and asks for one more tap (${
      javaScriptEnabled ? 'with' : 'without'
    } JavaScript)`, async () => {
      const { page, context } = await openPage({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
      try {
        await sendFirstPostAsJustServed(page);
        await page.goto(`${baseUrl}/dang-ky/?diem=${firstDrive.slug}`);
        const loaded = Date.now();
        const slot = driveSlots(firstDrive)[3]?.id ?? '';
        const phone = newPhone();
        await fillAtOnce(page, phone, slot);
        await page.waitForTimeout(Math.max(0, 1_000 - (Date.now() - loaded)));
        await Promise.all([
          page.waitForURL(/_action=signup/),
          page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
        ]);
        expect(await page.locator('[data-confirmation-code]').count()).toBe(0);
        expect(await page.textContent('[data-confirm-again]')).toContain(
          'Xin bấm "Đăng ký hiến máu" lần nữa để xác nhận',
        );
        // Every answer is still there, the consent too, and the button has focus.
        expect(await page.inputValue('#ho-ten')).toBe('Phạm Minh Đức');
        expect(await page.inputValue('#so-dien-thoai')).toBe(phone);
        expect(await page.isChecked(`input[name="slot"][value="${slot}"]`)).toBe(true);
        expect(await page.isChecked('#dong-y')).toBe(true);
        expect(await page.locator('[data-signup-button] button:focus').count()).toBe(1);
        if (javaScriptEnabled) expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: `/tmp/citizen-fast-${javaScriptEnabled ? 'js' : 'nojs'}.png` });
        // The tap comes at once: that is enough.
        await Promise.all([
          page.waitForNavigation(),
          page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
        ]);
        const code = await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code');
        expect(code).toMatch(/^[0-9A-Z]{10}$/);
        expect(withStore((store) => store.byCode(code ?? '')?.phone)).toBe(`+84${phone.slice(1)}`);
      } finally {
        await context.close();
      }
    });
  }

  test('a bot filling the honeypot at 1 s is still refused, nothing stored', async () => {
    const { page, context } = await openPage({ javaScriptEnabled: false });
    try {
      await sendFirstPostAsJustServed(page);
      await page.goto(`${baseUrl}/dang-ky/?diem=${firstDrive.slug}`);
      const phone = newPhone();
      await fillAtOnce(page, phone, driveSlots(firstDrive)[3]?.id ?? '');
      await page.fill('#trang-web', 'https://spam.example', { force: true });
      await page.waitForTimeout(1_000);
      await Promise.all([
        page.waitForURL(/_action=signup/),
        page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
      ]);
      expect(await page.textContent('main')).toContain('Nếu bạn không nhận được mã xác nhận');
      expect(await page.locator('[data-confirmation-code]').count()).toBe(0);
      expect(withStore((store) => store.list().some((s) => s.phone === `+84${phone.slice(1)}`))).toBe(false);
    } finally {
      await context.close();
    }
  });

  test('posted by a script: a fast token replayed only asks again, a confirmation signs up one person only', async () => {
    const issued = (await fetch(`${baseUrl}/api/diem-hien-mau/${firstDrive.slug}/cho-trong.json`)).headers.get(
      'X-Form-Token',
    );
    const fast = issued ?? '';
    const phone = newPhone();
    const fields = person(firstDrive.slug, driveSlots(firstDrive)[3]?.id ?? '', phone);
    const asked: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await postForm(baseUrl, '/dang-ky/?_action=signup', { formToken: fast, ...fields });
      const html = await response.text();
      expect(codeOf(html)).toBeUndefined();
      expect(html).toContain('lần nữa để xác nhận');
      asked.push(/name="formToken" value="([^"]+)"/.exec(html)?.[1] ?? '');
    }
    expect(withStore((store) => store.list().some((s) => s.phone === `+84${phone.slice(1)}`))).toBe(false);
    const [confirmation = ''] = asked;
    expect(confirmation).toMatch(/\.c\./);
    const nasty: [string, string, Record<string, string>, number, string][] = [
      ['honeypot with the confirmation', confirmation, { website: 'x' }, 200, 'Nếu bạn không nhận được mã'],
      ['the mark stripped', confirmation.replace('.c.', '.'), {}, 400, 'lần nữa'],
      ['the mark added to the plain token', fast.replace(/\.([\w-]{22})$/, '.c.$1'), {}, 400, 'lần nữa'],
    ];
    for (const [why, formToken, extra, status, words] of nasty) {
      const response = await postForm(baseUrl, '/dang-ky/?_action=signup', { ...fields, ...extra, formToken });
      expect(response.status, why).toBe(status);
      expect(await response.text(), why).toContain(words);
    }
    const confirmed = await postForm(baseUrl, '/dang-ky/?_action=signup', { ...fields, formToken: confirmation });
    expect(codeOf(await confirmed.text())).toMatch(/^[0-9A-Z]{10}$/);
    const other = person(firstDrive.slug, driveSlots(firstDrive)[3]?.id ?? '');
    const replayed = await postForm(baseUrl, '/dang-ky/?_action=signup', {
      ...other,
      fullName: 'Người Khác',
      formToken: confirmation,
    });
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('đã được dùng');
  });
});

describe('the error summary', () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`lists the fields in the form's order, the slot first, and keeps the consent ticked (${
      javaScriptEnabled ? 'with' : 'without'
    } JavaScript)`, async () => {
      const { page, context } = await openPage({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
      try {
        await page.goto(`${baseUrl}/dang-ky/?diem=${firstDrive.slug}`);
        // No slot, no sex, a bad phone and weight: four errors, the consent given.
        await page.fill('#ho-ten', 'Lê Văn Tâm');
        await page.fill('#so-dien-thoai', '12345');
        await page.fill('#nam-sinh', '1990');
        await page.fill('#can-nang', 'nặng');
        await page.check('#dong-y');
        await page.waitForTimeout(HUMAN_FILL_MS);
        if (javaScriptEnabled) {
          await page.click('form[data-signup] button[type="submit"]:not([formmethod])');
          await page.waitForSelector('[data-error-summary]:not([hidden])');
        } else {
          await Promise.all([
            page.waitForURL(/_action=signup/),
            page.click('form[data-signup] button[type="submit"]:not([formmethod])'),
          ]);
        }
        const targets = await page.$$eval('[data-error-list] a', (links) => links.map((a) => a.getAttribute('href')));
        expect(targets).toEqual(['#khung-gio-dau', '#so-dien-thoai', '#can-nang', '#gioi-tinh-nu']);
        expect(await page.isChecked('#dong-y')).toBe(true);
        expect(await page.inputValue('#ho-ten')).toBe('Lê Văn Tâm');
        if (!javaScriptEnabled) await page.screenshot({ path: '/tmp/citizen-error-summary.png', fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
});

describe('answers to bad and hostile requests', () => {
  const slot = () => driveSlots(firstDrive)[2]?.id ?? '';

  test('a post from another site, or with no Origin, is refused with 403, in Vietnamese', async () => {
    const foreign = await postSignup(baseUrl, person(firstDrive.slug, slot()), 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('chỉ được nhận khi gửi từ chính trang web này');
    const noOrigin = await fetch(`${baseUrl}/dang-ky/?_action=signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(person(firstDrive.slug, slot())),
    });
    expect(noOrigin.status).toBe(403);
    expect(await noOrigin.text()).toContain('chỉ được nhận khi gửi từ chính trang web này');
    for (const origin of ['null', 'http://localhost.evil.example', `${baseUrl}.evil.example`, 'not a url']) {
      expect((await postSignup(baseUrl, person(firstDrive.slug, slot()), origin)).status, origin).toBe(403);
    }
  });

  test('an oversized body is refused with 413 and nothing is stored', async () => {
    const phone = newPhone();
    const response = await postSignup(baseUrl, {
      ...person(firstDrive.slug, slot(), phone),
      notes: 'x'.repeat(20_000),
    });
    expect(response.status).toBe(413);
    expect(withStore((store) => store.list().some((s) => s.phone === `+84${phone.slice(1)}`))).toBe(false);
  });

  test('the honeypot is refused quietly: a neutral page, nothing stored', async () => {
    const phone = newPhone();
    const response = await postSignup(baseUrl, {
      ...person(firstDrive.slug, slot(), phone),
      website: 'https://spam.example',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(codeOf(html)).toBeUndefined();
    expect(html).toContain('Nếu bạn không nhận được mã xác nhận');
    expect(withStore((store) => store.list().some((s) => s.phone === `+84${phone.slice(1)}`))).toBe(false);
  });

  test('a cancelled or past drive, and an unknown one, cannot be signed up for', async () => {
    const cancelled = drives.find((d) => d.status === 'cancelled');
    const past = drives.find((d) => !isOpen(d, new Date()) && d.status !== 'cancelled');
    for (const drive of [
      cancelled,
      past,
      { slug: 'khong-co', start: new Date(), end: new Date(), slots: { minutes: 60, places: 1 } },
    ]) {
      if (!drive) continue;
      const response = await postSignup(baseUrl, person(drive.slug, driveSlots(drive)[0]?.id ?? 'x'));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('không còn nhận đăng ký');
    }
  });

  test('personal data does not appear in the places-left answer', async () => {
    const body = await (await fetch(`${baseUrl}/api/diem-hien-mau/${firstDrive.slug}/cho-trong.json`)).text();
    expect(body).not.toMatch(/\+84|Phạm|Trần/);
    const places = JSON.parse(body) as { slot: string; capacity: number; taken: number }[];
    expect(places.map((p) => p.slot)).toEqual(driveSlots(firstDrive).map((s) => s.id));
    expect((await fetch(`${baseUrl}/api/diem-hien-mau/khong-co/cho-trong.json`)).status).toBe(404);
  });

  test('the team page shows registered teams with counts, never names; unregistered codes stay off it', async () => {
    const team = `DOI-${phoneCounter}`;
    signupsCli(['team', 'add', team, 'Đội thử nghiệm', '--db', signupDb], () => undefined);
    await postSignup(baseUrl, { ...person(firstDrive.slug, slot()), teamCode: team });
    await postSignup(baseUrl, { ...person(firstDrive.slug, slot()), teamCode: 'GOI-0912345678' });
    const html = await (await fetch(`${baseUrl}/doi-nhom/`)).text();
    expect(html).toContain(team);
    expect(html).toContain('Đội thử nghiệm');
    expect(html).not.toContain('GOI-0912345678');
    expect(html).not.toContain('Trần Thị Mai');
  });

  test("someone else's phone number reveals nothing: a place of their own, not the first person's code", async () => {
    const phone = newPhone();
    const first = codeOf(await (await postSignup(baseUrl, person(firstDrive.slug, slot(), phone))).text());
    const response = await postSignup(baseUrl, {
      ...person(firstDrive.slug, slot(), phone),
      fullName: 'Người Lạ',
      birthYear: '1980',
    });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(first).toBeDefined();
    expect(codeOf(html)).toBeDefined();
    expect(codeOf(html)).not.toBe(first);
    expect(html).not.toContain(first ?? '-');
    expect(html).not.toContain('Trần Thị Mai');
    expect(html).toContain('Đăng ký thành công');
    expect(html).not.toContain('đã gửi mẫu này rồi');
  });

  test('the same form sent twice (double tap, back button) gets its own confirmation back, one place taken', async () => {
    const formToken = (await fetch(`${baseUrl}/api/diem-hien-mau/${firstDrive.slug}/cho-trong.json`)).headers.get(
      'X-Form-Token',
    );
    await new Promise((done) => setTimeout(done, HUMAN_FILL_MS));
    const fields = { ...person(firstDrive.slug, slot()), formToken: formToken ?? '' };
    const [a, b] = await Promise.all([
      postForm(baseUrl, '/dang-ky/?_action=signup', fields).then((r) => r.text()),
      postForm(baseUrl, '/dang-ky/?_action=signup', fields).then((r) => r.text()),
    ]);
    expect(codeOf(a)).toBeDefined();
    expect(codeOf(b)).toBe(codeOf(a));
    expect(`${a}${b}`).toContain('Bạn đã gửi mẫu này rồi');
    const phone = `+84${fields.phone.slice(1)}`;
    expect(withStore((store) => store.list().filter((s) => s.phone === phone))).toHaveLength(1);
  });

  test('a post without a valid form token gets the form back with its answers and a fresh token, nothing stored', async () => {
    const phone = newPhone();
    for (const formToken of ['', 'forged', `${Date.now() - 60_000}.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const response = await postForm(baseUrl, '/dang-ky/?_action=signup', {
        ...person(firstDrive.slug, slot(), phone),
        formToken,
      });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('bấm &quot;Đăng ký hiến máu&quot; lần nữa');
      expect(html).toContain('value="Trần Thị Mai"');
      expect(/name="formToken" value="\d{13}\.[\w-]{12}\.[\w-]{22}"/.test(html)).toBe(true);
    }
    expect(withStore((store) => store.list().some((s) => s.phone === `+84${phone.slice(1)}`))).toBe(false);
  });

  test('cancel answers a wrong code and an unknown phone alike, and stops guessing with 429', async () => {
    const cancel = (code: string, phone: string, address: string) =>
      postForm(
        baseUrl,
        '/dang-ky/huy/?_action=cancelSignup',
        { code, phone },
        { headers: { 'X-Forwarded-For': address } },
      );
    const real = codeOf(await (await postSignup(baseUrl, person(firstDrive.slug, slot(), '0909111222'))).text()) ?? '';
    const wrongCode = await cancel('0000000000', '0909111222', '1.1.1.1');
    const unknownPhone = await cancel(real, '0909999888', '1.1.1.1');
    expect([wrongCode.status, unknownPhone.status]).toEqual([404, 404]);
    const message = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1];
    expect(message(await wrongCode.text())).toBe(message(await unknownPhone.text()));
    // Five tries per phone in ten minutes, whatever the code (X-Forwarded-For is ignored without TRUST_PROXY).
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await cancel(`ABCD00000${i}`, '0909111222', `9.9.9.${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(withStore((store) => store.byCode(real)?.cancelledAt)).toBeNull();
  });
});

describe('servers of their own', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'signup-servers-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('the per-address limit answers 429 with a Vietnamese message', async () => {
    const site = await startSite({ SIGNUP_DB: join(folder, 'limit.sqlite'), SIGNUP_RATE_LIMIT: '2' });
    try {
      const slot = driveSlots(firstDrive)[0]?.id ?? '';
      expect((await postSignup(site.url, person(firstDrive.slug, slot))).status).toBe(200);
      expect((await postSignup(site.url, person(firstDrive.slug, slot))).status).toBe(200);
      const third = await postSignup(site.url, person(firstDrive.slug, slot));
      expect(third.status).toBe(429);
      expect(await third.text()).toContain('Có quá nhiều lượt đăng ký từ cùng một mạng');
    } finally {
      await site.stop();
    }
  });

  test('a database that cannot take the sign-up answers 503 with a message, never a confirmation', async () => {
    const path = join(folder, 'locked.sqlite');
    const site = await startSite({ SIGNUP_DB: path, SIGNUP_RATE_LIMIT: '1000' });
    // Another process holds the write lock longer than the server waits (8 s, retried from a timer): a stuck backup or disk.
    const holder = new DatabaseSync(path);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const response = await postSignup(site.url, person(firstDrive.slug, driveSlots(firstDrive)[0]?.id ?? ''));
      expect(response.status).toBe(503);
      const html = await response.text();
      expect(html).toContain('chưa lưu được đăng ký');
      expect(codeOf(html)).toBeUndefined();
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      await site.stop();
    }
  });

  test('200 people at once for a slot of 50 places: exactly 50 get one', { timeout: 120_000 }, async () => {
    const drive = open.find((d) => d.slots.places === 50) ?? firstDrive;
    const slot = driveSlots(drive)[0];
    if (!slot) throw new Error('no slot');
    const site = await startSite({ SIGNUP_DB: join(folder, 'load.sqlite'), SIGNUP_RATE_LIMIT: '100000' });
    try {
      const responses = await Promise.all(
        (await agedFormTokens(site.url, drive.slug, slot.places * 4)).map((formToken, i) =>
          postForm(site.url, '/dang-ky/?_action=signup', {
            ...person(drive.slug, slot.id, `097${String(i).padStart(7, '0')}`),
            formToken,
          }).then(async (r) => ({
            status: r.status,
            html: await r.text(),
          })),
        ),
      );
      const accepted = responses.filter((r) => r.status === 200 && codeOf(r.html));
      const full = responses.filter((r) => r.status === 409);
      expect(accepted).toHaveLength(slot.places);
      expect(full).toHaveLength(slot.places * 3);
      expect(full.every((r) => r.html.includes('hết chỗ'))).toBe(true);
      expect(
        withStore(
          (store) => store.takenBySlot(drive.slug, [{ id: slot.id, end: toIsoWithOffset(slot.end) }]).get(slot.id),
          join(folder, 'load.sqlite'),
        ),
      ).toBe(slot.places);
    } finally {
      await site.stop();
    }
  });

  test(
    'kill -9 during a stream of sign-ups: every confirmed one survives, the file is intact',
    { timeout: 120_000 },
    async () => {
      const path = join(folder, 'crash.sqlite');
      const targets = open.flatMap((d) => driveSlots(d).map((s) => ({ drive: d.slug, slot: s.id })));
      const site = await startSite({ SIGNUP_DB: path, SIGNUP_RATE_LIMIT: '100000' });
      const confirmed: string[] = [];
      let sent = 0;
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const i = sent++;
          const target = targets[i % targets.length];
          if (!target) return;
          try {
            const response = await postSignup(
              site.url,
              person(target.drive, target.slot, `086${String(i).padStart(7, '0')}`),
            );
            const code = codeOf(await response.text());
            if (code) confirmed.push(code);
          } catch {
            return; // the server is gone
          }
          if (confirmed.length >= 150 && !killed) {
            killed = true;
            await site.kill();
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(confirmed.length).toBeGreaterThanOrEqual(150);

      const restarted = await startSite({ SIGNUP_DB: path });
      try {
        expect((await fetch(`${restarted.url}/dang-ky/`)).status).toBe(200);
        withStore((store) => {
          expect(store.integrityCheck()).toBe('ok');
          const missing = confirmed.filter((code) => !store.byCode(code));
          expect(missing).toEqual([]);
        }, path);
      } finally {
        await restarted.stop();
      }
    },
  );
});
