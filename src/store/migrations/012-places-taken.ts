/**
 * Places taken, kept as a count per stored span (drive, slot, slot_end) of the sign-ups
 * not cancelled, by triggers on `signups`. Counting the places of a slot by overlap read one
 * index entry per sign-up of the drive (0.1 ms per 1,000 sign-ups, for every sign-up and
 * every places-left answer: docs/benchmarks.md, "Sign-ups: counting places"); a drive has a
 * handful of spans (its slots, and the old ones of sign-ups made before its slots changed),
 * so summing this table reads a handful of rows, however many people signed up. The
 * triggers run inside the writing statement's own transaction, so the count cannot drift
 * from the rows: an insert, a cancellation, a move, a purge or an erasure each adjusts it.
 * The file's existing sign-ups are counted once, here.
 */
export const migration = `CREATE TABLE places_taken (
     drive TEXT NOT NULL,
     slot TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     -- Only the triggers write here. A count lowered by hand fails the write that would take it below nought.
     taken INTEGER NOT NULL CHECK (taken >= 0),
     PRIMARY KEY (drive, slot, slot_end)
   ) WITHOUT ROWID;
   INSERT INTO places_taken (drive, slot, slot_end, taken)
     SELECT drive, slot, slot_end, count(*) FROM signups WHERE cancelled_at IS NULL GROUP BY drive, slot, slot_end;
   CREATE TRIGGER places_taken_on_insert AFTER INSERT ON signups WHEN NEW.cancelled_at IS NULL
   BEGIN
     INSERT INTO places_taken (drive, slot, slot_end, taken) VALUES (NEW.drive, NEW.slot, NEW.slot_end, 1)
       ON CONFLICT (drive, slot, slot_end) DO UPDATE SET taken = taken + 1;
   END;
   CREATE TRIGGER places_taken_on_delete AFTER DELETE ON signups WHEN OLD.cancelled_at IS NULL
   BEGIN
     UPDATE places_taken SET taken = taken - 1 WHERE drive = OLD.drive AND slot = OLD.slot AND slot_end = OLD.slot_end;
     DELETE FROM places_taken WHERE drive = OLD.drive AND slot = OLD.slot AND slot_end = OLD.slot_end AND taken = 0;
   END;
   CREATE TRIGGER places_taken_on_update AFTER UPDATE OF drive, slot, slot_end, cancelled_at ON signups
   BEGIN
     UPDATE places_taken SET taken = taken - 1
       WHERE OLD.cancelled_at IS NULL AND drive = OLD.drive AND slot = OLD.slot AND slot_end = OLD.slot_end;
     DELETE FROM places_taken WHERE drive = OLD.drive AND slot = OLD.slot AND slot_end = OLD.slot_end AND taken = 0;
     INSERT INTO places_taken (drive, slot, slot_end, taken)
       SELECT NEW.drive, NEW.slot, NEW.slot_end, 1 WHERE NEW.cancelled_at IS NULL
       ON CONFLICT (drive, slot, slot_end) DO UPDATE SET taken = taken + 1;
   END;`;
