/**
 * Sign-ups in SQLite through node:sqlite. One file (SIGNUP_DB), WAL so that
 * readers never wait for the writer, synchronous=FULL so that a sign-up
 * acknowledged is on disk before the answer leaves. A place is taken inside
 * one BEGIN IMMEDIATE transaction that counts the slot first: the write lock
 * is held from the count to the insert, so two people can never both get the
 * last place, even from two processes (the server and the organisers' CLI).
 *
 * Plain TypeScript that Node runs as it is (type stripping): server.mjs and
 * the CLI import this file directly, the site's bundle through Vite.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { toIsoWithOffset } from '../lib/dates.ts';

export const DEFAULT_DB_PATH = 'data/signups.sqlite';

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
}

export type TakePlaceResult =
  { status: 'created'; signup: SignupRecord } | { status: 'existing'; signup: SignupRecord } | { status: 'full' };

// Each entry moves the schema one version up; PRAGMA user_version records how far a file is.
const MIGRATIONS: readonly string[] = [
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface Row {
  code: string;
  drive: string;
  slot: string;
  slot_end: string;
  full_name: string;
  phone: string;
  birth_year: number;
  sex: 'female' | 'male';
  weight_kg: number;
  last_donation: string | null;
  team_code: string | null;
  created_at: string;
  cancelled_at: string | null;
  donated_at: string | null;
}

function toRecord(row: Row): SignupRecord {
  return {
    code: row.code,
    drive: row.drive,
    slot: row.slot,
    slotEnd: row.slot_end,
    fullName: row.full_name,
    phone: row.phone,
    birthYear: row.birth_year,
    sex: row.sex,
    weightKg: row.weight_kg,
    lastDonation: row.last_donation ?? undefined,
    teamCode: row.team_code ?? undefined,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    donatedAt: row.donated_at,
  };
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export interface TeamCount {
  teamCode: string;
  signups: number;
  unitsGiven: number;
}

export class SignupStore {
  readonly path: string;
  readonly #db: DatabaseSync;

  /** Opens (creating if needed) the database and brings its schema up to date. */
  constructor(path: string) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.#db = new DatabaseSync(path);
      this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
      this.#migrate();
    } catch (error) {
      throw new StoreError(`Cannot open the sign-up database ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  #migrate() {
    const { user_version: version } = this.#db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > MIGRATIONS.length) {
      throw new Error(`it has schema version ${version}, newer than this code knows (${MIGRATIONS.length})`);
    }
    for (let next = version; next < MIGRATIONS.length; next += 1) {
      this.#transaction(() => {
        this.#db.exec(MIGRATIONS[next] ?? '');
        this.#db.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  }

  #transaction<T>(work: () => T): T {
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

  get schemaVersion(): number {
    return (this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  /**
   * Takes a place in a slot for a person, or gives back the sign-up this phone
   * already has for this drive. `capacity` is the slot's number of places.
   */
  takePlace(input: {
    code: string;
    drive: string;
    slot: string;
    slotEnd: string;
    capacity: number;
    person: Person;
    now: Date;
  }): TakePlaceResult {
    return this.#transaction(() => {
      const existing = this.#db
        .prepare('SELECT * FROM signups WHERE drive = ? AND phone = ? AND cancelled_at IS NULL')
        .get(input.drive, input.person.phone) as Row | undefined;
      if (existing) return { status: 'existing', signup: toRecord(existing) };
      const { taken } = this.#db
        .prepare('SELECT count(*) AS taken FROM signups WHERE drive = ? AND slot = ? AND cancelled_at IS NULL')
        .get(input.drive, input.slot) as { taken: number };
      if (taken >= input.capacity) return { status: 'full' };
      const p = input.person;
      const row = this.#db
        .prepare(
          `INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg,
             last_donation, team_code, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.code,
          input.drive,
          input.slot,
          input.slotEnd,
          p.fullName,
          p.phone,
          p.birthYear,
          p.sex,
          p.weightKg,
          p.lastDonation ?? null,
          p.teamCode ?? null,
          input.now.toISOString(),
        ) as unknown as Row;
      return { status: 'created', signup: toRecord(row) };
    });
  }

  /** Frees the place of the sign-up with this code and phone; false if there is none. */
  cancel(code: string, phone: string | null, now: Date): boolean {
    const sql = phone
      ? 'UPDATE signups SET cancelled_at = ? WHERE code = ? AND phone = ? AND cancelled_at IS NULL'
      : 'UPDATE signups SET cancelled_at = ? WHERE code = ? AND cancelled_at IS NULL';
    const args = phone ? [now.toISOString(), code, phone] : [now.toISOString(), code];
    return Number(this.#db.prepare(sql).run(...args).changes) === 1;
  }

  /** Records that the donor of this sign-up gave blood (organisers, after the drive). */
  markDonated(code: string, now: Date): boolean {
    const sql = 'UPDATE signups SET donated_at = ? WHERE code = ? AND cancelled_at IS NULL AND donated_at IS NULL';
    return Number(this.#db.prepare(sql).run(now.toISOString(), code).changes) === 1;
  }

  byCode(code: string): SignupRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM signups WHERE code = ?').get(code) as Row | undefined;
    return row && toRecord(row);
  }

  /** Places taken in each slot of a drive. */
  takenBySlot(drive: string): Map<string, number> {
    const rows = this.#db
      .prepare('SELECT slot, count(*) AS taken FROM signups WHERE drive = ? AND cancelled_at IS NULL GROUP BY slot')
      .all(drive) as { slot: string; taken: number }[];
    return new Map(rows.map((r) => [r.slot, r.taken]));
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

  /** Teams by sign-ups and units given: counts only, never names. */
  teams(): TeamCount[] {
    return this.#db
      .prepare(
        `SELECT team_code AS teamCode, count(*) AS signups, count(donated_at) AS unitsGiven
         FROM signups WHERE team_code IS NOT NULL AND cancelled_at IS NULL
         GROUP BY team_code ORDER BY unitsGiven DESC, signups DESC, team_code`,
      )
      .all() as unknown as TeamCount[];
  }

  /**
   * Deletes the personal data of sign-ups whose slot ended before `before`.
   * Team counts of those drives go with them. Returns how many were deleted.
   */
  purge(before: Date): number {
    // Slot ends are stored with +07:00, so the date is compared in the same form.
    return Number(this.#db.prepare('DELETE FROM signups WHERE slot_end < ?').run(toIsoWithOffset(before)).changes);
  }

  /** A consistent copy of the database, safe while the server writes (VACUUM INTO). */
  backup(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    this.#db.prepare('VACUUM INTO ?').run(file);
  }

  integrityCheck(): string {
    return (this.#db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
