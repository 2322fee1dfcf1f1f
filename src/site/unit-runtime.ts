/**
 * The units of the running site: the unit store over the process's one database, and a
 * list stored with the way each member is told their code and manage link (the reminders'
 * confirmation, by the channels this server has: e-mail when the list gave one, the phone
 * channels or the gateway for the number). The units and the reminders meet here, at the
 * site, as the sign-up and the reminders do (src/store/README.md).
 */
import { sharedDatabase } from '../store/shared.ts';
import { whenFree } from '../store/database.ts';
import type { ReminderChoice } from '../reminder-choice/reminder-types.ts';
import { configuredChannels, reminderService, wakeSender } from '../reminders/runtime.ts';
import type { Person } from '../signup/store.ts';
import { UnitStore } from '../units/unit-store.ts';

export function unitStore(): UnitStore {
  return new UnitStore(sharedDatabase());
}

/** How a member is told their code: every channel this server has that can reach them. */
export function memberChoice(email: string | undefined): ReminderChoice | undefined {
  const channels = configuredChannels();
  const choice: ReminderChoice = {
    email: email && channels.includes('email') ? email : undefined,
    texts: channels.includes('zalo') || channels.includes('sms') ? true : undefined,
    webhook: channels.includes('webhook') ? true : undefined,
  };
  return choice.email || choice.texts || choice.webhook ? choice : undefined;
}

export async function storeUnitMembers(input: {
  team: string;
  drive: string;
  rows: readonly { person: Person; slot?: string | undefined; email?: string | undefined }[];
  storedBy: string;
  now: Date;
}): Promise<{ stored: number; noRoom: number }> {
  const units = unitStore();
  const result = await whenFree(() =>
    units.storeMembers({
      teamCode: input.team,
      drive: input.drive,
      members: input.rows.map((r) => ({ person: r.person, slot: r.slot, reminders: memberChoice(r.email) })),
      storedBy: input.storedBy,
      consentBy: input.storedBy,
      now: input.now,
    }),
  );
  // The confirmations (code and manage link) go at once, not at the sender's next tick.
  if (result.stored.length > 0) wakeSender();
  return { stored: result.stored.length, noRoom: result.noRoom.length };
}

/** Reservations past their deadline marked returned; their slots offered to the waitlist first. */
export function returnExpiredPlaces(now: Date): number {
  const returned = unitStore().returnExpired(now);
  for (const r of returned) if (r.places > 0) reminderService.placeFreed({ drive: r.drive, slot: r.slot });
  return returned.reduce((sum, r) => sum + r.places, 0);
}
