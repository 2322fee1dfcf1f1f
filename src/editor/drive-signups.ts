/**
 * What the drive form must know of a drive's sign-ups (docs/editors.md, "Đợt hiến máu bằng
 * biểu mẫu"): how many are taken in each slot, and how many people the "drive called off"
 * message would reach (src/reminders/planner.ts planCancelledDrives sends it, once the served
 * build says cancelled, to those with reminders on whose slot is still ahead, and to the
 * waitlist). The editor's own queries, on the database src/store/ opens.
 */
import type { Database } from '../store/database.ts';
import type { TakenBySlot } from './drive-form.ts';

export class DriveSignups {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Sign-ups not cancelled, by slot. */
  takenBySlot(drive: string): TakenBySlot {
    const rows = this.#db
      .prepare('SELECT slot, count(*) AS n FROM signups WHERE drive = ? AND cancelled_at IS NULL GROUP BY slot')
      .all(drive) as { slot: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.slot, row.n]));
  }

  /** The people a cancellation would tell: the planner's own two lists, counted. */
  peopleToTell(drive: string, now: Date): number {
    const signedUp = this.#db
      .prepare(
        `SELECT count(*) AS n FROM signups WHERE drive = ? AND cancelled_at IS NULL
           AND reminder_contact IS NOT NULL AND unixepoch(slot_end) > unixepoch(?)`,
      )
      .get(drive, now.toISOString()) as { n: number };
    const waiting = this.#db
      .prepare("SELECT count(*) AS n FROM waitlist WHERE drive = ? AND state IN ('waiting', 'offered')")
      .get(drive) as { n: number };
    return signedUp.n + waiting.n;
  }
}
