/**
 * The sign-ups' queries, on the database of src/store/database.ts (one file,
 * WAL, synchronous=FULL: a sign-up acknowledged is on disk before the answer
 * leaves). A place is taken inside one BEGIN IMMEDIATE transaction that
 * counts the slot first: the write lock is held from the count to the
 * insert, so two people can never both get the last place, even from two
 * processes (the server and the organisers' CLI).
 *
 * Plain TypeScript that Node runs as it is (type stripping): the server and
 * the CLI import this file directly, the site's bundle through Vite.
 */
import { randomBytes } from 'node:crypto';
import { Database, type DatabaseOptions } from '../store/database.ts';
import type { ReminderChoice } from '../reminder-choice/reminder-types.ts';

export interface Person {
  fullName: string;
  /** +84 and nine digits. */
  phone: string;
  birthYear: number;
  sex: 'female' | 'male';
  weightKg: number;
  lastDonation?: string | undefined;
  teamCode?: string | undefined;
  /** O+, O-, A+, A-, B+, B-, AB+ or AB- when the person gave it. */
  bloodGroup?: string | undefined;
}

export interface SignupRecord extends Person {
  code: string;
  drive: string;
  /** The slot's start with its offset. */
  slot: string;
  slotEnd: string;
  createdAt: string;
  cancelledAt: string | null;
  donatedAt: string | null;
  /** What happened at the drive (the organisers' console and `given`). */
  desk: DeskRecord;
  /** The reminders this person agreed to (src/reminders/), or null. */
  reminderContact: number | null;
}

export type Outcome = 'gave' | 'deferred' | 'no-show';

export interface DeskRecord {
  arrivedAt: string | null;
  outcome: Outcome | null;
  volumeMl: number | null;
  deferralReason: string | null;
  deferralKind: 'temporary' | 'permanent' | null;
  /** yyyy-mm-dd: the earliest day to come back, when the rules give one. */
  returnAfter: string | null;
  /** Registered at the desk on the day. */
  walkIn: boolean;
  /** Registered knowingly over the slot's places. */
  overCapacity: boolean;
}

/**
 * `created`: a new place (or this form's own sign-up moved to another slot).
 * `replayed`: the same form sent again (double tap, back button): its own
 * sign-up, unchanged. `used-form`: this form already signed up someone else.
 * `full`: no place left in the slot.
 */
export type TakePlaceResult =
  | { status: 'created'; signup: SignupRecord }
  | { status: 'replayed'; signup: SignupRecord }
  | { status: 'used-form' }
  | { status: 'full' };

/** A slot as the drive's file defines it now: its start and end with +07:00. */
export interface SlotSpan {
  id: string;
  end: string;
}

/** A person's columns, as the sign-ups and the waitlist (src/signup/waitlist-store.ts) both store them. */
export interface PersonRow {
  full_name: string;
  phone: string;
  birth_year: number;
  sex: 'female' | 'male';
  weight_kg: number;
  last_donation: string | null;
  team_code: string | null;
  blood_group?: string | null;
}

/** PersonRow's columns, for an INSERT whose values are personValues(…), in this order. */
export const PERSON_COLUMNS = 'full_name, phone, birth_year, sex, weight_kg, last_donation, team_code, blood_group';

export function personValues(
  p: Person,
): [string, string, number, string, number, string | null, string | null, string | null] {
  return [
    p.fullName,
    p.phone,
    p.birthYear,
    p.sex,
    p.weightKg,
    p.lastDonation ?? null,
    p.teamCode ?? null,
    p.bloodGroup ?? null,
  ];
}

export function personOfRow(row: PersonRow): Person {
  return {
    fullName: row.full_name,
    phone: row.phone,
    birthYear: row.birth_year,
    sex: row.sex,
    weightKg: row.weight_kg,
    lastDonation: row.last_donation ?? undefined,
    teamCode: row.team_code ?? undefined,
    bloodGroup: row.blood_group ?? undefined,
  };
}

interface Row extends PersonRow {
  code: string;
  drive: string;
  slot: string;
  slot_end: string;
  created_at: string;
  cancelled_at: string | null;
  donated_at: string | null;
  id: number;
  form_nonce: string | null;
  arrived_at: string | null;
  outcome: Outcome | null;
  volume_ml: number | null;
  deferral_reason: string | null;
  deferral_kind: 'temporary' | 'permanent' | null;
  return_after: string | null;
  walk_in: number;
  over_capacity: number;
  reminder_contact: number | null;
}

/** Name compared without case or extra spaces: "trần  thị MAI" is "Trần Thị Mai". */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
}

