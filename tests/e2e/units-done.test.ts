/**
 * Issue 27's done-when, in Chromium as new users would: an admin at 1280 px reserves 50 places
 * of the An Xuyên drive for "Công an phường An Xuyên"; its focal person at 390 px uploads a
 * spreadsheet of 60 rows with four mistakes, sees each named in Vietnamese, stores the 50 that
 * fit and is told the rest do not fit; the public form shows those places as taken; each
 * member gets their code at the loopback mail peer; at the desk two members are checked in by
 * the camera reading their QR off the printed list, and the unit's turnout shows 2 arrived;
 * after the deadline the unused places return to the public. Screenshots at 390 and 1280 px go
 * to $UNITS_SHOTS (default /tmp/shots-units) to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../scripts/chromium.mjs';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { calendarDateInVietnam } from '../../src/shared/dates.ts';
import { formatCode, normalizeCode } from '../../src/signup/codes.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { UnitStore } from '../../src/units/unit-store.ts';
import { axeViolations, openSitePage, useSiteBrowser } from './browser.ts';
import { addAccount, newUsername, signInPage, TEST_PASSWORD } from './console-accounts.ts';
import { readDrives } from './drive-data.ts';
import { readQrPng, writeQrVideo } from './qr-video.ts';
import { startReminderSite, type ReminderSite } from './reminder-site.ts';

const SHOTS = process.env['UNITS_SHOTS'] ?? '/tmp/shots-units';
mkdirSync(SHOTS, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const DRIVE = 'cong-an-phuong-an-xuyen';
const TEAM = 'CA-AN-XUYEN';
const drive = (await readDrives()).find((d) => d.slug === DRIVE);
if (!drive) throw new Error('the test site has no An Xuyên drive');
const capacity = driveSlots(drive).reduce((n, s) => n + s.places, 0);

const rs: ReminderSite = await startReminderSite();
afterAll(() => rs.stop());
const openPage = useSiteBrowser(rs.url);
const admin = newUsername('qt');
const focal = newUsername('dm');
await addAccount(rs.db, admin, 'admin');
const cli = (...args: string[]) =>
  runCommand(
    [...args, '--db', rs.db],
    () => undefined,
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );
await cli('team', 'add', TEAM, 'Công an phường An Xuyên');
await cli('user', 'add', focal, '--role', 'unit', '--team', TEAM);

const stamp = Date.now();
const emailOf = (i: number) => `tv${i}-${stamp}@example.vn`;
const takenSum = async () =>
  ((await (await fetch(`${rs.url}/api/diem-hien-mau/${DRIVE}/cho-trong.json`)).json()) as { taken: number }[]).reduce(
    (n, p) => n + p.taken,
    0,
  );
const members = () => {
  const store = new SignupStore(rs.db);
  try {
    return new UnitStore(store.db).members(TEAM, DRIVE);
  } finally {
    store.close();
  }
};

/** The unit's spreadsheet: 60 people, four of them with a mistake. */
async function unitSheet(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(['DANH SÁCH CÁN BỘ, CHIẾN SĨ ĐĂNG KÝ HIẾN MÁU']);
  sheet.addRow(['STT', 'Họ và tên', 'Năm sinh', 'Giới tính', 'Số điện thoại', 'Cân nặng (kg)', 'Email']);
  const letters = 'ABCDEGHKLMNPQRSTUVXY';
  for (let i = 0; i < 60; i += 1) {
    sheet.addRow([
      i + 1,
      `Trần Văn ${letters[Math.floor(i / 20)]}${letters[i % 20]?.toLowerCase()}`,
      i === 7 ? 2011 : 1980 + (i % 20),
      i % 3 ? 'Nam' : 'Nữ',
      i === 15 ? '0912345' : i === 33 ? `0914${String(200000 + 32)}` : `0914${String(200000 + i)}`,
      i === 24 ? 39 : 55 + (i % 20),
      emailOf(i),
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const shot = (page: import('playwright-core').Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('issue 27 done when, as new users would', () => {
  const before = { taken: 0 };
  test('the admin reserves 50 places for the unit (1280 px)', async () => {
    before.taken = await takenSum();
    const { page, context, errors } = await openPage(DESKTOP);
    try {
      await signInPage(page, rs.url, admin);
      await page.goto(`${rs.url}/to-chuc/don-vi/`);
      await page.selectOption('select[name="team"]', TEAM);
      await page.selectOption('select[name="drive"]', DRIVE);
      await page.fill('input[name="places"]', '50');
      await shot(page, 'admin-reserve-1280');
      await Promise.all([page.waitForURL(/da-giu=50/), page.click('[data-reserve-form] button[type="submit"]')]);
      expect(await page.textContent('[data-units-notice]')).toContain('Đã giữ 50 chỗ');
      await shot(page, 'admin-reserved-1280');
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    expect(await takenSum()).toBe(before.taken + 50);
  });

  test('the focal person uploads 60 rows with 4 mistakes, stores 50, is told the rest do not fit (390 px)', async () => {
    const { page, context, errors } = await openPage(PHONE);
    try {
      await signInPage(page, rs.url, focal);
      await page.goto(`${rs.url}/to-chuc/don-vi/`);
      expect(page.url()).toBe(`${rs.url}/to-chuc/don-vi/${TEAM}/`);
      await shot(page, 'focal-unit-390');
      await Promise.all([page.waitForURL(new RegExp(`/${DRIVE}/$`)), page.click(`[data-unit-drive="${DRIVE}"] a`)]);
      await page.setInputFiles('[data-upload-form] input[type="file"]', {
        name: 'danh-sach-cong-an-an-xuyen.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: await unitSheet(),
      });
      await Promise.all([page.waitForLoadState('load'), page.click('[data-upload-form] button[type="submit"]')]);
      await page.waitForSelector('[data-preview]');
      const bad = page.locator('[data-preview-row][data-ok="no"]');
      const problems = await bad.allTextContents();
      expect(problems.some((t) => /18 tuổi/.test(t))).toBe(true);
      expect(problems.some((t) => /Số điện thoại/.test(t) && /10 chữ số/.test(t))).toBe(true);
      expect(problems.some((t) => /Số điện thoại trùng với dòng 35/.test(t))).toBe(true);
      expect(problems.some((t) => /kg/.test(t))).toBe(true);
      expect(problems.filter((t) => /Không còn chỗ giữ/.test(t))).toHaveLength(6);
      expect(await page.textContent('[data-units-notice]')).toContain('60 dòng: 50 dòng hợp lệ sẽ được lưu');
      await shot(page, 'focal-preview-390');
      expect(await axeViolations(page)).toEqual([]);
      await page.check('[data-store-form] input[name="consent"]');
      await Promise.all([page.waitForURL(/da-luu=50/), page.click('[data-store-form] button[type="submit"]')]);
      const told = await page.textContent('[data-units-notice]');
      expect(told).toContain('Đã lưu 50 người');
      expect(told).toContain('6 người không vừa số chỗ');
      expect(told).toContain('4 dòng có lỗi chưa được lưu');
      await shot(page, 'focal-stored-390');
      await page.setViewportSize(DESKTOP.viewport);
      await shot(page, 'focal-stored-1280');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    expect(members()).toHaveLength(50);
  });

  test('the public form shows those places as taken (390 px)', async () => {
    expect(await takenSum()).toBe(before.taken + 50);
    const { page, context, errors } = await openPage(PHONE);
    try {
      await page.goto(`${rs.url}/diem-hien-mau/${DRIVE}/`);
      const labels = page.locator('[data-places]');
      await page.waitForFunction(() => document.querySelector('[data-places]')?.textContent?.includes('Còn'));
      const texts = await labels.allTextContents();
      const left = texts.reduce((n, t) => n + Number(/Còn (\d+)\//.exec(t)?.[1] ?? 0), 0);
      expect(left).toBe(capacity - before.taken - 50);
      await shot(page, 'public-drive-390');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('each member receives their code at the loopback mail peer', async () => {
    const run = await rs.cli(['reminders', 'send']);
    expect(run.code).toBe(0);
    for (const member of members()) {
      const mail = rs.smtp.received.find(
        (m) => m.to.some((to) => to.includes(`-${stamp}@`)) && m.mail?.text?.includes(formatCode(member.code)),
      );
      expect(mail, member.fullName).toBeDefined();
    }
  });

  const scanned: string[] = [];
  test('two members checked in at the desk by their QR from the printed list; turnout shows 2 arrived', async () => {
    const { page, context, errors } = await openPage(DESKTOP);
    const codes: string[] = [];
    try {
      await signInPage(page, rs.url, focal);
      await page.goto(`${rs.url}/to-chuc/don-vi/${TEAM}/${DRIVE}/in/`);
      await shot(page, 'print-list-1280');
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      await shot(page, 'print-list-paper-1280');
      for (const row of (await page.locator('[data-print-member]').all()).slice(0, 2)) {
        const decoded = readQrPng(await row.locator('.unit-qr svg').screenshot());
        expect(decoded).not.toBeNull();
        codes.push(normalizeCode(decoded ?? '') ?? '');
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    expect(codes.every((c) => members().some((m) => m.code === c))).toBe(true);
    const folder = await mkdtemp(join(tmpdir(), 'units-scan-'));
    try {
      for (const code of codes) {
        const video = join(folder, `${code}.y4m`);
        await writeQrVideo(formatCode(code), video);
        const browser = await launchChromium([
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${video}`,
        ]);
        try {
          const desk = await openSitePage(browser, rs.url, PHONE);
          await desk.context.grantPermissions(['camera'], { origin: new URL(rs.url).origin });
          await signInPage(desk.page, rs.url, admin);
          await desk.page.goto(`${rs.url}/to-chuc/${DRIVE}/?ngay=${calendarDateInVietnam(drive.start)}`);
          await desk.page.locator('[data-scanner]').waitFor({ state: 'visible' });
          await Promise.all([
            desk.page.waitForURL((url) => url.searchParams.get('ma') === code, { timeout: 30_000 }),
            desk.page.click('[data-scan-start]'),
          ]);
          await desk.page.waitForLoadState('load');
          expect(await desk.page.textContent(`[data-person="${code}"] [data-status-for="${code}"]`)).toBe('Đã đến');
          await shot(desk.page, `desk-${scanned.length + 1}-390`);
          scanned.push(code);
        } finally {
          await browser.close();
        }
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    const { page: view, context: again } = await openPage(PHONE);
    try {
      await signInPage(view, rs.url, focal);
      await view.goto(`${rs.url}/to-chuc/don-vi/${TEAM}/${DRIVE}/`);
      expect((await view.textContent(`[data-turnout-row="${TEAM}:${DRIVE}"] [data-arrived]`))?.trim()).toBe('2');
      await shot(view, 'focal-turnout-390');
    } finally {
      await again.close();
    }
  }, 120_000);

  test('after the deadline the unused places return to the public', async () => {
    const store = new SignupStore(rs.db);
    store.db
      .prepare('UPDATE unit_reservations SET until = ? WHERE team_code = ?')
      .run('2020-01-01T00:00:00.000Z', TEAM);
    store.close();
    // Filled: the 50 stay as sign-ups; nothing unfilled is held any more.
    expect(await takenSum()).toBe(before.taken + 50);
    const lines: string[] = [];
    await runCommand(['units', 'return', '--db', rs.db], (line) => lines.push(line));
    expect(lines.join('\n')).toContain('đã dùng đủ số chỗ');
    const { page, context } = await openPage(PHONE);
    try {
      await signInPage(page, rs.url, focal);
      await page.goto(`${rs.url}/to-chuc/don-vi/${TEAM}/`);
      expect(await page.textContent('[data-returned-notice]')).toContain('Hết hạn giữ chỗ');
      await shot(page, 'focal-after-deadline-390');
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${rs.url}/don-vi-dien-hinh/`);
      await shot(page, 'honour-390');
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${rs.url}/doi-nhom/`);
      await shot(page, 'teams-390');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
