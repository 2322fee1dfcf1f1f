/**
 * Deleting many rows while the server keeps serving: the purge and the
 * erasure of a phone (src/privacy/privacy.ts) delete in batches, each one
 * short write transaction, sized to hold the write lock about
 * BATCH_TARGET_MS (src/store/README.md, "Under load"), with a pause as
 * long as the batch between two, so a server waiting for the lock gets it.
 * Then the freed pages and the write-ahead log are reclaimed, so no deleted
 * row stays readable in the file. The tables and conditions are the
 * features' (each says which of its rows go); how to delete them is here.
 */
import { isBusy, sleep, whenFree, type Database } from './database.ts';
import { log } from '../shared/log.ts';

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

export class BatchDeleter {
  readonly #db: Database;
  readonly #options: PurgeOptions;
  #batches = 0;

  constructor(db: Database, options: PurgeOptions = {}) {
    this.#db = db;
    this.#options = options;
  }

  /**
   * Runs `work` (the deletions) with the log checkpointed between batches
   * (#pause) rather than by SQLite at a commit: that copy takes no lock, and
   * left to COMMIT it would run inside the batch's time. From the command
   * line, commits are not flushed one by one either (PurgeOptions.commandLine):
   * a flush on a busy disk held the lock for hundreds of ms.
   */
  async deleting<T>(work: () => Promise<T>): Promise<T> {
    const db = this.#db.connection;
    const { wal_autocheckpoint: pages } = db.prepare('PRAGMA wal_autocheckpoint').get() as {
      wal_autocheckpoint: number;
    };
    db.exec('PRAGMA wal_autocheckpoint = 0');
    if (this.#options.commandLine) db.exec('PRAGMA synchronous = NORMAL');
    try {
      return await work();
    } finally {
      db.exec(`PRAGMA wal_autocheckpoint = ${pages}; PRAGMA synchronous = FULL`);
    }
  }

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
  async #write<T>(work: () => T): Promise<T> {
    return whenFree(() => {
      const started = performance.now();
      const result = this.#db.transaction(work);
      this.#options.onWrite?.(performance.now() - started);
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
  async deleteWhere(
    table: string,
    condition: string,
    params: Record<string, string> = {},
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
      });
      const held = performance.now() - started;
      at += size;
      size = nextBatch(size, held, MOST_IN_BATCH);
      await this.#pause(held);
    }
    return deleted;
  }

  /**
   * Deleted rows out of the file and its write-ahead log. secure_delete has
   * zeroed them already; freed pages are given back to the file system a few
   * at a time (incremental vacuum: each step a short write), and the log is
   * checkpointed and truncated. A file from before incremental vacuum keeps
   * its (zeroed) free pages for new rows, unless the command line may switch
   * it (PurgeOptions).
   */
  async reclaim(): Promise<void> {
    const db = this.#db.connection;
    const mode = () => (db.prepare('PRAGMA auto_vacuum').get() as { auto_vacuum: number }).auto_vacuum;
    if (mode() === 0 && this.#options.commandLine) {
      await whenFree(() => db.exec('PRAGMA auto_vacuum = INCREMENTAL; VACUUM;'));
    }
    if (mode() === 2) {
      let pages = FIRST_VACUUM_PAGES;
      const free = () => (db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count;
      while (free() > 0) {
        const started = performance.now();
        await this.#write(() => db.exec(`PRAGMA incremental_vacuum(${pages})`));
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
    const db = this.#db.connection;
    const deadline = Date.now() + 60_000;
    const { timeout } = db.prepare('PRAGMA busy_timeout').get() as { timeout: number };
    for (;;) {
      let busy = 1;
      try {
        db.exec('PRAGMA busy_timeout = 0');
        ({ busy } = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number });
      } catch (error) {
        if (!isBusy(error)) throw error;
      } finally {
        db.exec(`PRAGMA busy_timeout = ${timeout}`);
      }
      if (busy === 0) return;
      if (Date.now() >= deadline) {
        log.warn(
          'dọn dữ liệu: chưa làm trống được nhật ký ghi trước (WAL) vì cơ sở dữ liệu vẫn bận; lần dọn sau sẽ làm',
        );
        return;
      }
      await sleep(20 + Math.random() * 30);
    }
  }
}