/**
 * Overlap of a stored sign-up's [slot, slot_end) with a slot. Every slot time
 * is written by toIsoWithOffset in one form ("2026-12-05T07:30:00+07:00"), so
 * text order is time order: places_taken's key (drive, slot, slot_end) serves the range.
 */
export const OVERLAPS = 'slot < :end AND slot_end > :start';

/**
 * Places the sign-ups not cancelled take in a slot of :drive from :start to :end: the
 * counts of the spans that overlap it, kept by triggers as sign-ups are written
 * (migration 012), so it reads a few rows however many people signed up.
 */
export const SIGNED_UP = `SELECT coalesce(sum(taken), 0) FROM places_taken WHERE drive = :drive AND ${OVERLAPS}`;

/**
 * Places held for someone offered a freed place from the waitlist
 * (src/signup/waitlist-store.ts): taken until the hold ends or is answered.
 * Hold ends are written by toISOString, like :now.
 */
const HELD = `SELECT count(*) FROM waitlist
  WHERE drive = :drive AND state = 'offered' AND hold_until > :now AND id != :exceptHold AND ${OVERLAPS}`;

/**
 * People waiting for a place in the slot, counted as taken where
 * :waitingGoFirst is 1 (the public form and its places left): a place freed
 * while someone waits is theirs, offered at the sender's next round, not
 * the next stranger's to take. The waitlist's own count of free places, and
 * the desk, leave them out.
 */
const WAITING = `SELECT count(*) FROM waitlist
  WHERE :waitingGoFirst = 1 AND drive = :drive AND state = 'waiting' AND ${OVERLAPS}`;

/**
 * Places a unit's reservation (src/units/, migration 010) holds and has not filled yet:
 * taken for everyone else until its deadline (`until`, written by toISOString like :now),
 * after which they count no more, whether or not the round that marks them returned has
 * run. A unit member filling the reservation :exceptReservation counts its own filled
 * members as sign-ups and not its unfilled places.
 */
const RESERVED = `SELECT coalesce(sum(max(0, r.places - (SELECT count(*) FROM signups m
      WHERE m.unit_reservation = r.id AND m.cancelled_at IS NULL))), 0)
  FROM unit_reservations r
  WHERE r.drive = :drive AND r.returned_at IS NULL AND r.until > :now AND r.id != :exceptReservation
    AND ${OVERLAPS}`;

function toRecord(row: Row): SignupRecord {
  return {
    code: row.code,
    drive: row.drive,
    slot: row.slot,
    slotEnd: row.slot_end,
    ...personOfRow(row),
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    donatedAt: row.donated_at,
    desk: {
      arrivedAt: row.arrived_at,
      outcome: row.outcome,
      volumeMl: row.volume_ml,
      deferralReason: row.deferral_reason,
      deferralKind: row.deferral_kind,
      returnAfter: row.return_after,
      walkIn: row.walk_in === 1,
      overCapacity: row.over_capacity === 1,
    },
    reminderContact: row.reminder_contact,
  };
}

export interface TeamCount {
  teamCode: string;
  /** The unit's name as the organisers registered it. */
  name: string;
  signups: number;
  unitsGiven: number;
}

export interface Team {
  code: string;
  name: string;
}

export class SignupStore {
  /** The database this store's queries run on (src/store/database.ts). */
  readonly db: Database;
  /** Opened here (from a path), so closed here too. */
  readonly #owned: boolean;

  /** Over the process's database, or over one opened from `path` (the command line, the tests). */
  constructor(database: Database | string, options: DatabaseOptions = {}) {
    this.#owned = typeof database === 'string';
    this.db = typeof database === 'string' ? new Database(database, options) : database;
  }

  get path(): string {
    return this.db.path;
  }

