import { describe, expect, test } from 'vitest';
import { DEFAULT_TILE_URL, tileSettings, tileSource } from '../../src/drives/map-tiles.ts';

describe('tile settings', () => {
  test('default to OpenStreetMap with its attribution', () => {
    const settings = tileSettings({});
    expect(settings.url).toBe(DEFAULT_TILE_URL);
    expect(settings.attribution).toContain('OpenStreetMap');
    expect(settings.source).toBe('https://tile.openstreetmap.org');
  });

  test('come from MAP_TILE_URL and MAP_TILE_ATTRIBUTION', () => {
    const settings = tileSettings({
      MAP_TILE_URL: 'https://{s}.tiles.example.vn/{z}/{x}/{y}.png',
      MAP_TILE_ATTRIBUTION: '© Bản đồ Việt',
    });
    expect(settings.source).toBe('https://*.tiles.example.vn');
    expect(settings.attribution).toBe('© Bản đồ Việt');
  });

  test.each([
    ['not a url', 'địa chỉ https:// đầy đủ'],
    ['http://tiles.example.vn/{z}/{x}/{y}.png', 'https://'],
    ['http://127.0.0.1.example.vn/{z}/{x}/{y}.png', 'https://'],
    ['https://tiles.example.vn/tile.png', '{z}, {x} và {y}'],
  ])('refuse %j with a message naming the setting', (url, hint) => {
    expect(() => tileSource(url)).toThrow(/MAP_TILE_URL/);
    expect(() => tileSource(url)).toThrow(hint);
  });

  test('allow plain http only for a tile server on this machine', () => {
    expect(tileSource('http://127.0.0.1:8080/{z}/{x}/{y}.png')).toBe('http://127.0.0.1:8080');
    expect(tileSource('http://localhost/{z}/{x}/{y}.png')).toBe('http://localhost');
  });
});
