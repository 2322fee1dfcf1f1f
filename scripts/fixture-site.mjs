// The site the browser tests build and serve, so that they never depend on the
// real content/ (editors replace it): tests/fixtures/site/ copied to
// .fixture/content/ with every "{{day+N}}" in its drives made the date N days
// from today in Cà Mau, then built into dist-test/. `npm test` runs this after
// building the real site; the e2e project serves dist-test/ (SITE_DIST).
//   node scripts/fixture-site.mjs        write the content and build it
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURE_SOURCE = join(root, 'tests/fixtures/site');
export const FIXTURE_CONTENT = join(root, '.fixture/content');
export const FIXTURE_DIST = 'dist-test';

/** Today's calendar date in Asia/Ho_Chi_Minh, as yyyy-mm-dd. */
export function todayInCaMau(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);
}

/**
 * The text with each {{day+N}} / {{day-N}} replaced by that date, counted from `today` (yyyy-mm-dd).
 * @param {string} text
 * @param {string} today
 */
export function withRelativeDates(text, today) {
  const [year, month, day] = today.split('-').map(Number);
  return text.replace(/\{\{day([+-]\d+)\}\}/g, (_, /** @type {string} */ offset) =>
    new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + Number(offset))).toISOString().slice(0, 10),
  );
}

/**
 * Makes each {{day+N}} in the drive files of `folder` a date counted from `today`.
 * @param {string} folder a drives folder
 * @param {string} today yyyy-mm-dd
 */
export function dateDrives(folder, today = todayInCaMau()) {
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    writeFileSync(file, withRelativeDates(readFileSync(file, 'utf8'), today));
  }
}

/**
 * Copies tests/fixtures/site/ to `folder` (emptied first), its drives dated from `today`.
 * @param {string} folder
 * @param {string} today yyyy-mm-dd
 */
export function copyFixtureContent(folder, today = todayInCaMau()) {
  rmSync(folder, { recursive: true, force: true });
  cpSync(FIXTURE_SOURCE, folder, { recursive: true });
  dateDrives(join(folder, 'drives'), today);
  return folder;
}

/** Writes .fixture/content/ from tests/fixtures/site/ for `today`. */
export function writeFixtureContent(today = todayInCaMau()) {
  return copyFixtureContent(FIXTURE_CONTENT, today);
}

if (import.meta.main) {
  writeFixtureContent();
  // --force: the content layer's cache holds entries of the last build, from another content folder
  // (content/, or a test's own); reused by id, they would bring that folder's files along.
  execFileSync(
    process.execPath,
    ['node_modules/astro/bin/astro.mjs', 'build', '--force', '--outDir', FIXTURE_DIST, '--silent'],
    {
      cwd: root,
      stdio: 'inherit',
      // SIGNUP_DB names no file: results published from a developer's own console never reach the test site.
      env: {
        ...process.env,
        CONTENT_DIR: FIXTURE_CONTENT,
        SIGNUP_DB: join(root, '.fixture/no-signups.sqlite'),
        ASTRO_TELEMETRY_DISABLED: '1',
      },
    },
  );
  console.log(`Built the test site (tests/fixtures/site/, dated from ${todayInCaMau()}) into ${FIXTURE_DIST}/`);
}
