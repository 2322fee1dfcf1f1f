/**
 * What a channel says of one message: sent; may pass, so try again later;
 * failed for good for this message (our payload, a refusal of the content);
 * or gone for good for this person on this channel (a push subscription the
 * service no longer has, an address the mail server refuses), which stops
 * that channel for them. Errors carry no address or number (safeError).
 */
import type { ReminderMessage } from '../messages.ts';

export type Delivery =
  | { kind: 'sent' }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'gone'; error: string };

/** Where one message goes, on the channel that sends it. */
export interface Recipient {
  /** The outbox row's dedupe key and channel: the same for a message sent again after a crash. */
  key: string;
  /** The e-mail address, the push subscription (JSON) or the phone number (+84…). */
  address: string;
  /** After this the message is worth nothing (the slot has begun): push services may drop it then. */
  expiresAt: Date;
}

export interface ChannelSender {
  send(message: ReminderMessage, to: Recipient, now: Date): Promise<Delivery>;
  close(): Promise<void>;
}

/** A short description of an error that names no person. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
  }
  return String(error);
}
