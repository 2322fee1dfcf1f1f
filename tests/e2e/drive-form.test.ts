/**
 * The console's drive form (src/editor/DriveForm.astro, drive-console.ts, docs/editors.md
 * "A drive in the form") in the running server, without a build (tests/e2e/publish.test.ts
 * publishes one made in it): in Chromium at 390 and 1280 px (axe finding nothing) the map is tapped for the position,
 * the slots follow the times and a slot length that does not fit is named at once; without
 * JavaScript the post comes back with each message beside its field and the typed values; a
 * drive with sign-ups says what a change touches, keeps its name, and a cancellation asks once
 * more. Then the hostile posts: path tricks in ?tep= as a table and a bounded fuzz, wrong types,
 * huge values, another origin, a replayed post, staff and a unit's account.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { FORM_NAMES, type DriveFormValues } from '../../src/editor/drive-form.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { TEST_PASSWORD, signIn, signInPage } from './console-accounts.ts';
import { readDrives } from './drive-data.ts';
import { codeOf, freshFormToken, postForm } from './forms.ts';

const folder = mkdtempSync(join(tmpdir(), 'drive-form-'));
const shots = '/tmp/shots-drive-form';
mkdirSync(shots, { recursive: true });
const signupDb = join(folder, 'signups.sqlite');
const FORM = '/to-chuc/noi-dung/diem-hien-mau/';

const [firstOpen] = nextOpenDrives(await readDrives(), new Date(), 5);
if (!firstOpen) throw new Error('the test site needs an upcoming drive');
const open = firstOpen;

const site = await startSite({
  SIGNUP_DB: signupDb,
  CONTENT_DIR: FIXTURE_CONTENT,
  CONTENT_REPO: join(folder, 'noi-dung'),
  PUBLISH_DIR: join(folder, 'ban-dung'),
  PUBLISH_CHECK_MINUTES: '0',
  SIGNUP_RATE_LIMIT: '100000',
  LOGIN_RATE_LIMIT: '100000',
});
const openPage = useSiteBrowser(site.url);
const stamp = Date.now() % 100_000;
const editor = `btdot${stamp}`;
const staff = `nvdot${stamp}`;
const unit = `dvdot${stamp}`;
// The fuzz has an account of its own: its posts would spend the editor's rate limit.
const fuzzer = `btfuzz${stamp}`;
let editorCookie = '';

const cli = (...args: string[]) =>
  runCommand(
    [...args, '--db', signupDb],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );

/** A day ahead in Cà Mau, yyyy-mm-dd. */
const dayAhead = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + days * 86_400_000));

const fields = (extra: Partial<DriveFormValues> = {}): Record<string, string> => {
  const values: Partial<DriveFormValues> = {
    name: 'Ngày hội hiến máu khóm 4 phường Tân Thành',
    organiser: 'Hội Chữ thập đỏ phường Tân Thành',
    address: 'Nhà văn hóa khóm 4, đường Lý Thường Kiệt, phường Tân Thành',
    commune: 'Phường Tân Thành',
    oldNames: 'phường 6',
    latitude: '9.1702',
    longitude: '105.1630',
    day: dayAhead(20),
    startTime: '07:00',
    endTime: '11:00',
    slotMinutes: '30',
    places: '10',
    status: 'scheduled',
    unitsTarget: '100',
    unitsGiven: '',
    phone: '0290 3831 000',
    notes: '',
    slug: '',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(values).map(([field, value]) => [FORM_NAMES[field as keyof DriveFormValues], value ?? '']),
  );
};

const post = (body: Record<string, string>, cookie = editorCookie, options: { origin?: string } = {}) =>
  postForm(site.url, FORM, body, { headers: { Cookie: cookie }, ...options });

beforeAll(async () => {
  await cli('team', 'add', 'DV-DOT-FORM', 'Đoàn phường Tân Thành');
  await cli('user', 'add', editor, '--role', 'editor');
  await cli('user', 'add', fuzzer, '--role', 'editor');
  await cli('user', 'add', staff, '--role', 'staff', '--drive', open.slug);
  await cli('user', 'add', unit, '--role', 'unit', '--team', 'DV-DOT-FORM');
  editorCookie = await signIn(site.url, editor);
});

