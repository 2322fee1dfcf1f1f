/**
 * Content history and publishing in the running server (src/editor/, docs/editors.md
 * "Lịch sử và xuất bản"), with one good build and one failed one for the whole file (each
 * takes a minute or more on the shared machine). An editor in Chromium at 390 px saves a new
 * drive through the content repository and publishes; while the build runs and the server
 * switches, people keep signing up for another drive and none is refused; after it the new
 * drive is on the map page and /dang-ky/ and a person signs up for it, nothing restarted. A
 * broken drive committed behind the editor's back makes the next publish fail with its
 * message while the site stays as it was. Then the hostile posts: another origin, a replayed
 * revert, staff publishing, path tricks as a table and a bounded fuzz, wrong content types,
 * two publishes at once, and the rate limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';
import { startSite } from '../../scripts/start-site.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { useSiteBrowser, type SitePage } from './browser.ts';
import { TEST_PASSWORD, signIn, signInPage } from './console-accounts.ts';
import { readDrives } from './drive-data.ts';
import { codeOf, freshFormToken, postForm } from './forms.ts';

const folder = mkdtempSync(join(tmpdir(), 'publish-'));
const shots = '/tmp/shots-editor-publish';
mkdirSync(shots, { recursive: true });
const signupDb = join(folder, 'signups.sqlite');
const contentRepo = join(folder, 'noi-dung');
const publishDir = join(folder, 'ban-dung');
const NEW_DRIVE = 'hien-mau-xa-moi-xuat-ban';
// The command line in this process (content history, audit) reads the same settings as the server.
Object.assign(process.env, { CONTENT_REPO: contentRepo, PUBLISH_DIR: publishDir, CONTENT_DIR: FIXTURE_CONTENT });
const BROKEN_DRIVE = 'dot-hong-sau-lung';
/** Screenshots of the drive form's done-when steps (issue 24), beside the drive form's own. */
const formShots = '/tmp/shots-drive-form';
mkdirSync(formShots, { recursive: true });

const [firstOpen] = nextOpenDrives(await readDrives(), new Date(), 5);
if (!firstOpen) throw new Error('the test site needs an upcoming drive');
// A const of the narrowed type, for the functions below (a top-level check does not narrow inside them).
const other = firstOpen;
const otherSlots = driveSlots(other);

// Started here rather than in beforeAll: the browser helper takes the site's address at once.
const site = await startSite({
  SIGNUP_DB: signupDb,
  CONTENT_DIR: FIXTURE_CONTENT,
  CONTENT_REPO: contentRepo,
  PUBLISH_DIR: publishDir,
  PUBLISH_CHECK_MINUTES: '0',
  SIGNUP_RATE_LIMIT: '100000',
  LOGIN_RATE_LIMIT: '100000',
});
const openPage = useSiteBrowser(site.url);
const editor = `bientap${Date.now() % 100_000}`;
const staff = `nhanvien${Date.now() % 100_000}`;

async function addAccount(username: string, role: 'editor' | 'staff'): Promise<void> {
  await runCommand(
    ['user', 'add', username, '--role', role, ...(role === 'staff' ? ['--drive', other.slug] : []), '--db', signupDb],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );
}

const signupFields = (drive: string, slot: string, phone: string) => ({
  drive,
  slot,
  fullName: 'Lê Thị Xuất Bản',
  phone,
  birthYear: '1990',
  sex: 'female',
  weightKg: '52',
  consent: 'yes',
});

async function signUp(drive: string, slot: string, phone: string): Promise<{ status: number; code?: string }> {
  const response = await postForm(site.url, '/dang-ky/?_action=signup', {
    ...signupFields(drive, slot, phone),
    formToken: await freshFormToken(site.url, drive, 5),
  });
  const html = await response.text();
  const code = codeOf(html);
  return code ? { status: response.status, code } : { status: response.status };
}

interface Progress {
  run?: { state: string; message?: string; log: string[]; queued: boolean };
  served?: { commit: string };
}

async function progress(cookie: string): Promise<Progress> {
  const answer = await fetch(`${site.url}/to-chuc/xuat-ban/tien-do.json`, { headers: { Cookie: cookie } });
  return (await answer.json()) as Progress;
}

