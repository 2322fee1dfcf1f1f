// A throw-away copy of the project for benchmarks and tests that change content
// or build: the real content/, dist/ and caches stay as they are. node_modules
// is linked, not copied; Astro's caches are under the copy's own .astro/
// (astro.config.mjs, cacheDir), so builds in two copies at once share nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ENTRIES = ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'public', 'scripts', 'content'];

/** @param {string} prefix name of the temporary folder @returns {string} the copy's path */
export function copyProject(prefix) {
  const project = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of ENTRIES) cpSync(join(root, entry), join(project, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
  return project;
}

/**
 * Builds the site from the content folder `content` into `outDir`, in a copy of the
 * project made for this build and removed after it. Results published from a console
 * never reach it (SIGNUP_DB names no file). A failed build throws with Astro's output.
 * @param {{ content: string, outDir: string, env?: Record<string, string> }} build
 */
export function buildContentFolder({ content, outDir, env = {} }) {
  const project = copyProject('build-content-');
  try {
    execFileSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', outDir, '--silent'], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CONTENT_DIR: content,
        SIGNUP_DB: join(project, 'no-signups.sqlite'),
        ASTRO_TELEMETRY_DISABLED: '1',
        ...env,
      },
    });
  } catch (error) {
    const failed = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error);
    throw new Error(`The build of ${content} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`, {
      cause: error,
    });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}
