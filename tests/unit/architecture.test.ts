/**
 * The arrows of src/ (src/store/README.md): pages and cli → features → store → shared.
 * Only src/store/ opens the database or holds a migration, no two of the
 * features on the database import each other, and no file imports pages or cli. Read from the import lines of
 * every file, so a new file is checked as soon as it exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = 'src';

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.(ts|mjs|astro)$/.test(entry.name) ? [path] : [];
  });
}

/** The features that keep data in the database, the small module two of them share, and the floor. */
const DATA_FOLDERS = [
  'signup',
  'console',
  'reminders',
  'reminder-choice',
  'privacy',
  'needs',
  'units',
  'editor',
  'store',
];

/**
 * The composition layers: they may import every feature, and nothing imports
 * them. src/pages/ is Astro's (routes are not imported); src/cli/ is the
 * organisers' command line (src/cli/README.md).
 */
const COMPOSITION_FOLDERS = ['pages', 'cli'];

const FILES = filesUnder(SRC).map((path) => ({ path, source: readFileSync(path, 'utf8') }));

/** The folder right under src/ a file is in ('' for src/ itself). */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? (parts[0] ?? '') : '';
}

/** Each relative import of the file, as the path it names under src/. */
function importsOf(path: string, source: string): string[] {
  const named = [...source.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return named.map((target) => normalize(join(dirname(path), target)));
}

/** Folder → folder → the files of the first that import the second. */
function folderImports(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const { path, source } of FILES) {
    const from = folderOf(path);
    for (const target of importsOf(path, source)) {
      if (!target.startsWith(SRC + sep)) continue;
      const to = folderOf(target);
      if (!from || !to || from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      const files = edges.get(to) ?? [];
      if (!files.includes(path)) files.push(path);
      edges.set(to, files);
    }
  }
  return graph;
}

describe('the arrows of src/', () => {
  test('only src/store/ opens the database or holds a migration', () => {
    const outside = FILES.filter(({ path }) => folderOf(path) !== 'store').filter(({ source }) =>
      /new DatabaseSync\b|from ['"]node:sqlite['"]|better-sqlite3|PRAGMA user_version\s*=|\bCREATE TABLE\b|\bALTER TABLE\b/.test(
        source,
      ),
    );
    expect(outside.map(({ path }) => path)).toEqual([]);
  });

  test('no two features on the database import each other, and the store imports none', () => {
    const graph = folderImports();
    const cycles: string[] = [];
    for (const [a, edges] of graph) {
      for (const [b, files] of edges) {
        if (!DATA_FOLDERS.includes(a) || !DATA_FOLDERS.includes(b)) continue;
        const back = graph.get(b)?.get(a);
        if (a < b && back) cycles.push(`${a} ⇄ ${b}: ${files.join(', ')} → ${b}/; ${back.join(', ')} → ${a}/`);
      }
    }
    expect(cycles).toEqual([]);
    const fromStore = [...(graph.get('store') ?? new Map<string, string[]>())].filter(([to]) => to !== 'shared');
    expect(fromStore.map(([to, files]) => `store → ${to}: ${files.join(', ')}`)).toEqual([]);
  });

  test('no file outside a composition layer imports one (src/pages/, src/cli/)', () => {
    const graph = folderImports();
    const into = [...graph].flatMap(([from, edges]) =>
      [...edges]
        .filter(([to]) => COMPOSITION_FOLDERS.includes(to))
        .map(([to, files]) => `${from} → ${to}: ${files.join(', ')}`),
    );
    expect(into).toEqual([]);
  });

  test('the check sees an import both ways (it would fail on one)', () => {
    // The scan itself: a pair of files importing each other's folder is found.
    const a = importsOf('src/signup/x.ts', "import { y } from '../console/y.ts';");
    const b = importsOf('src/console/y.ts', "import type { X } from '../signup/x.ts';");
    expect([a.map(folderOf), b.map(folderOf)]).toEqual([['console'], ['signup']]);
    // And a feature reaching into the command line is seen as an import of src/cli/.
    const c = importsOf('src/signup/x.ts', "import { run } from '../cli/main.ts';");
    expect(c.map(folderOf)).toEqual(['cli']);
  });
});
