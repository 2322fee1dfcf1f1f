/**
 * Builds what makes the site installable and readable offline, after Astro
 * has written the pages: the manifest, its icons (drawn from the favicon's
 * blood drop with sharp), and the service worker — bundled with esbuild
 * from service-worker.ts, with the pages and files to keep written in, then
 * given its precache list by Workbox's injectManifest. What it fetches at
 * install stays within its budget (offline-plan.ts): drive pages that do
 * not fit are left to be kept once read, and the build says how many.
 */
import { readFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import sharp from 'sharp';
import { getManifest, injectManifest } from 'workbox-build';
import { SCHEDULE_PATH } from '../signup/slot-check.ts';
import {
  LARGEST_KEPT_FILE_BYTES,
  MY_SIGNUPS_PATH,
  OFFLINE_PAGE_PATH,
  OFFLINE_SET_BUDGET_BYTES,
  PAGES_ALWAYS_KEPT,
  comingDrivePages,
  drivePagesThatFit,
  SERVICE_WORKER_PATH,
  WEB_MANIFEST_PATH,
  type ScheduledDriveSummary,
} from './offline-plan.ts';
import { ICON_SIZES, iconPath, THEME_COLOUR, webManifest } from './web-manifest.ts';

const SOURCE = fileURLToPath(new URL('./service-worker.ts', import.meta.url));
const FAVICON = fileURLToPath(new URL('../../public/favicon.svg', import.meta.url));

/** The drop on white for "any", on the brand red within the maskable safe zone (the middle 80 %). */
async function writeIcons(client: string): Promise<void> {
  const drop = await readFile(FAVICON);
  await mkdir(join(client, 'icons'), { recursive: true });
  for (const size of ICON_SIZES) {
    const inner = Math.round(size * 0.8);
    await sharp({ create: { width: size, height: size, channels: 4, background: '#ffffff' } })
      .composite([
        { input: await sharp(drop, { density: 600 }).resize(inner, inner).png().toBuffer(), gravity: 'centre' },
      ])
      .png()
      .toFile(join(client, iconPath(size)));
  }
  const white = Buffer.from(
    (await readFile(FAVICON, 'utf8'))
      .replace('fill="#b91c1c"', 'fill="#ffffff"')
      .replace('fill="#fff"', `fill="${THEME_COLOUR}"`),
  );
  await sharp({ create: { width: 512, height: 512, channels: 4, background: THEME_COLOUR } })
    .composite([{ input: await sharp(white, { density: 600 }).resize(300, 300).png().toBuffer(), gravity: 'centre' }])
    .png()
    .toFile(join(client, iconPath(512, true)));
}

/** What a file costs over the network: its brotli size at the quality the build's copies use (precompress.ts). */
function sentBytes(body: Buffer): number {
  return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 8 } }).length;
}

/**
 * The files a page loads: its stylesheets and scripts as its HTML names them (in attributes, or
 * in an inlined island, as the header's search code), and the chunks those import.
 */