  get #db(): Database {
    return this.db;
  }

  #transaction<T>(work: () => T): T {
    return this.db.transaction(work);
  }

  get schemaVersion(): number {
    return this.db.schemaVersion;
  }

  /**
   * Takes a place in a slot for a person. Places are counted by time overlap
   * with the slot, so sign-ups made before an editor changed the drive's
   * slots still count. A form (its `formNonce`) makes one sign-up: sent again
   * for the same person and slot it gives that sign-up back; for the same
   * person and another slot (back button, another choice) it moves it; for
   * anyone else it is `used-form`. Nothing else about a phone's earlier
   * sign-ups changes the result: another form with the same phone simply
   * takes another place (src/signup/README.md, "A phone number alone reveals nothing").
   * Places held for people offered them from the waitlist count as taken,
   * except the hold of `exceptHold` (that person taking their own place);
   * with `waitingGoFirst`, so do the people waiting for the slot (WAITING).
   * With `reminders`, the person's choice of reminders is kept with the sign-up.
   */
  takePlace(input: {
    code: string;
    drive: string;
    slot: string;
    slotEnd: string;
    capacity: number;
    person: Person;
    now: Date;
    formNonce?: string | undefined;
    reminders?: ReminderChoice | undefined;
    /** Reminders already agreed (the waitlist's): the sign-up shares them. */
    reminderContact?: number | undefined;
    exceptHold?: number | undefined;
    waitingGoFirst?: boolean | undefined;
    /**
     * A unit member filling a reservation of its unit (src/units/): full when the
     * reservation is, and its own unfilled places are not counted against it.
     */
    unit?: { reservation: number; places: number; batch: number } | undefined;
  }): TakePlaceResult {
    return this.#transaction(() => {
      const p = input.person;
      let moving: Row | undefined;
      if (input.formNonce) {
        const sameForm = this.#db
          .prepare('SELECT * FROM signups WHERE form_nonce = ? AND cancelled_at IS NULL')
          .all(input.formNonce) as unknown as Row[];
        const own = sameForm.find(
          (row) =>
            row.drive === input.drive &&
            row.phone === p.phone &&
            row.birth_year === p.birthYear &&
            nameKey(row.full_name) === nameKey(p.fullName),
        );
        if (own?.slot === input.slot) return { status: 'replayed', signup: toRecord(own) };
        if (sameForm.length > 0 && !own) return { status: 'used-form' };
        moving = own;
      }
      const { taken } = this.#db
        .prepare(
          `SELECT (${SIGNED_UP})
                - (SELECT count(*) FROM signups
                   WHERE id = :except AND drive = :drive AND cancelled_at IS NULL AND ${OVERLAPS})
                + (${HELD}) + (${WAITING}) + (${RESERVED}) AS taken`,
        )
        .get({
          drive: input.drive,
          except: moving?.id ?? -1,
          exceptHold: input.exceptHold ?? -1,
          exceptReservation: input.unit?.reservation ?? -1,
          waitingGoFirst: input.waitingGoFirst ? 1 : 0,
          now: input.now.toISOString(),
          start: input.slot,
          end: input.slotEnd,
        }) as { taken: number };
      if (taken >= input.capacity) return { status: 'full' };
      if (input.unit) {
        const { filled } = this.#db
          .prepare('SELECT count(*) AS filled FROM signups WHERE unit_reservation = ? AND cancelled_at IS NULL')
          .get(input.unit.reservation) as { filled: number };
        if (filled >= input.unit.places) return { status: 'full' };
      }
      if (moving) {
        this.#db.prepare('UPDATE signups SET cancelled_at = ? WHERE id = ?').run(input.now.toISOString(), moving.id);
      }
      const contact =
        input.reminderContact ?? (input.reminders ? this.addReminderContact(input.reminders, input.now) : null);
      const row = this.#db
        .prepare(
          `INSERT INTO signups (code, drive, slot, slot_end, ${PERSON_COLUMNS}, created_at, form_nonce, reminder_contact,
             unit_reservation, unit_batch)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.code,
          input.drive,
          input.slot,
          input.slotEnd,
          ...personValues(p),
          input.now.toISOString(),
          input.formNonce ?? null,
          contact,
          input.unit?.reservation ?? null,
          input.unit?.batch ?? null,
        ) as unknown as Row;
      return { status: 'created', signup: toRecord(row) };
    });
  }

  /**
   * Keeps what someone agreed to be reminded by, with a new stop token (the
   * one-click stop link of every message). Returns its id.
   */
  addReminderContact(choice: ReminderChoice, now: Date): number {
    const { id } = this.#db
      .prepare(
        `INSERT INTO reminder_contacts (consent_at, email, push_subscription, webhook, texts, stop_token)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        now.toISOString(),
        choice.email ?? null,
        choice.push ?? null,
        choice.webhook ? 1 : 0,
        choice.texts ? 1 : 0,
        randomBytes(16).toString('base64url'),
      ) as { id: number };
    return id;
  }

  /** Frees the place of the sign-up with this code and phone; false if there is none. */
  cancel(code: string, phone: string | null, now: Date): boolean {
    const sql = phone
      ? 'UPDATE signups SET cancelled_at = ? WHERE code = ? AND phone = ? AND cancelled_at IS NULL'
      : 'UPDATE signups SET cancelled_at = ? WHERE code = ? AND cancelled_at IS NULL';
    const args = phone ? [now.toISOString(), code, phone] : [now.toISOString(), code];
    return Number(this.#db.prepare(sql).run(...args).changes) === 1;
  }

  byCode(code: string): SignupRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM signups WHERE code = ?').get(code) as Row | undefined;
    return row && toRecord(row);
  }

  /**
   * Places taken in each of the drive's current slots, by time overlap (see
   * takePlace), places held for the waitlist at `now` included, and with
   * `waitingGoFirst` the people waiting too (what the public form may take).
   */
  takenBySlot(
    drive: string,
    slots: readonly SlotSpan[],
    now = new Date(),
    { waitingGoFirst = false }: { waitingGoFirst?: boolean } = {},
  ): Map<string, number> {
    const count = this.#db.prepare(`SELECT (${SIGNED_UP}) + (${HELD}) + (${WAITING}) + (${RESERVED}) AS taken`);
    const at = now.toISOString();
    const first = waitingGoFirst ? 1 : 0;
    return new Map(
      slots.map((slot) => {
        const { taken } = count.get({
          drive,
          start: slot.id,
          end: slot.end,
          now: at,
          exceptHold: -1,
          exceptReservation: -1,
          waitingGoFirst: first,
        }) as {
          taken: number;
        };
        return [slot.id, taken];
      }),
    );
  }

  /** Active sign-ups, of one drive or all, in slot then sign-up order. */
  list(drive?: string): SignupRecord[] {
    const rows = (drive
      ? this.#db.prepare('SELECT * FROM signups WHERE drive = ? AND cancelled_at IS NULL ORDER BY slot, id').all(drive)
      : this.#db
          .prepare('SELECT * FROM signups WHERE cancelled_at IS NULL ORDER BY drive, slot, id')
          .all()) as unknown as Row[];
    return rows.map(toRecord);
  }

  /** Drives that have sign-ups, with how many. */
  drives(): { drive: string; signups: number }[] {
    return this.#db
      .prepare(
        'SELECT drive, count(*) AS signups FROM signups WHERE cancelled_at IS NULL GROUP BY drive ORDER BY drive',
      )
      .all() as { drive: string; signups: number }[];
  }

  /**
   * Registered teams by units given, then sign-ups: counts only, never a
   * person. Codes nobody registered stay with their sign-ups but are not listed.
   */
  teams(): TeamCount[] {
    return this.#db
      .prepare(
        `SELECT t.code AS teamCode, t.name AS name, count(s.id) AS signups, count(s.donated_at) AS unitsGiven
         FROM teams t JOIN signups s ON s.team_code = t.code AND s.cancelled_at IS NULL
         GROUP BY t.code ORDER BY unitsGiven DESC, signups DESC, t.code`,
      )
      .all() as unknown as TeamCount[];
  }

  /** Registers a team code with its unit's name, or renames it. */
  addTeam(team: Team, now: Date): void {
    this.#db
      .prepare(
        `INSERT INTO teams (code, name, created_at) VALUES (?, ?, ?)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name`,
      )
      .run(team.code, team.name, now.toISOString());
  }

  removeTeam(code: string): boolean {
    return Number(this.#db.prepare('DELETE FROM teams WHERE code = ?').run(code).changes) === 1;
  }

  listTeams(): Team[] {
    return this.#db.prepare('SELECT code, name FROM teams ORDER BY code').all() as unknown as Team[];
  }

  /**
   * The key of the form tokens when SIGNUP_SECRET is not set: made once and
   * kept here, so that restarts and every server sharing this file agree.
   */
  formTokenKey(): string {
    // Read first without the write lock: it is there after the first start.
    const kept = this.#db.prepare("SELECT value FROM settings WHERE name = 'form-token-key'").get() as
      { value: string } | undefined;
    if (kept) return kept.value;
    return this.#transaction(() => {
      const row = this.#db.prepare("SELECT value FROM settings WHERE name = 'form-token-key'").get() as
        { value: string } | undefined;
      if (row) return row.value;
      const key = randomBytes(32).toString('base64url');
      this.#db.prepare("INSERT INTO settings (name, value) VALUES ('form-token-key', ?)").run(key);
      return key;
    });
  }

  /** A consistent copy of the database, safe while the server writes (VACUUM INTO), readable by its owner only. */
  backup(file: string): void {
    this.db.backup(file);
  }

  /** Sign-ups still active, each with its drive and time span, for checking against the drives' current slots. */
  activeSpans(): { code: string; drive: string; slot: string; slotEnd: string }[] {
    return this.#db
      .prepare(
        'SELECT code, drive, slot, slot_end AS slotEnd FROM signups WHERE cancelled_at IS NULL ORDER BY drive, slot',
      )
      .all() as { code: string; drive: string; slot: string; slotEnd: string }[];
  }

  integrityCheck(): string {
    return this.db.integrityCheck();
  }

  /** Closes the database if this store opened it; the process's shared one is closed by its owner. */
  close(): void {
    if (this.#owned) this.db.close();
  }
}
