/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Two projects: fast tests of pure code and components (Astro's Vite config,
// so .astro files and astro:* modules resolve), and browser tests against the
// test site (tests/fixtures/site/, built into dist-test/ by
// scripts/fixture-site.mjs) served by `npm start`'s server on loopback.
// The browser tests in three projects, so that `npm test` (scripts/run-tests.mjs) runs the
// first two side by side, each against a server of its own, and then the third alone.
/**
 * Pages checked page by page (axe on every page of the sitemap), and the map's and search's
 * pages, which only read, and the console's content forms, which start servers of their own:
 * with the unit tests beside them, about as long as the other browser tests (03/12: 551 s
 * against 759 s before the map and search moved here; then 620 s against 784 s once the forms
 * had come, before they moved here; docs/benchmarks.md, "Tests and their time").
 */
const PAGE_FILES = [
  'tests/e2e/audit.test.ts',
  'tests/e2e/pages.test.ts',
  'tests/e2e/header.test.ts',
  'tests/e2e/budgets.test.ts',
  'tests/e2e/share.test.ts',
  'tests/e2e/first-paint.test.ts',
  'tests/e2e/drives.test.ts',
  'tests/e2e/search.test.ts',
  'tests/e2e/article-form.test.ts',
  'tests/e2e/article-done.test.ts',
  'tests/e2e/drive-form.test.ts',
];
/** Tests that time the server under load (a response within a bound): run with nothing beside them. */
const ALONE_FILES = [
  'tests/e2e/login-pressure.test.ts',
  'tests/e2e/purge-pressure.test.ts',
  'tests/e2e/desk-pressure.test.ts',
];

function browserProject(name: string, files: { include?: string[]; exclude?: string[] }) {
  return {
    test: {
      name,
      environment: 'node',
      include: files.include ?? ['tests/e2e/**/*.test.ts'],
      exclude: files.exclude ?? [],
      globalSetup: ['tests/e2e/global-setup.ts'],
      // The test site (scripts/fixture-site.mjs), never the real content; servers started by the tests inherit it.
      env: { SITE_DIST: 'dist-test' },
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // One Chromium at a time within a project: its files share one server.
      fileParallelism: false,
    },
  };
}

export default getViteConfig({
  test: {
    // The JSON report lets .ci/run print a one-line summary that CI reads; scripts/run-tests.mjs
    // gives each of its Vitest runs a report of its own (--outputFile.json) and merges them.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/components/**/*.test.ts'],
          // Password tests derive scrypt keys (128 MiB, one at a time: src/console/passwords.ts),
          // several per test: on a busy 2-core machine they ran past Vitest's 5 s default.
          testTimeout: 20_000,
        },
      },
      browserProject('e2e', { exclude: [...PAGE_FILES, ...ALONE_FILES] }),
      browserProject('e2e-pages', { include: PAGE_FILES }),
      browserProject('e2e-alone', { include: ALONE_FILES }),
    ],
  },
});
