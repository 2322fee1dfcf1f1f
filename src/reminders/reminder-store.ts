/**
 * The reminders in the database: people's choice of channels
 * (reminder_contacts), the outbox of messages, and the sender's lease. One
 * file, schema version (src/store/migrations/005-reminders.ts) and write lock
 * for every feature, so the server, several server processes and the
 * command line all see one outbox. Plain TypeScript that Node runs as it is.
 */
import type { Database, Statement } from '../store/database.ts';
import {
  CHANNELS,
  isPhoneChannel,
  PHONE_CHANNELS,
  type Channel,
  type PhoneChannel,
  type MessageKind,
} from '../reminder-choice/reminder-types.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';
import type { AcceptedPart } from './channels/delivery.ts';
import type { PlannedMessage } from './schedule.ts';

export interface Contact {
  id: number;
  consentAt: string;
  email: string | null;
  push: string | null;
  webhook: boolean;
  /** Agreed to Zalo or SMS to the sign-up's number. */
  texts: boolean;
  stopToken: string;
  stoppedAt: string | null;
  /** When each channel failed for good; null while it works. */
  ended: Record<Channel, string | null>;
}

interface ContactRow {
  id: number;
  consent_at: string;
  email: string | null;
  push_subscription: string | null;
  webhook: number;
  texts: number;
  stop_token: string;
  stopped_at: string | null;
  email_ended_at: string | null;
  push_ended_at: string | null;
  webhook_ended_at: string | null;
  zalo_ended_at: string | null;
  sms_ended_at: string | null;
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    consentAt: row.consent_at,
    email: row.email,
    push: row.push_subscription,
    webhook: row.webhook === 1,
    texts: row.texts === 1,
    stopToken: row.stop_token,
    stoppedAt: row.stopped_at,
    ended: {
      email: row.email_ended_at,
      push: row.push_ended_at,
      webhook: row.webhook_ended_at,
      zalo: row.zalo_ended_at,
      sms: row.sms_ended_at,
    },
  };
}

/** The channels a contact can still be reached by. */
export function liveChannels(contact: Contact): Channel[] {
  if (contact.stoppedAt) return [];
  return CHANNELS.filter((channel) => {
    if (contact.ended[channel]) return false;
    if (channel === 'email') return contact.email !== null;
    if (channel === 'push') return contact.push !== null;
    if (isPhoneChannel(channel)) return contact.texts;
    return contact.webhook;
  });
}

/**
 * The channels a message goes by first (src/reminders/README.md, "One message,
 * one channel"): the first phone channel the person can still be texted on,
 * alone; without one, every other channel they chose, as before the phone
 * channels. The confirmation by phone goes by phone or not at all.
 */
export function firstChannels(
  contact: Contact,
  kind: MessageKind,
  phoneChannels: readonly PhoneChannel[] = PHONE_CHANNELS,
  everyChannel = false,
): Channel[] {
  const live = liveChannels(contact).filter((c) => !isPhoneChannel(c) || phoneChannels.includes(c));
  const phone = live.find(isPhoneChannel);
  if (phone) return [phone];
  // A confirmation goes by phone only, the page having shown the code; a unit's member
  // (everyChannel) saw no page, so theirs goes by the channels they have.
  return kind === 'confirm' && !everyChannel ? [] : live;
}

/** The channels a message goes on by once `failed` failed for good for it: the next phone one, else the others. */
export function nextChannels(contact: Contact, kind: MessageKind, failed: Channel): Channel[] {
  if (!isPhoneChannel(failed)) return [];
  const live = liveChannels(contact).filter((c) => c !== failed);
  const after = PHONE_CHANNELS.slice(PHONE_CHANNELS.indexOf(failed) + 1).find((c) => live.includes(c));
  if (after) return [after];
  return kind === 'confirm' ? [] : live.filter((c) => !isPhoneChannel(c));
}

export type OutboxState = 'pending' | 'sent' | 'failed' | 'dropped';