afterAll(async () => {
  if (process.env['PRINT_SERVER']) console.log(site.output().slice(-6000));
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('the drive form in Chromium', () => {
  test.each([
    ['390', { viewport: { width: 390, height: 844 }, isMobile: true }],
    ['1280', { viewport: { width: 1280, height: 900 } }],
  ])(
    'at %s px: the map is tapped, the slots follow the times, a slot length that does not fit is named',
    async (width, options) => {
      const page = await openPage(options);
      await signInPage(page.page, site.url, editor);
      await page.page.goto(`${site.url}/to-chuc/noi-dung/`);
      await Promise.all([page.page.waitForURL(`${site.url}${FORM}`), page.page.click('[data-add-drive]')]);
      await page.page.waitForSelector('[data-position-map][data-map-ready="true"]');
      await page.page.fill('#dm-ten', `Hiến máu thử biểu mẫu ${width}`);
      await page.page.fill('#dm-ngay', dayAhead(21));
      expect(await page.page.inputValue('#dm-ten-tep')).toMatch(
        new RegExp(`^hien-mau-thu-bieu-mau-${width}-\\d{2}-\\d{2}-\\d{4}$`),
      );
      await page.page.locator('[data-position-map]').click();
      await page.page.waitForSelector('[data-position-map] .drive-marker');
      const latitude = Number(await page.page.inputValue('#dm-vi-do'));
      const longitude = Number(await page.page.inputValue('#dm-kinh-do'));
      expect(latitude).toBeGreaterThan(8.3);
      expect(latitude).toBeLessThan(10);
      expect(longitude).toBeGreaterThan(104.4);
      expect(longitude).toBeLessThan(106.2);
      expect(await page.page.textContent('[data-position-said]')).toContain('Đã đặt vị trí');
      await page.page.fill('#dm-bat-dau', '07:00');
      await page.page.fill('#dm-ket-thuc', '10:00');
      await page.page.fill('#dm-phut', '40');
      expect(await page.page.textContent('#dm-phut-loi')).toContain('phải chia đều thời gian của buổi');
      expect(await page.page.getAttribute('#dm-phut', 'aria-invalid')).toBe('true');
      expect(await page.page.textContent('[data-slots-summary]')).toContain('chưa chia đều');
      expect(await page.page.locator('[data-slot-list] li').count()).toBe(0);
      await page.page.screenshot({ path: `${shots}/island-slot-40-${width}.png`, fullPage: true });
      expect(await axeViolations(page.page)).toEqual([]);
      await page.page.fill('#dm-phut', '60');
      expect(await page.page.textContent('#dm-phut-loi')).toBe('');
      expect(await page.page.getAttribute('#dm-phut', 'aria-invalid')).toBeNull();
      expect(await page.page.locator('[data-slot-list] li').allTextContents()).toEqual([
        '07:00–08:00: 10 chỗ',
        '08:00–09:00: 10 chỗ',
        '09:00–10:00: 10 chỗ',
      ]);
      expect(page.errors).toEqual([]);
      expect(page.outsideRequests).toEqual([]);
    },
  );

  test('without JavaScript: the post comes back with each message beside its field and the values typed', async () => {
    const page = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
    await signInPage(page.page, site.url, editor);
    await page.page.goto(`${site.url}${FORM}`);
    expect(await page.page.textContent('[data-map-fallback]')).toContain('gõ vĩ độ và kinh độ');
    const typed = fields({ slotMinutes: '45', phone: '12', name: 'Ngắn' });
    for (const [name, value] of Object.entries(typed)) {
      if (name === 'trang-thai') continue;
      await page.page.fill(`[name="${name}"]`, value);
    }
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-save]')]);
    expect(await page.page.textContent('[data-editor-notice]')).toContain('Chưa lưu: 3 chỗ cần sửa');
    expect(await page.page.textContent('#dm-phut-loi')).toContain('phải chia đều');
    expect(await page.page.textContent('#dm-dien-thoai-loi')).toContain('số điện thoại Việt Nam');
    expect(await page.page.textContent('#dm-ten-loi')).toContain('ít nhất 10 ký tự');
    expect(await page.page.getAttribute('#dm-phut', 'aria-invalid')).toBe('true');
    expect(await page.page.getAttribute('#dm-phut', 'aria-describedby')).toContain('dm-phut-loi');
    expect(await page.page.inputValue('#dm-dia-chi')).toBe(typed['dia-chi']);
    expect(await page.page.inputValue('#dm-phut')).toBe('45');
    await page.page.screenshot({ path: `${shots}/no-js-messages-390.png`, fullPage: true });
    await page.page.fill('#dm-phut', '30');
    await page.page.fill('#dm-dien-thoai', '0290 3831 000');
    await page.page.fill('#dm-ten', 'Ngày hội hiến máu không cần JavaScript');
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-save]')]);
    expect(await page.page.textContent('[data-editor-notice]')).toContain(
      'Đã lưu drives/ngay-hoi-hien-mau-khong-can-javascript-',
    );
  });
});

