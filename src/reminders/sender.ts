/**
 * Sends what the outbox has due, one message at a time, for the holder of
 * the lease (one sender per database, whatever the number of processes).
 *
 * At least once, never lost: a row is marked sent only after its channel
 * accepted it, in its own committed transaction (synchronous=FULL). A sender
 * killed between the two (kill -9, power) leaves that one row pending, and
 * the next run sends it again: at most the message in flight is repeated,
 * and its key (Message-ID, push topic, the webhook's id) lets the other side
 * notice. Each row is read again just before it is sent, so a stop, a
 * cancellation or an undone gift since it was planned is respected.
 */
import type { Database } from '../store/database.ts';
import { addDays, calendarDateInVietnam, parseCalendarDate, startOfCalendarDate } from '../shared/dates.ts';
import { isPhoneChannel, type Channel } from '../reminder-choice/reminder-types.ts';
import { nextDrivesNear, type Catalog, type CatalogDrive } from './catalog.ts';
import type { Channels } from './channels/index.ts';
import type { Delivery } from './channels/delivery.ts';
import { buildMessage, type DriveFacts, type MessageFacts } from './messages.ts';
import { LEASE_MS, ReminderStore, type DueMessage } from './reminder-store.ts';
import { retryDelay } from './schedule.ts';

export interface SendCounts {
  sent: number;
  retry: number;
  failed: number;
  /** Channels that failed for good for a person (and were stopped for them). */
  gone: number;
  dropped: number;
  /** Over a channel's daily cap: waiting for the next day. */
  waiting?: number;
  /** Gone on by the next channel after theirs failed for good (Zalo → SMS → e-mail or push). */
  passedOn?: number;
}

export interface SendOptions {
  db: Database;
  catalog: Catalog;
  channels: Channels;
  /** What is due at this moment is sent (`reminders send --at` sets it). */
  now: Date;
  /** This sender's name in the lease. */
  holder: string;
  /** The real clock, for the lease (not `now`, which may be a time in the future). */
  clock?: () => Date;
  isGone?: (holder: string) => boolean;
  /** Checked before each message: true to stop (the server is shutting down). */
  shouldStop?: () => boolean;
  /** At most this many messages this run. */
  limit?: number;
  /** REMINDER_PHONE_CONFIRMATION: false, and confirmations by phone are dropped unsent. */
  phoneConfirmation?: boolean;
  /** Messages a day per channel at most (SMS_DAILY_CAP, ZALO_DAILY_CAP); over it the rest wait for the next day. */
  dailyCaps?: Partial<Record<Channel, number>>;
  /** Called after each message is recorded, with its row (the benchmark counts them). */
  onRecorded?: (message: DueMessage, delivery: Delivery | { kind: 'dropped'; error: string }) => void;
}

/** Renew the lease this often, well inside its length. */
const RENEW_EVERY_MS = LEASE_MS / 4;

function driveFacts(drive: CatalogDrive): DriveFacts {
  return { slug: drive.slug, name: drive.name, address: drive.address, start: drive.start, end: drive.end };
}

/** Why a message no longer applies at `now`, or null when it still does. */
export function whyNot(due: DueMessage, catalog: Catalog, now: Date): string | null {
  if (due.contact.stoppedAt) return 'stopped by the person';
  if (due.contact.ended[due.channel]) return 'channel ended';
  if (Date.parse(due.expiresAt) <= now.getTime()) return 'too late';
  const drive = catalog.drives.get(due.drive);
  if (!drive) return 'drive no longer published';
  const { signup, waiting } = due;
  switch (due.kind) {
    case 'evening':
    case 'soon':
      if (!signup || signup.cancelledAt) return 'sign-up cancelled';
      return drive.status === 'cancelled' ? 'drive cancelled' : null;
    case 'cancelled':
      if (drive.status !== 'cancelled') return 'drive no longer cancelled';
      if (signup) return signup.cancelledAt ? 'sign-up cancelled' : null;
      return waiting ? null : 'waitlist entry gone';
    case 'thanks':
    case 'again':
      return signup?.outcome === 'gave' ? null : 'gift no longer recorded';
    case 'offer':
      if (!waiting || waiting.state !== 'offered' || !waiting.offerToken) return 'offer no longer open';
      return waiting.holdUntil && Date.parse(waiting.holdUntil) > now.getTime() ? null : 'hold ended';
    case 'confirm':
      if (!signup || signup.cancelledAt) return 'sign-up cancelled';
      return drive.status === 'cancelled' ? 'drive cancelled' : null;
  }
}

/** The start of Cà Mau's next day: when a message held back by a daily cap is due again. */
export function nextDay(now: Date): Date {
  return startOfCalendarDate(addDays(calendarDateInVietnam(now), 1));
}

/** The facts of the message, from the row and the catalog as they are now. */
export function factsOf(due: DueMessage, catalog: Catalog, units: () => number, now: Date): MessageFacts {
  const drive = catalog.drives.get(due.drive) as CatalogDrive;
  const subject = due.signup ?? due.waiting;
  const withCode = due.kind === 'evening' || due.kind === 'soon' || due.kind === 'cancelled' || due.kind === 'confirm';
  return {
    kind: due.kind,
    siteUrl: catalog.siteUrl,
    drive: driveFacts(drive),
    slot: subject ? { start: new Date(subject.slot), end: new Date(subject.slotEnd) } : undefined,
    code: withCode ? due.signup?.code : undefined,
    stopToken: due.contact.stopToken,
    units: due.kind === 'thanks' ? (drive.unitsGiven ?? units()) : undefined,
    againFrom: due.kind === 'thanks' ? (parseCalendarDate(due.signup?.returnAfter ?? '') ?? undefined) : undefined,
    nextDrives: due.kind === 'again' ? nextDrivesNear(catalog, drive.slug, now, 3).map(driveFacts) : undefined,
    holdUntil: due.waiting?.holdUntil ? new Date(due.waiting.holdUntil) : undefined,
    offerToken: due.waiting?.offerToken ?? undefined,
    hotline: catalog.hotline,
  };
}

