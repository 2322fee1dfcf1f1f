/**
 * A new build takes over without breaking anything: the test site (version 1)
 * is visited and its service worker installed; a second build with one
 * article renamed (version 2) is then served on the same address, and the
 * same browser visits again: version 2's words, no failed request, no
 * console error.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { launchChromium } from '../../scripts/chromium.mjs';
import { FIXTURE_CONTENT, FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { buildContentFolder } from '../../scripts/project-copy.mjs';
import { startSite } from '../../scripts/start-site.mjs';

const root = resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(join(tmpdir(), 'e2e-update-'));
// Inside the project (under the ignored .fixture/), so the built server finds node_modules.
const VERSION_TWO = '.fixture/update-v2';
const versionTwo = join(root, VERSION_TWO);
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(versionTwo, { recursive: true, force: true });
});

/** The test site's content with its first article renamed, built into a folder of its own. */
function buildVersionTwo(): { dist: string; title: string } {
  rmSync(versionTwo, { recursive: true, force: true });
  const content = join(versionTwo, 'content');
  cpSync(FIXTURE_CONTENT, content, { recursive: true });
  const [first = ''] = readdirSync(join(content, 'news'))
    .filter((name) => /\.mdx?$/.test(name))
    .sort();
  const file = join(content, 'news', first);
  const title = 'Bản tin mới: hiến máu an toàn mùa lễ hội';
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: '${title}'`));
  const dist = join(versionTwo, 'dist');
  buildContentFolder({ content, outDir: dist });
  return { dist, title };
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test(
  'version 2 takes over on the next visit: its content, no failed request, no console error',
  { timeout: 300_000 },
  async () => {
    const port = String(await freePort());
    const db = join(folder, 'signups.sqlite');
    const browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      const one = await startSite({ SIGNUP_DB: db, SITE_DIST: FIXTURE_DIST, PORT: port });
      await page.goto(`${one.url}/`);
      // Active and in control of the page: the worker claims it once it has kept what it keeps.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
      expect(firstWorker).toBe(`${one.url}/sw.js`);
      await one.stop();

      const { dist, title } = buildVersionTwo();
      const two = await startSite({ SIGNUP_DB: db, SITE_DIST: `${VERSION_TWO}/dist`, PORT: port });
      try {
        const failed: string[] = [];
        const errors: string[] = [];
        page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
        page.on('response', (response) => {
          if (response.status() >= 400) failed.push(`${response.url()} ${response.status()}`);
        });
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));

        // Until the network is quiet: the islands and the needs banner's answer come after the
        // first paint (src/shared/after-paint-chunk.ts), and leaving sooner would cancel them.
        await page.goto(`${two.url}/`, { waitUntil: 'networkidle' });
        expect(await page.textContent('main')).toContain(title);
        // Every stylesheet and script the page names (those added after the first paint too) is the new build's, and loaded.
        const assets = await page.evaluate(() =>
          [
            ...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[rel="stylesheet"], script[src]'),
          ].map((node) => ('href' in node ? node.href : node.src)),
        );
        for (const asset of assets) expect(readdirSync(join(dist, 'client/_astro'))).toContain(asset.split('/').pop());
        // The new worker installs beside the old one, and the next visit is as whole.
        await page.waitForFunction(async () =>
          Boolean(
            (await navigator.serviceWorker.getRegistration())?.waiting ??
            (await navigator.serviceWorker.getRegistration())?.active,
          ),
        );
        await page.goto(`${two.url}/tin-tuc/`, { waitUntil: 'networkidle' });
        expect(await page.textContent('main')).toContain(title);
        await page.reload({ waitUntil: 'networkidle' });
        expect(await page.textContent('main')).toContain(title);
        expect(failed).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await two.stop();
      }
    } finally {
      await context.close();
      await browser.close();
    }
  },
);
