/**
 * The one SQLite connection of a process, through node:sqlite, and the only
 * place under src/ that opens the database file (tests/unit/architecture.test.ts).
 * One file (SIGNUP_DB), WAL so that readers never wait for the writer,
 * synchronous=FULL so that a write acknowledged is on disk before the answer
 * leaves, secure_delete so that deleted personal data is overwritten, and a
 * file for the server's user alone. Writes run inside BEGIN IMMEDIATE
 * transactions: the write lock is held from a transaction's first read, so a
 * place counted is still free when it is taken, even from two processes (the
 * server and the organisers' command line).
 *
 * Every feature (src/signup/, src/console/, src/reminders/) keeps its own
 * queries and runs them on this connection; statements are prepared once per
 * connection (Database#prepare). The schema is in migrations/, one file per
 * version (src/store/README.md).
 *
 * Plain TypeScript that Node runs as it is (type stripping): the server and
 * the command line import it directly, the site's bundle through Vite.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** A prepared statement, as Database#prepare gives it: features name the type from here, never node:sqlite. */
export type Statement = StatementSync;
import { MIGRATIONS } from './migrations/index.ts';

export const DEFAULT_DB_PATH = 'data/signups.sqlite';

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

export interface DatabaseOptions {
  busyTimeoutMs?: number | undefined;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/** SQLITE_BUSY and its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT). */
export function isBusy(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === 5;
}

export const sleep = (ms: number): Promise<void> => new Promise<void>((done) => setTimeout(done, ms));

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

export class Database {
  readonly path: string;
  /** The connection itself, for what only a pragma does (the purge's checkpoints, src/store/batches.ts). */
  readonly connection: DatabaseSync;
  /**
   * Statements prepared once for the connection's life, by their SQL: every
   * request runs the same few, and preparing is most of a small query's cost.
   */
  readonly #statements = new Map<string, StatementSync>();

  /** Opens (creating if needed) the database and brings its schema up to date (migrations/). */
  constructor(path: string, options: DatabaseOptions = {}) {
    this.path = path;
    try {
      if (path !== ':memory:') createPrivateFile(path);
      this.connection = new DatabaseSync(path);
      const db = this.connection;
      // Opening and migrating wait as long as the command line would: the server is not serving yet.
      db.exec(`PRAGMA busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
      // A new file gives back freed pages a few at a time (the purge's reclaim, batches.ts) instead
      // of needing VACUUM, which copies the whole file under the write lock. Only before the first
      // table: an existing file switches with one VACUUM (PurgeOptions.commandLine).
      const { tables } = db.prepare('SELECT count(*) AS tables FROM sqlite_schema').get() as { tables: number };
      if (tables === 0) db.exec('PRAGMA auto_vacuum = INCREMENTAL');
      // secure_delete: deleted rows are overwritten, not left readable in free pages.
      db.exec(
        'PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;',
      );
      this.#migrate();
      const busyTimeout = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
      db.exec(`PRAGMA busy_timeout = ${busyTimeout}`);
    } catch (error) {
      throw new StoreError(`Không mở được cơ sở dữ liệu đăng ký ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Each migration moves the schema one version up, in its own transaction; PRAGMA user_version records how far a file is. */
  #migrate(): void {
    const version = this.schemaVersion;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `tệp có phiên bản lược đồ ${version}, mới hơn phiên bản mà mã nguồn này biết (${MIGRATIONS.length})`,
      );
    }
    for (let next = version; next < MIGRATIONS.length; next += 1) {
      this.transaction(() => {
        this.connection.exec(MIGRATIONS[next] ?? '');
        this.connection.exec(`PRAGMA user_version = ${next + 1}`);
      });
    }
  }

  /** The statement for `sql`, prepared on first use and kept for the connection's life. */
  prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  exec(sql: string): void {
    this.connection.exec(sql);
  }

  /**
   * Runs `work` inside one write transaction (BEGIN IMMEDIATE), rolled back if
   * it throws. Inside a transaction already (the waitlist takes a place and
   * closes its hold in one) it joins it.
   */
  transaction<T>(work: () => T): T {
    const db = this.connection;
    if (db.isTransaction) return work();
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  get schemaVersion(): number {
    return (this.connection.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  /** A consistent copy of the database, safe while the server writes (VACUUM INTO), readable by its owner only. */
  backup(file: string): void {
    createPrivateFile(file);
    this.connection.prepare('VACUUM INTO ?').run(file);
    chmodSync(file, PRIVATE_FILE);
  }

  integrityCheck(): string {
    return (this.connection.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  }

  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  close(): void {
    this.#statements.clear();
    if (this.connection.isOpen) this.connection.close();
  }
}

/**
 * Runs `read` on the file opened read-only, without migrating it (the build
 * reads what the console published, src/console/published-results.ts), and
 * closes it again whatever happens.
 */
export function withReadOnlyDatabase<T>(path: string, read: (db: { prepare(sql: string): Statement }) => T): T {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
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