/** Waits until no build runs or waits, and returns the last run. */
async function publishEnds(cookie: string, timeoutMs = 400_000): Promise<NonNullable<Progress['run']>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { run } = await progress(cookie);
    if (run && !run.queued && (run.state === 'done' || run.state === 'failed')) return run;
    if (Date.now() > until) throw new Error(`the publish did not end: ${JSON.stringify(run)}`);
    await new Promise((done) => setTimeout(done, 1_000));
  }
}

/** A new drive file, from the upcoming drive's own (its day and slots), under another name. */
function newDriveText(): string {
  const text = readFileSync(join(FIXTURE_CONTENT, 'drives', `${other.slug}.yaml`), 'utf8');
  return text
    .replace(/^name: .*$/m, 'name: Ngày hội hiến máu mới từ bàn biên tập')
    .replace(/^unitsGiven: .*$/m, '')
    .replace(/^status: .*$/m, 'status: scheduled');
}

/** A day ahead in Cà Mau, yyyy-mm-dd, as the date picker gives it. */
const dayAhead = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + days * 86_400_000));

/**
 * A new editor's way to a drive (issue 24's done-when): from the content page to "Thêm đợt
 * hiến máu", the fields typed, the position by tapping the map, the day and times picked, a
 * slot length that does not fit named beside its field (at once, and by the server when saved
 * anyway), then fixed and saved. Returns the drive's slug, proposed from its name and day.
 */
async function createDriveInForm(page: SitePage, width: number, name: string, day: string): Promise<string> {
  const shot = (step: string) =>
    page.page.screenshot({ path: `${formShots}/done-${step}-${width}.png`, fullPage: true });
  await page.page.goto(`${site.url}/to-chuc/noi-dung/`);
  await Promise.all([
    page.page.waitForURL(`${site.url}/to-chuc/noi-dung/diem-hien-mau/`),
    page.page.click('[data-add-drive]'),
  ]);
  await page.page.waitForSelector('[data-position-map][data-map-ready="true"]');
  await shot('01-empty-form');
  await page.page.fill('#dm-ten', name);
  await page.page.fill('#dm-don-vi', 'Hội Chữ thập đỏ phường Tân Thành');
  await page.page.fill('#dm-dien-thoai', '0290 3831 000');
  await page.page.fill('#dm-dia-chi', 'Nhà văn hóa khóm 2, đường Nguyễn Tất Thành, phường Tân Thành');
  await page.page.fill('#dm-xa', 'Phường Tân Thành');
  await page.page.locator('[data-position-map]').click();
  await page.page.waitForSelector('[data-position-map] .drive-marker');
  expect(await page.page.textContent('[data-position-said]')).toContain('Đã đặt vị trí');
  await page.page.fill('#dm-ngay', day);
  await page.page.fill('#dm-bat-dau', '07:00');
  await page.page.fill('#dm-ket-thuc', '10:00');
  await page.page.fill('#dm-phut', '40');
  await page.page.fill('#dm-cho', '15');
  await page.page.fill('#dm-chi-tieu', '80');
  expect(await page.page.textContent('#dm-phut-loi')).toContain('phải chia đều thời gian của buổi');
  await shot('02-slot-length-named');
  await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-save]')]);
  expect(await page.page.textContent('[data-editor-notice]')).toContain('Chưa lưu: 1 chỗ cần sửa');
  expect(await page.page.textContent('#dm-phut-loi')).toContain('buổi kéo dài 180 phút, từ 07:00 đến 10:00');
  await page.page.locator('#dm-phut').scrollIntoViewIfNeeded();
  await page.page.screenshot({ path: `${formShots}/done-03-refused-${width}.png` });
  await page.page.fill('#dm-phut', '60');
  expect(await page.page.textContent('#dm-phut-loi')).toBe('');
  expect(await page.page.locator('[data-slot-list] li').count()).toBe(3);
  const slug = await page.page.inputValue('#dm-ten-tep');
  await Promise.all([page.page.waitForLoadState('load'), page.page.click('[data-save]')]);
  expect(await page.page.textContent('[data-editor-notice]')).toContain(`Đã lưu drives/${slug}.yaml`);
  await shot('04-saved');
  return slug;
}

beforeAll(async () => {
  await addAccount(editor, 'editor');
  await addAccount(staff, 'staff');
});

