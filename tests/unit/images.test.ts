import { describe, expect, test } from 'vitest';
import { articleImageProps } from '../../src/shared/images.ts';

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