describe('a drive with sign-ups', () => {
  const path = `drives/${open.slug}.yaml`;
  const slots = driveSlots(open);

  test('says what a change touches, keeps its name, and asks once more before cancelling', async () => {
    // Two people sign up for the drive's first slot.
    for (const phone of ['0913111001', '0913111002']) {
      const answer = await postForm(site.url, '/dang-ky/?_action=signup', {
        drive: open.slug,
        slot: slots[0]?.id ?? '',
        fullName: 'Người Đăng Ký Thử',
        phone,
        birthYear: '1990',
        sex: 'female',
        weightKg: '52',
        consent: 'yes',
        formToken: await freshFormToken(site.url, open.slug, 5),
      });
      expect(codeOf(await answer.text())).toBeDefined();
    }
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(page.page, site.url, editor);
    await page.page.goto(`${site.url}/to-chuc/noi-dung/`);
    await Promise.all([page.page.waitForLoadState('load'), page.page.click(`[data-edit-drive="${path}"]`)]);
    await page.page.waitForSelector('drive-form[data-ready="true"]');
    expect(await page.page.textContent('[data-impact]')).toContain('đang có 2 người đăng ký');
    expect(await page.page.getAttribute('#dm-ten-tep', 'readonly')).not.toBeNull();
    expect(await page.page.textContent('#dm-ten-tep-goi-y')).toContain('không đổi tên tệp được');
    // A later start takes the first slot away: the island counts the two people it touches.
    const later = (slots[1]?.start ?? open.start).toLocaleTimeString('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      minute: '2-digit',
    });
    await page.page.fill('#dm-bat-dau', later);
    await page.page.waitForFunction(() =>
      document.querySelector('[data-impact]')?.textContent?.includes('2 người đã đăng ký ở khung giờ không còn'),
    );
    await page.page.screenshot({ path: `${shots}/signups-impact-1280.png`, fullPage: true });
    await page.page.goto(`${site.url}/to-chuc/noi-dung/diem-hien-mau/?tep=${path}`);
    await page.page.selectOption('#dm-trang-thai', 'cancelled');
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-save]')]);
    const asked = await page.page.textContent('[data-confirm-cancel]');
    expect(asked).toContain('Bạn sắp hủy đợt này');
    expect(asked).toContain('0 người sẽ nhận tin báo');
    await page.page.screenshot({ path: `${shots}/cancel-confirm-1280.png`, fullPage: true });
    const small = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signInPage(small.page, site.url, editor);
    await small.page.goto(`${site.url}/to-chuc/noi-dung/diem-hien-mau/?tep=${path}`);
    await small.page.selectOption('#dm-trang-thai', 'cancelled');
    await Promise.all([small.page.waitForLoadState('load'), small.page.click('[data-save]')]);
    await small.page.screenshot({ path: `${shots}/cancel-confirm-390.png`, fullPage: true });
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-confirm-button]')]);
    expect(await page.page.textContent('[data-editor-notice]')).toContain(`Đã lưu ${path}`);
    expect(await page.page.inputValue('#dm-trang-thai')).toBe('cancelled');
    // The second page was drawn from the version before: its confirm is told the file moved on.
    await Promise.all([small.page.waitForLoadState('load'), small.page.click('[data-confirm-button]')]);
    expect(await small.page.textContent('[data-editor-notice]')).toContain('sau khi bạn mở trang');
    expect(page.errors).toEqual([]);
  });
});

