/**
 * The reminders' vocabulary, shared by the sign-up store (which keeps a
 * person's choice with their sign-up), the form and the sender. Types and
 * constants only: the island imports this file too.
 */

/**
 * The ways a message can reach someone: e-mail (SMTP), Web Push on the
 * browser they signed up with, the Red Cross's SMS or Zalo gateway (a signed
 * webhook that gets the phone number), and the phone number itself by Zalo
 * Notification Service (`zalo`) or by SMS over SMPP (`sms`).
 */
export const CHANNELS = ['email', 'push', 'webhook', 'zalo', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The channels that text the sign-up's number, in the order a message tries
 * them: Zalo first, SMS when Zalo cannot (src/reminders/README.md, "One
 * message, one channel"); e-mail and push only after both failed for good.
 */
export const PHONE_CHANNELS = ['zalo', 'sms'] as const satisfies readonly Channel[];
export type PhoneChannel = (typeof PHONE_CHANNELS)[number];

export function isPhoneChannel(channel: Channel): channel is PhoneChannel {
  return (PHONE_CHANNELS as readonly Channel[]).includes(channel);
}

/** What someone agreed to at sign-up: at least one channel. */
export interface ReminderChoice {
  /** The address to write to. */
  email?: string | undefined;
  /** The browser's push subscription, as PushSubscription.toJSON() gives it, serialised. */
  push?: string | undefined;
  /** Texts to the sign-up's phone through the gateway. */
  webhook?: boolean | undefined;
  /** Zalo (ZNS) or SMS to the sign-up's phone, on the phone channels the server has. */
  texts?: boolean | undefined;
}

/**
 * The messages, each sent at most once per person, kind and slot:
 * `evening` 18:00 the day before the slot, `soon` two hours before it,
 * `cancelled` as soon as the drive is called off, `thanks` after a gift the
 * organisers recorded, `again` on the day that donor may give again, and
 * `offer` when a place freed in a slot they wait for, and `confirm` (by
 * phone only) right after a sign-up: its code, day, slot and place.
 */
export const MESSAGE_KINDS = ['evening', 'soon', 'cancelled', 'thanks', 'again', 'offer', 'confirm'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * What a Zalo template is approved for: each message kind, and `appeal`, the blood needs'
 * call to one group (src/site/blood-appeal.ts), which is no reminder but goes by the same
 * channels (ZALO_TEMPLATE_APPEAL).
 */
export const TEMPLATE_KINDS = [...MESSAGE_KINDS, 'appeal'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** A place offered from the waitlist is held this long for the person offered it. */
export const HOLD_MS = 2 * 3_600_000;
