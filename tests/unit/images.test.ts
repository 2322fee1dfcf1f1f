import { describe, expect, test } from 'vitest';
import { articleImageProps, INLINE_DRAWING_MAX_BYTES, svgDataUri } from '../../src/shared/images.ts';

describe('article pictures', () => {
  test('a large photo gets WebP copies for phones and a 1200 px fallback', () => {
    expect(articleImageProps({ format: 'jpg', width: 4000 })).toEqual({
      width: 1200,
      widths: [400, 800, 1200],
      sizes: '(min-width: 48rem) 48rem, 100vw',
    });
  });

  test('a photo narrower than 1200 px keeps its own width', () => {
    expect(articleImageProps({ format: 'png', width: 640 })).toMatchObject({ width: 640 });
  });

  test('an SVG drawing is one file', () => {
    expect(articleImageProps({ format: 'svg', width: 1200 })).toEqual({});
  });
});

describe('a small drawing in the page', () => {
  test('is a data: address with its namespace put back, single quotes and # escaped', () => {
    const uri = svgDataUri('<svg viewBox="0 0 10 10">\n  <rect width="10" height="10" fill="#fef2f2" />\n</svg>\n');
    expect(uri).toBe(
      "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10' fill='%23fef2f2' /></svg>",
    );
  });

  test('keeps its own namespace and double quotes when it has single ones', () => {
    const uri = svgDataUri(`<svg xmlns="http://www.w3.org/2000/svg"><text font-family="'A'">50%</text></svg>`);
    expect(uri).toBe(
      `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"><text font-family="'A'">50%25</text></svg>`,
    );
  });

  test('draws as the same picture in a browser address parser', () => {
    const uri = svgDataUri('<svg viewBox="0 0 1 1"><path d="M0 0 L1 1" stroke="#000"/></svg>') ?? '';
    expect(decodeURIComponent(new URL(uri).pathname.replace(/^image\/svg\+xml,/, ''))).toBe(
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><path d='M0 0 L1 1' stroke='#000'/></svg>",
    );
  });

  test('is left as a file when too large or not an SVG', () => {
    expect(svgDataUri(`<svg>${' <g/>'.repeat(INLINE_DRAWING_MAX_BYTES)}</svg>`)).toBeUndefined();
    expect(svgDataUri('<img src="x">')).toBeUndefined();
    expect(svgDataUri('')).toBeUndefined();
  });
});