function addressOf(due: DueMessage): string | null {
  if (due.channel === 'email') return due.contact.email;
  if (due.channel === 'push') return due.contact.push;
  // The phone channels text the number only with the person's consent to texts (reminder_contacts.texts).
  if (isPhoneChannel(due.channel) && !due.contact.texts) return null;
  return due.signup?.phone ?? due.waiting?.phone ?? null;
}

export async function sendDue(options: SendOptions): Promise<SendCounts> {
  const { db, catalog, channels, holder } = options;
  const clock = options.clock ?? (() => new Date());
  const reminders = new ReminderStore(db);
  const counts: SendCounts = { sent: 0, retry: 0, failed: 0, gone: 0, dropped: 0, waiting: 0, passedOn: 0 };
  /** A message that failed for good on a phone channel goes on by the next one, in the same transaction. */
  const passOn = (due: DueMessage, now: Date) => {
    if (isPhoneChannel(due.channel) && reminders.passOn(due, now).length > 0)
      counts.passedOn = (counts.passedOn ?? 0) + 1;
  };
  let renewedAt = 0;
  const startedAt = clock().getTime();
  for (let done = 0; done < (options.limit ?? Number.POSITIVE_INFINITY); done += 1) {
    if (options.shouldStop?.()) break;
    const wall = clock();
    // The round's time moves on with the clock: a long evening round over a slow relay
    // must not send a hold's offer after the hold ended, nor "in two hours" once the slot began.
    const now = new Date(options.now.getTime() + Math.max(0, wall.getTime() - startedAt));
    if (wall.getTime() - renewedAt >= RENEW_EVERY_MS) {
      // Another sender took over (this one stalled past its lease): stop here, it goes on.
      if (!reminders.acquireLease(holder, wall, LEASE_MS, options.isGone)) break;
      renewedAt = wall.getTime();
    }
    const due = reminders.nextDue(now);
    if (!due) break;
    const reason =
      due.kind === 'confirm' && options.phoneConfirmation === false
        ? 'confirmation by phone is off'
        : whyNot(due, catalog, now);
    const address = addressOf(due);
    if (reason || !address) {
      const why = reason ?? 'no address';
      reminders.markDone(due.id, 'dropped', why, false);
      reminders.endUntoldHold(due, now);
      counts.dropped += 1;
      options.onRecorded?.(due, { kind: 'dropped', error: why });
      continue;
    }
    const channel = channels[due.channel];
    if (!channel && isPhoneChannel(due.channel)) {
      // Zalo (or SMS) is not set up on this server: the message goes on by the next channel now.
      reminders.transaction(() => {
        reminders.markDone(due.id, 'dropped', `${due.channel} is not configured on this server`, false);
        passOn(due, now);
        reminders.endUntoldHold(due, now);
      });
      counts.dropped += 1;
      options.onRecorded?.(due, { kind: 'dropped', error: 'not configured' });
      continue;
    }
    const cap = options.dailyCaps?.[due.channel] ?? 0;
    if (cap > 0 && reminders.sentToday(due.channel, now).messages >= cap) {
      reminders.markWaiting(due.id, nextDay(now));
      counts.waiting = (counts.waiting ?? 0) + 1;
      continue;
    }
    let delivery: Delivery;
    if (!channel) {
      delivery = { kind: 'retry', error: `${due.channel} is not configured on this server` };
    } else {
      const message = buildMessage(factsOf(due, catalog, () => reminders.unitsGiven(due.drive), now));
      delivery = await channel.send(
        message,
        {
          key: `${due.dedupeKey}/${due.channel}`,
          address,
          expiresAt: new Date(due.expiresAt),
          ...(due.channel === 'sms' ? { partsDone: reminders.partsDone(due.id) } : {}),
          ...(due.name ? { name: due.name } : {}),
        },
        now,
      );
    }
    if (delivery.accepted?.length) reminders.recordParts(due.id, delivery.accepted, now);
    switch (delivery.kind) {
      case 'sent':
        reminders.markSentCounted(due, now, delivery.parts, delivery.providerId);
        counts.sent += 1;
        break;
      case 'retry': {
        const wait = retryDelay(due.attempts + 1);
        if (wait === null) {
          reminders.transaction(() => {
            reminders.markDone(due.id, 'failed', delivery.error, true);
            passOn(due, now);
            reminders.endUntoldHold(due, now);
          });
          counts.failed += 1;
        } else {
          reminders.markRetry(due.id, new Date(now.getTime() + wait), delivery.error);
          counts.retry += 1;
        }
        break;
      }
      case 'failed':
        reminders.transaction(() => {
          reminders.markDone(due.id, 'failed', delivery.error, true);
          if (delivery.setup) reminders.markSetupError(due.id, delivery.error);
          passOn(due, now);
          reminders.endUntoldHold(due, now);
        });
        counts.failed += 1;
        break;
      case 'gone':
        reminders.transaction(() => {
          reminders.markDone(due.id, 'failed', delivery.error, true);
          reminders.endChannel(due.contact.id, due.channel, now, delivery.error);
          passOn(due, now);
          reminders.endUntoldHold(due, now);
        });
        counts.gone += 1;
        break;
    }
    options.onRecorded?.(due, delivery);
  }
  return counts;
}