/** A message due, with what is needed to decide whether it still applies and to write it. */
export interface DueMessage {
  id: number;
  dedupeKey: string;
  channel: Channel;
  kind: MessageKind;
  drive: string;
  dueAt: string;
  expiresAt: string;
  attempts: number;
  contact: Contact;
  /** The person's name, from the sign-up or the waitlist entry (a Zalo template greets them by it). */
  name: string | null;
  /** The sign-up the message is about, as it is now (null when it is about a waitlist entry). */
  signup: {
    code: string;
    phone: string;
    slot: string;
    slotEnd: string;
    cancelledAt: string | null;
    outcome: string | null;
    donatedAt: string | null;
    returnAfter: string | null;
  } | null;
  /** The waitlist entry the message is about, as it is now. */
  waiting: {
    id: number;
    code: string;
    phone: string;
    slot: string;
    slotEnd: string;
    state: string;
    holdUntil: string | null;
    offerToken: string | null;
  } | null;
}

interface DueRow extends ContactRow {
  outbox_id: number;
  dedupe_key: string;
  channel: Channel;
  kind: MessageKind;
  drive: string;
  due_at: string;
  expires_at: string;
  attempts: number;
  person_name: string | null;
  s_code: string | null;
  s_phone: string;
  s_slot: string;
  s_slot_end: string;
  s_cancelled_at: string | null;
  s_outcome: string | null;
  s_donated_at: string | null;
  s_return_after: string | null;
  w_id: number | null;
  w_code: string;
  w_phone: string;
  w_slot: string;
  w_slot_end: string;
  w_state: string;
  w_hold_until: string | null;
  w_offer_token: string | null;
}

const DUE_SELECT = `SELECT o.id AS outbox_id, o.dedupe_key, o.channel, o.kind, o.drive, o.due_at, o.expires_at,
    o.attempts, c.*, coalesce(s.full_name, w.full_name) AS person_name,
    s.code AS s_code, s.phone AS s_phone, s.slot AS s_slot, s.slot_end AS s_slot_end,
    s.cancelled_at AS s_cancelled_at, s.outcome AS s_outcome, s.donated_at AS s_donated_at,
    s.return_after AS s_return_after,
    w.id AS w_id, w.code AS w_code, w.phone AS w_phone, w.slot AS w_slot, w.slot_end AS w_slot_end,
    w.state AS w_state, w.hold_until AS w_hold_until, w.offer_token AS w_offer_token
  FROM reminder_outbox o
  JOIN reminder_contacts c ON c.id = o.contact
  LEFT JOIN signups s ON s.code = o.signup_code
  LEFT JOIN waitlist w ON w.id = o.waitlist_id`;

function toDue(row: DueRow): DueMessage {
  return {
    id: row.outbox_id,
    dedupeKey: row.dedupe_key,
    channel: row.channel,
    kind: row.kind,
    drive: row.drive,
    dueAt: row.due_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
    contact: toContact(row),
    name: row.person_name,
    signup: row.s_code
      ? {
          code: row.s_code,
          phone: row.s_phone,
          slot: row.s_slot,
          slotEnd: row.s_slot_end,
          cancelledAt: row.s_cancelled_at,
          outcome: row.s_outcome,
          donatedAt: row.s_donated_at,
          returnAfter: row.s_return_after,
        }
      : null,
    waiting:
      row.w_id === null
        ? null
        : {
            id: row.w_id,
            code: row.w_code,
            phone: row.w_phone,
            slot: row.w_slot,
            slotEnd: row.w_slot_end,
            state: row.w_state,
            holdUntil: row.w_hold_until,
            offerToken: row.w_offer_token,
          },
  };
}

