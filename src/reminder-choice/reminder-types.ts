/**
 * The reminders' vocabulary, shared by the sign-up store (which keeps a
 * person's choice with their sign-up), the form and the sender. Types and
 * constants only: the island imports this file too.
 */

/**
 * The ways a message can reach someone: e-mail (SMTP), Web Push on the
 * browser they signed up with, and the Red Cross's SMS or Zalo gateway
 * (a signed webhook that gets the phone number).
 */
export const CHANNELS = ['email', 'push', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What someone agreed to at sign-up: at least one channel. */
export interface ReminderChoice {
  /** The address to write to. */
  email?: string | undefined;
  /** The browser's push subscription, as PushSubscription.toJSON() gives it, serialised. */
  push?: string | undefined;
  /** Texts to the sign-up's phone through the gateway. */
  webhook?: boolean | undefined;
}

/**
 * The messages, each sent at most once per person, kind and slot:
 * `evening` 18:00 the day before the slot, `soon` two hours before it,
 * `cancelled` as soon as the drive is called off, `thanks` after a gift the
 * organisers recorded, `again` on the day that donor may give again, and
 * `offer` when a place freed in a slot they wait for.
 */
export const MESSAGE_KINDS = ['evening', 'soon', 'cancelled', 'thanks', 'again', 'offer'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A place offered from the waitlist is held this long for the person offered it. */
export const HOLD_MS = 2 * 3_600_000;
