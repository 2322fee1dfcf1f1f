// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { readBuildSettings } from './src/build-settings.ts';
import { searchIndex } from './src/search/search-index.ts';
import { headerSearchChunk } from './src/search/header-search-chunk.ts';
import { afterPaintChunk } from './src/shared/after-paint-chunk.ts';
import { precompress } from './src/server/precompress.ts';
import { pageStyles } from './src/server/page-styles.ts';
import { offlineSupport } from './src/offline/offline-integration.ts';
import { MAX_BODY_BYTES, UNIT_LIST_MAX_BYTES } from './src/server/limits.ts';

// SITE_URL, the map tiles and ZALO_OA_ID, checked once (src/build-settings.ts).
const settings = readBuildSettings();
const site = settings.siteUrl;

// Map tiles are the only outside requests the site makes (README, "Quick start"); their
// host comes from MAP_TILE_URL, which the map components read from the same settings.
// Astro writes this policy, with the hashes of each page's own scripts and
// styles, into a <meta> at the top of every static page and a header on
// on-demand ones. frame-ancestors cannot be set from a <meta>: the server
// adds it to every response, merging it into Astro's header (src/server/headers.ts).
const cspDirectives = /** @type {const} */ ([
  "default-src 'self'",
  `img-src 'self' data: ${settings.tiles.source}`,
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  'upgrade-insecure-requests',
]);

export default defineConfig({
  site,
  trailingSlash: 'always',
  // Beside the content layer's other files (.astro/ of the project root) rather than in
  // node_modules/.astro/: a copy of the project links node_modules, and two builds of
  // different content folders at once (the browser tests' own builds, a unit test's
  // `astro sync`) would otherwise read each other's cached entries.
  cacheDir: './.astro/cache/',
  build: {
    // Several pages at once: share images are rasterised off the main thread meanwhile.
    concurrency: 4,
    // The site's stylesheet (about 30 kB, 6 kB brotli) goes into every page's
    // <style>: a linked file blocked the first paint by a round trip on a slow
    // phone network, and the first screen of every page uses most of it
    // (docs/benchmarks.md, "What a page loads"). Astro's CSP hashes it.
    inlineStylesheets: 'always',
  },
  output: 'static',
  // staticHeaders stays off: with trailingSlash 'always' the adapter matches
  // _headers.json entries by substring and serves one page's policy on another.
  // bodySizeLimit: src/server/site-server.ts reads every body itself, to maxBodyBytes of its path
  // (a unit's list under /to-chuc/don-vi/ is the largest); the adapter's own limit is that largest.
  // 'middleware': the handler is Astro's alone. The standalone one looked for a static file
  // before every on-demand answer (an lstat and a stat that found nothing), after
  // src/server/static-files.ts had already looked: about 0.3 ms of each sign-up's
  // (docs/benchmarks.md, "Sign-ups: the answer's compression"). Astro redirects a path
  // without its trailing slash itself.
  // experimentalDisableStreaming: an on-demand page is rendered whole, as one string. Its
  // answer is held whole anyway to be compressed with its stylesheet's kept compression
  // (src/server/answer-compression.ts), and its queries are synchronous (node:sqlite), so
  // streaming sent nothing sooner and cost a web stream read per chunk, about 0.15 ms of a
  // sign-up's answer (docs/benchmarks.md, "Sign-ups: counting places").
  adapter: node({ mode: 'middleware', bodySizeLimit: UNIT_LIST_MAX_BYTES, experimentalDisableStreaming: true }),
  integrations: [
    mdx(),
    sitemap({
      filter: (page) =>
        !page.includes('/404') &&
        !page.includes('/dang-ky/huy/') &&
        !page.includes('/api/') &&
        !page.includes('/to-chuc/') &&
        // A person's reminders, and the pages of a message's links: on demand, never indexed.
        !page.includes('/nhac-hen/') &&
        // Pages of this device, not of the web: the offline page and the sign-ups kept here.
        !page.includes('/ngoai-tuyen/') &&
        !page.includes('/dang-ky-cua-toi/'),
      // Rendered on demand, so not found by the sitemap on its own; the cancel page stays out (noindex).
      customPages: [new URL('/dang-ky/', site).href, new URL('/doi-nhom/', site).href],
    }),
    // Each page keeps the rules of its inlined stylesheet that it can use, before anything reads the pages.
    pageStyles(),
    searchIndex(),
    // The manifest, its icons and the service worker, from the pages just written.
    offlineSupport(),
    // Last: compresses what the build and the search index wrote.
    precompress(),
  ],
  security: {
    checkOrigin: true,
    // The sign-up form is a dozen short fields; nothing larger is a sign-up.
    actionBodySizeLimit: MAX_BODY_BYTES,
    csp: {
      directives: [...cspDirectives],
      // Zalo's share button is the one outside script, and only when an Official
      // Account is configured; it loads after a tap (ShareBar.astro).
      ...(settings.zaloOaId ? { scriptDirective: { resources: ["'self'", 'https://sp.zalo.me'] } } : {}),
    },
  },
  // No code samples on this site; Shiki's inline styles would also break the CSP.
  markdown: { syntaxHighlight: false },
  session: false,
  vite: {
    plugins: [tailwindcss(), headerSearchChunk(), afterPaintChunk()],
    build: {
      rollupOptions: {
        // Astro marks every MDX module with a directive the bundler cannot keep and
        // warns once per file; the warning says nothing an editor can act on and
        // would hide real ones.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
});
