/**
 * A content loader for one YAML file, read by the safe reader (src/shared/safe-yaml.ts: values
 * as written, no aliases). Astro's file() loader logs a file it cannot read and goes on with an
 * empty collection, so a broken campaign.yaml would surface as an unrelated error on some page;
 * this one stops the build with the file's own Vietnamese message.
 *
 * `one`: the whole file is one entry, its id the file's name (campaign.yaml → "campaign").
 * `list`: the file is a list whose items carry their `id` (places.yaml).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { parseContentYaml } from './safe-yaml.ts';

export function yamlFile({ path, entries }: { path: string; entries: 'one' | 'list' }): Loader {
  return {
    name: 'yaml-file',
    load: async (context: LoaderContext) => {
      const root = fileURLToPath(context.config.root);
      const filePath = resolve(root, path);
      const shown = relative(root, filePath);
      const sync = async () => {
        const text = await readFile(filePath, 'utf8');
        const raw = parseContentYaml(text, shown);
        const items: [string, unknown][] = [];
        if (entries === 'one') {
          if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
            throw new Error(`${shown} phải là các dòng "tên trường: giá trị"`);
          }
          items.push([basename(filePath, extname(filePath)), raw]);
        } else {
          if (!Array.isArray(raw)) throw new Error(`${shown} phải là một danh sách, mỗi mục bắt đầu bằng "- id: …"`);
          const seen = new Set<string>();
          for (const [index, item] of raw.entries()) {
            const id = (item as { id?: unknown } | null)?.id;
            if (typeof id !== 'string' || id === '') {
              throw new Error(`${shown}: mục thứ ${index + 1} thiếu id (tên không dấu, nối bằng gạch ngang)`);
            }
            if (seen.has(id)) throw new Error(`${shown}: id "${id}" có hai lần; mỗi mục một id riêng`);
            seen.add(id);
            items.push([id, item]);
          }
        }
        // Everything is checked before the store changes, so a bad edit in `astro dev` keeps the last good data.
        const parsed = [];
        for (const [id, data] of items) {
          parsed.push({ id, data: await context.parseData({ id, data: data as Record<string, unknown>, filePath }) });
        }
        context.store.clear();
        for (const entry of parsed) {
          context.store.set({ ...entry, filePath: shown, digest: context.generateDigest(entry.data) });
        }
      };
      await sync();
      context.watcher?.add(filePath);
      context.watcher?.on('change', (changed) => {
        if (changed !== filePath) return;
        sync().then(
          () => context.logger.info(`${shown}: đã đọc lại`),
          (error: Error) => context.logger.error(error.message),
        );
      });
    },
  };
}
