/**
 * What a channel says of one message: sent; may pass, so try again later;
 * failed for good for this message (our payload, a refusal of the content);
 * or gone for good for this person on this channel (a push subscription the
 * service no longer has, an address the mail server refuses), which stops
 * that channel for them. Errors carry no address or number (safeError).
 */
import type { ReminderMessage } from '../messages.ts';

/** An SMS part the SMSC acknowledged, with its message id (its delivery receipt names it). */
export interface AcceptedPart {
  part: number;
  messageId: string;
}

/**
 * `accepted`: the SMS parts acknowledged in this try, never sent again.
 * `setup`: the failure is our setup (a Zalo template refused), shown by the
 * console; the message itself goes on by the next channel.
 */
export type Delivery =
  | { kind: 'sent'; parts?: number; accepted?: AcceptedPart[]; providerId?: string }
  | { kind: 'retry'; error: string; accepted?: AcceptedPart[] }
  | { kind: 'failed'; error: string; accepted?: AcceptedPart[]; setup?: boolean }
  | { kind: 'gone'; error: string; accepted?: AcceptedPart[] };

/** Where one message goes, on the channel that sends it. */
export interface Recipient {
  /** The outbox row's dedupe key and channel: the same for a message sent again after a crash. */
  key: string;
  /** The e-mail address, the push subscription (JSON) or the phone number (+84…). */
  address: string;
  /** After this the message is worth nothing (the slot has begun): push services may drop it then. */
  expiresAt: Date;
  /** The SMS parts an earlier try already had acknowledged (numbered from 1). */
  partsDone?: ReadonlySet<number>;
  /** The person's name as they gave it (ZNS templates greet them by it). */
  name?: string;
}

export interface ChannelSender {
  send(message: ReminderMessage, to: Recipient, now: Date): Promise<Delivery>;
  close(): Promise<void>;
  /**
   * Run once when a sender starts (the server's scheduler, `reminders send`): a channel that
   * finds work a crash left half done finishes it there (zalo.ts: a refresh whose answer was lost).
   */
  recover?(): Promise<void>;
}

/** A short description of an error that names no person. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
  }
  return String(error);
}