async function filesOf(client: string, html: string): Promise<string[]> {
  const found = new Set<string>();
  for (const [, path] of html.matchAll(/["'`](\/_astro\/[^"'`]+\.(?:css|js))["'`]/g)) if (path) found.add(path);
  for (const path of [...found].filter((p) => p.endsWith('.js'))) {
    const code = await readFile(join(client, path), 'utf8').catch(() => '');
    for (const [, name] of code.matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) if (name) found.add(`/_astro/${name}`);
  }
  return [...found];
}

/**
 * The pages and files to keep at install within the budget: the shells and
 * the pages always kept, then drive pages soonest first while they fit.
 * Files over LARGEST_KEPT_FILE_BYTES (Leaflet, the QR decoder) wait until a
 * page loads them.
 */
async function offlineSet(client: string, drivePages: readonly string[], precachedBytes: number) {
  const sizes = new Map<string, { sent: number; stored: number }>();
  const measure = async (file: string) => {
    const known = sizes.get(file);
    if (known) return known;
    const body = await readFile(join(client, file)).catch(() => Buffer.alloc(0));
    const size = { sent: sentBytes(body), stored: body.length };
    sizes.set(file, size);
    return size;
  };
  const pageFiles = new Map<string, string[]>();
  for (const page of [...PAGES_ALWAYS_KEPT, OFFLINE_PAGE_PATH, MY_SIGNUPS_PATH, ...drivePages]) {
    const html = await readFile(join(client, page, 'index.html'), 'utf8').catch(() => '');
    const files = [];
    for (const file of await filesOf(client, html))
      if ((await measure(file)).stored <= LARGEST_KEPT_FILE_BYTES) files.push(file);
    pageFiles.set(page, files);
    await measure(join(page, 'index.html'));
  }
  const assets = new Set<string>();
  const cost = (page: string, add: boolean) => {
    let bytes = sizes.get(join(page, 'index.html'))?.sent ?? 0;
    for (const file of pageFiles.get(page) ?? []) {
      if (assets.has(file)) continue;
      bytes += sizes.get(file)?.sent ?? 0;
      if (add) assets.add(file);
    }
    return bytes;
  };
  let fixed = precachedBytes;
  for (const page of PAGES_ALWAYS_KEPT) fixed += cost(page, true);
  // The precached shells' HTML is counted in precachedBytes; their files here.
  for (const page of [OFFLINE_PAGE_PATH, MY_SIGNUPS_PATH]) {
    fixed += cost(page, true) - (sizes.get(join(page, 'index.html'))?.sent ?? 0);
  }
  const { kept, total } = drivePagesThatFit(drivePages, fixed, (page) => cost(page, false));
  for (const page of kept) cost(page, true);
  const pages = [...PAGES_ALWAYS_KEPT, ...kept];
  let stored = 0;
  for (const page of pages) stored += sizes.get(join(page, 'index.html'))?.stored ?? 0;
  for (const file of assets) stored += sizes.get(file)?.stored ?? 0;
  return { pages, assets: [...assets].sort(), sent: total, stored, left: drivePages.length - kept.length };
}

export function offlineSupport(): AstroIntegration {
  return {
    name: 'offline-support',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const client = fileURLToPath(dir);
        await writeFile(join(client, WEB_MANIFEST_PATH), JSON.stringify(webManifest()));
        await writeIcons(client);

        const schedule = JSON.parse(await readFile(join(client, SCHEDULE_PATH), 'utf8')) as ScheduledDriveSummary[];
        const precached = [
          `${OFFLINE_PAGE_PATH.slice(1)}index.html`,
          `${MY_SIGNUPS_PATH.slice(1)}index.html`,
          WEB_MANIFEST_PATH.slice(1),
          'icons/*.png',
        ];
        // What the precache costs, counted like the rest (its files' brotli sizes; PNGs barely shrink).
        const { manifestEntries } = await getManifest({ globDirectory: client, globPatterns: precached });
        let precachedBytes = 0;
        for (const entry of manifestEntries ?? []) precachedBytes += sentBytes(await readFile(join(client, entry.url)));
        const plan = await offlineSet(client, comingDrivePages(schedule, new Date()), precachedBytes);

        const bundled = join(tmpdir(), `service-worker-${process.pid}.js`);
        await build({
          entryPoints: [SOURCE],
          outfile: bundled,
          bundle: true,
          minify: true,
          format: 'iife',
          target: 'es2020',
          legalComments: 'none',
          define: {
            'process.env.NODE_ENV': '"production"',
            __KEPT_PAGES__: JSON.stringify(plan.pages),
            __KEPT_ASSETS__: JSON.stringify(plan.assets),
          },
          logLevel: 'silent',
        });
        const { count, size } = await injectManifest({
          swSrc: bundled,
          swDest: join(client, SERVICE_WORKER_PATH),
          globDirectory: client,
          globPatterns: precached,
          // The pages by their addresses (/ngoai-tuyen/), as people and links ask for them.
          manifestTransforms: [
            (entries) => ({
              manifest: entries.map((entry) => ({ ...entry, url: `/${entry.url.replace(/index\.html$/, '')}` })),
              warnings: [],
            }),
          ],
        });
        await rm(bundled, { force: true });

        logger.info(
          `service worker: ${count} tệp lưu sẵn (${Math.round(size / 1000)} kB), ${plan.pages.length} trang và ${plan.assets.length} tệp giữ lại khi cài; ${Math.round(plan.sent / 1000)} kB tải về (hạn mức ${OFFLINE_SET_BUDGET_BYTES / 1000} kB), ${Math.round(plan.stored / 1000)} kB lưu trên máy`,
        );
        if (plan.left > 0) {
          logger.warn(
            `${plan.left} trang điểm hiến máu sắp tới không vừa hạn mức ngoại tuyến: mỗi trang chỉ được giữ lại sau khi đã mở (src/offline/offline-plan.ts).`,
          );
        }
      },
    },
  };
}
