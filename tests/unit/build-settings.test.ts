import { describe, expect, test } from 'vitest';
import {
  DEFAULT_CONTENT_DIR,
  DEFAULT_SHARE_IMAGE_CACHE,
  DEFAULT_SITE_URL,
  readBuildSettings,
} from '../../src/build-settings.ts';
import { DEFAULT_TILE_URL } from '../../src/drives/map-tiles.ts';
import { SettingsError } from '../../src/settings-error.ts';

describe('readBuildSettings', () => {
  test('defaults for a local build', () => {
    expect(readBuildSettings({})).toEqual({
      siteUrl: DEFAULT_SITE_URL,
      tiles: expect.objectContaining({ url: DEFAULT_TILE_URL, source: 'https://tile.openstreetmap.org' }),
      zaloOaId: undefined,
      contentDir: DEFAULT_CONTENT_DIR,
      shareImageCache: DEFAULT_SHARE_IMAGE_CACHE,
    });
  });

  test('empty values count as unset', () => {
    const settings = readBuildSettings({ SITE_URL: '', ZALO_OA_ID: '  ', CONTENT_DIR: '', SHARE_IMAGE_CACHE: '' });
    expect(settings.siteUrl).toBe(DEFAULT_SITE_URL);
    expect(settings.zaloOaId).toBeUndefined();
    expect(settings.contentDir).toBe(DEFAULT_CONTENT_DIR);
    expect(settings.shareImageCache).toBe(DEFAULT_SHARE_IMAGE_CACHE);
  });

  test('read every variable', () => {
    const settings = readBuildSettings({
      SITE_URL: 'https://hienmau.example.vn',
      MAP_TILE_URL: 'https://{s}.tiles.example.vn/{z}/{x}/{y}.png',
      ZALO_OA_ID: ' 1234567890 ',
      CONTENT_DIR: '.fixture/content',
      SHARE_IMAGE_CACHE: '/tmp/share-cache',
    });
    expect(settings).toMatchObject({
      siteUrl: 'https://hienmau.example.vn',
      tiles: { source: 'https://*.tiles.example.vn' },
      zaloOaId: '1234567890',
      contentDir: '.fixture/content',
      shareImageCache: '/tmp/share-cache',
    });
  });

  test.each(['hienmau.example.vn', 'ftp://hienmau.example.vn', 'https://'])(
    'refuse SITE_URL %j with one message naming it',
    (value) => {
      expect(() => readBuildSettings({ SITE_URL: value })).toThrow(SettingsError);
      expect(() => readBuildSettings({ SITE_URL: value })).toThrow(/^SITE_URL phải là địa chỉ đầy đủ của trang web/);
    },
  );

  test('refuse a bad MAP_TILE_URL as a settings error naming it', () => {
    expect(() => readBuildSettings({ MAP_TILE_URL: 'tiles.example.vn' })).toThrow(SettingsError);
    expect(() => readBuildSettings({ MAP_TILE_URL: 'tiles.example.vn' })).toThrow(/MAP_TILE_URL/);
  });
});
