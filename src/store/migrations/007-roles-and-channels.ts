/**
 * Room for this round's roles and channels (docs/developers.md, "Where things are"): SQLite
 * cannot change a CHECK in place, so the two tables whose CHECK lists them are rebuilt once
 * here, with their rows, instead of by each feature that needs a new value.
 *
 * - users: the roles `editor` (publishes news and drives from the console) and `unit` (a
 *   unit's focal person, who sees only the team in `team_code`); `disabled_at` stops an
 *   account signing in without deleting it or its place in the audit log.
 * - user_rights: a right given to one account beyond its role (such as setting the blood
 *   levels), so a right needs no new role.
 * - reminder_outbox: the channels `zalo` (Zalo Notification Service) and `sms` beside e-mail,
 *   push and webhook.
 */
export const migration = `CREATE TABLE users_new (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'editor', 'unit')),
     created_at TEXT NOT NULL,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT,
     team_code TEXT,
     disabled_at TEXT
   );
   INSERT INTO users_new (id, username, password_hash, role, created_at, failed_logins, locked_until)
     SELECT id, username, password_hash, role, created_at, failed_logins, locked_until FROM users;
   DROP TABLE users;
   ALTER TABLE users_new RENAME TO users;
   CREATE TABLE user_rights (
     user_id INTEGER NOT NULL,
     right TEXT NOT NULL,
     granted_at TEXT NOT NULL,
     granted_by TEXT NOT NULL,
     PRIMARY KEY (user_id, right)
   ) WITHOUT ROWID;
   CREATE TABLE reminder_outbox_new (
     id INTEGER PRIMARY KEY,
     dedupe_key TEXT NOT NULL,
     channel TEXT NOT NULL CHECK (channel IN ('email', 'push', 'webhook', 'zalo', 'sms')),
     kind TEXT NOT NULL,
     contact INTEGER NOT NULL,
     signup_code TEXT,
     waitlist_id INTEGER,
     drive TEXT NOT NULL,
     due_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_try_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     UNIQUE (dedupe_key, channel)
   );
   INSERT INTO reminder_outbox_new SELECT * FROM reminder_outbox;
   DROP TABLE reminder_outbox;
   ALTER TABLE reminder_outbox_new RENAME TO reminder_outbox;
   CREATE INDEX outbox_due ON reminder_outbox (next_try_at, id) WHERE state = 'pending';
   CREATE INDEX outbox_by_contact ON reminder_outbox (contact);`;
