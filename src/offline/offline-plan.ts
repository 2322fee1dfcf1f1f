/**
 * What the service worker keeps for offline reading and what it never
 * answers from a cache. Pure: the build (offline-integration.ts) and the
 * service worker (service-worker.ts) share it, and it is unit tested.
 */
import { driveHref } from '../shared/links.ts';

import { ELIGIBILITY_PATH, MAP_PATH, MY_SIGNUPS_PATH } from './offline-paths.ts';

export * from './offline-paths.ts';

/** Caches by name; a new name is a new cache (the old one is deleted on activation). */
export const CACHE_NAMES = { pages: 'trang-v1', assets: 'tai-nguyen-v1' } as const;

/**
 * What the worker fetches at install — the precache, the pages kept and
 * their files — counted as sent over the network (brotli), what it costs a
 * reader's data plan. Drive pages beyond it (soonest first) are not kept in
 * advance; they are kept once read.
 */
export const OFFLINE_SET_BUDGET_BYTES = 300_000;
/** A file larger than this is never kept in advance (Leaflet, the QR decoder, Pagefind). */
export const LARGEST_KEPT_FILE_BYTES = 40_000;

/**
 * Paths never answered from a cache: live data (places left), forms and
 * their answers, the team ranking, reminders, and the organisers' console.
 * Offline, a page among them gets the offline page.
 */
export const NETWORK_ONLY_PREFIXES = ['/to-chuc/', '/api/', '/_actions/', '/dang-ky/', '/doi-nhom/', '/nhac-hen/'];

export function isNetworkOnly(pathname: string): boolean {
  return pathname !== MY_SIGNUPS_PATH && NETWORK_ONLY_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

export interface ScheduledDriveSummary {
  slug: string;
  status: string;
  slots: readonly { id: string; end: string }[];
}

/** The pages always kept at install: the home page, the map page and the eligibility page. */
export const PAGES_ALWAYS_KEPT = ['/', MAP_PATH, ELIGIBILITY_PATH] as const;

/** The pages of drives still to come (not cancelled, a slot not over at `now`), soonest first. */
export function comingDrivePages(drives: readonly ScheduledDriveSummary[], now: Date): string[] {
  const first = (d: ScheduledDriveSummary) => Math.min(...d.slots.map((slot) => Date.parse(slot.id)));
  return drives
    .filter((d) => d.status !== 'cancelled' && d.slots.some((slot) => Date.parse(slot.end) > now.getTime()))
    .sort((a, b) => first(a) - first(b))
    .map((d) => driveHref(d.slug));
}

/**
 * Which drive pages fit: `fixed` bytes are spent already, `cost` tells what
 * one more page adds (its HTML and any file not kept yet). Soonest first,
 * stopping at the first that does not fit, so that the kept ones are always
 * the next drives.
 */
export function drivePagesThatFit(
  pages: readonly string[],
  fixed: number,
  cost: (page: string) => number,
  budget = OFFLINE_SET_BUDGET_BYTES,
): { kept: string[]; total: number } {
  const kept: string[] = [];
  let total = fixed;
  for (const page of pages) {
    const more = cost(page);
    if (total + more > budget) break;
    kept.push(page);
    total += more;
  }
  return { kept, total };
}
