/**
 * A Vite plugin: `import 'after-paint:./island.ts'` in a component's <script> makes the island's
 * code a chunk of its own and puts in its place a few lines that add that chunk as a module
 * script once the page's largest paint has been reported. The component's script then imports
 * no code, so Astro inlines it, and no island script is fetched or run before the first screen
 * is drawn: Lighthouse's simulation counts every request that ended before the largest paint
 * it saw, and island scripts fetched from a nearby server always had (docs/benchmarks.md,
 * "First paint at the floor"). The islands are custom elements, so they upgrade the markup
 * the page already shows whenever their code arrives.
 */
import type { Plugin } from 'vite';

const PREFIX = 'after-paint:';
const RESOLVED_PREFIX = `\0${PREFIX}`;

/**
 * The loader, as source: the chunk is added after the first largest-contentful-paint entry (a
 * task later, so that its request starts after that paint was reported), or, where the browser
 * reports no such entry (Safari) or never will (a tab opened in the background), after the load
 * event and a frame (a second later where an entry was expected but none came); and at once when
 * the reader first touches, types or focuses something, so a quick tap waits as little as it
 * can. Whichever comes first adds it, once.
 */
function loaderSource(url: string): string {
  return `let added = false;
const add = () => {
  if (added) return;
  added = true;
  const script = document.createElement('script');
  script.type = 'module';
  script.src = ${url};
  document.head.append(script);
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
  return {
    name: 'hien-mau:after-paint-chunk',
    configResolved(config) {
      building = config.command === 'build';
    },
    async resolveId(id, importer) {
      if (!id.startsWith(PREFIX)) return undefined;
      const target = await this.resolve(id.slice(PREFIX.length), importer, { skipSelf: true });
      if (!target) throw new Error(`after-paint: ${id.slice(PREFIX.length)} not found from ${importer ?? '?'}`);
      return `${RESOLVED_PREFIX}${target.id}`;
    },
    load(id) {
      if (!id.startsWith(RESOLVED_PREFIX)) return undefined;
      const target = id.slice(RESOLVED_PREFIX.length);
      // `astro dev` serves the source as it is.
      if (!building) return loaderSource(JSON.stringify(`/@fs${target}`));
      const reference = this.emitFile({ type: 'chunk', id: target });
      return loaderSource(`import.meta.ROLLDOWN_FILE_URL_${reference}`);
    },
  };
}
