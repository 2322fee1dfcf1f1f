/**
 * What goes into the outbox, and when: read from the database and the
 * built drives each time (the scheduler's tick, `reminders send`, a
 * cancellation), never remembered in memory, so any process can plan and
 * planning twice changes nothing (the outbox's dedupe key).
 *
 * - a sign-up with reminders: its evening and two-hour reminders;
 * - a gift the organisers recorded (desk or `given`): the thank-you, and
 *   "you may give again" on the return date (12 weeks);
 * - a drive whose file now says `cancelled`: word at once to everyone with
 *   reminders signed up or waiting for it;
 * - the waitlist: holds that ended go to the next person, and places freed by
 *   cancellations are offered, first come first served.
 */
import { DAYS_BETWEEN_GIFTS } from '../console/desk-actions.ts';
import { addDays, calendarDateInVietnam, parseCalendarDate } from '../shared/dates.ts';
import type { Database } from '../store/database.ts';
import { isOpenAt, slotPlaces, type Catalog } from './catalog.ts';
import { liveChannels, ReminderStore } from './reminder-store.ts';
import { HOLD_MS, PHONE_CHANNELS, type PhoneChannel } from '../reminder-choice/reminder-types.ts';
import { cancelledMessage, confirmMessage, giftMessages, offerMessage, slotReminders } from './schedule.ts';
import { WaitlistStore } from '../signup/waitlist-store.ts';

/** A hold shorter than this is no use to anyone: the place is not offered so close to the slot. */
const SHORTEST_HOLD_MS = 15 * 60_000;

export interface PlanCounts {
  /** Outbox rows added. */
  queued: number;
  offers: number;
  expiredHolds: number;
}

/** `phoneChannels`: the phone channels this server has; a message goes by the first of them the person has. */
export function plan(
  db: Database,
  catalog: Catalog,
  now: Date,
  phoneChannels: readonly PhoneChannel[] = PHONE_CHANNELS,
): PlanCounts {
  const reminders = new ReminderStore(db);
  let queued = 0;

  const signups = reminders.signupsToPlan();
  if (signups.length > 0) {
    queued += reminders.transaction(() => {
      const added = reminders.enqueue(
        signups.flatMap((signup) => [confirmMessage(signup), ...slotReminders(signup)]),
        now,
        phoneChannels,
      );
      reminders.markPlanned(
        signups.map((s) => s.code),
        'reminders',
      );
      return added;
    });
  }

  const gifts = reminders.giftsToPlan();
  if (gifts.length > 0) {
    queued += reminders.transaction(() => {
      const planned = gifts.flatMap((gift) => {
        const donatedAt = new Date(gift.donatedAt);
        return giftMessages({
          code: gift.code,
          drive: gift.drive,
          contact: gift.contact,
          donatedAt,
          driveEnd: catalog.drives.get(gift.drive)?.end ?? new Date(gift.slotEnd),
          returnAfter:
            parseCalendarDate(gift.returnAfter ?? '') ?? addDays(calendarDateInVietnam(donatedAt), DAYS_BETWEEN_GIFTS),
        });
      });
      const added = reminders.enqueue(planned, now, phoneChannels);
      reminders.markPlanned(
        gifts.map((g) => g.code),
        'gift',
      );
      return added;
    });
  }

  queued += planCancelledDrives(db, catalog, now, phoneChannels);
  const { offers, expiredHolds, queued: offerRows } = offerPlaces(db, catalog, now, undefined, phoneChannels);
  return { queued: queued + offerRows, offers, expiredHolds };
}

/** Everyone with reminders on a drive called off is told once; its waitlist closes. */
export function planCancelledDrives(
  db: Database,
  catalog: Catalog,
  now: Date,
  phoneChannels: readonly PhoneChannel[] = PHONE_CHANNELS,
): number {
  const reminders = new ReminderStore(db);
  const waitlist = new WaitlistStore(db);
  let queued = 0;
  for (const drive of catalog.drives.values()) {
    if (drive.status !== 'cancelled' || drive.end.getTime() <= now.getTime()) continue;
    queued += reminders.transaction(() => {
      const signedUp = reminders
        .activeWithReminders(drive.slug, now)
        .map((s) => cancelledMessage({ code: s.code, drive: drive.slug, slotEnd: s.slotEnd, contact: s.contact, now }));
      const waiting = waitlist.openOnDrive(drive.slug);
      const added = reminders.enqueue(
        [
          ...signedUp,
          ...waiting.map((w) =>
            cancelledMessage({ waitlistId: w.id, drive: drive.slug, slotEnd: w.slotEnd, contact: w.contact, now }),
          ),
        ],
        now,
        phoneChannels,
      );
      waitlist.close(waiting.map((w) => w.id));
      return added;
    });
  }
  return queued;
}

/**
 * Ends holds that ran out, then offers the free places of every slot people
 * wait for (or only of `slot`, after a cancellation), each held HOLD_MS but
 * never past the slot's start.
 */
export function offerPlaces(
  db: Database,
  catalog: Catalog,
  now: Date,
  slot?: { drive: string; slot: string },
  phoneChannels: readonly PhoneChannel[] = PHONE_CHANNELS,
): { offers: number; expiredHolds: number; queued: number } {
  const reminders = new ReminderStore(db);
  const waitlist = new WaitlistStore(db);
  const expiredHolds = waitlist.expireHolds(now).length;
  const slots = slot ? [slot] : waitlist.slotsWithWaiting();
  let offers = 0;
  let queued = 0;
  for (const { drive, slot: start } of slots) {
    const places = slotPlaces(catalog, drive, start);
    const driveNow = catalog.drives.get(drive);
    if (!places || !driveNow || !isOpenAt(driveNow, now)) continue;
    const holdUntil = new Date(Math.min(now.getTime() + HOLD_MS, Date.parse(places.slot)));
    if (holdUntil.getTime() - now.getTime() < SHORTEST_HOLD_MS) {
      // Waiting people count as taken for the public form (SignupStore's WAITING): this close to
      // the start nobody will be offered a place, so the slot's places are anyone's again.
      waitlist.closeWaiting({ drive, slot: start });
      continue;
    }
    const reachable = (id: number) => {
      const contact = reminders.contact(id);
      return contact !== undefined && liveChannels(contact).length > 0;
    };
    const made = reminders.transaction(() => {
      const offered = waitlist.offerFreePlaces(places, now, holdUntil, reachable);
      const added = reminders.enqueue(
        offered.map((o) =>
          offerMessage({ waitlistId: o.entry.id, drive, contact: o.entry.contact, offeredAt: now, holdUntil }),
        ),
        now,
        phoneChannels,
      );
      return { offered: offered.length, added };
    });
    offers += made.offered;
    queued += made.added;
  }
  return { offers, expiredHolds, queued };
}