describe('hostile requests to the drive form', () => {
  let staffCookie = '';
  let unitCookie = '';
  let fuzzCookie = '';
  beforeAll(async () => {
    fuzzCookie = await signIn(site.url, fuzzer);
    staffCookie = await signIn(site.url, staff);
    unitCookie = await signIn(site.url, unit);
  });

  test.each([
    ['../package.json', 422],
    ['%2e%2e%2fpackage.json', 422],
    ['drives%2F..%2F..%2Fpackage.json', 422],
    ['drives%2Fa.yaml%00.png', 422],
    ['drives%2F%D0%B0.yaml', 422],
    ['drives%2Fa%EF%BC%8Eyaml', 422],
    ['.git%2Fconfig', 422],
    ['drives%2Fcon.yaml', 422],
    ['%2Fetc%2Fpasswd', 422],
    ['drives%5C..%5Ca.yaml', 422],
    ['news%2Fa.mdx', 422],
    ['campaign.yaml', 422],
    ['drives%2Fkhong-co-dot-nay.yaml', 404],
  ])('?tep=%s is refused with a message (%i)', async (query, status) => {
    const answer = await fetch(`${site.url}${FORM}?tep=${query}`, { headers: { Cookie: editorCookie } });
    expect(answer.status).toBe(status);
    expect(await answer.text()).toMatch(/Tên tệp không hợp lệ|chỉ sửa tệp đợt hiến máu|không có trong kho/);
  });

  test('any ?tep= gets a page or a refusal, never a failure (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, unit: 'binary' }), async (text) => {
        const answer = await fetch(`${site.url}${FORM}?tep=${encodeURIComponent(text)}`, {
          headers: { Cookie: editorCookie },
        });
        expect([200, 404, 422]).toContain(answer.status);
        await answer.body?.cancel();
      }),
      { numRuns: 40 },
    );
  });

  test('any field of any type or size gets the form back with messages, never a failure (fuzz)', async () => {
    const names = Object.values(FORM_NAMES);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...names, 'tep', 'goc', 'xac-nhan'),
          fc.oneof(
            fc.string({ maxLength: 30, unit: 'binary' }),
            fc.constantFrom('', '-1', '1e400', '9'.repeat(300), 'NaN', '2026-02-30', '25:61', 'cancelled'),
          ),
          { maxKeys: 8 },
        ),
        async (extra) => {
          const answer = await post({ ...fields(), ...extra }, fuzzCookie);
          expect([200, 404, 409, 422]).toContain(answer.status);
          await answer.body?.cancel();
        },
      ),
      { numRuns: 40 },
    );
  });

  test('huge values and wrong types are named, not stored', async () => {
    const huge = await post(
      fields({ name: 'Tên '.repeat(20_000), places: '9'.repeat(40), latitude: '[1,2]', status: 'x'.repeat(50) }),
    );
    expect(huge.status).toBe(422);
    const html = await huge.text();
    expect(html).toContain('Dài quá');
    expect(html).toContain('quá lớn');
    const json = await fetch(`${site.url}${FORM}`, {
      method: 'POST',
      headers: { Origin: site.url, Cookie: editorCookie, 'Content-Type': 'application/json' },
      body: JSON.stringify(fields()),
    });
    expect(json.status).toBe(415);
    // A multipart body cut short is told it cannot be read (400), never a 500.
    const cut = await fetch(`${site.url}${FORM}`, {
      method: 'POST',
      headers: {
        Origin: site.url,
        Cookie: editorCookie,
        'Content-Type': 'multipart/form-data; boundary=----ranh-gioi',
      },
      body: '------ranh-gioi\r\nContent-Disposition: form-data; name="name"\r\n\r\nĐợt bị cắt',
    });
    expect(cut.status).toBe(400);
    expect(await cut.text()).not.toContain('Error');
  });

  test('another origin, no session, staff and a unit’s account are refused', async () => {
    const body = fields({ name: 'Ngày hội hiến máu từ nơi khác đến' });
    expect((await post(body, editorCookie, { origin: 'https://ke-gian.example' })).status).toBe(403);
    expect([303, 401]).toContain((await postForm(site.url, FORM, body)).status);
    for (const cookie of [staffCookie, unitCookie]) {
      const posted = await post(body, cookie);
      expect(posted.status).toBe(403);
      expect(await posted.text()).toContain('không được sửa nội dung');
      expect((await fetch(`${site.url}${FORM}`, { headers: { Cookie: cookie } })).status).toBe(403);
    }
  });

  test('a replayed post changes nothing: a new drive twice is one drive; an edit from an old version is told', async () => {
    const body = fields({ name: 'Ngày hội hiến máu gửi lại hai lần', slug: 'ngay-hoi-gui-lai' });
    const first = await post(body);
    expect(first.status).toBe(200);
    const html = await first.text();
    const base = /name="goc" value="([0-9a-f]{40})"/.exec(html)?.[1] ?? '';
    expect(base).not.toBe('');
    const again = await post(body);
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('drives/ngay-hoi-gui-lai.yaml đã có');
    const edit = { ...body, tep: 'drives/ngay-hoi-gui-lai.yaml', goc: base, [FORM_NAMES.places]: '12' };
    expect((await post(edit)).status).toBe(200);
    const replayed = await post(edit);
    expect(replayed.status).toBe(409);
    expect(await replayed.text()).toContain('sau khi bạn mở trang');
    expect((await post({ ...edit, goc: '--output=/tmp/x' })).status).toBe(422);
  });
});
