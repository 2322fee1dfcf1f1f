/**
 * Where map tiles come from. The tile server is the one outside host pages
 * may contact (README, "Quick start"), so its address is configuration: MAP_TILE_URL and
 * MAP_TILE_ATTRIBUTION at build time. The defaults are OpenStreetMap's
 * standard tiles, whose usage policy asks for the attribution below.
 */
import { SettingsError } from '../settings-error.ts';

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_TILE_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">Những người đóng góp OpenStreetMap</a>';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The Content-Security-Policy source that allows a tile URL template:
 * "https://{s}.tile.example.org/{z}/{x}/{y}.png" → "https://*.tile.example.org".
 */
export function tileSource(template: string): string {
  const withWildcard = template.replace('{s}', 'subdomain-placeholder');
  let url: URL;
  try {
    url = new URL(withWildcard);
  } catch {
    throw new SettingsError(
      `MAP_TILE_URL phải là một địa chỉ https:// đầy đủ có {z}, {x} và {y}; nhưng đang là "${template}"`,
    );
  }
  // Plain http is allowed only on this machine, for a local tile server in
  // development and the benchmarks; browsers do not upgrade loopback requests.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new SettingsError(
      `MAP_TILE_URL phải bắt đầu bằng https:// (các trang được phục vụ qua HTTPS); nhưng đang là "${template}"`,
    );
  }
  if (!['{z}', '{x}', '{y}'].every((part) => template.includes(part))) {
    throw new SettingsError(`MAP_TILE_URL phải chứa {z}, {x} và {y}; nhưng đang là "${template}"`);
  }
  return `${url.protocol}//${url.host.replace('subdomain-placeholder', '*')}`;
}

export interface TileSettings {
  url: string;
  attribution: string;
  /** The Content-Security-Policy img-src source for the tiles. */
  source: string;
}

/**
 * The tile settings for a build, from MAP_TILE_URL and MAP_TILE_ATTRIBUTION in
 * its environment, through build-settings.ts: astro.config.mjs (for the
 * Content-Security-Policy) and the map components read the same settings, so
 * the policy always allows the tiles the pages ask for.
 */
export function tileSettings(env: Record<string, string | undefined>): TileSettings {
  const url = env['MAP_TILE_URL']?.trim() || DEFAULT_TILE_URL;
  const attribution = env['MAP_TILE_ATTRIBUTION']?.trim() || DEFAULT_TILE_ATTRIBUTION;
  return { url, attribution, source: tileSource(url) };
}
