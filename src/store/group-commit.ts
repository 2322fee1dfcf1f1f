/**
 * Group commit for sign-ups. With `synchronous=FULL` each write transaction
 * waits for the disk (one fsync of the write-ahead log, several milliseconds
 * on a busy virtual machine), and the server does nothing else meanwhile: one
 * sign-up per transaction made the disk, not the code, the limit of the sign-up
 * rate (docs/benchmarks.md, "Sign-ups"). Here the sign-ups that reach the
 * database in one turn of the event loop are taken in one transaction, one after
 * the other, so they wait for the disk once.
 *
 * What each one gets is what it would have got alone: they run in order on the
 * one connection, each seeing the places the ones before it took, so a slot's
 * capacity holds; an answer is given only after the transaction that holds its
 * sign-up is committed, so a confirmed sign-up survives `kill -9`. Should one of
 * them fail (a duplicate confirmation code, a full disk), nothing of the group is
 * kept and each is run again alone, in its own transaction, as before.
 */
import { whenFree, type Database } from './database.ts';

interface Waiting<T> {
  work: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  readonly #database: () => Database;
  #waiting: Waiting<T>[] = [];

  constructor(database: () => Database) {
    this.#database = database;
  }

  /**
   * Runs `work` (synchronous writes to the store) in the next group's
   * transaction; resolves once that is committed. A busy database is waited
   * for from a timer (whenFree).
   */
  run(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ work, resolve, reject });
      // After the I/O callbacks of this turn: every sign-up whose request was read in it has joined.
      if (this.#waiting.length === 1) setImmediate(() => void this.#commit());
    });
  }

  async #commit(): Promise<void> {
    const group = this.#waiting;
    this.#waiting = [];
    if (group.length > 1) {
      let results: T[] | undefined;
      try {
        const database = this.#database();
        results = await whenFree(() => database.transaction(() => group.map((waiting) => waiting.work())));
      } catch {
        // Rolled back whole: each goes again alone below, and a failure is its own.
      }
      if (results) {
        group.forEach((waiting, i) => waiting.resolve(results[i] as T));
        return;
      }
    }
    for (const waiting of group) {
      try {
        const database = this.#database();
        waiting.resolve(await whenFree(() => database.transaction(waiting.work)));
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
