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

/** A drawing larger than this stays a file of its own: past it, the page's first bytes would grow too much. */
export const INLINE_DRAWING_MAX_BYTES = 4096;

/**
 * An SVG drawing's markup as a `data:` address for an <img>, or undefined when it is over
 * INLINE_DRAWING_MAX_BYTES or not an <svg> element. Astro renders an imported SVG without its
 * namespace, which an SVG drawn as an image needs, so it is put back. Only what a data: address
 * cannot hold as it is (% and the fragment's #) is escaped, and the spaces between tags go, so
 * the markup stays short and the page's compression still sees markup.
 */
export function svgDataUri(markup: string): string | undefined {
  const svg = markup.trim().replace(/\s+/g, ' ');
  if (!/^<svg[\s>]/.test(svg) || new TextEncoder().encode(svg).length > INLINE_DRAWING_MAX_BYTES) return undefined;
  const namespaced = /^<svg[^>]*\sxmlns=/.test(svg)
    ? svg
    : svg.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  // Single quotes where the drawing has none, so the page's attribute needs no &quot;.
  const quoted = namespaced.includes("'") ? namespaced : namespaced.replaceAll('"', "'");
  return `data:image/svg+xml,${quoted.replace(/>\s+</g, '><').replace(/[%#]/g, (c) => encodeURIComponent(c))}`;
}
