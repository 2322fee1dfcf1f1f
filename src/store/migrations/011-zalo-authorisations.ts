/**
 * A Zalo authorisation begun from the console or `reminders zalo-auth` (src/reminders/zalo-auth.ts,
 * docs/deploy.md "Zalo ZNS"): the PKCE verifier waits here, under a hash of its `state`, until
 * Zalo sends the admin back with a code. Taken once (`used_at`), good for 10 minutes.
 */
export const migration = `CREATE TABLE zalo_authorisations (
     state_hash TEXT PRIMARY KEY,
     verifier TEXT NOT NULL,
     actor TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT
   );`;
