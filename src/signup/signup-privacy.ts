/**
 * Which sign-ups go when the privacy page says so (src/privacy/privacy.ts
 * deletes them, in batches). Slot ends are stored with +07:00 and compared
 * as instants.
 */
import type { BatchDeleter } from '../store/batches.ts';

/** Sign-ups whose slot ended before `before`, and cancelled ones whose slot is over at `now`. */
export function deleteSignupsOver(batches: BatchDeleter, over: { before: string; now: string }): Promise<number> {
  return batches.deleteWhere(
    'signups',
    'unixepoch(slot_end) < unixepoch(:before) OR (cancelled_at IS NOT NULL AND unixepoch(slot_end) < unixepoch(:now))',
    over,
  );
}

/** Every sign-up made with this phone number, on any drive, cancelled or not. */
export function deleteSignupsOfPhone(batches: BatchDeleter, phone: string): Promise<number> {
  return batches.deleteWhere('signups', 'phone = :phone', { phone });
}
