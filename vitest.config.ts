/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Two projects: fast tests of pure code and components (Astro's Vite config,
// so .astro files and astro:* modules resolve), and browser tests against the
// test site (tests/fixtures/site/, built into dist-test/ by
// scripts/fixture-site.mjs) served by `npm start`'s server on loopback.
export default getViteConfig({
  test: {
    // The JSON report lets .ci/run print a one-line summary that CI reads.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
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
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          // The test site (scripts/fixture-site.mjs), never the real content; servers started by the tests inherit it.
          env: { SITE_DIST: 'dist-test' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: one Chromium at a time keeps runs steady.
          fileParallelism: false,
        },
      },
    ],
  },
});
