/**
 * The confirmation's QR code, from the donor's screen to the desk's camera:
 * the code a sign-up gets is drawn as a QR that decodes back to it, large
 * enough to scan from a phone; and the desk's scanner, fed that QR as its
 * camera (a Y4M file Chromium plays as a fake webcam), checks the person in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, inject, test } from 'vitest';
import { launchChromium } from '../../scripts/chromium.mjs';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { formatCode, normalizeCode } from '../../src/signup/codes.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { calendarDateInVietnam } from '../../src/shared/dates.ts';
import { openSitePage, useSiteBrowser } from './browser.ts';
import { addAccount, newUsername, signInPage } from './console-accounts.ts';
import { readDrives, type TestDrive } from './drive-data.ts';
import { codeOf, freshFormToken, postForm } from './forms.ts';
import { readQrPng, writeQrVideo } from './qr-video.ts';

const baseUrl = inject('baseUrl');
const signupDb = inject('signupDb');
const PHONE_VIEWPORT = { width: 390, height: 844 };
const SCREENSHOT = 'test-results/console-scanner.png';

const now = new Date();
/**
 * The test site's next drive open for sign-ups. Returned from a function so that
 * its type holds inside the functions below, which a top-level check would not narrow.
 */
async function firstOpenDrive(): Promise<TestDrive> {
  const [first] = nextOpenDrives(await readDrives(), now, 1);
  if (!first) throw new Error('the test site needs an upcoming drive');
  return first;
}

const drive = await firstOpenDrive();
const openPage = useSiteBrowser(baseUrl);

function withStore<T>(work: (store: SignupStore) => T): T {
  const store = new SignupStore(signupDb);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** A slot still to come with a place left: other test files fill some slots of the same database. */
function slotWithRoom(): string {
  const slots = driveSlots(drive).filter((slot) => slot.start > now);
  const taken = withStore((store) =>
    store.takenBySlot(
      drive.slug,
      slots.map((slot) => ({ id: slot.id, end: slot.end.toISOString() })),
    ),
  );
  const slot = slots.find((s) => (taken.get(s.id) ?? 0) < s.places);
  if (!slot) throw new Error(`no slot of ${drive.slug} has a place left`);
  return slot.id;
}

let phoneCounter = 0;
/** A mobile number no other sign-up in this run uses. */
const newPhone = () =>
  `09${String(Date.now() % 1_000_000).padStart(6, '0')}${String(++phoneCounter % 100).padStart(2, '0')}`;

interface SignedUp {
  code: string;
  /** The confirmation page the server answered, and the headers it came with. */
  html: string;
  headers: Record<string, string>;
}

let signedUp: Promise<SignedUp> | undefined;
/** One person signed up without JavaScript, shared by the tests (each may run alone). */
function signUpOnce(): Promise<SignedUp> {
  signedUp ??= (async () => {
    const formToken = await freshFormToken(baseUrl, drive.slug, 2);
    const response = await postForm(baseUrl, '/dang-ky/?_action=signup', {
      formToken,
      drive: drive.slug,
      slot: slotWithRoom(),
      fullName: 'Lê Thị Hồng Nhung',
      phone: newPhone(),
      birthYear: '1994',
      sex: 'female',
      weightKg: '52',
      consent: 'yes',
    });
    const html = await response.text();
    const code = codeOf(html);
    if (response.status !== 200 || !code) throw new Error(`the sign-up failed with ${response.status}`);
    // fetch has already decoded the body: the encoding and length headers no longer describe it.
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'set-cookie'].includes(name)) {
        headers[name] = value;
      }
    });
    return { code, html, headers };
  })();
  return signedUp;
}

describe('the confirmation QR code', () => {
  test('the confirmation shows a QR code of its code', { timeout: 60_000 }, async () => {
    const { code, html, headers } = await signUpOnce();
    const { page, context, errors, outsideRequests } = await openPage({ viewport: PHONE_VIEWPORT });
    try {
      // The confirmation answers a POST, which a page cannot be sent to again: the page is
      // given the server's own answer at the same address, so its styles load and its
      // Content-Security-Policy applies as they did for the person who signed up.
      const confirmationUrl = `${baseUrl}/dang-ky/?_action=signup`;
      await page.route(confirmationUrl, (route) => route.fulfill({ status: 200, headers, body: html }));
      await page.goto(confirmationUrl);
      expect(await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')).toBe(code);

      const qr = page.locator('figure[data-qr] svg');
      expect(await page.getAttribute('figure[data-qr]', 'data-qr')).toBe(formatCode(code));
      // Big enough for the desk's camera to read off the donor's phone screen.
      const box = await qr.boundingBox();
      expect(box?.width).toBeGreaterThanOrEqual(200);
      expect(box?.height).toBeCloseTo(box?.width ?? 0, 0);

      // What the screen shows, as pixels: the drawn SVG, not the text it was made from.
      const decoded = readQrPng(await qr.screenshot());
      expect(decoded).not.toBeNull();
      expect(normalizeCode(decoded ?? '')).toBe(code);

      expect(errors).toEqual([]);
      expect(outsideRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("the desk's QR scanner", () => {
  test("the desk's camera reads a donor's QR and checks them in", { timeout: 60_000 }, async () => {
    const { code } = await signUpOnce();
    const folder = await mkdtemp(join(tmpdir(), 'e2e-scanner-'));
    let browser: Browser | undefined;
    try {
      // The donor's phone held up to the camera: their confirmation's QR, still, looped by Chromium.
      const video = join(folder, 'qr.y4m');
      await writeQrVideo(formatCode(code), video);
      browser = await launchChromium([
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ]);
      const { page, context, errors, outsideRequests } = await openSitePage(browser, baseUrl, {
        viewport: PHONE_VIEWPORT,
      });
      // The camera for the site alone, as an organiser would allow it when asked.
      await context.grantPermissions(['camera'], { origin: new URL(baseUrl).origin });

      const username = newUsername('quet');
      await addAccount(signupDb, username, 'staff', [drive.slug]);
      await signInPage(page, baseUrl, username);
      // The drive is days ahead: recording for its day is confirmed, as an organiser would.
      await page.goto(`${baseUrl}/to-chuc/${drive.slug}/?ngay=${calendarDateInVietnam(drive.start)}`);
      // The island shows the camera button only where the browser can open a camera.
      await page.locator('[data-scanner]').waitFor({ state: 'visible' });

      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('ma') === code, { timeout: 30_000 }),
        page.click('[data-scan-start]'),
      ]);
      await page.waitForLoadState('load');
      expect(await page.textContent(`[data-person="${code}"] [data-status-for="${code}"]`)).toBe('Đã đến');
      expect(await page.textContent('[data-message]')).toContain('Đã ghi nhận đến.');
      await page.screenshot({ path: SCREENSHOT });

      const arrivedAt = withStore((store) => store.byCode(code)?.desk.arrivedAt);
      expect(arrivedAt).toEqual(expect.any(String));
      expect(Date.parse(arrivedAt ?? '')).toBeGreaterThanOrEqual(now.getTime());

      expect(errors).toEqual([]);
      expect(outsideRequests).toEqual([]);
    } finally {
      await browser?.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
