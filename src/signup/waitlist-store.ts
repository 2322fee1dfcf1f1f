/**
 * The waitlist of full slots in the sign-up database. A person waits for one
 * slot; when a place frees, the first person waiting is offered it and the
 * place is held for them (HOLD_MS): the sign-up store counts the hold as a
 * place taken until they accept, the hold ends, or they stop. The waitlist
 * belongs to the sign-ups (src/signup/): the form joins it when a slot is
 * full, and the reminders (src/reminders/) offer its freed places. Every change
 * runs in the store's write transaction, so two processes never offer one
 * place twice.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../store/database.ts';
import type { ReminderChoice } from '../reminder-choice/reminder-types.ts';
import {
  nameKey,
  PERSON_COLUMNS,
  personOfRow,
  personValues,
  SignupStore,
  type Person,
  type PersonRow,
  type SignupRecord,
} from './store.ts';

export type WaitState = 'waiting' | 'offered' | 'accepted' | 'expired' | 'left' | 'closed';

export interface WaitEntry {
  id: number;
  code: string;
  drive: string;
  slot: string;
  slotEnd: string;
  phone: string;
  createdAt: string;
  contact: number;
  state: WaitState;
  offerToken: string | null;
  offeredAt: string | null;
  holdUntil: string | null;
  signupCode: string | null;
}

interface WaitRow extends PersonRow {
  id: number;
  code: string;
  drive: string;
  slot: string;
  slot_end: string;
  created_at: string;
  form_nonce: string | null;
  reminder_contact: number;
  state: WaitState;
  offer_token: string | null;
  offered_at: string | null;
  hold_until: string | null;
  signup_code: string | null;
}

function toEntry(row: WaitRow): WaitEntry {
  return {
    id: row.id,
    code: row.code,
    drive: row.drive,
    slot: row.slot,
    slotEnd: row.slot_end,
    phone: row.phone,
    createdAt: row.created_at,
    contact: row.reminder_contact,
    state: row.state,
    offerToken: row.offer_token,
    offeredAt: row.offered_at,
    holdUntil: row.hold_until,
    signupCode: row.signup_code,
  };
}

/** A slot as the drive's file defines it now, with its number of places. */
export interface SlotPlaces {
  drive: string;
  slot: string;
  slotEnd: string;
  capacity: number;
}

export type JoinResult =
  | { status: 'joined' | 'replayed'; entry: WaitEntry; position: number }
  | { status: 'used-form' }
  /** Places are free and nobody waits: sign up instead. */
  | { status: 'has-places' };

/** How long after a place is taken its link still answers with the sign-up (a second tap, a lost answer). */
export const ACCEPTED_LINK_SHOWS_MS = 10 * 60_000;

export type AcceptResult =
  | { status: 'accepted'; signup: SignupRecord; entry: WaitEntry }
  /** Accepted in the last ACCEPTED_LINK_SHOWS_MS (a second tap on the link): the same sign-up. */
  | { status: 'already'; signup: SignupRecord; entry: WaitEntry }
  | { status: 'expired'; entry: WaitEntry }
  | { status: 'unknown' };

export interface Offer {
  entry: WaitEntry;
  holdUntil: Date;
}

export class WaitlistStore {
  readonly #db: Database;
  /** The sign-ups of the same database: an accepted offer is a sign-up like any other. */
  readonly #store: SignupStore;

  constructor(db: Database) {
    this.#db = db;
    this.#store = new SignupStore(db);
  }

