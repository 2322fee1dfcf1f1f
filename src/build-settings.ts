/**
 * Every environment variable the build reads, checked once, in one place: a
 * bad value stops the build with one message naming the variable, instead of
 * pages with a broken address or a policy that blocks the map. astro.config.mjs,
 * the content collections and the components read them here. (What the running
 * server reads is in settings.ts.)
 */
import { type TileSettings, tileSettings } from './drives/map-tiles.ts';
import { SettingsError } from './settings-error.ts';

export interface BuildSettings {
  /** SITE_URL: the public address, for canonical URLs, Open Graph, RSS and the sitemap. */
  siteUrl: string;
  /** MAP_TILE_URL and MAP_TILE_ATTRIBUTION: the map tiles and the policy source that allows them. */
  tiles: TileSettings;
  /** ZALO_OA_ID: the Zalo Official Account; set, the share bar offers Zalo's button and the policy its script. */
  zaloOaId: string | undefined;
  /** CONTENT_DIR: the editors' folder (the browser tests build a fixture folder instead). */
  contentDir: string;
  /** SHARE_IMAGE_CACHE: where drawn share images are kept between builds. */
  shareImageCache: string;
}

/** A placeholder: deployments set SITE_URL; the default serves local runs and tests. */
export const DEFAULT_SITE_URL = 'https://hienmau.camau.example';
export const DEFAULT_CONTENT_DIR = './content';
export const DEFAULT_SHARE_IMAGE_CACHE = 'node_modules/.cache/hien-mau-share-images';

function siteUrl(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return DEFAULT_SITE_URL;
  const url = URL.parse(value.trim());
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.hostname === '') {
    throw new SettingsError(
      `SITE_URL phải là địa chỉ đầy đủ của trang web, ví dụ https://hienmau.example.vn; nhưng đang là "${value}"`,
    );
  }
  return value.trim();
}

/** CONTENT_DIR alone, for the command line, which has no use for the other build settings. */
export function contentDir(env: Record<string, string | undefined> = process.env): string {
  return env['CONTENT_DIR'] || DEFAULT_CONTENT_DIR;
}

export function readBuildSettings(env: Record<string, string | undefined> = process.env): BuildSettings {
  return {
    siteUrl: siteUrl(env['SITE_URL']),
    tiles: tileSettings(env),
    zaloOaId: env['ZALO_OA_ID']?.trim() || undefined,
    contentDir: contentDir(env),
    shareImageCache: env['SHARE_IMAGE_CACHE'] || DEFAULT_SHARE_IMAGE_CACHE,
  };
}
