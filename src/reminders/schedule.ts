/**
 * When each message is due and until when it is worth sending: pure, so the
 * planner, the tests and the docs agree. Times of day are Cà Mau's
 * (Asia/Ho_Chi_Minh, UTC+7 all year), whatever the server's clock zone.
 */
import { addDays, calendarDateInVietnam, startOfCalendarDate, type CalendarDate } from '../shared/dates.ts';
import type { MessageKind } from '../reminder-choice/reminder-types.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The evening reminder goes at 18:00 the day before the slot. */
export const EVENING_HOUR = 18;
/** The second reminder goes this long before the slot starts. */
export const SOON_MS = 2 * HOUR_MS;
/** "You may give again" goes at 08:00 on that day. */
export const AGAIN_HOUR = 8;
/** The thank-you waits until the drive has ended and its count is nearly complete. */
export const THANKS_AFTER_END_MS = HOUR_MS;

/** 18:00 in Cà Mau on the day before the slot. */
export function eveningBefore(slotStart: Date): Date {
  const dayBefore = addDays(calendarDateInVietnam(slotStart), -1);
  return new Date(startOfCalendarDate(dayBefore).getTime() + EVENING_HOUR * HOUR_MS);
}

export function soonBefore(slotStart: Date): Date {
  return new Date(slotStart.getTime() - SOON_MS);
}

/** 08:00 in Cà Mau on the day someone may give again. */
export function againAt(day: CalendarDate): Date {
  return new Date(startOfCalendarDate(day).getTime() + AGAIN_HOUR * HOUR_MS);
}

/** An hour after the drive ends, or at once for a gift recorded later than that. */
export function thanksAt(driveEnd: Date, donatedAt: Date): Date {
  return new Date(Math.max(driveEnd.getTime() + THANKS_AFTER_END_MS, donatedAt.getTime()));
}

/** A message planned: one outbox row per channel of the person. */
export interface PlannedMessage {
  /** kind:subject[:slot], unique per channel: planning it again changes nothing. */
  dedupeKey: string;
  kind: MessageKind;
  contact: number;
  signupCode?: string | undefined;
  waitlistId?: number | undefined;
  drive: string;
  dueAt: Date;
  /** After this a late message says nothing useful (the slot has begun): it is dropped unsent. */
  expiresAt: Date;
  /** A unit member's confirmation: by every channel they have, not by phone only (firstChannels). */
  everyChannel?: boolean | undefined;
}

/**
 * The evening and two-hour reminders of a sign-up. One whose time had passed
 * when the person signed up is left out: they have just been told. The
 * evening one says "ngày mai": sent late (the server was down), it is worth
 * sending only until midnight; after that the two-hour one still comes.
 */
export function slotReminders(signup: {
  code: string;
  drive: string;
  slot: string;
  createdAt: string;
  contact: number;
}): PlannedMessage[] {
  const start = new Date(signup.slot);
  const created = Date.parse(signup.createdAt);
  const planned: PlannedMessage[] = [];
  const midnight = startOfCalendarDate(calendarDateInVietnam(start));
  for (const [kind, dueAt, expiresAt] of [
    ['evening', eveningBefore(start), midnight],
    ['soon', soonBefore(start), start],
  ] as const) {
    if (dueAt.getTime() < created) continue;
    planned.push({
      dedupeKey: `${kind}:${signup.code}:${signup.slot}`,
      kind,
      contact: signup.contact,
      signupCode: signup.code,
      drive: signup.drive,
      dueAt,
      expiresAt,
    });
  }
  return planned;
}

/**
 * The confirmation by phone, at once after the sign-up: worth sending until
 * the slot begins (it is planned for every sign-up with reminders; the outbox
 * takes it only on a phone channel, reminder-store.ts firstChannels; a unit member's on
 * every channel they have, their focal person having stored them).
 */
export function confirmMessage(signup: {
  code: string;
  drive: string;
  slot: string;
  createdAt: string;
  contact: number;
  /** Stored by a unit's focal person (src/units/): told by every channel they have. */
  unitMember?: boolean | undefined;
}): PlannedMessage {
  return {
    dedupeKey: `confirm:${signup.code}`,
    kind: 'confirm',
    contact: signup.contact,
    signupCode: signup.code,
    drive: signup.drive,
    dueAt: new Date(signup.createdAt),
    expiresAt: new Date(signup.slot),
    ...(signup.unitMember ? { everyChannel: true } : {}),
  };
}

/** The thank-you and the "you may give again" of a gift the organisers recorded. */
export function giftMessages(gift: {
  code: string;
  drive: string;
  contact: number;
  donatedAt: Date;
  driveEnd: Date;
  /** The day they may give again (the desk's return date, 12 weeks on). */
  returnAfter: CalendarDate;
}): PlannedMessage[] {
  const thanks = thanksAt(gift.driveEnd, gift.donatedAt);
  const again = againAt(gift.returnAfter);
  const common = { contact: gift.contact, signupCode: gift.code, drive: gift.drive };
  return [
    {
      ...common,
      dedupeKey: `thanks:${gift.code}`,
      kind: 'thanks',
      dueAt: thanks,
      expiresAt: addMs(thanks, 3 * DAY_MS),
    },
    { ...common, dedupeKey: `again:${gift.code}`, kind: 'again', dueAt: again, expiresAt: addMs(again, 14 * DAY_MS) },
  ];
}

/** Word at once that the drive is called off, worth sending until the slot would have ended. */
export function cancelledMessage(subject: {
  code?: string | undefined;
  waitlistId?: number | undefined;
  drive: string;
  slotEnd: string;
  contact: number;
  now: Date;
}): PlannedMessage {
  const key = subject.code ?? `W${subject.waitlistId ?? 0}`;
  return {
    dedupeKey: `cancelled:${key}`,
    kind: 'cancelled',
    contact: subject.contact,
    signupCode: subject.code,
    waitlistId: subject.waitlistId,
    drive: subject.drive,
    dueAt: subject.now,
    expiresAt: new Date(subject.slotEnd),
  };
}

/** The offer of a freed place, at once, worth sending while the place is held. */
export function offerMessage(offer: {
  waitlistId: number;
  drive: string;
  contact: number;
  offeredAt: Date;
  holdUntil: Date;
}): PlannedMessage {
  return {
    dedupeKey: `offer:${offer.waitlistId}:${offer.offeredAt.toISOString()}`,
    kind: 'offer',
    contact: offer.contact,
    waitlistId: offer.waitlistId,
    drive: offer.drive,
    dueAt: offer.offeredAt,
    expiresAt: offer.holdUntil,
  };
}

/** Retries after a failure that may pass: 1 min, 5 min, 30 min, 2 h, 6 h; then the message has failed. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * HOUR_MS, 6 * HOUR_MS] as const;

/** The wait before try number `attempts + 1`, or null when `attempts` tries were the last. */
export function retryDelay(attempts: number): number | null {
  return RETRY_DELAYS_MS[attempts - 1] ?? null;
}

function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
