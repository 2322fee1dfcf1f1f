/**
 * A Vite plugin: the header dialog's search code (header-search.ts) as a chunk of its own,
 * whose address the <site-search> island imports from `virtual:header-search-url`. The
 * island then imports no code at all, which is what Astro needs to inline it in every page,
 * and fetches the search code only when the dialog first opens; a dynamic `import()` would
 * instead make Vite add its preload helper to the island, and both would be fetched before
 * the first paint (docs/benchmarks.md, "First paint at the floor").
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const MODULE_ID = 'virtual:header-search-url';
const RESOLVED_ID = `\0${MODULE_ID}`;
const HEADER_SEARCH = fileURLToPath(new URL('./header-search.ts', import.meta.url));

export function headerSearchChunk(): Plugin {
  let building = false;
  return {
    name: 'hien-mau:header-search-chunk',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId(id) {
      return id === MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      // `astro dev` serves the source as it is.
      if (!building) return `export default ${JSON.stringify(`/@fs${HEADER_SEARCH}`)};`;
      const reference = this.emitFile({ type: 'chunk', id: HEADER_SEARCH, name: 'header-search' });
      return `export default import.meta.ROLLDOWN_FILE_URL_${reference};`;
    },
  };
}
