/**
 * A content loader for a folder of YAML files, one entry per file, its id the
 * file name folded to a URL slug ("Giá Rai 12-2026.yaml" → "gia-rai-12-2026").
 *
 * Astro's glob() loader would read the YAML with timestamps turned into Date
 * objects, dropping the "+07:00" the schema must see (a time written without
 * it would be read as UTC, seven hours off), and would let a second file with
 * the same slug silently replace the first. This loader keeps every value as
 * written (YAML core schema, src/shared/safe-yaml.ts, which also refuses
 * aliases) and refuses duplicate slugs, naming both files, in Vietnamese.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { slugify } from '../shared/vietnamese.ts';
import { parseContentYaml } from '../shared/safe-yaml.ts';

const YAML_FILE = /\.ya?ml$/i;

interface Parsed {
  id: string;
  data: Record<string, unknown>;
  filePath: string;
  digest: string;
}

/** Changes an entry's fields before they are checked (the drives take results published from the console). */
export type EntryOverlay = (id: string, data: Record<string, unknown>) => Record<string, unknown>;

async function readEntries(folder: string, context: LoaderContext, overlay?: EntryOverlay): Promise<Parsed[]> {
  const root = fileURLToPath(context.config.root);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const owners = new Map<string, string>();
  const entries: Parsed[] = [];
  for (const name of names.filter((n) => YAML_FILE.test(n)).sort()) {
    const path = resolve(folder, name);
    const shown = relative(root, path);
    const text = await readFile(path, 'utf8');
    const raw = parseContentYaml(text, shown);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new Error(`${shown} phải là các dòng "tên trường: giá trị" (name: …, address: …)`);
    }
    const id = slugify(basename(name, extname(name)));
    if (!id) throw new Error(`${shown}: tên tệp cần có chữ hoặc số; nó thành địa chỉ của trang`);
    const owner = owners.get(id);
    if (owner) {
      throw new Error(
        `${shown} và ${owner} cùng cho địa chỉ "${id}" (tên tệp chỉ khác nhau ở chữ hoa, dấu hay dấu câu là cùng một địa chỉ). Đổi tên hoặc xoá một tệp.`,
      );
    }
    owners.set(id, shown);
    const fields = raw as Record<string, unknown>;
    const data = await context.parseData({ id, data: overlay ? overlay(id, fields) : fields, filePath: path });
    entries.push({ id, data, filePath: shown, digest: context.generateDigest(text) });
  }
  return entries;
}

export function yamlFolder({ base, overlay }: { base: string; overlay?: EntryOverlay }): Loader {
  return {
    name: 'yaml-folder',
    load: async (context) => {
      const folder = resolve(fileURLToPath(context.config.root), base);
      const sync = async () => {
        // Everything is read and checked before the store changes, so a bad
        // edit in `astro dev` leaves the last good data in place.
        const entries = await readEntries(folder, context, overlay);
        context.store.clear();
        for (const entry of entries) context.store.set(entry);
      };
      await sync();
      const watcher = context.watcher;
      if (!watcher) return;
      watcher.add(folder);
      watcher.on('all', (_event, path) => {
        if (!path.startsWith(folder) || !YAML_FILE.test(path)) return;
        sync().then(
          () => context.logger.info(`Reloaded ${relative(fileURLToPath(context.config.root), folder)}`),
          (error: Error) => context.logger.error(error.message),
        );
      });
    },
  };
}
