/**
 * Units sign up their people (src/units/, docs/organisers.md "Đơn vị"): places of a drive's
 * slot reserved for a registered team until a deadline, counted as taken by the public form
 * while unfilled and not past the deadline (src/signup/store.ts, RESERVED); after it the
 * unfilled ones count no more and the round that notices marks them returned, with how
 * many, for the focal accounts' notice. A unit member is a sign-up like any other, with the
 * reservation it fills and the stored list (batch) whose consent its focal person confirmed
 * (Law 91/2025/QH15: who confirmed, when). No foreign keys: the purge deletes sign-ups in
 * batches of its own (src/privacy/), and a team removed keeps its reservations' counts.
 */
export const migration = `CREATE TABLE unit_reservations (
     id INTEGER PRIMARY KEY,
     drive TEXT NOT NULL,
     team_code TEXT NOT NULL,
     slot TEXT NOT NULL,
     slot_end TEXT NOT NULL,
     places INTEGER NOT NULL CHECK (places > 0),
     until TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     returned_at TEXT,
     returned_places INTEGER
   );
   CREATE INDEX unit_reservations_by_span ON unit_reservations (drive, slot, slot_end) WHERE returned_at IS NULL;
   CREATE INDEX unit_reservations_by_team ON unit_reservations (team_code, drive);
   CREATE TABLE unit_batches (
     id INTEGER PRIMARY KEY,
     team_code TEXT NOT NULL,
     drive TEXT NOT NULL,
     stored_by TEXT NOT NULL,
     consent_by TEXT NOT NULL,
     consent_at TEXT NOT NULL,
     members INTEGER NOT NULL
   );
   ALTER TABLE signups ADD COLUMN unit_reservation INTEGER;
   ALTER TABLE signups ADD COLUMN unit_batch INTEGER;
   CREATE INDEX signups_by_unit_reservation ON signups (unit_reservation) WHERE unit_reservation IS NOT NULL;`;
