/**
 * The site as it is deployed: Debian's Caddy, with the deployment kit's own
 * Caddyfile, terminates TLS (its internal CA for localhost) in front of
 * `npm start` with TRUST_PROXY=1. Chromium, accepting the test certificate,
 * signs up through https://localhost:<port>/ over HTTP/2, with and without
 * JavaScript. .ci/run installs Caddy as it installs Chromium.
 */
import { HUMAN_FILL_MS } from './forms.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { useSiteBrowser } from './browser.ts';
import { freePort, startCaddy, type CaddyProxy } from './caddy-proxy.ts';
import { readDrives } from './drive-data.ts';

const [drive] = nextOpenDrives(await readDrives(), new Date(), 5);
if (!drive) throw new Error('the content needs an upcoming drive');

const folder = mkdtempSync(join(tmpdir(), 'proxy-'));
const signupDb = join(folder, 'signups.sqlite');
const httpsPort = await freePort();
const httpPort = await freePort();
const proxyUrl = `https://localhost:${httpsPort}`;
let site: Awaited<ReturnType<typeof startSite>>;
let caddy: CaddyProxy;

/** The response headers of GET `path` through Caddy over HTTP/2 (its test CA unchecked), or null when it cannot connect. */
function h2Get(path: string): Promise<Record<string, unknown> | null> {
  return new Promise((done) => {
    const session = connectHttp2(proxyUrl, { rejectUnauthorized: false });
    session.on('error', () => done(null));
    const request = session.request({ ':path': path });
    request.on('response', (headers) => {
      done(headers);
      session.close();
    });
    request.on('error', () => done(null));
    request.end();
  });
}

beforeAll(async () => {
  site = await startSite({ SIGNUP_DB: signupDb, TRUST_PROXY: '1', SIGNUP_RATE_LIMIT: '1000' });
  caddy = await startCaddy(site.port, folder, { httpsPort, httpPort });
  // Caddy answers HTTP/2 (what a phone's browser uses), as the deployment does.
  expect((await h2Get('/'))?.[':status']).toBe(200);
}, 60_000);

afterAll(async () => {
  caddy?.stop();
  await site?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const openPage = useSiteBrowser(proxyUrl);
const slots = driveSlots(drive);

async function fillForm(page: import('playwright-core').Page, phone: string, slot: string) {
  await page.check(`input[name="slot"][value="${slot}"]`);
  await page.fill('#ho-ten', 'Đặng Văn Proxy');
  await page.fill('#so-dien-thoai', phone);
  await page.fill('#nam-sinh', '1987');
  await page.check('input[name="sex"][value="male"]');
  await page.fill('#can-nang', '65');
  await page.check('#dong-y');
}

describe('behind Caddy over HTTPS', () => {
  test.each([
    ['with JavaScript', true, '0901230001'],
    ['without JavaScript', false, '0901230002'],
  ])('%s: signs up over HTTP/2 and gets a confirmation', async (_, javaScriptEnabled, phone) => {
    const { page, context, errors } = await openPage({ ignoreHTTPSErrors: true, javaScriptEnabled });
    try {
      const protocols = new Set<string>();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.responseReceived', ({ response }) => {
        if (response.url.startsWith(proxyUrl)) protocols.add(response.protocol ?? '');
      });
      await page.goto(`${proxyUrl}/dang-ky/?diem=${drive.slug}`);
      if (javaScriptEnabled) {
        await page.waitForFunction(() => document.querySelector('[data-places]')?.textContent?.startsWith('Còn'));
      }
      // The form token came with the page, or with the places left for the island: the 3 s a person
      // takes count from then, not from before the page was asked for (on a busy machine, too soon).
      const loaded = Date.now();
      await fillForm(page, phone, slots[0]?.id ?? '');
      await page.waitForTimeout(Math.max(0, HUMAN_FILL_MS - (Date.now() - loaded)));
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.click('form[data-signup] button[type="submit"]'),
      ]);
      expect(response?.status()).toBe(200);
      expect(page.url()).toMatch(new RegExp(`^${proxyUrl}/dang-ky/`));
      const code = await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code');
      expect(code).toMatch(/^[0-9A-Z]{10}$/);
      expect([...protocols]).toEqual(['h2']);
      // Caddy's certificate here is its own (skip_install_trust): Chromium, told to ignore that, still will
      // not register a service worker over it and says so. With a real certificate there is no such error.
      expect(errors.filter((e) => e !== 'An SSL certificate error occurred when fetching the script.')).toEqual([]);

      const store = new SignupStore(signupDb);
      try {
        expect(store.byCode(code ?? '')?.fullName).toBe('Đặng Văn Proxy');
      } finally {
        store.close();
      }
    } finally {
      await context.close();
    }
  });

  test('a form sent at once through the proxy asks for one more tap, which confirms (no JavaScript)', async () => {
    const { page, context } = await openPage({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
    try {
      // The first post carries a token issued as it leaves (from the server behind Caddy, which
      // shares the key): a page filled at once, whatever the load on the test machine.
      let first = true;
      await page.route(/\/dang-ky\/\?_action=/, async (route) => {
        if (!first || route.request().method() !== 'POST') return route.continue();
        first = false;
        const issued = await fetch(`${site.url}/api/diem-hien-mau/${drive.slug}/cho-trong.json`);
        const body = new URLSearchParams(route.request().postData() ?? '');
        body.set('formToken', issued.headers.get('X-Form-Token') ?? '');
        return route.continue({ postData: body.toString() });
      });
      await page.goto(`${proxyUrl}/dang-ky/?diem=${drive.slug}`);
      await fillForm(page, '0901230003', slots[1]?.id ?? '');
      await Promise.all([page.waitForNavigation(), page.click('form[data-signup] button[type="submit"]')]);
      expect(await page.textContent('[data-confirm-again]')).toContain('lần nữa để xác nhận');
      expect(await page.isChecked('#dong-y')).toBe(true);
      await Promise.all([page.waitForNavigation(), page.click('form[data-signup] button[type="submit"]')]);
      expect(await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')).toMatch(/^[0-9A-Z]{10}$/);
    } finally {
      await context.close();
    }
  });

  test('the security headers arrive through the proxy, and HTTP is redirected to HTTPS', async () => {
    const headers = (await h2Get('/dang-ky/')) ?? {};
    expect(String(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const plain = await fetch(`http://localhost:${httpPort}/dang-ky/`, { redirect: 'manual' });
    expect(plain.status).toBe(308);
    expect(plain.headers.get('location')).toBe(`https://localhost/dang-ky/`);
  });
});
