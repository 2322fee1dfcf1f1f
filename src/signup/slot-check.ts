/**
 * Sign-ups against the drives as they are now built: an editor may change a
 * drive's hours or slots, rename its file or delete it after people signed
 * up. Places are counted by time overlap (SignupStore.takePlace), so a change
 * never oversells; this lists the sign-ups that no longer fit anywhere, for
 * the organisers to call (npm run signups -- check, and the server at start).
 */
import { readFileSync } from 'node:fs';

/** A drive as the build published it in /api/diem-hien-mau/lich.json. */
export interface ScheduledDrive {
  slug: string;
  status: string;
  slots: readonly { id: string; end: string; places: number }[];
  // What reminders say of the drive (src/reminders/catalog.ts); a build from before them has none of it.
  name?: string;
  start?: string;
  end?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  /** Units given, when the drive's file says how it ended. */
  unitsGiven?: number;
  /** The drive page's public address, as the build wrote it (SITE_URL). */
  url?: string;
  /** The campaign's hotline (text messages end with it). */
  hotline?: string;
}

export interface SignupSpan {
  code: string;
  drive: string;
  slot: string;
  slotEnd: string;
}

export interface Misfit extends SignupSpan {
  /** drive-missing: no drive by that name; slot-missing: the drive's slots no longer cover this time. */
  reason: 'drive-missing' | 'slot-missing';
}

/** The built schedule's path under dist/client/. */
export const SCHEDULE_PATH = 'api/diem-hien-mau/lich.json';

export function misfitSignups(signups: readonly SignupSpan[], drives: readonly ScheduledDrive[]): Misfit[] {
  const bySlug = new Map(drives.map((d) => [d.slug, d]));
  const misfits: Misfit[] = [];
  for (const signup of signups) {
    const drive = bySlug.get(signup.drive);
    if (!drive) {
      misfits.push({ ...signup, reason: 'drive-missing' });
      continue;
    }
    const start = Date.parse(signup.slot);
    const end = Date.parse(signup.slotEnd);
    const fits = drive.slots.some((slot) => Date.parse(slot.id) < end && Date.parse(slot.end) > start);
    if (!fits) misfits.push({ ...signup, reason: 'slot-missing' });
  }
  return misfits;
}

/** Reads the built schedule; a missing or malformed file says what to do. */
export function readSchedule(file: string): ScheduledDrive[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Thiếu ${file}: chạy \`npm run build\` trước, rồi kiểm tra lại.`);
  }
  const data: unknown = JSON.parse(text);
  const valid =
    Array.isArray(data) &&
    data.every(
      (d: unknown) =>
        typeof d === 'object' &&
        d !== null &&
        typeof (d as ScheduledDrive).slug === 'string' &&
        Array.isArray((d as ScheduledDrive).slots),
    );
  if (!valid) throw new Error(`${file} không phải là lịch các đợt hiến máu: hãy build lại bằng \`npm run build\`.`);
  return data as ScheduledDrive[];
}
