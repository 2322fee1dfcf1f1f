/**
 * The drives an account may see in the console, in the order the desk wants
 * them: today's first, then those to come (soonest first), then past ones
 * (latest first).
 */
import type { Drive } from '../shared/content.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';
import type { StaffAccount } from './console-store.ts';
import { canSeeDrive } from './console-service.ts';

export type DriveWhen = 'today' | 'coming' | 'past';

export function driveWhen(drive: Pick<Drive, 'start' | 'end'>, now: Date): DriveWhen {
  const today = calendarDateInVietnam(now);
  if (calendarDateInVietnam(drive.start) === today) return 'today';
  return drive.end.getTime() > now.getTime() ? 'coming' : 'past';
}

const ORDER: Record<DriveWhen, number> = { today: 0, coming: 1, past: 2 };

export function consoleDrives<T extends Pick<Drive, 'slug' | 'start' | 'end'>>(
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
