/**
 * Share images: 1200×630 PNGs drawn at build time with satori (layout to
 * SVG) and sharp (SVG to PNG; the image library Astro itself uses), in Be
 * Vietnam Pro from the npm package @fontsource/be-vietnam-pro, so no network
 * is needed and every Vietnamese letter has its glyph. Each image is kept in
 * a cache named by the hash of everything that goes into it, so a build
 * redraws only what changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import satori from 'satori';
import sharp from 'sharp';
import { readBuildSettings } from '../build-settings.ts';

export const SHARE_IMAGE_SIZE = { width: 1200, height: 630 } as const;

export interface ShareImageInput {
  /** The page's title, the big text. */
  title: string;
  /** A line under it: a drive's day and place, an article's date. */
  subtitle?: string | undefined;
  /** What kind of page: "Tin tức", "Điểm hiến máu"… shown above the title. */
  kicker?: string | undefined;
  slogan: string;
  organisers: string;
  /**
   * An article's picture (a file path): the image is then the photo, cropped to 1200×630,
   * with the title and the slogan on a band across its foot.
   */
  photo?: string | undefined;
}

// Bump when the drawing changes, so cached images are redrawn.
const TEMPLATE_VERSION = 3;

const require = createRequire(import.meta.url);
const fontFile = (subset: string, weight: number) =>
  readFileSync(require.resolve(`@fontsource/be-vietnam-pro/files/be-vietnam-pro-${subset}-${weight}-normal.woff`));

let fonts: Parameters<typeof satori>[1]['fonts'] | undefined;
function loadFonts() {
  // The Vietnamese subset holds ơ, ư, đ and the toned letters; the Latin one the rest.
  fonts ??= [400, 700, 800].flatMap((weight) =>
    ['latin', 'vietnamese'].map((subset) => ({
      name: `Be Vietnam Pro ${subset}`,
      data: fontFile(subset, weight),
      weight: weight as 400 | 700 | 800,
      style: 'normal' as const,
    })),
  );
  return fonts;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: unknown } };
const el = (type: string, style: Record<string, unknown>, children?: unknown): Node => ({
  type,
  props: { style, children },
});

function titleSize(title: string): number {
  if (title.length <= 40) return 68;
  if (title.length <= 70) return 58;
  return 48;
}

function layout(input: ShareImageInput): Node {
  return el(
    'div',
    {
      width: '100%',
      height: '100%',
      display: 'flex',
      backgroundColor: '#ffffff',
      fontFamily: "'Be Vietnam Pro latin', 'Be Vietnam Pro vietnamese'",
      color: '#1f2937',
    },
    [
      el('div', { width: 28, height: '100%', backgroundColor: '#b91c1c' }),
      el(
        'div',
        { display: 'flex', flexDirection: 'column', justifyContent: 'space-between', flex: 1, padding: '56px 64px' },
        [
          el('div', { display: 'flex', fontSize: 26, fontWeight: 700, color: '#7f1d1d' }, input.organisers),
          el('div', { display: 'flex', flexDirection: 'column', gap: 18 }, [
            input.kicker
              ? el('div', { display: 'flex', fontSize: 28, fontWeight: 700, color: '#b91c1c' }, input.kicker)
              : el('div', { display: 'flex' }),
            el(
              'div',
              { display: 'flex', fontSize: titleSize(input.title), fontWeight: 800, lineHeight: 1.15 },
              input.title,
            ),
            input.subtitle
              ? el('div', { display: 'flex', fontSize: 30, color: '#4b5563' }, input.subtitle)
              : el('div', { display: 'flex' }),
          ]),
          el('div', { display: 'flex', alignItems: 'center', gap: 20 }, [
            el('div', {
              width: 44,
              height: 44,
              backgroundColor: '#b91c1c',
              borderRadius: '50% 0 50% 50%',
              transform: 'rotate(-45deg)',
            }),
            el('div', { display: 'flex', fontSize: 36, fontWeight: 800, color: '#b91c1c' }, input.slogan),
          ]),
        ],
      ),
    ],
  );
}

/** The photo as the whole image, the title and slogan on a dark band across its foot. */
function photoLayout(input: ShareImageInput, photo: string): Node {
  const { width, height } = SHARE_IMAGE_SIZE;
  const image = { type: 'img', props: { src: photo, width, height, style: { position: 'absolute', left: 0, top: 0 } } };
  return el(
    'div',
    {
      width: '100%',
      height: '100%',
      display: 'flex',
      position: 'relative',
      fontFamily: "'Be Vietnam Pro latin', 'Be Vietnam Pro vietnamese'",
      color: '#ffffff',
    },
    [
      image,
      el(
        'div',
        {
          position: 'absolute',
          left: 0,
          right: 0,
          bottom: 0,
          display: 'flex',
          flexDirection: 'column',
          gap: 10,
          padding: '28px 48px 32px',
          backgroundColor: 'rgba(17, 24, 39, 0.82)',
          borderTop: '10px solid #b91c1c',
        },
        [
          el(
            'div',
            { display: 'flex', fontSize: 24, fontWeight: 700, color: '#fecaca' },
            input.kicker ?? input.organisers,
          ),
          el(
            'div',
            { display: 'flex', fontSize: Math.min(titleSize(input.title), 52), fontWeight: 800, lineHeight: 1.15 },
            input.title,
          ),
          el('div', { display: 'flex', fontSize: 26, fontWeight: 700, color: '#fecaca' }, input.slogan),
        ],
      ),
    ],
  );
}

/** The photo cropped to the image's size, as a data: address satori can draw. */
async function photoData(file: string): Promise<string> {
  const jpeg = await sharp(file)
    .rotate()
    .resize({ ...SHARE_IMAGE_SIZE, fit: 'cover' })
    .jpeg({ quality: 85 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** The PNG for a page, drawn now. */
export async function drawShareImage(input: ShareImageInput): Promise<Buffer> {
  const tree = input.photo ? photoLayout(input, await photoData(input.photo)) : layout(input);
  const svg = await satori(tree as Parameters<typeof satori>[0], { ...SHARE_IMAGE_SIZE, fonts: loadFonts() });
  // sharp rasterises and encodes on libuv's thread pool, so with build.concurrency
  // the next page's layout runs meanwhile. It draws and encodes in about a third
  // of the time resvg took (npm run bench:share).
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// SHARE_IMAGE_CACHE moves it, e.g. for a benchmark that must start cold.
export const DEFAULT_CACHE_DIR = readBuildSettings().shareImageCache;

/** The PNG for a page: from the cache when nothing it is drawn from has changed. */
export async function shareImage(
  input: ShareImageInput,
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<{ png: Buffer; drawn: boolean }> {
  // The photo by its bytes, not its path: a picture replaced under the same name is drawn again.
  const photo =
    input.photo && existsSync(input.photo)
      ? createHash('sha256').update(readFileSync(input.photo)).digest('hex')
      : undefined;
  const key = createHash('sha256')
    .update(JSON.stringify({ TEMPLATE_VERSION, input: { ...input, photo } }))
    .digest('hex')
    .slice(0, 24);
  const file = join(cacheDir, `${key}.png`);
  if (existsSync(file)) return { png: readFileSync(file), drawn: false };
  const png = await drawShareImage(input);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, png);
  return { png, drawn: true };
}
