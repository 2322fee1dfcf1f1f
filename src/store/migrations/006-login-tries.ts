/**
 * Sign-in tries are counted per account and per client address (docs/organisers.md, "Signing
 * in"): wrong passwords from one address lock the account for that address only. The
 * account-wide users.failed_logins and users.locked_until are no longer used.
 */
export const migration = `CREATE TABLE login_tries (
     user_id INTEGER NOT NULL,
     address TEXT NOT NULL,
     tries INTEGER NOT NULL,
     locked_until TEXT,
     last_at TEXT NOT NULL,
     PRIMARY KEY (user_id, address)
   ) WITHOUT ROWID;
   CREATE INDEX login_tries_by_time ON login_tries (last_at);`;
