/**
 * The organisers' console (docs/organisers.md): what happened at the desk, who may see
 * which drive, their sessions, and a log of every change.
 */
export const migration = `ALTER TABLE signups ADD COLUMN arrived_at TEXT;
   ALTER TABLE signups ADD COLUMN outcome TEXT CHECK (outcome IN ('gave', 'deferred', 'no-show'));
   ALTER TABLE signups ADD COLUMN volume_ml INTEGER CHECK (volume_ml IN (250, 350, 450));
   ALTER TABLE signups ADD COLUMN deferral_reason TEXT;
   ALTER TABLE signups ADD COLUMN deferral_kind TEXT CHECK (deferral_kind IN ('temporary', 'permanent'));
   ALTER TABLE signups ADD COLUMN return_after TEXT;
   ALTER TABLE signups ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE signups ADD COLUMN over_capacity INTEGER NOT NULL DEFAULT 0;
   UPDATE signups SET outcome = 'gave' WHERE donated_at IS NOT NULL;
   CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
     created_at TEXT NOT NULL,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT
   );
   CREATE TABLE user_drives (user_id INTEGER NOT NULL, drive TEXT NOT NULL, PRIMARY KEY (user_id, drive));
   -- Only a hash of each session id is kept: a copy of this file opens no session.
   CREATE TABLE sessions (
     id_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL
   );
   CREATE INDEX sessions_by_user ON sessions (user_id);
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     drive TEXT NOT NULL,
     code TEXT,
     action TEXT NOT NULL,
     before TEXT,
     after TEXT,
     undone_at TEXT
   );
   CREATE INDEX audit_by_drive ON audit_log (drive, id);
   CREATE TABLE console_actions (key TEXT PRIMARY KEY, at TEXT NOT NULL, answer TEXT NOT NULL);
   CREATE TABLE published_results (
     drive TEXT PRIMARY KEY,
     units INTEGER NOT NULL,
     published_at TEXT NOT NULL,
     published_by TEXT NOT NULL
   );`;
