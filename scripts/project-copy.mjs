// A throw-away copy of the project for benchmarks that change content or
// build: the real content/, dist/ and caches stay as they are. node_modules
// is linked, not copied.
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
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
