/**
 * A Vite plugin: the islands in AFTER_PAINT_ISLANDS are chunks of their own, and the one script
 * BaseLayout.astro carries (`import 'virtual:after-paint-islands'`) adds, once the page's largest
 * paint has been reported, the chunk of each island whose element is in the page. That script
 * imports no code, so Astro inlines it, and no island script is fetched or run before the first
 * screen is drawn: Lighthouse's simulation counts every request that ended before the largest
 * paint it saw, and island scripts fetched from a nearby server always had (docs/benchmarks.md,
 * "First paint at the floor"). The islands are custom elements, so they upgrade the markup the
 * page already shows whenever their code arrives. One script for them all, the same on every
 * page, is one hash in the pages' policy, not one for each island.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const MODULE_ID = 'virtual:after-paint-islands';
const RESOLVED_ID = `\0${MODULE_ID}`;

/** Each island: what in a page says it is there (its element), and its code. */
export const AFTER_PAINT_ISLANDS: readonly { selector: string; module: string }[] = [
  { selector: 'site-search', module: '../search/site-search.ts' },
  { selector: 'site-menu', module: './site-menu.ts' },
  { selector: 'needs-banner', module: '../needs/needs-banner.ts' },
  { selector: 'signup-form', module: '../signup/signup-form.ts' },
  { selector: 'drive-map', module: '../drives/drive-map.ts' },
  { selector: 'drive-finder', module: '../drives/drive-finder.ts' },
  { selector: 'search-page', module: '../search/search-page.ts' },
  // Every page: the manifest and the service worker, which then wait for the load event.
  { selector: 'body', module: '../offline/register-service-worker.ts' },
];

/**
 * The loader, as source: the chunks are added after the first largest-contentful-paint entry (a
 * task later, so that their requests start after that paint was reported), or, where the browser
 * reports no such entry (Safari) or never will (a tab opened in the background), after the load
 * event and a frame (a second later where an entry was expected but none came); and at once when
 * the reader first touches, types or focuses something, so a quick tap waits as little as it
 * can. Whichever comes first adds them, once.
 */
function loaderSource(islands: readonly [string, string][]): string {
  const list = islands.map(([selector, url]) => `[${JSON.stringify(selector)}, ${url}]`).join(', ');
  return `const islands = [${list}];
let added = false;
const add = () => {
  if (added) return;
  added = true;
  for (const [selector, url] of islands) {
    if (!document.querySelector(selector)) continue;
    const script = document.createElement('script');
    script.type = 'module';
    script.src = url;
    document.head.append(script);
  }
};
for (const type of ['pointerdown', 'keydown', 'focusin']) addEventListener(type, add, { once: true, capture: true, passive: true });
const reported = PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint') && document.visibilityState === 'visible';
if (reported) new PerformanceObserver(() => setTimeout(add, 0)).observe({ type: 'largest-contentful-paint', buffered: true });
const later = () => setTimeout(() => requestAnimationFrame(() => setTimeout(add, 0)), reported ? 1000 : 0);
if (document.readyState === 'complete') later();
else addEventListener('load', later, { once: true });
`;
}

export function afterPaintChunk(): Plugin {
  let building = false;
  const islands = AFTER_PAINT_ISLANDS.map(({ selector, module }) => ({
    selector,
    path: fileURLToPath(new URL(module, import.meta.url)),
  }));
  return {
    name: 'hien-mau:after-paint-chunk',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId(id) {
      return id === MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      // `astro dev` serves the sources as they are.
      if (!building)
        return loaderSource(islands.map(({ selector, path }) => [selector, JSON.stringify(`/@fs${path}`)]));
      return loaderSource(
        islands.map(({ selector, path }) => {
          const reference = this.emitFile({ type: 'chunk', id: path });
          return [selector, `import.meta.ROLLDOWN_FILE_URL_${reference}`];
        }),
      );
    },
  };
}