afterAll(async () => {
  if (process.env['PRINT_SERVER']) console.log(site.output().slice(-6000));
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('an editor saves and publishes; the new drive takes sign-ups with nothing restarted', () => {
  test(
    'save in the console, publish, sign-ups kept during the switch, the drive on the map and /dang-ky/',
    { timeout: 600_000 },
    async () => {
      const page = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
      await signInPage(page.page, site.url, editor);
      await page.page.screenshot({ path: `${shots}/01-console-390.png`, fullPage: true });
      await page.page.click('a:has-text("Nội dung và lịch sử")');
      await page.page.waitForURL(`${site.url}/to-chuc/noi-dung/`);
      await page.page.screenshot({ path: `${shots}/02-files-390.png`, fullPage: true });

      await page.page.goto(`${site.url}/to-chuc/noi-dung/lich-su/?tep=drives/${NEW_DRIVE}.yaml`);
      await page.page.fill('#noi-dung-tep', newDriveText());
      await Promise.all([page.page.waitForLoadState('load'), page.page.click('button:has-text("Lưu phiên bản mới")')]);
      expect(await page.page.textContent('[data-editor-notice]')).toContain(`Đã lưu drives/${NEW_DRIVE}.yaml`);
      await page.page.screenshot({ path: `${shots}/03-saved-390.png`, fullPage: true });
      // Two more drives made in the drive form, at 1280 px and at 390 px, published by the same build.
      const wide = await openPage({ viewport: { width: 1280, height: 900 } });
      await signInPage(wide.page, site.url, editor);
      const wideDrive = await createDriveInForm(wide, 1280, 'Ngày hội hiến máu khóm 2 phường Tân Thành', dayAhead(12));
      const phoneDrive = await createDriveInForm(page, 390, 'Hiến máu tình nguyện đoàn viên Tân Thành', dayAhead(13));
      expect(wideDrive).toMatch(/^ngay-hoi-hien-mau-khom-2-phuong-tan-thanh-\d{2}-\d{2}-\d{4}$/);
      // The form refused with the slot length answers 422, which Chromium reports; nothing else.
      const besidesRefusal = (errors: string[]) => errors.filter((e) => !e.includes('status of 422'));
      expect(besidesRefusal(wide.errors)).toEqual([]);

      // Sign-ups for another drive all through the build and the switch.
      let signingUp = true;
      const during: { status: number; code?: string }[] = [];
      const signups = (async () => {
        for (let i = 0; signingUp; i++) {
          const slot = otherSlots[i % otherSlots.length]?.id ?? '';
          during.push(await signUp(other.slug, slot, `0912${String(100_000 + i).slice(-6)}`));
          await new Promise((done) => setTimeout(done, 250));
        }
      })();

      await page.page.click('a:has-text("Xuất bản")');
      await page.page.waitForURL(`${site.url}/to-chuc/xuat-ban/`);
      await Promise.all([page.page.waitForLoadState('load'), page.page.click('button[data-publish]')]);
      expect(await page.page.textContent('[data-editor-notice]')).toContain('Đang dựng trang');
      await page.page.screenshot({ path: `${shots}/04-building-390.png`, fullPage: true });
      // The island follows the log until the build is served.
      await page.page.waitForSelector('publish-log[data-state="done"]', { timeout: 400_000 });
      expect(await page.page.textContent('[data-run-log]')).toContain('Đã xuất bản');
      await page.page.screenshot({ path: `${shots}/05-published-390.png`, fullPage: true });
      await new Promise((done) => setTimeout(done, 1_000));
      signingUp = false;
      await signups;
      expect(during.length).toBeGreaterThan(5);
      expect(during.filter((s) => !s.code)).toEqual([]);

      // The new drive is served: the map page, the sign-up page, places left, a sign-up.
      const map = await (await fetch(`${site.url}/diem-hien-mau/`)).text();
      expect(map).toContain(`data-drive-id="${NEW_DRIVE}"`);
      const signupList = await (await fetch(`${site.url}/dang-ky/`)).text();
      expect(signupList).toContain(`/dang-ky/?diem=${NEW_DRIVE}`);
      const signupPage = await (await fetch(`${site.url}/dang-ky/?diem=${NEW_DRIVE}`)).text();
      expect(signupPage).toContain(`value="${NEW_DRIVE}"`);
      const places = (await (await fetch(`${site.url}/api/diem-hien-mau/${NEW_DRIVE}/cho-trong.json`)).json()) as {
        slot: string;
      }[];
      expect(places.length).toBe(otherSlots.length);
      const mine = await signUp(NEW_DRIVE, places[0]?.slot ?? '', '0913000001');
      expect(mine.code).toMatch(/^[0-9A-Z]{10}$/);
      const onMap = await openPage({ viewport: { width: 1280, height: 900 } });
      await onMap.page.goto(`${site.url}/diem-hien-mau/${NEW_DRIVE}/`);
      expect(await onMap.page.textContent('h1')).toContain('Ngày hội hiến máu mới từ bàn biên tập');
      await onMap.page.screenshot({ path: `${shots}/06-new-drive-1280.png` });

      // The drives made in the form: on the map page and /dang-ky/, and a person signs up for each.
      for (const [slug, phone] of [
        [wideDrive, '0913000002'],
        [phoneDrive, '0913000003'],
      ] as const) {
        expect(map).toContain(`data-drive-id="${slug}"`);
        expect(signupList).toContain(`/dang-ky/?diem=${slug}`);
        const free = (await (await fetch(`${site.url}/api/diem-hien-mau/${slug}/cho-trong.json`)).json()) as {
          slot: string;
        }[];
        expect(free).toHaveLength(3);
        expect((await signUp(slug, free[1]?.slot ?? '', phone)).code).toMatch(/^[0-9A-Z]{10}$/);
      }
      for (const [viewer, width, slug] of [
        [onMap, 1280, wideDrive],
        [page, 390, phoneDrive],
      ] as const) {
        await viewer.page.goto(`${site.url}/diem-hien-mau/`);
        // The finder's map starts once its island is added (after the first paint) and it is near the screen.
        await viewer.page.waitForFunction(() => customElements.get('drive-finder'));
        await viewer.page.locator('drive-finder [data-map]').scrollIntoViewIfNeeded();
        await viewer.page.waitForSelector('drive-finder[data-map-ready="true"]');
        await viewer.page.screenshot({ path: `${formShots}/done-05-map-${width}.png` });
        await viewer.page.locator(`[data-drive-id="${slug}"]`).first().scrollIntoViewIfNeeded();
        await viewer.page.screenshot({ path: `${formShots}/done-05-listed-${width}.png` });
        await viewer.page.goto(`${site.url}/dang-ky/?diem=${slug}`);
        await viewer.page.screenshot({ path: `${formShots}/done-06-sign-up-${width}.png`, fullPage: true });
      }
      expect(besidesRefusal(page.errors)).toEqual([]);
      expect(site.output()).toContain('không khởi động lại');
      expect(site.output()).not.toMatch(/yêu cầu thất bại/);
    },
  );

  test(
    'a broken drive committed behind the editor’s back: the publish fails with its message, the site stays',
    { timeout: 600_000 },
    async () => {
      const cookie = await signIn(site.url, editor);
      const before = await progress(cookie);
      const broken = newDriveText().replace(/minutes: \d+/, 'minutes: 45');
      writeFileSync(join(contentRepo, 'drives', `${BROKEN_DRIVE}.yaml`), broken);
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=Ai đó', '-c', 'user.email=ai@example.vn', ...args], { cwd: contentRepo });
      git('add', '.');
      git('commit', '--quiet', '-m', 'Sửa thẳng trong kho');

      const asked = await postForm(
        site.url,
        '/to-chuc/xuat-ban/',
        { intent: 'publish' },
        { headers: { Cookie: cookie } },
      );
      expect(asked.status).toBe(202);
      const run = await publishEnds(cookie);
      expect(run.state).toBe('failed');
      expect(run.message).toContain(BROKEN_DRIVE);
      expect((await progress(cookie)).served).toEqual(before.served);
      // The site serves what it served: the drive published before, no broken one.
      const map = await (await fetch(`${site.url}/diem-hien-mau/`)).text();
      expect(map).toContain(`data-drive-id="${NEW_DRIVE}"`);
      expect(map).not.toContain(BROKEN_DRIVE);
      const page = await openPage({ viewport: { width: 1280, height: 900 } });
      await signInPage(page.page, site.url, editor);
      await page.page.goto(`${site.url}/to-chuc/xuat-ban/`);
      expect(await page.page.textContent('[data-run-message]')).toContain(BROKEN_DRIVE);
      await page.page.screenshot({ path: `${shots}/07-failed-1280.png`, fullPage: true });
      const small = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true });
      await signInPage(small.page, site.url, editor);
      await small.page.goto(`${site.url}/to-chuc/xuat-ban/`);
      await small.page.screenshot({ path: `${shots}/08-failed-390.png`, fullPage: true });
    },
  );

  test('history, diff and going back in the browser; the audit log and the command line show every step', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await signInPage(page.page, site.url, editor);
    const path = `drives/${NEW_DRIVE}.yaml`;
    await page.page.goto(`${site.url}/to-chuc/noi-dung/lich-su/?tep=${path}`);
    const changed = newDriveText().replace('bàn biên tập', 'bàn biên tập (sửa lần hai)');
    await page.page.fill('#noi-dung-tep', changed);
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('button:has-text("Lưu phiên bản mới")')]);
    expect(await page.page.locator('[data-version]').count()).toBe(2);
    const first = await page.page.locator('[data-version]').nth(1).getAttribute('data-version');
    await page.page.click(`a:has-text("Xem thay đổi ${first?.slice(0, 7) ?? ''}")`);
    await page.page.waitForSelector('[data-diff]');
    await page.page.screenshot({ path: `${shots}/09-diff-1280.png`, fullPage: true });
    await Promise.all([page.page.waitForLoadState('load'), page.page.click('button[data-revert]')]);
    expect(await page.page.textContent('[data-editor-notice]')).toContain('Đã đưa');
    expect(await page.page.locator('[data-version]').count()).toBe(3);
    await page.page.screenshot({ path: `${shots}/10-reverted-1280.png`, fullPage: true });

    const lines: string[] = [];
    await runCommand(
      ['content', 'audit', '--db', signupDb],
      (line) => lines.push(line),
      new Date(),
      () => Promise.resolve(''),
    );
    const text = lines.join('\n');
    expect(text).toMatch(new RegExp(`${editor}\tLưu\t${path}`));
    expect(text).toMatch(new RegExp(`${editor}\tQuay lại phiên bản cũ\t${path}`));
    expect(text).toMatch(new RegExp(`${editor}\tXuất bản\t-`));
    expect(text).toMatch(new RegExp(`${editor}\tXuất bản thất bại\t-`));
  });
});

