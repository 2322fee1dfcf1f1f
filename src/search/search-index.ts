/**
 * The search index: Pagefind's Node API over the built pages at the end of
 * `astro build`, written to dist/client/pagefind/. Pages choose what is
 * indexed with data-pagefind-* attributes (only articles, drive pages and
 * static pages carry data-pagefind-body). In `astro dev` the last build's
 * index is served at /pagefind/; without one, the search UI says how to make it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { CONTENT_TYPES } from '../server/static-files.ts';

export function searchIndex(): AstroIntegration {
  let lastBuild = '';
  return {
    name: 'search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        lastBuild = fileURLToPath(new URL('pagefind/', config.build.client));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const started = performance.now();
        const { index, errors: createErrors } = await pagefind.createIndex({ forceLanguage: 'vi' });
        if (!index) throw new Error(`Pagefind could not start: ${createErrors.join('; ')}`);
        try {
          const { errors, page_count: pages } = await index.addDirectory({ path: site });
          if (errors.length > 0) throw new Error(`Pagefind could not index ${site}: ${errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: join(site, 'pagefind') });
          if (written.errors.length > 0)
            throw new Error(`Pagefind could not write the index: ${written.errors.join('; ')}`);
          logger.info(`Đã lập chỉ mục tìm kiếm cho ${pages} trang trong ${Math.round(performance.now() - started)} ms`);
        } finally {
          await pagefind.close();
        }
      },
      'astro:server:setup': ({ server }) => {
        server.middlewares.use('/pagefind/', (request, response) => {
          const file = normalize(join(lastBuild, (request.url ?? '').split('?')[0] ?? ''));
          if (!file.startsWith(lastBuild) || !existsSync(file)) {
            response.statusCode = 404;
            response.setHeader('Content-Type', 'text/plain; charset=utf-8');
            response.end(
              "No search index yet: run `npm run build` once, then reload. `npm run dev` serves the last build's index.",
            );
            return;
          }
          readFile(file).then(
            (body) => {
              response.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
              response.end(body);
            },
            () => {
              response.statusCode = 500;
              response.end();
            },
          );
        });
      },
    },
  };
}
