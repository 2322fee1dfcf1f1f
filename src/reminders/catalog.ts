/**
 * The drives as the served build published them (dist/client/api/diem-hien-mau/lich.json):
 * what the messages say of a drive, its places per slot for the waitlist,
 * and its status, so that a drive whose file now says `cancelled` is noticed
 * by the server when it starts and by the command line. Read from the build,
 * not from content/, so the server and `npm run signups` agree with the pages.
 */
import { join } from 'node:path';
import { haversineKm } from '../drives/geo.ts';
import { readSchedule, SCHEDULE_PATH, type ScheduledDrive } from '../signup/slot-check.ts';
import type { SlotPlaces } from '../signup/waitlist-store.ts';

export interface CatalogDrive {
  slug: string;
  name: string;
  status: string;
  start: Date;
  end: Date;
  address: string;
  latitude: number | undefined;
  longitude: number | undefined;
  unitsGiven: number | undefined;
  slots: readonly { id: string; end: string; places: number }[];
}

export interface Catalog {
  /** The public address links in messages start with, without a trailing slash. */
  siteUrl: string;
  drives: ReadonlyMap<string, CatalogDrive>;
  /** The campaign's hotline as the build published it: every text message ends with it. */
  hotline?: string | undefined;
}

/** The placeholder the build uses without SITE_URL (build-settings.ts). */
const PLACEHOLDER_SITE = 'https://hienmau.camau.example';

export function catalogOf(schedule: readonly ScheduledDrive[], siteUrl?: string): Catalog {
  const drives = new Map<string, CatalogDrive>();
  for (const drive of schedule) {
    const first = drive.slots[0];
    const last = drive.slots.at(-1);
    drives.set(drive.slug, {
      slug: drive.slug,
      name: drive.name ?? drive.slug,
      status: drive.status,
      start: new Date(drive.start ?? first?.id ?? 0),
      end: new Date(drive.end ?? last?.end ?? 0),
      address: drive.address ?? '',
      latitude: drive.latitude,
      longitude: drive.longitude,
      unitsGiven: drive.unitsGiven,
      slots: drive.slots,
    });
  }
  const built = schedule.find((d) => d.url)?.url;
  const hotline = schedule.find((d) => d.hotline)?.hotline;
  return { siteUrl: siteUrl ?? (built ? new URL(built).origin : PLACEHOLDER_SITE), drives, hotline };
}

/** The served build's catalog (SITE_DIST); `siteUrl` is the run-time SITE_URL when set. */
export function readCatalog(siteDist: string, siteUrl?: string): Catalog {
  return catalogOf(readSchedule(join(siteDist, 'client', SCHEDULE_PATH)), siteUrl);
}

/** A slot of a drive as it is now, with its places; undefined when the drive or the slot is gone. */
export function slotPlaces(catalog: Catalog, drive: string, slot: string): SlotPlaces | undefined {
  const found = catalog.drives.get(drive)?.slots.find((s) => s.id === slot);
  return found && { drive, slot: found.id, slotEnd: found.end, capacity: found.places };
}

/** A drive people can still come to at `now`: not called off, not over. */
export function isOpenAt(drive: CatalogDrive, now: Date): boolean {
  return drive.status === 'scheduled' && drive.end.getTime() > now.getTime();
}

/**
 * The next drives someone can go to from `from`, nearest to the drive they
 * gave at first (by straight-line distance), soonest first among equals.
 */
export function nextDrivesNear(catalog: Catalog, near: string, from: Date, count: number): CatalogDrive[] {
  const origin = catalog.drives.get(near);
  const open = [...catalog.drives.values()].filter((d) => isOpenAt(d, from) && d.start.getTime() >= from.getTime());
  const distance = (d: CatalogDrive) =>
    origin?.latitude === undefined ||
    origin.longitude === undefined ||
    d.latitude === undefined ||
    d.longitude === undefined
      ? Number.POSITIVE_INFINITY
      : haversineKm(
          { latitude: origin.latitude, longitude: origin.longitude },
          { latitude: d.latitude, longitude: d.longitude },
        );
  return open
    .map((drive) => ({ drive, km: distance(drive) }))
    .sort((a, b) => a.km - b.km || a.drive.start.getTime() - b.drive.start.getTime())
    .slice(0, count)
    .map(({ drive }) => drive);
}
