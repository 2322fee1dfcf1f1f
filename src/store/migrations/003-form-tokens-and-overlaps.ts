/**
 * A phone may be shared by a family, and whether a phone has signed up must not
 * show in an answer (src/signup/README.md, "A phone number alone reveals nothing"): no unique phone per drive.
 */
export const migration = `DROP INDEX one_signup_per_phone_and_drive;
   CREATE INDEX signups_by_phone ON signups (drive, phone) WHERE cancelled_at IS NULL;
   ALTER TABLE signups ADD COLUMN form_nonce TEXT;
   CREATE INDEX signups_by_form ON signups (form_nonce) WHERE form_nonce IS NOT NULL;
   -- Places are counted by overlap (OVERLAPS): with slot_end in the index the count never reads a row.
   DROP INDEX signups_by_slot;
   CREATE INDEX signups_by_span ON signups (drive, slot, slot_end) WHERE cancelled_at IS NULL;
   CREATE TABLE teams (code TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`;
