/**
 * The drives an account may see in the console, in the order the desk wants
 * them: today's first, then those to come (soonest first), then cancelled
 * ones, then past ones (latest first).
 */
import type { Drive } from '../shared/content.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';
import type { StaffAccount } from './console-store.ts';
import { canSeeDrive } from './console-service.ts';

export type DriveWhen = 'today' | 'coming' | 'cancelled' | 'past';

export function driveWhen(drive: Pick<Drive, 'start' | 'end'> & { status?: string }, now: Date): DriveWhen {
  // A drive called off is that first, whatever its day: nobody should set up a desk for it.
  if (drive.status === 'cancelled') return 'cancelled';
  const today = calendarDateInVietnam(now);
  if (calendarDateInVietnam(drive.start) === today) return 'today';
  return drive.end.getTime() > now.getTime() ? 'coming' : 'past';
}

const ORDER: Record<DriveWhen, number> = { today: 0, coming: 1, cancelled: 2, past: 3 };

export function consoleDrives<T extends Pick<Drive, 'slug' | 'start' | 'end'> & { status?: string }>(
  drives: readonly T[],
  account: StaffAccount,
  now: Date,
): (T & { when: DriveWhen })[] {
  return drives
    .filter((drive) => canSeeDrive(account, drive.slug))
    .map((drive) => ({ ...drive, when: driveWhen(drive, now) }))
    .sort(
      (a, b) =>
        ORDER[a.when] - ORDER[b.when] ||
        (a.when === 'past' ? b.start.getTime() - a.start.getTime() : a.start.getTime() - b.start.getTime()),
    );
}
