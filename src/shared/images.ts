/**
 * How an article's picture is sized. A photo is sent at about the width the
 * screen shows it (Astro makes WebP copies 400, 800 and 1200 px wide and the
 * browser picks one); an SVG drawing is one small file at every width.
 */

/** The column the picture fills: max-w-3xl, 48rem. */
export const ARTICLE_IMAGE_SIZES = '(min-width: 48rem) 48rem, 100vw';
export const ARTICLE_IMAGE_WIDTHS = [400, 800, 1200];

interface ImageFacts {
  format: string;
  width: number;
}

/** Extra <Image> props for an article's picture. */
export function articleImageProps(
  image: ImageFacts,
): Record<string, never> | { width: number; widths: number[]; sizes: string } {
  if (image.format === 'svg') return {};
  return {
    width: Math.min(image.width, ARTICLE_IMAGE_WIDTHS.at(-1) ?? image.width),
    widths: ARTICLE_IMAGE_WIDTHS,
    sizes: ARTICLE_IMAGE_SIZES,
  };
}
