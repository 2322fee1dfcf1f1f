// Debian's Chromium (`apt-get install chromium`) driven by playwright-core,
// for the browser tests, the benchmarks and the image scripts: nothing
// downloads a browser of its own.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling Google's hosts,
// which this machine's closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // Debian's Chromium 150 moves a document to a new renderer on a same-site navigation, and
  // Playwright's offline emulation (context.setOffline) does not follow it there: the page
  // read navigator.onLine as true while its requests failed (tests/e2e/offline.test.ts).
  // One renderer per tab, as before, keeps what the tests emulate true on every page.
  '--disable-features=RenderDocument,BackForwardCache,ProactivelySwapBrowsingInstance',
];

/**
 * @param {string[]} [extraArgs] more flags, e.g. a fake camera for the console's scanner test
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * A Chromium with a profile of its own in `userDataDir`: what installability needs (an
 * incognito-like context is never installable).
 * @param {string} userDataDir
 * @param {import('playwright-core').BrowserContextOptions} [options]
 * @returns {Promise<import('playwright-core').BrowserContext>}
 */
export function launchPersistentChromium(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    ...options,
  });
}
