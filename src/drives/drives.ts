/**
 * Blood drives as people see them: upcoming or over, when, for how long, in
 * which time slots. Pages use these at build time and the map island uses them
 * again in the browser, because a static page ages: a drive built as
 * "upcoming" may be over by the time someone reads it.
 */
import { toIsoWithOffset } from '../shared/dates.ts';
import type { LatLng } from './geo.ts';

export const DRIVE_STATUSES = ['scheduled', 'cancelled', 'finished'] as const;
export type DriveStatus = (typeof DRIVE_STATUSES)[number];

export interface DriveTimes {
  start: Date;
  end: Date;
  status: DriveStatus;
}

/** Where a drive stands at a given moment. */
export type DrivePhase = 'upcoming' | 'ongoing' | 'ended' | 'cancelled';

export const PHASE_LABELS: Record<DrivePhase, string> = {
  upcoming: 'Sắp diễn ra',
  ongoing: 'Đang diễn ra',
  ended: 'Đã kết thúc',
  cancelled: 'Đã hủy',
};

export function drivePhase(drive: DriveTimes, now: Date): DrivePhase {
  if (drive.status === 'cancelled') return 'cancelled';
  if (drive.status === 'finished' || drive.end <= now) return 'ended';
  return drive.start <= now ? 'ongoing' : 'upcoming';
}

/** A drive someone can still go to: not cancelled and not over. */
export function isOpen(drive: DriveTimes, now: Date): boolean {
  const phase = drivePhase(drive, now);
  return phase === 'upcoming' || phase === 'ongoing';
}

/**
 * List order: drives still to come (cancelled ones included, so that people
 * see the cancellation) soonest first, then past drives, most recent first.
 */
export function compareForList(now: Date): (a: DriveTimes, b: DriveTimes) => number {
  const isAhead = (d: DriveTimes) => d.end > now && d.status !== 'finished';
  return (a, b) => {
    const aheadA = isAhead(a);
    const aheadB = isAhead(b);
    if (aheadA !== aheadB) return aheadA ? -1 : 1;
    const byStart = a.start.getTime() - b.start.getTime();
    return aheadA ? byStart : -byStart;
  };
}

/** The next `count` drives someone can go to, soonest first. */
export function nextOpenDrives<T extends DriveTimes>(drives: readonly T[], now: Date, count: number): T[] {
  return drives
    .filter((d) => isOpen(d, now))
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, count);
}

export interface SlotRule {
  /** Length of each slot in minutes; divides the drive's length. */
  minutes: number;
  /** Places (donors) per slot. */
  places: number;
}

export interface Slot {
  /** The slot's start with its offset, "2026-12-05T07:30:00+07:00": what forms post and the store keeps. */
  id: string;
  start: Date;
  end: Date;
  places: number;
}

/** The time slots of a drive, from its start to its end. */
export function driveSlots(drive: { start: Date; end: Date; slots: SlotRule }): Slot[] {
  const length = drive.slots.minutes * 60_000;
  const slots: Slot[] = [];
  for (let t = drive.start.getTime(); t + length <= drive.end.getTime(); t += length) {
    const start = new Date(t);
    slots.push({ id: toIsoWithOffset(start), start, end: new Date(t + length), places: drive.slots.places });
  }
  return slots;
}

export interface DirectionsLinks {
  google: string;
  openStreetMap: string;
  /** The phone's own map app (Android opens it; others may ignore it). */
  geo: string;
}

/** Directions to a point: the coordinates, not the address, so that the route ends at the right door. */
export function directionsLinks({ latitude, longitude }: LatLng, name: string): DirectionsLinks {
  const point = `${latitude},${longitude}`;
  return {
    google: `https://www.google.com/maps/dir/?api=1&destination=${point}`,
    openStreetMap: `https://www.openstreetmap.org/directions?to=${point}#map=16/${latitude}/${longitude}`,
    geo: `geo:${point}?q=${point}(${encodeURIComponent(name)})`,
  };
}
