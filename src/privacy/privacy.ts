/**
 * What the privacy page promises, in one place: personal data goes 12 months
 * after the drive (purge, run daily by the server and by `signups purge`),
 * and a person's data goes on request (erasePhone, `signups erase`). Each
 * feature says which of its rows go (signup-privacy.ts, reminder-privacy.ts,
 * the console's action keys); the deleting is done in short batches
 * (src/store/batches.ts), so the server and the command line keep serving
 * and signing up meanwhile.
 */
import { toIsoWithOffset } from '../shared/dates.ts';
import { BatchDeleter, type PurgeOptions } from '../store/batches.ts';
import type { Database } from '../store/database.ts';
import { deleteSignupsOfPhone, deleteSignupsOver } from '../signup/signup-privacy.ts';
import { deleteUnusedReminders, deleteWaitlistOfPhone, deleteWaitlistOver } from '../reminders/reminder-privacy.ts';
import { ConsoleStore } from '../console/console-store.ts';
import { UnitStore } from '../units/unit-store.ts';

export type { PurgeOptions } from '../store/batches.ts';

/** Personal data is kept 12 months after the drive (privacy page), then purged. */
export const RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Deletes the personal data the privacy page says goes: sign-ups whose slot
 * ended before `before`, and cancelled ones whose slot is over at `now`.
 * Team counts of those drives go with them; so do waitlist entries of slots
 * that are over, and reminder contacts nobody uses any more. Returns how
 * many sign-ups were deleted.
 */
export async function purge(db: Database, before: Date, now: Date, options: PurgeOptions = {}): Promise<number> {
  const batches = new BatchDeleter(db, options);
  return batches.deleting(async () => {
    const over = { before: toIsoWithOffset(before), now: toIsoWithOffset(now) };
    const signups = await deleteSignupsOver(batches, over);
    // Units' reservations and consent records go with their drive's sign-ups.
    new UnitStore(db).purgeOver(over.before);
    const waiting = await deleteWaitlistOver(batches, over.now);
    const contacts = await deleteUnusedReminders(batches);
    if (signups + waiting + contacts > 0) await batches.reclaim();
    return signups;
  });
}

/** Deletes every sign-up and waitlist entry made with this phone number, on any drive, cancelled or not. */
export async function erasePhone(db: Database, phone: string, options: PurgeOptions = {}): Promise<number> {
  const batches = new BatchDeleter(db, options);
  return batches.deleting(async () => {
    const signups = await deleteSignupsOfPhone(batches, phone);
    await deleteWaitlistOfPhone(batches, phone);
    await deleteUnusedReminders(batches);
    await batches.reclaim();
    return signups;
  });
}

/**
 * What the server does once a day, and `signups purge` does when run: the
 * retention rule (purge) and the desk's idempotency keys past their 7 days
 * (ConsoleStore.purgeActionKeys, in batches too). Returns how many sign-ups
 * were deleted.
 */
export async function dailyMaintenance(
  db: Database,
  now: Date,
  options: PurgeOptions & { olderThanDays?: number | undefined } = {},
): Promise<number> {
  const days = options.olderThanDays ?? RETENTION_DAYS;
  const deleted = await purge(db, new Date(now.getTime() - days * DAY_MS), now, options);
  await new ConsoleStore(db).purgeActionKeys(now);
  return deleted;
}