describe('hostile posts to the history and publish routes', () => {
  let editorCookie: string;
  let staffCookie: string;
  beforeAll(async () => {
    editorCookie = await signIn(site.url, editor);
    staffCookie = await signIn(site.url, staff);
  });
  const path = `drives/${NEW_DRIVE}.yaml`;
  const history = (query: string) => `/to-chuc/noi-dung/lich-su/?tep=${query}`;

  test.each([
    ['../package.json'],
    ['%2e%2e%2fpackage.json'],
    ['drives%2F..%2F..%2Fpackage.json'],
    ['news%2Fa.mdx%00.png'],
    ['news%2F%D0%B0.mdx'],
    ['news%2Fa%EF%BC%8Emdx'],
    ['.git%2Fconfig'],
    ['drives%2Fcon.yaml'],
    ['%2Fetc%2Fpasswd'],
    ['news%5C..%5Ca.mdx'],
  ])('?tep=%s is refused with a message, not served', async (query) => {
    const answer = await fetch(`${site.url}${history(query)}`, { headers: { Cookie: editorCookie } });
    expect(answer.status).toBe(422);
    expect(await answer.text()).toContain('Tên tệp không hợp lệ');
  });

  test('any ?tep= gets a page or a refusal, never a failure (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, unit: 'binary' }), async (text) => {
        const answer = await fetch(`${site.url}${history(encodeURIComponent(text))}`, {
          headers: { Cookie: editorCookie },
        });
        expect([200, 422]).toContain(answer.status);
        await answer.body?.cancel();
      }),
      { numRuns: 40 },
    );
  });

  test('posts from another origin, without a session, of another type, or by staff are refused', async () => {
    const publish = { intent: 'publish' };
    const other = await postForm(site.url, '/to-chuc/xuat-ban/', publish, {
      origin: 'https://ke-gian.example',
      headers: { Cookie: editorCookie },
    });
    expect(other.status).toBe(403);
    const none = await postForm(site.url, '/to-chuc/xuat-ban/', publish);
    expect([303, 401]).toContain(none.status);
    const json = await fetch(`${site.url}/to-chuc/xuat-ban/`, {
      method: 'POST',
      headers: { Origin: site.url, Cookie: editorCookie, 'Content-Type': 'application/json' },
      body: JSON.stringify(publish),
    });
    expect(json.status).toBe(415);
    const byStaff = await postForm(site.url, '/to-chuc/xuat-ban/', publish, { headers: { Cookie: staffCookie } });
    expect(byStaff.status).toBe(403);
    expect(await byStaff.text()).toContain('không được xuất bản');
    const staffSave = await postForm(
      site.url,
      history(path),
      { intent: 'save', tep: path, 'noi-dung': 'x', goc: '' },
      { headers: { Cookie: staffCookie } },
    );
    expect(staffSave.status).toBe(403);
    const staffProgress = await fetch(`${site.url}/to-chuc/xuat-ban/tien-do.json`, {
      headers: { Cookie: staffCookie },
    });
    expect(staffProgress.status).toBe(403);
    expect((await progress(editorCookie)).run?.state).toBe('failed');
  });

  test('a replayed revert or save from an old version is told the file moved on, and changes nothing', async () => {
    const lines: string[] = [];
    await runCommand(
      ['content', 'history', path],
      (line) => lines.push(line),
      new Date(),
      () => Promise.resolve(''),
    );
    const [latest, middle] = lines.map((line) => line.split('\t')[2] ?? '');
    const revert = { intent: 'revert', tep: path, 'phien-ban': middle ?? '', goc: latest ?? '' };
    const first = await postForm(site.url, history(path), revert, { headers: { Cookie: editorCookie } });
    expect([200]).toContain(first.status);
    const replayed = await postForm(site.url, history(path), revert, { headers: { Cookie: editorCookie } });
    expect(replayed.status).toBe(409);
    expect(await replayed.text()).toContain('sau khi bạn mở trang');
    const stale = await postForm(
      site.url,
      history(path),
      { intent: 'save', tep: path, 'noi-dung': 'của tôi, từ bản cũ', goc: latest ?? '' },
      { headers: { Cookie: editorCookie } },
    );
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('của tôi, từ bản cũ');
    const tricks = await postForm(
      site.url,
      history(path),
      { intent: 'save', tep: '../../package.json', 'noi-dung': '{}', goc: '' },
      { headers: { Cookie: editorCookie } },
    );
    expect(tricks.status).toBe(422);
    const badBase = await postForm(
      site.url,
      history(path),
      { intent: 'revert', tep: path, 'phien-ban': '--output=/tmp/x', goc: 'HEAD' },
      { headers: { Cookie: editorCookie } },
    );
    expect(badBase.status).toBe(422);
  });

  test('two publishes at once: one builds, the other waits, a third joins it; the rate limit holds', async () => {
    // The broken drive goes first, so the builds fail fast at the schema (and the site stays).
    const asks = await Promise.all(
      [1, 2, 3].map(() =>
        postForm(site.url, '/to-chuc/xuat-ban/', { intent: 'publish' }, { headers: { Cookie: editorCookie } }).then(
          async (answer) => ({ status: answer.status, text: await answer.text() }),
        ),
      ),
    );
    expect(asks.map((a) => a.status)).toEqual([202, 202, 202]);
    const words = asks.map((a) =>
      a.text.includes('Đang dựng trang.') ? 'started' : a.text.includes('chạy ngay sau đó') ? 'queued' : 'joined',
    );
    expect(words.sort()).toEqual(['joined', 'queued', 'started']);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await postForm(
        site.url,
        '/to-chuc/xuat-ban/',
        { intent: 'publish' },
        { headers: { Cookie: editorCookie } },
      );
      statuses.push(answer.status);
      await answer.body?.cancel();
    }
    expect(statuses).toContain(429);
    const run = await publishEnds(editorCookie);
    expect(run.state).toBe('failed');
  }, 600_000);
});

test('the content repository is where the settings say, and the IT officer can clone it', () => {
  const clone = join(folder, 'clone');
  execFileSync('git', ['clone', '--quiet', contentRepo, clone]);
  expect(readFileSync(join(clone, 'drives', `${NEW_DRIVE}.yaml`), 'utf8')).toContain('bàn biên tập');
  expect(resolve(publishDir, 'current.json')).toBeTruthy();
});
