/**
 * Blood needs by group (src/needs/, docs/developers.md "Blood needs"): every level an
 * organiser set (the history the page's 30-day chart draws and the current level is the
 * last of), the appeals sent for a group, and to whom each went, so one appeal never
 * reaches a person twice and a person gets at most one appeal in a set number of days.
 * The blood group a person may give on the sign-up form is kept with the sign-up (and a
 * waitlist entry, which becomes one).
 */
export const migration = `CREATE TABLE blood_levels (
     id INTEGER PRIMARY KEY,
     blood_group TEXT NOT NULL CHECK (blood_group IN ('O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-')),
     level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
     note TEXT,
     source TEXT NOT NULL,
     set_at TEXT NOT NULL,
     set_by TEXT NOT NULL
   );
   CREATE INDEX blood_levels_by_group ON blood_levels (blood_group, id);
   CREATE TABLE blood_appeals (
     id INTEGER PRIMARY KEY,
     blood_group TEXT NOT NULL,
     -- The form's idempotency key: a reload or a second press of one form sends nothing new.
     form_key TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL,
     reached INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE blood_appeal_sends (
     appeal_id INTEGER NOT NULL REFERENCES blood_appeals (id),
     contact INTEGER NOT NULL,
     channel TEXT NOT NULL,
     at TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'claimed' CHECK (state IN ('claimed', 'sent', 'failed')),
     PRIMARY KEY (appeal_id, contact, channel)
   ) WITHOUT ROWID;
   CREATE INDEX blood_appeal_sends_by_contact ON blood_appeal_sends (contact, at);
   ALTER TABLE signups ADD COLUMN blood_group TEXT;
   ALTER TABLE waitlist ADD COLUMN blood_group TEXT;
   CREATE INDEX signups_by_blood_group ON signups (blood_group) WHERE blood_group IS NOT NULL;`;
