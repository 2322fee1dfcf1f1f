/**
 * Which waitlist entries, reminder contacts and messages go when the
 * privacy page says so (src/privacy/privacy.ts deletes them, in batches).
 */
import type { BatchDeleter } from '../store/batches.ts';

/** Nobody waits for a slot that is over: the waitlist goes with it. */
export function deleteWaitlistOver(batches: BatchDeleter, now: string): Promise<number> {
  return batches.deleteWhere('waitlist', 'unixepoch(slot_end) < unixepoch(:now)', { now });
}

/** Every waitlist entry made with this phone number. */
export function deleteWaitlistOfPhone(batches: BatchDeleter, phone: string): Promise<number> {
  return batches.deleteWhere('waitlist', 'phone = :phone', { phone });
}

/**
 * Reminder contacts (e-mail addresses, push subscriptions) nobody's sign-up
 * or waitlist entry uses any more, with their messages; and messages whose
 * sign-up or waitlist entry is gone. Returns how many contacts went.
 */
export async function deleteUnusedReminders(batches: BatchDeleter): Promise<number> {
  await batches.deleteWhere(
    'reminder_outbox',
    `(signup_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signups WHERE code = reminder_outbox.signup_code))
         OR (waitlist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM waitlist WHERE id = reminder_outbox.waitlist_id))`,
  );
  // signups_by_contact answers the first test; the waitlist is small and read once per statement.
  const unused = `NOT EXISTS (SELECT 1 FROM signups WHERE reminder_contact = reminder_contacts.id)
       AND id NOT IN (SELECT reminder_contact FROM waitlist)`;
  return batches.deleteWhere(
    'reminder_contacts',
    unused,
    {},
    'DELETE FROM reminder_outbox WHERE contact IN (SELECT id FROM reminder_contacts WHERE :batch)',
  );
}