  /** Places taken in a slot at `now`, held ones included (the sign-up store's own count). */
  #taken(slot: SlotPlaces, now: Date): number {
    return this.#store.takenBySlot(slot.drive, [{ id: slot.slot, end: slot.slotEnd }], now).get(slot.slot) ?? 0;
  }

  #waitingCount(slot: SlotPlaces): number {
    return (
      this.#db
        .prepare("SELECT count(*) AS n FROM waitlist WHERE drive = ? AND slot = ? AND state = 'waiting'")
        .get(slot.drive, slot.slot) as { n: number }
    ).n;
  }

  /** Where the entry stands among those waiting for its slot: 1 is next. */
  position(entry: WaitEntry): number {
    return (
      this.#db
        .prepare("SELECT count(*) AS n FROM waitlist WHERE drive = ? AND slot = ? AND state = 'waiting' AND id <= ?")
        .get(entry.drive, entry.slot, entry.id) as { n: number }
    ).n;
  }

  /**
   * Puts a person on the waitlist of a full slot, with the reminders they
   * chose (a waitlist needs a way to reach them). A form (its nonce) puts one
   * person on once, as a sign-up form signs up one person.
   */
  join(input: {
    code: string;
    slot: SlotPlaces;
    person: Person;
    reminders: ReminderChoice;
    now: Date;
    formNonce?: string | undefined;
  }): JoinResult {
    return this.#db.transaction(() => {
      const p = input.person;
      if (input.formNonce) {
        const sameForm = this.#db
          .prepare('SELECT * FROM waitlist WHERE form_nonce = ?')
          .all(input.formNonce) as unknown as WaitRow[];
        const own = sameForm.find(
          (row) =>
            row.drive === input.slot.drive &&
            row.slot === input.slot.slot &&
            row.phone === p.phone &&
            nameKey(row.full_name) === nameKey(p.fullName),
        );
        if (own) {
          const entry = toEntry(own);
          return { status: 'replayed', entry, position: this.position(entry) };
        }
        if (sameForm.length > 0) return { status: 'used-form' };
      }
      if (this.#taken(input.slot, input.now) < input.slot.capacity && this.#waitingCount(input.slot) === 0) {
        return { status: 'has-places' };
      }
      const contact = this.#store.addReminderContact(input.reminders, input.now);
      const row = this.#db
        .prepare(
          `INSERT INTO waitlist (code, drive, slot, slot_end, ${PERSON_COLUMNS}, created_at, form_nonce, reminder_contact)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.code,
          input.slot.drive,
          input.slot.slot,
          input.slot.slotEnd,
          ...personValues(p),
          input.now.toISOString(),
          input.formNonce ?? null,
          contact,
        ) as unknown as WaitRow;
      const entry = toEntry(row);
      return { status: 'joined', entry, position: this.position(entry) };
    });
  }

  byCode(code: string): WaitEntry | undefined {
    const row = this.#db.prepare('SELECT * FROM waitlist WHERE code = ?').get(code) as WaitRow | undefined;
    return row && toEntry(row);
  }

  byOfferToken(token: string): WaitEntry | undefined {
    const row = this.#db.prepare('SELECT * FROM waitlist WHERE offer_token = ?').get(token) as WaitRow | undefined;
    return row && toEntry(row);
  }

  /** The slots where a place is held for this contact now: freed when they stop. */
  heldFor(contact: number): { drive: string; slot: string }[] {
    return this.#db
      .prepare("SELECT drive, slot FROM waitlist WHERE reminder_contact = ? AND state = 'offered'")
      .all(contact) as { drive: string; slot: string }[];
  }

  /** Slots that have people waiting: where a freed place may be offered. */
  slotsWithWaiting(): { drive: string; slot: string; slotEnd: string }[] {
    return this.#db
      .prepare(
        `SELECT DISTINCT drive, slot, slot_end AS slotEnd FROM waitlist WHERE state = 'waiting' ORDER BY drive, slot`,
      )
      .all() as { drive: string; slot: string; slotEnd: string }[];
  }

  /** Entries still waiting or offered on a drive: told, and closed, when the drive is called off. */
  openOnDrive(drive: string): WaitEntry[] {
    return (
      this.#db
        .prepare("SELECT * FROM waitlist WHERE drive = ? AND state IN ('waiting', 'offered') ORDER BY id")
        .all(drive) as unknown as WaitRow[]
    ).map(toEntry);
  }

  /** Closes the slot's waiting entries: too close to its start for a place to be offered, it is anyone's again. */
  closeWaiting(slot: { drive: string; slot: string }): number {
    return Number(
      this.#db
        .prepare("UPDATE waitlist SET state = 'closed' WHERE drive = ? AND slot = ? AND state = 'waiting'")
        .run(slot.drive, slot.slot).changes,
    );
  }

  close(ids: readonly number[]): void {
    const update = this.#db.prepare("UPDATE waitlist SET state = 'closed', hold_until = NULL WHERE id = ?");
    for (const id of ids) update.run(id);
  }

  /**
   * Offers the slot's free places (capacity less places taken and held) to
   * the people waiting, first come first served; each is held until
   * `holdUntil`. Someone who can no longer be told (every channel ended or
   * stopped: `reachable` says no) is passed over and their entry closed.
   * Returns the offers made.
   */
  offerFreePlaces(
    slot: SlotPlaces,
    now: Date,
    holdUntil: Date,
    reachable: (contact: number) => boolean = () => true,
  ): Offer[] {
    return this.#db.transaction(() => {
      let free = slot.capacity - this.#taken(slot, now);
      const offers: Offer[] = [];
      const next = this.#db.prepare(
        "SELECT * FROM waitlist WHERE drive = ? AND slot = ? AND state = 'waiting' ORDER BY id LIMIT 1",
      );
      const offer = this.#db.prepare(
        `UPDATE waitlist SET state = 'offered', offer_token = ?, offered_at = ?, hold_until = ?
         WHERE id = ? RETURNING *`,
      );
      // One place per phone and slot: the waitlist has no phone limit of its own (a phone alone
      // reveals nothing, so joining twice is not refused), but a second place is never held for it.
      const hasPlace = this.#db.prepare(
        `SELECT 1 FROM waitlist WHERE drive = ?1 AND slot = ?2 AND phone = ?3 AND id != ?4
           AND (state = 'accepted' OR (state = 'offered' AND hold_until > ?5))
         UNION ALL
         SELECT 1 FROM signups WHERE drive = ?1 AND slot = ?2 AND phone = ?3 AND cancelled_at IS NULL
         LIMIT 1`,
      );
      while (free > 0) {
        const row = next.get(slot.drive, slot.slot) as WaitRow | undefined;
        if (!row) break;
        if (
          !reachable(row.reminder_contact) ||
          hasPlace.get(row.drive, row.slot, row.phone, row.id, now.toISOString())
        ) {
          this.close([row.id]);
          continue;
        }
        const offered = offer.get(
          randomBytes(16).toString('base64url'),
          now.toISOString(),
          holdUntil.toISOString(),
          row.id,
        ) as unknown as WaitRow;
        offers.push({ entry: toEntry(offered), holdUntil });
        free -= 1;
      }
      return offers;
    });
  }

  /** Holds that ended at `now` unanswered: the place goes to the next person. Returns their slots. */
  expireHolds(now: Date): { drive: string; slot: string; slotEnd: string }[] {
    return this.#db.transaction(
      () =>
        this.#db
          .prepare(
            `UPDATE waitlist SET state = 'expired' WHERE state = 'offered' AND hold_until <= ?
             RETURNING drive, slot, slot_end AS slotEnd`,
          )
          .all(now.toISOString()) as { drive: string; slot: string; slotEnd: string }[],
    );
  }

  /**
   * Takes the held place for the person offered it, with a confirmation
   * code: a sign-up like any other, sharing the reminders they chose.
   */
  accept(input: { token: string; code: string; now: Date }): AcceptResult {
    return this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT * FROM waitlist WHERE offer_token = ?').get(input.token) as
        WaitRow | undefined;
      if (!row) return { status: 'unknown' };
      const entry = toEntry(row);
      const at = input.now.getTime();
      if (row.state === 'accepted' && row.signup_code) {
        const signup = this.#store.byCode(row.signup_code);
        // A second tap soon after (the first answer lost on the way) shows the same sign-up; later,
        // once it is cancelled or once its slot is over, the link shows no code: it is no key to it.
        const fresh = signup && at - Date.parse(signup.createdAt) < ACCEPTED_LINK_SHOWS_MS;
        if (signup && fresh && signup.cancelledAt === null && at < Date.parse(row.slot_end)) {
          return { status: 'already', signup, entry };
        }
        return { status: 'expired', entry };
      }
      if (row.state !== 'offered' || !row.hold_until || Date.parse(row.hold_until) <= input.now.getTime()) {
        return { status: 'expired', entry };
      }
      const taken = this.#store.takePlace({
        code: input.code,
        drive: row.drive,
        slot: row.slot,
        slotEnd: row.slot_end,
        // The hold kept this place for them since the offer: no count can refuse it now
        // (the desk may have taken walk-ins over the places meanwhile).
        capacity: Number.MAX_SAFE_INTEGER,
        person: personOfRow(row),
        now: input.now,
        reminderContact: row.reminder_contact,
        exceptHold: row.id,
      });
      if (taken.status !== 'created') return { status: 'expired', entry };
      const accepted = this.#db
        .prepare("UPDATE waitlist SET state = 'accepted', signup_code = ?, hold_until = NULL WHERE id = ? RETURNING *")
        .get(taken.signup.code, row.id) as unknown as WaitRow;
      return { status: 'accepted', signup: taken.signup, entry: toEntry(accepted) };
    });
  }
}
