/**
 * Sign-ups in SQLite through node:sqlite. One file (SIGNUP_DB), WAL so that
 * readers never wait for the writer, synchronous=FULL so that a sign-up
 * acknowledged is on disk before the answer leaves. A place is taken inside
 * one BEGIN IMMEDIATE transaction that counts the slot first: the write lock
 * is held from the count to the insert, so two people can never both get the
 * last place, even from two processes (the server and the organisers' CLI).
 *
 * Plain TypeScript that Node runs as it is (type stripping): the server and
 * the CLI import this file directly, the site's bundle through Vite.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { randomBytes } from 'node:crypto';
import { toIsoWithOffset } from '../shared/dates.ts';
import type { ReminderChoice } from '../reminders/reminder-types.ts';

export const DEFAULT_DB_PATH = 'data/signups.sqlite';
/** Personal data is kept 12 months after the drive (privacy page), then purged. */
export const RETENTION_DAYS = 365;

export interface Person {
  fullName: string;
  /** +84 and nine digits. */
  phone: string;
  birthYear: number;
  sex: 'female' | 'male';
  weightKg: number;
  lastDonation?: string | undefined;
  teamCode?: string | undefined;
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

// Each entry moves the schema one version up; PRAGMA user_version records how far a file is.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE signups (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL UNIQUE,
     drive TEXT NOT NULL,
     slot TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     full_name TEXT NOT NULL,
     phone TEXT NOT NULL,
     birth_year INTEGER NOT NULL,
     sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
     weight_kg REAL NOT NULL,
     last_donation TEXT,
     team_code TEXT,
     created_at TEXT NOT NULL,
     cancelled_at TEXT
   );
   CREATE INDEX signups_by_slot ON signups (drive, slot) WHERE cancelled_at IS NULL;
   CREATE UNIQUE INDEX one_signup_per_phone_and_drive ON signups (drive, phone) WHERE cancelled_at IS NULL;`,
  `ALTER TABLE signups ADD COLUMN donated_at TEXT;
   CREATE INDEX signups_by_team ON signups (team_code) WHERE team_code IS NOT NULL;`,
  // A phone may be shared by a family, and whether a phone has signed up must not
  // show in an answer (docs/architecture.md, "Sign-up privacy"): no unique phone per drive.
  `DROP INDEX one_signup_per_phone_and_drive;
   CREATE INDEX signups_by_phone ON signups (drive, phone) WHERE cancelled_at IS NULL;
   ALTER TABLE signups ADD COLUMN form_nonce TEXT;
   CREATE INDEX signups_by_form ON signups (form_nonce) WHERE form_nonce IS NOT NULL;
   -- Places are counted by overlap (OVERLAPS): with slot_end in the index the count never reads a row.
   DROP INDEX signups_by_slot;
   CREATE INDEX signups_by_span ON signups (drive, slot, slot_end) WHERE cancelled_at IS NULL;
   CREATE TABLE teams (code TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The organisers' console (docs/organisers.md): what happened at the desk, who may see
  // which drive, their sessions, and a log of every change.
  `ALTER TABLE signups ADD COLUMN arrived_at TEXT;
   ALTER TABLE signups ADD COLUMN outcome TEXT CHECK (outcome IN ('gave', 'deferred', 'no-show'));
   ALTER TABLE signups ADD COLUMN volume_ml INTEGER CHECK (volume_ml IN (250, 350, 450));
   ALTER TABLE signups ADD COLUMN deferral_reason TEXT;
   ALTER TABLE signups ADD COLUMN deferral_kind TEXT CHECK (deferral_kind IN ('temporary', 'permanent'));
   ALTER TABLE signups ADD COLUMN return_after TEXT;
   ALTER TABLE signups ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE signups ADD COLUMN over_capacity INTEGER NOT NULL DEFAULT 0;
   UPDATE signups SET outcome = 'gave' WHERE donated_at IS NOT NULL;
   CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
     created_at TEXT NOT NULL,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT
   );
   CREATE TABLE user_drives (user_id INTEGER NOT NULL, drive TEXT NOT NULL, PRIMARY KEY (user_id, drive));
   -- Only a hash of each session id is kept: a copy of this file opens no session.
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (user_id);
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     drive TEXT NOT NULL,
     code TEXT,
     action TEXT NOT NULL,
     before TEXT,
     after TEXT,
     undone_at TEXT
   );
   CREATE INDEX audit_by_drive ON audit_log (drive, id);
   CREATE TABLE console_actions (key TEXT PRIMARY KEY, at TEXT NOT NULL, answer TEXT NOT NULL);
   CREATE TABLE published_results (
     drive TEXT PRIMARY KEY,
     units INTEGER NOT NULL,
     published_at TEXT NOT NULL,
     published_by TEXT NOT NULL
   );`,
  // Reminders (src/reminders/, docs/developers.md "Reminders"): who agreed to be reminded and
  // how, the waitlist of full slots with the places held for it, the outbox of messages, and
  // the lease that lets one process at a time send them.
  `CREATE TABLE reminder_contacts (
     id INTEGER PRIMARY KEY,
     consent_at TEXT NOT NULL,
     email TEXT,
     push_subscription TEXT,
     webhook INTEGER NOT NULL DEFAULT 0,
     -- Bearer of the one-click stop link in every message: random, 128 bits.
     stop_token TEXT NOT NULL UNIQUE,
     stopped_at TEXT,
     -- Set when a channel failed for good (push 404/410, an address the mail server refused).
     email_ended_at TEXT,
     push_ended_at TEXT,
     webhook_ended_at TEXT
   );
   ALTER TABLE signups ADD COLUMN reminder_contact INTEGER REFERENCES reminder_contacts (id);
   -- The slot's reminders and the gift's messages are put in the outbox once each.
   ALTER TABLE signups ADD COLUMN reminders_planned INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE signups ADD COLUMN gift_planned INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX signups_by_contact ON signups (reminder_contact) WHERE reminder_contact IS NOT NULL;
   CREATE INDEX signups_to_plan ON signups (id) WHERE reminder_contact IS NOT NULL AND reminders_planned = 0;
   CREATE INDEX signups_gifts_to_plan ON signups (id) WHERE reminder_contact IS NOT NULL AND gift_planned = 0;
   CREATE TABLE waitlist (
     id INTEGER PRIMARY KEY,
     code TEXT NOT NULL UNIQUE,
     drive TEXT NOT NULL,
     slot TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     full_name TEXT NOT NULL,
     phone TEXT NOT NULL,
     birth_year INTEGER NOT NULL,
     sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
     weight_kg REAL NOT NULL,
     last_donation TEXT,
     team_code TEXT,
     created_at TEXT NOT NULL,
     form_nonce TEXT,
     reminder_contact INTEGER NOT NULL REFERENCES reminder_contacts (id),
     state TEXT NOT NULL DEFAULT 'waiting'
       CHECK (state IN ('waiting', 'offered', 'accepted', 'expired', 'left', 'closed')),
     offer_token TEXT UNIQUE,
     offered_at TEXT,
     -- An offered place counts as taken until then (places left, takePlace).
     hold_until TEXT,
     signup_code TEXT
   );
   CREATE INDEX waitlist_queue ON waitlist (drive, slot, id) WHERE state = 'waiting';
   CREATE INDEX waitlist_holds ON waitlist (drive, slot, slot_end) WHERE state = 'offered';
   CREATE INDEX waitlist_by_form ON waitlist (form_nonce) WHERE form_nonce IS NOT NULL;
   CREATE INDEX waitlist_by_phone ON waitlist (phone);
   CREATE TABLE reminder_outbox (
     id INTEGER PRIMARY KEY,
     -- kind:subject[:slot]: a message is put in once whoever plans it and however often.
     dedupe_key TEXT NOT NULL,
     channel TEXT NOT NULL CHECK (channel IN ('email', 'push', 'webhook')),
     kind TEXT NOT NULL,
     contact INTEGER NOT NULL,
     signup_code TEXT,
     waitlist_id INTEGER,
     drive TEXT NOT NULL,
     due_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_try_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     UNIQUE (dedupe_key, channel)
   );
   CREATE INDEX outbox_due ON reminder_outbox (next_try_at, id) WHERE state = 'pending';
   CREATE INDEX outbox_by_contact ON reminder_outbox (contact);
   CREATE TABLE reminder_lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL);`,
  // Sign-in tries are counted per account and per client address (docs/organisers.md, "Signing
  // in"): wrong passwords from one address lock the account for that address only. The
  // account-wide users.failed_logins and users.locked_until are no longer used.
  `CREATE TABLE login_tries (
     user_id INTEGER NOT NULL,
     address TEXT NOT NULL,
     tries INTEGER NOT NULL,
     locked_until TEXT,
     last_at TEXT NOT NULL,
     PRIMARY KEY (user_id, address)
   ) WITHOUT ROWID;
   CREATE INDEX login_tries_by_time ON login_tries (last_at);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A person's columns, as the sign-ups and the waitlist (src/reminders/waitlist-store.ts) both store them. */
export interface PersonRow {
  full_name: string;
  phone: string;
  birth_year: number;
  sex: 'female' | 'male';
  weight_kg: number;
  last_donation: string | null;
  team_code: string | null;
}

/** PersonRow's columns, for an INSERT whose values are personValues(…), in this order. */
export const PERSON_COLUMNS = 'full_name, phone, birth_year, sex, weight_kg, last_donation, team_code';

export function personValues(p: Person): [string, string, number, string, number, string | null, string | null] {
  return [p.fullName, p.phone, p.birthYear, p.sex, p.weightKg, p.lastDonation ?? null, p.teamCode ?? null];
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
 * text order is time order and the (drive, slot) index serves the range.
 */
const OVERLAPS = 'slot < :end AND slot_end > :start';

/**
 * Places held for someone offered a freed place from the waitlist
 * (src/reminders/waitlist.ts): taken until the hold ends or is answered.
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

export class StoreError extends Error {
  override name = 'StoreError';
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

/** Files of personal data are for the server's user alone. */
const PRIVATE_FILE = 0o600;

/**
 * How long one connection waits, synchronously, for another's write lock
 * before SQLite answers SQLITE_BUSY. node:sqlite waits on the calling thread:
 * in the server that is the thread serving every request, so it waits only
 * SERVER_BUSY_TIMEOUT_MS there and retries from a timer (whenFree); the
 * command line has nobody else to serve and keeps the long wait.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
export const SERVER_BUSY_TIMEOUT_MS = 10;
/** How long a request retries a busy database before it answers 503. */
export const BUSY_DEADLINE_MS = 8_000;

export interface StoreOptions {
  busyTimeoutMs?: number | undefined;
}

/** SQLITE_BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT). */
export function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Runs `work` (one short write) and, while another connection holds the
 * write lock, runs it again from a timer: the event loop serves every other
 * request meanwhile. After `deadlineMs` the last SQLITE_BUSY is thrown, which
 * callers answer as unavailable (503). `work` must be one transaction: a busy
 * BEGIN IMMEDIATE leaves nothing done.
 */
export async function whenFree<T>(work: () => T, deadlineMs = BUSY_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      // 5, 10, 20, then 25–50 ms: a purge's batch holds the lock about 50 ms at most.
      await sleep(attempt < 3 ? 5 * 2 ** attempt : 25 + Math.random() * 25);
    }
  }
}

/**
 * Purge and erase delete in batches, each one short write transaction, sized
 * to hold the write lock about BATCH_TARGET_MS (docs/developers.md, "Purge in
 * batches"), with a pause as long as the batch between two, so a server
 * waiting for the lock gets it.
 */
const BATCH_TARGET_MS = 40;
const FIRST_BATCH = 200;
const MOST_IN_BATCH = 5_000;
/** Rows read per step when looking for what to delete (reads take no lock, but they do take the thread). */
const SCAN_STEP = 20_000;
/** Free pages given back per step of incremental vacuum, at first. */
const FIRST_VACUUM_PAGES = 200;
const MIN_PAUSE_MS = 5;
/** Batches between two checkpoints of the write-ahead log while deleting. */
const CHECKPOINT_EVERY = 8;

/** The next batch's size from how long this one held the lock. */
function nextBatch(size: number, heldMs: number, most: number): number {
  if (heldMs > BATCH_TARGET_MS) return Math.max(10, Math.floor(size / 2));
  if (heldMs < BATCH_TARGET_MS / 2) return Math.min(most, size * 2);
  return size;
}

export interface PurgeOptions {
  /**
   * Run by the command line (`signups purge`, `erase`), whose connection
   * does nothing else. Then a file made before incremental vacuum
   * (auto_vacuum NONE) is switched with one full VACUUM, which holds the
   * lock for as long as it copies the file; and each batch's commit is not
   * flushed to disk by itself (synchronous = NORMAL keeps a WAL file
   * consistent; the checkpoint at the end flushes the whole deletion). The
   * server never does either: its connection also acknowledges sign-ups,
   * which must be on disk first.
   */
  commandLine?: boolean | undefined;
  /** Called with how long each write transaction held the lock (the benchmark's figures). */
  onWrite?: ((heldMs: number) => void) | undefined;
}

export class SignupStore {
  readonly path: string;
  readonly #db: DatabaseSync;

  /** Opens (creating if needed) the database and brings its schema up to date. */
  constructor(path: string, options: StoreOptions = {}) {
    this.path = path;
    try {
      if (path !== ':memory:') createPrivateFile(path);
      this.#db = new DatabaseSync(path);
      // Opening and migrating wait as long as the command line would: the server is not serving yet.
      this.#db.exec(`PRAGMA busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
      // A new file gives back freed pages a few at a time (purge's #reclaim) instead of
      // needing VACUUM, which copies the whole file under the write lock. Only before the
      // first table: an existing file switches with one VACUUM (PurgeOptions).
      const { tables } = this.#db.prepare('SELECT count(*) AS tables FROM sqlite_schema').get() as { tables: number };
      if (tables === 0) this.#db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      // secure_delete: deleted rows are overwritten, not left readable in free pages.
      this.#db.exec(
        'PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;',
      );
      this.#migrate();
      const busyTimeout = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
      this.#db.exec(`PRAGMA busy_timeout = ${busyTimeout}`);
    } catch (error) {
      throw new StoreError(`Không mở được cơ sở dữ liệu đăng ký ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  #migrate() {
    const { user_version: version } = this.#db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > MIGRATIONS.length) {
      throw new Error(
        `tệp có phiên bản lược đồ ${version}, mới hơn phiên bản mà mã nguồn này biết (${MIGRATIONS.length})`,
      );
    }
    for (let next = version; next < MIGRATIONS.length; next += 1) {
      this.#transaction(() => {
        this.#db.exec(MIGRATIONS[next] ?? '');
        this.#db.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  }

  #transaction<T>(work: () => T): T {
    // Inside a transaction already (the waitlist takes a place and closes its hold in one): join it.
    if (this.#db.isTransaction) return work();
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The open database, for the organisers' console tables that live in this file (src/console/console-store.ts). */
  get database(): DatabaseSync {
    return this.#db;
  }

  /** Runs `work` inside one write transaction (BEGIN IMMEDIATE), rolled back if it throws; joins one already open. */
  transaction<T>(work: () => T): T {
    return this.#transaction(work);
  }

  get schemaVersion(): number {
    return (this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  /**
   * Takes a place in a slot for a person. Places are counted by time overlap
   * with the slot, so sign-ups made before an editor changed the drive's
   * slots still count. A form (its `formNonce`) makes one sign-up: sent again
   * for the same person and slot it gives that sign-up back; for the same
   * person and another slot (back button, another choice) it moves it; for
   * anyone else it is `used-form`. Nothing else about a phone's earlier
   * sign-ups changes the result: another form with the same phone simply
   * takes another place (docs/developers.md, "A phone number alone reveals nothing").
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
          `SELECT (SELECT count(*) FROM signups
                   WHERE drive = :drive AND cancelled_at IS NULL AND id != :except AND ${OVERLAPS})
                + (${HELD}) + (${WAITING}) AS taken`,
        )
        .get({
          drive: input.drive,
          except: moving?.id ?? -1,
          exceptHold: input.exceptHold ?? -1,
          waitingGoFirst: input.waitingGoFirst ? 1 : 0,
          now: input.now.toISOString(),
          start: input.slot,
          end: input.slotEnd,
        }) as { taken: number };
      if (taken >= input.capacity) return { status: 'full' };
      if (moving) {
        this.#db.prepare('UPDATE signups SET cancelled_at = ? WHERE id = ?').run(input.now.toISOString(), moving.id);
      }
      const contact =
        input.reminderContact ?? (input.reminders ? this.addReminderContact(input.reminders, input.now) : null);
      const row = this.#db
        .prepare(
          `INSERT INTO signups (code, drive, slot, slot_end, ${PERSON_COLUMNS}, created_at, form_nonce, reminder_contact)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
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
        `INSERT INTO reminder_contacts (consent_at, email, push_subscription, webhook, stop_token)
         VALUES (?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        now.toISOString(),
        choice.email ?? null,
        choice.push ?? null,
        choice.webhook ? 1 : 0,
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
    const count = this.#db.prepare(
      `SELECT (SELECT count(*) FROM signups WHERE drive = :drive AND cancelled_at IS NULL AND ${OVERLAPS})
            + (${HELD}) + (${WAITING}) AS taken`,
    );
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

  /**
   * Deletes the personal data the privacy page says goes: sign-ups whose slot
   * ended before `before`, and cancelled ones whose slot is over at `now`.
   * Team counts of those drives go with them; so do waitlist entries of slots
   * that are over, and reminder contacts nobody uses any more. Returns how
   * many sign-ups were deleted. Works in short batches (never one long
   * write): the server and the command line keep serving and signing up
   * meanwhile.
   */
  async purge(before: Date, now: Date, options: PurgeOptions = {}): Promise<number> {
    return this.#deleting(options, () => this.#purge(before, now, options));
  }

  async #purge(before: Date, now: Date, options: PurgeOptions): Promise<number> {
    // Slot ends are stored with +07:00, compared as instants.
    const over = {
      before: toIsoWithOffset(before),
      now: toIsoWithOffset(now),
    };
    const signupsGone =
      'unixepoch(slot_end) < unixepoch(:before) OR (cancelled_at IS NOT NULL AND unixepoch(slot_end) < unixepoch(:now))';
    const signups = await this.#deleteWhere('signups', signupsGone, over, options);
    // Nobody waits for a slot that is over: the waitlist goes with it.
    const waiting = await this.#deleteWhere(
      'waitlist',
      'unixepoch(slot_end) < unixepoch(:now)',
      { now: over.now },
      options,
    );
    const contacts = await this.#deleteUnusedReminders(options);
    if (signups + waiting + contacts > 0) await this.#reclaim(options);
    return signups;
  }

  /** Deletes every sign-up and waitlist entry made with this phone number, on any drive, cancelled or not. */
  async erasePhone(phone: string, options: PurgeOptions = {}): Promise<number> {
    return this.#deleting(options, () => this.#erasePhone(phone, options));
  }

  async #erasePhone(phone: string, options: PurgeOptions): Promise<number> {
    const signups = await this.#deleteWhere('signups', 'phone = :phone', { phone }, options);
    await this.#deleteWhere('waitlist', 'phone = :phone', { phone }, options);
    await this.#deleteUnusedReminders(options);
    await this.#reclaim(options);
    return signups;
  }

  /**
   * While deleting, the log is checkpointed between batches (#pause) rather
   * than by SQLite at a commit: that copy takes no lock, and left to COMMIT
   * it would run inside the batch's time. From the command line, commits
   * are not flushed one by one either (PurgeOptions.commandLine): a flush on
   * a busy disk held the lock for hundreds of ms.
   */
  async #deleting<T>(options: PurgeOptions, work: () => Promise<T>): Promise<T> {
    const { wal_autocheckpoint: pages } = this.#db.prepare('PRAGMA wal_autocheckpoint').get() as {
      wal_autocheckpoint: number;
    };
    this.#db.exec('PRAGMA wal_autocheckpoint = 0');
    if (options.commandLine) this.#db.exec('PRAGMA synchronous = NORMAL');
    try {
      return await work();
    } finally {
      this.#db.exec(`PRAGMA wal_autocheckpoint = ${pages}; PRAGMA synchronous = FULL`);
    }
  }

  #batches = 0;

  /** Copies what it can of the log into the file without waiting for anyone; another checkpoint running is fine. */
  #checkpointPassive(): void {
    try {
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** Between two batches: as long a pause as the batch held the lock, and now and then a checkpoint. */
  async #pause(heldMs: number): Promise<void> {
    this.#batches += 1;
    if (this.#batches % CHECKPOINT_EVERY === 0) this.#checkpointPassive();
    await sleep(Math.max(MIN_PAUSE_MS, heldMs));
  }

  /**
   * One short write transaction, retried from a timer while another
   * connection holds the lock (whenFree); reports how long it held it.
   */
  async #write<T>(work: () => T, options: PurgeOptions): Promise<T> {
    return whenFree(() => {
      const started = performance.now();
      const result = this.#transaction(work);
      options.onWrite?.(performance.now() - started);
      return result;
    });
  }

  /**
   * The ids of `table`'s rows where `condition` holds, read a range of ids
   * at a time with a pause between: a read takes no lock in WAL mode, but a
   * whole-table scan would hold the server's thread.
   */
  async #idsWhere(table: string, condition: string, params: Record<string, string>): Promise<number[]> {
    const { last } = this.#db.prepare(`SELECT coalesce(max(id), 0) AS last FROM ${table}`).get() as { last: number };
    const step = this.#db.prepare(`SELECT id FROM ${table} WHERE id > :from AND id <= :to AND (${condition})`);
    const ids: number[] = [];
    for (let from = 0; from < last; from += SCAN_STEP) {
      for (const row of step.all({ ...params, from, to: from + SCAN_STEP }) as { id: number }[]) ids.push(row.id);
      await sleep(0);
    }
    return ids;
  }

  /**
   * Deletes `table`'s rows where `condition` holds, in batches by id; each
   * batch checks `condition` again inside its transaction (a row may have
   * changed since it was read). `before` runs first in each batch, with the
   * same ids (the rows that depend on them). Returns how many rows went.
   */
  async #deleteWhere(
    table: string,
    condition: string,
    params: Record<string, string>,
    options: PurgeOptions,
    before?: string,
  ): Promise<number> {
    const ids = await this.#idsWhere(table, condition, params);
    const ofBatch = `id IN (SELECT value FROM json_each(:ids)) AND (${condition})`;
    const first = before && this.#db.prepare(before.replaceAll(':batch', ofBatch));
    const remove = this.#db.prepare(`DELETE FROM ${table} WHERE ${ofBatch}`);
    let deleted = 0;
    let size = FIRST_BATCH;
    for (let at = 0; at < ids.length;) {
      const batch = { ...params, ids: JSON.stringify(ids.slice(at, at + size)) };
      const started = performance.now();
      deleted += await this.#write(() => {
        if (first) first.run(batch);
        return Number(remove.run(batch).changes);
      }, options);
      const held = performance.now() - started;
      at += size;
      size = nextBatch(size, held, MOST_IN_BATCH);
      await this.#pause(held);
    }
    return deleted;
  }

  /**
   * Reminder contacts (e-mail addresses, push subscriptions) nobody's sign-up
   * or waitlist entry uses any more, with their messages; and messages whose
   * sign-up or waitlist entry is gone. Returns how many contacts went.
   */
  async #deleteUnusedReminders(options: PurgeOptions): Promise<number> {
    await this.#deleteWhere(
      'reminder_outbox',
      `(signup_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signups WHERE code = reminder_outbox.signup_code))
         OR (waitlist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM waitlist WHERE id = reminder_outbox.waitlist_id))`,
      {},
      options,
    );
    // signups_by_contact answers the first test; the waitlist is small and read once per statement.
    const unused = `NOT EXISTS (SELECT 1 FROM signups WHERE reminder_contact = reminder_contacts.id)
       AND id NOT IN (SELECT reminder_contact FROM waitlist)`;
    return this.#deleteWhere(
      'reminder_contacts',
      unused,
      {},
      options,
      'DELETE FROM reminder_outbox WHERE contact IN (SELECT id FROM reminder_contacts WHERE :batch)',
    );
  }

  /**
   * Deleted rows out of the file and its write-ahead log. secure_delete has
   * zeroed them already; freed pages are given back to the file system a few
   * at a time (incremental vacuum: each step a short write), and the log is
   * checkpointed and truncated. A file from before incremental vacuum keeps
   * its (zeroed) free pages for new rows, unless the command line may switch
   * it (PurgeOptions).
   */
  async #reclaim(options: PurgeOptions): Promise<void> {
    const mode = () => (this.#db.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum;
    if (mode() === 0 && options.commandLine) {
      await whenFree(() => this.#db.exec('PRAGMA auto_vacuum = INCREMENTAL; VACUUM;'));
    }
    if (mode() === 2) {
      let pages = FIRST_VACUUM_PAGES;
      const free = () => (this.#db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count;
      while (free() > 0) {
        const started = performance.now();
        await this.#write(() => this.#db.exec(`PRAGMA incremental_vacuum(${pages})`), options);
        const held = performance.now() - started;
        pages = nextBatch(pages, held, 20_000);
        await this.#pause(held);
      }
    }
    await this.#truncateLog();
  }

  /**
   * Copies the write-ahead log into the file and empties it, so no page
   * written before a delete stays readable there. PASSIVE first, which takes
   * no lock, then TRUNCATE, which needs every reader on the newest snapshot
   * and is retried from a timer until it gets there (a minute at most).
   * TRUNCATE takes the write lock and then waits for readers with the
   * connection's busy handler: with the command line's 5 s timeout a long
   * reader in another process would keep every server write waiting that
   * long per try, so each try waits for nobody (busy_timeout 0).
   */
  async #truncateLog(): Promise<void> {
    this.#checkpointPassive();
    const deadline = Date.now() + 60_000;
    const { timeout } = this.#db.prepare('PRAGMA busy_timeout').get() as { timeout: number };
    for (;;) {
      let busy = 1;
      try {
        this.#db.exec('PRAGMA busy_timeout = 0');
        ({ busy } = this.#db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number });
      } catch (error) {
        if (!isBusy(error)) throw error;
      } finally {
        this.#db.exec(`PRAGMA busy_timeout = ${timeout}`);
      }
      if (busy === 0) return;
      if (Date.now() >= deadline) {
        console.warn(
          'dọn dữ liệu: chưa làm trống được nhật ký ghi trước (WAL) vì cơ sở dữ liệu vẫn bận; lần dọn sau sẽ làm',
        );
        return;
      }
      await sleep(20 + Math.random() * 30);
    }
  }

  /** A consistent copy of the database, safe while the server writes (VACUUM INTO), readable by its owner only. */
  backup(file: string): void {
    createPrivateFile(file);
    this.#db.prepare('VACUUM INTO ?').run(file);
    chmodSync(file, PRIVATE_FILE);
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
    return (this.#db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

/** Creates the file (and its folder) for its owner alone; an existing file is made private too. */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE));
  try {
    chmodSync(path, PRIVATE_FILE);
  } catch {
    // Another user's file: SQLite will say whether it can be opened.
  }
}
