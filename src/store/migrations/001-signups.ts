/**
 * The sign-ups: one row per place taken, with the person's answers to the form.
 */
export const migration = `CREATE TABLE signups (
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
   CREATE UNIQUE INDEX one_signup_per_phone_and_drive ON signups (drive, phone) WHERE cancelled_at IS NULL;`;