/** Error text kept in the outbox: no e-mail address or number a server put in its reply. */
export function safeError(message: string): string {
  return message
    .replace(/[^\s<>"'@]+@[^\s<>"']+/g, '…@…')
    .replace(/(?:\+?84|\b0)[\s.-]?\d(?:[\s.-]?\d){8}/g, '…')
    .slice(0, 300);
}

/** How long a sender holds the lease without renewing it. */
export const LEASE_MS = 60_000;
const LEASE_NAME = 'sender';

export class ReminderStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Prepared once per connection (Database#prepare): the sender runs the same few for every message. */
  #prepare(sql: string): Statement {
    return this.#db.prepare(sql);
  }

  transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  // Contacts

  contact(id: number): Contact | undefined {
    const row = this.#prepare('SELECT * FROM reminder_contacts WHERE id = ?').get(id) as ContactRow | undefined;
    return row && toContact(row);
  }

  contactByStopToken(token: string): Contact | undefined {
    const row = this.#prepare('SELECT * FROM reminder_contacts WHERE stop_token = ?').get(token) as
      ContactRow | undefined;
    return row && toContact(row);
  }

  /** The contact whose stop token starts with `prefix` (a text's short stop link), when exactly one does. */
  contactByStopPrefix(prefix: string): Contact | undefined {
    // A range on the unique index: the token's characters (base64url) all sort below U+007F.
    const rows = this.#prepare('SELECT * FROM reminder_contacts WHERE stop_token >= ? AND stop_token < ? LIMIT 2').all(
      prefix,
      `${prefix}\u007f`,
    ) as unknown as ContactRow[];
    return rows.length === 1 && rows[0] ? toContact(rows[0]) : undefined;
  }

  /**
   * Stops every reminder of a contact: the addresses are deleted (they were
   * kept only for this), messages not sent are dropped, and a place waited
   * for is given up. Returns false when it had stopped already.
   */
  stop(contactId: number, now: Date): boolean {
    return this.transaction(() => {
      const changed = this.#prepare(
        `UPDATE reminder_contacts SET stopped_at = ?, email = NULL, push_subscription = NULL, webhook = 0, texts = 0
           WHERE id = ? AND stopped_at IS NULL`,
      ).run(now.toISOString(), contactId).changes;
      if (Number(changed) === 0) return false;
      this.#prepare(
        `UPDATE reminder_outbox SET state = 'dropped', last_error = 'stopped by the person'
           WHERE contact = ? AND state = 'pending'`,
      ).run(contactId);
      this.#prepare(
        `UPDATE waitlist SET state = 'left', hold_until = NULL
           WHERE reminder_contact = ? AND state IN ('waiting', 'offered')`,
      ).run(contactId);
      return true;
    });
  }

  /**
   * A channel that failed for good for this person (a push subscription the
   * service says is gone, an address the mail server refused): it is not
   * tried again, its address is deleted, and its other messages are dropped.
   */
  endChannel(contactId: number, channel: Channel, now: Date, reason: string): void {
    this.transaction(() => {
      // The phone channels keep no address of their own: the number is the sign-up's.
      const emptied = {
        email: ', email = NULL',
        push: ', push_subscription = NULL',
        webhook: ', webhook = 0',
        zalo: '',
        sms: '',
      }[channel];
      this.#prepare(`UPDATE reminder_contacts SET ${channel}_ended_at = ?${emptied} WHERE id = ?`).run(
        now.toISOString(),
        contactId,
      );
      if (isPhoneChannel(channel)) {
        // The person's other messages on this phone channel go on by the next channel, not lost.
        const pending = this.#prepare(
          "SELECT id, kind FROM reminder_outbox WHERE contact = ? AND channel = ? AND state = 'pending'",
        ).all(contactId, channel) as { id: number; kind: MessageKind }[];
        const contact = this.contact(contactId);
        const insert = this.#prepare(
          `INSERT OR IGNORE INTO reminder_outbox (dedupe_key, channel, kind, contact, signup_code, waitlist_id, drive,
             due_at, expires_at, next_try_at, created_at)
           SELECT dedupe_key, ?, kind, contact, signup_code, waitlist_id, drive, due_at, expires_at, next_try_at, ?
             FROM reminder_outbox WHERE id = ?`,
        );
        for (const row of pending) {
          for (const next of contact ? nextChannels(contact, row.kind, channel) : []) {
            insert.run(next, now.toISOString(), row.id);
          }
        }
      }
      this.#prepare(
        `UPDATE reminder_outbox SET state = 'dropped', last_error = ?
           WHERE contact = ? AND channel = ? AND state = 'pending'`,
      ).run(safeError(`channel ended: ${reason}`), contactId, channel);
    });
  }

  // The outbox

  /**
   * Puts messages in the outbox, one row per channel the contact can be
   * reached by; a message already there (same key and channel) is left as it
   * is, so planning again never sends twice. Returns the rows added. `phoneChannels`: the
   * phone channels this server has (firstChannels).
   */
  enqueue(
    messages: readonly PlannedMessage[],
    now: Date,
    phoneChannels: readonly PhoneChannel[] = PHONE_CHANNELS,
  ): number {
    if (messages.length === 0) return 0;
    return this.transaction(() => {
      const insert = this.#prepare(
        `INSERT OR IGNORE INTO reminder_outbox (dedupe_key, channel, kind, contact, signup_code, waitlist_id, drive,
           due_at, expires_at, next_try_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let added = 0;
      for (const message of messages) {
        const contact = this.contact(message.contact);
        if (!contact) continue;
        for (const channel of firstChannels(contact, message.kind, phoneChannels, message.everyChannel)) {
          const due = message.dueAt.toISOString();
          added += Number(
            insert.run(
              message.dedupeKey,
              channel,
              message.kind,
              message.contact,
              message.signupCode ?? null,
              message.waitlistId ?? null,
              message.drive,
              due,
              message.expiresAt.toISOString(),
              due,
              now.toISOString(),
            ).changes,
          );
        }
      }
      return added;
    });
  }

  /** The next message due at `now` (soonest first), as its sign-up or waitlist entry is now. */
  nextDue(now: Date): DueMessage | undefined {
    const row = this.#prepare(
      `${DUE_SELECT} WHERE o.state = 'pending' AND o.next_try_at <= ? ORDER BY o.next_try_at, o.id LIMIT 1`,
    ).get(now.toISOString()) as DueRow | undefined;
    return row && toDue(row);
  }

  /** How many messages are due at `now`. */
  dueCount(now: Date): number {
    return (
      this.#prepare("SELECT count(*) AS n FROM reminder_outbox WHERE state = 'pending' AND next_try_at <= ?").get(
        now.toISOString(),
      ) as { n: number }
    ).n;
  }

  markSent(id: number, now: Date): void {
    this.#prepare("UPDATE reminder_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?").run(
      now.toISOString(),
      id,
    );
  }

  /** Not sent, and never will be: it no longer applies (cancelled, stopped, too late) or failed for good. */
  markDone(id: number, state: 'dropped' | 'failed', reason: string, attempted: boolean): void {
    this.#prepare(`UPDATE reminder_outbox SET state = ?, last_error = ?, attempts = attempts + ? WHERE id = ?`).run(
      state,
      safeError(reason),
      attempted ? 1 : 0,
      id,
    );
  }

  /**
   * After an offer of a freed place could not be delivered (dropped, failed,
   * the channel gone): unless another channel's offer went or may still go,
   * the hold ends now, so the sender's next round offers the place to the
   * next person instead of keeping it two hours for someone never told.
   */
  endUntoldHold(due: DueMessage, now: Date): void {
    if (due.kind !== 'offer' || !due.waiting) return;
    this.#prepare(
      `UPDATE waitlist SET hold_until = ?
         WHERE id = ? AND state = 'offered' AND hold_until > ?
           AND NOT EXISTS (SELECT 1 FROM reminder_outbox
                           WHERE waitlist_id = waitlist.id AND kind = 'offer' AND state IN ('pending', 'sent'))`,
    ).run(now.toISOString(), due.waiting.id, now.toISOString());
  }

  /** Tried and failed in a way that may pass: tried again at `nextTry`. */
  markRetry(id: number, nextTry: Date, reason: string): void {
    this.#prepare(
      'UPDATE reminder_outbox SET attempts = attempts + 1, next_try_at = ?, last_error = ? WHERE id = ?',
    ).run(nextTry.toISOString(), safeError(reason), id);
  }

  /**
   * A message whose channel failed for good for it (`state` with `reason`) goes on by the next
   * channel (nextChannels), due at once, in the same transaction: it is never on two channels
   * unless the first failed for good, and never lost between the two. Returns the channels.
   */
  passOn(due: DueMessage, now: Date): Channel[] {
    const contact = this.contact(due.contact.id);
    if (!contact) return [];
    const channels = nextChannels(contact, due.kind, due.channel);
    const insert = this.#prepare(
      `INSERT OR IGNORE INTO reminder_outbox (dedupe_key, channel, kind, contact, signup_code, waitlist_id, drive,
         due_at, expires_at, next_try_at, created_at)
       SELECT dedupe_key, ?, kind, contact, signup_code, waitlist_id, drive, due_at, expires_at, ?, ?
         FROM reminder_outbox WHERE id = ?`,
    );
    for (const channel of channels) insert.run(channel, now.toISOString(), now.toISOString(), due.id);
    return channels;
  }

  /** Marks a row failed for a setup problem of ours (a Zalo template refused), which the console shows. */
  markSetupError(id: number, reason: string): void {
    this.#prepare('UPDATE reminder_outbox SET setup_error = ? WHERE id = ?').run(safeError(reason), id);
  }

  /** Sent, with its SMS parts, counted in the channel's day (the daily caps). */
  markSentCounted(due: DueMessage, now: Date, parts: number | undefined, providerId: string | undefined): void {
    this.transaction(() => {
      this.#prepare(
        "UPDATE reminder_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, parts = ?, provider_id = ? WHERE id = ?",
      ).run(now.toISOString(), parts ?? null, providerId ?? null, due.id);
      this.#prepare(
        `INSERT INTO channel_days (channel, day, messages, parts) VALUES (?, ?, 1, ?)
           ON CONFLICT (channel, day) DO UPDATE SET messages = messages + 1, parts = parts + excluded.parts`,
      ).run(due.channel, calendarDateInVietnam(now), parts ?? 0);
    });
  }

  /** Messages a channel sent on Cà Mau's day of `now`. */
  sentToday(channel: Channel, now: Date): { messages: number; parts: number } {
    const row = this.#prepare('SELECT messages, parts FROM channel_days WHERE channel = ? AND day = ?').get(
      channel,
      calendarDateInVietnam(now),
    ) as { messages: number; parts: number } | undefined;
    return row ?? { messages: 0, parts: 0 };
  }

  /** Over the day's cap: waits, untried, until `until` (the next day). */
  markWaiting(id: number, until: Date): void {
    this.#prepare("UPDATE reminder_outbox SET next_try_at = ?, last_error = 'daily cap reached' WHERE id = ?").run(
      until.toISOString(),
      id,
    );
  }

  /** SMS parts of a row the SMSC acknowledged, so that a retry never sends them again. */
  recordParts(outboxId: number, accepted: readonly AcceptedPart[], now: Date): void {
    const insert = this.#prepare(
      'INSERT OR IGNORE INTO sms_receipts (message_id, outbox_id, part, submitted_at) VALUES (?, ?, ?, ?)',
    );
    for (const { part, messageId } of accepted) {
      insert.run(messageId || `${outboxId}:${part}`, outboxId, part, now.toISOString());
    }
  }

  partsDone(outboxId: number): Set<number> {
    const rows = this.#prepare('SELECT part FROM sms_receipts WHERE outbox_id = ?').all(outboxId) as {
      part: number;
    }[];
    return new Set(rows.map((r) => r.part));
  }

  /** A delivery receipt: the part's final state. Returns false for a message id nobody sent. */
  recordReceipt(messageId: string, state: string, error: string | undefined, now: Date): boolean {
    return (
      Number(
        this.#prepare('UPDATE sms_receipts SET state = ?, error = ?, done_at = ? WHERE message_id = ?').run(
          state.slice(0, 20),
          error?.slice(0, 20) ?? null,
          now.toISOString(),
          messageId,
        ).changes,
      ) === 1
    );
  }

  /** Receipts by state, for `reminders status`. */
  receiptCounts(): { state: string | null; count: number }[] {
    return this.#prepare('SELECT state, count(*) AS count FROM sms_receipts GROUP BY state ORDER BY state').all() as {
      state: string | null;
      count: number;
    }[];
  }

  /** Pending rows per channel, due by `now` and waiting for a later day (the daily cap), for the console. */
  waiting(now: Date): { channel: Channel; due: number; capped: number }[] {
    return this.#prepare(
      `SELECT channel, sum(next_try_at <= ?1) AS due, sum(last_error = 'daily cap reached' AND next_try_at > ?1) AS capped
         FROM reminder_outbox WHERE state = 'pending' GROUP BY channel ORDER BY channel`,
    ).all(now.toISOString()) as { channel: Channel; due: number; capped: number }[];
  }

  /** The setup problems of the last rows that had one (a Zalo template refused), newest first. */
  setupErrors(limit = 5): { kind: MessageKind; channel: Channel; error: string }[] {
    return this.#prepare(
      `SELECT kind, channel, setup_error AS error FROM reminder_outbox WHERE setup_error IS NOT NULL
         ORDER BY id DESC LIMIT ?`,
    ).all(limit) as { kind: MessageKind; channel: Channel; error: string }[];
  }

  /** Every pending row due at `now`, for `reminders send --dry-run` (read only). */
  allDue(now: Date): DueMessage[] {
    return (
      this.#prepare(`${DUE_SELECT} WHERE o.state = 'pending' AND o.next_try_at <= ? ORDER BY o.next_try_at, o.id`).all(
        now.toISOString(),
      ) as unknown as DueRow[]
    ).map(toDue);
  }

  /** Rows by state (and kind), for `reminders status` and the tests. */
  counts(): { state: OutboxState; kind: MessageKind; channel: Channel; count: number }[] {
    return this.#prepare(
      `SELECT state, kind, channel, count(*) AS count FROM reminder_outbox
         GROUP BY state, kind, channel ORDER BY state, kind, channel`,
    ).all() as unknown as { state: OutboxState; kind: MessageKind; channel: Channel; count: number }[];
  }

  /** The messages about one sign-up or waitlist entry, for the person's own page. */
  messagesOf(subject: { signupCode?: string; waitlistId?: number }): {
    kind: MessageKind;
    channel: Channel;
    state: OutboxState;
    dueAt: string;
  }[] {
    return this.#prepare(
      `SELECT kind, channel, state, due_at AS dueAt FROM reminder_outbox
         WHERE signup_code IS ? OR waitlist_id IS ? ORDER BY due_at, kind, channel`,
    ).all(subject.signupCode ?? '-', subject.waitlistId ?? -1) as {
      kind: MessageKind;
      channel: Channel;
      state: OutboxState;
      dueAt: string;
    }[];
  }

  // Planning: what is not in the outbox yet

  /**
   * Active sign-ups with reminders whose slot reminders are not planned yet; `unitMember`
   * for one a unit's focal person stored (src/units/), who never saw a confirmation page.
   */
  signupsToPlan(): {
    code: string;
    drive: string;
    slot: string;
    createdAt: string;
    contact: number;
    unitMember: boolean;
  }[] {
    const rows = this.#prepare(
      `SELECT code, drive, slot, created_at AS createdAt, reminder_contact AS contact,
              unit_reservation IS NOT NULL AS unitMember FROM signups
         WHERE reminder_contact IS NOT NULL AND reminders_planned = 0 AND cancelled_at IS NULL`,
    ).all() as { code: string; drive: string; slot: string; createdAt: string; contact: number; unitMember: number }[];
    return rows.map((row) => ({ ...row, unitMember: row.unitMember === 1 }));
  }

  /** Gifts recorded for people with reminders, whose thank-you is not planned yet. */
  giftsToPlan(): {
    code: string;
    drive: string;
    slotEnd: string;
    donatedAt: string;
    returnAfter: string | null;
    contact: number;
  }[] {
    return this.#prepare(
      `SELECT code, drive, slot_end AS slotEnd, coalesce(donated_at, arrived_at, slot_end) AS donatedAt,
           return_after AS returnAfter, reminder_contact AS contact FROM signups
         WHERE reminder_contact IS NOT NULL AND gift_planned = 0 AND outcome = 'gave' AND cancelled_at IS NULL`,
    ).all() as {
      code: string;
      drive: string;
      slotEnd: string;
      donatedAt: string;
      returnAfter: string | null;
      contact: number;
    }[];
  }

  markPlanned(codes: readonly string[], what: 'reminders' | 'gift'): void {
    const column = what === 'reminders' ? 'reminders_planned' : 'gift_planned';
    const update = this.#prepare(`UPDATE signups SET ${column} = 1 WHERE code = ?`);
    for (const code of codes) update.run(code);
  }

  /** Sign-ups with reminders on a drive, whose slot ends after `now`: told when the drive is called off. */
  activeWithReminders(drive: string, now: Date): { code: string; slotEnd: string; contact: number }[] {
    return this.#prepare(
      `SELECT code, slot_end AS slotEnd, reminder_contact AS contact FROM signups
         WHERE drive = ? AND cancelled_at IS NULL AND reminder_contact IS NOT NULL
           AND unixepoch(slot_end) > unixepoch(?)`,
    ).all(drive, now.toISOString()) as { code: string; slotEnd: string; contact: number }[];
  }

  /** Units given at a drive: as an admin published them, else the gifts the desk recorded. */
  unitsGiven(drive: string): number {
    const published = this.#prepare('SELECT units FROM published_results WHERE drive = ?').get(drive) as
      { units: number } | undefined;
    if (published) return published.units;
    return (
      this.#prepare(
        "SELECT count(*) AS n FROM signups WHERE drive = ? AND outcome = 'gave' AND cancelled_at IS NULL",
      ).get(drive) as { n: number }
    ).n;
  }

  // The sender's lease: one sender per database, whatever the number of processes.

  /**
   * Takes or renews the lease for `holder` until `now + ms`. Refused while
   * another holder's lease runs, unless `isGone` says that holder's process
   * has ended (a sender killed on this machine need not be waited for).
   */
  acquireLease(holder: string, now: Date, ms = LEASE_MS, isGone: (holder: string) => boolean = () => false): boolean {
    return this.transaction(() => {
      const row = this.#prepare('SELECT holder, expires_at FROM reminder_lease WHERE name = ?').get(LEASE_NAME) as
        { holder: string; expires_at: string } | undefined;
      if (row && row.holder !== holder && Date.parse(row.expires_at) > now.getTime() && !isGone(row.holder)) {
        return false;
      }
      this.#prepare(
        `INSERT INTO reminder_lease (name, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
      ).run(LEASE_NAME, holder, new Date(now.getTime() + ms).toISOString());
      return true;
    });
  }

  /** Who holds the lease and until when, if anyone. */
  leaseHolder(): { holder: string; expiresAt: string } | undefined {
    const row = this.#prepare('SELECT holder, expires_at FROM reminder_lease WHERE name = ?').get(LEASE_NAME) as
      { holder: string; expires_at: string } | undefined;
    return row && { holder: row.holder, expiresAt: row.expires_at };
  }

  releaseLease(holder: string): void {
    this.#prepare('DELETE FROM reminder_lease WHERE name = ? AND holder = ?').run(LEASE_NAME, holder);
  }
}
