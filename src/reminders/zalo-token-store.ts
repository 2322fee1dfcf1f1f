/**
 * The Zalo Official Account's tokens in the database (zalo_tokens, one row):
 * an access token lives 25 hours and a refresh token, good for one use only,
 * gets a new one at every refresh (OAuth v4, docs/deploy.md "Zalo ZNS").
 * So the refresh token is never kept in a setting once used: the setting
 * ZALO_REFRESH_TOKEN gives the first one, the database every one after it,
 * and a new value in the setting (a new authorisation) replaces the stored one.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../store/database.ts';

export interface ZaloTokenState {
  refreshToken: string;
  accessToken: string | null;
  accessExpiresAt: string | null;
  /** Set when a refresh began and its answer was never stored (a crash in between). */
  refreshingSince: string | null;
  /** Why Zalo refused the refresh token: a new authorisation is needed. */
  broken: string | null;
}

interface Row {
  refresh_token: string;
  access_token: string | null;
  access_expires_at: string | null;
  seeded_from: string;
  refreshing_since: string | null;
  broken: string | null;
}

const seedHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class ZaloTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The tokens, starting from `seed` (ZALO_REFRESH_TOKEN) the first time, or when the setting changed. */
  load(seed: string, now: Date): ZaloTokenState {
    return this.#db.transaction(() => {
      let row = this.#db.prepare('SELECT * FROM zalo_tokens WHERE id = 1').get() as Row | undefined;
      if (!row || row.seeded_from !== seedHash(seed)) {
        this.#db
          .prepare(
            `INSERT INTO zalo_tokens (id, refresh_token, seeded_from, updated_at) VALUES (1, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET refresh_token = excluded.refresh_token, seeded_from = excluded.seeded_from,
                 access_token = NULL, access_expires_at = NULL, refreshing_since = NULL, broken = NULL,
                 updated_at = excluded.updated_at`,
          )
          .run(seed, seedHash(seed), now.toISOString());
        row = this.#db.prepare('SELECT * FROM zalo_tokens WHERE id = 1').get() as unknown as Row;
      }
      return {
        refreshToken: row.refresh_token,
        accessToken: row.access_token,
        accessExpiresAt: row.access_expires_at,
        refreshingSince: row.refreshing_since,
        broken: row.broken,
      };
    });
  }

  /** Committed before the refresh is asked for: found still set later, its answer was lost. */
  beginRefresh(now: Date): void {
    this.#db.prepare('UPDATE zalo_tokens SET refreshing_since = ? WHERE id = 1').run(now.toISOString());
  }

  /** The refresh's answer, stored in one committed statement the moment it arrives. */
  storeRefreshed(tokens: { refreshToken: string; accessToken: string; expiresAt: Date }, now: Date): void {
    this.#db
      .prepare(
        `UPDATE zalo_tokens SET refresh_token = ?, access_token = ?, access_expires_at = ?, refreshing_since = NULL,
           broken = NULL, updated_at = ? WHERE id = 1`,
      )
      .run(tokens.refreshToken, tokens.accessToken, tokens.expiresAt.toISOString(), now.toISOString());
  }

  /** Zalo refused the refresh token: shown by the console and `reminders status` until a new one is set. */
  markBroken(reason: string, now: Date): void {
    this.#db
      .prepare('UPDATE zalo_tokens SET broken = ?, refreshing_since = NULL, updated_at = ? WHERE id = 1')
      .run(reason.slice(0, 300), now.toISOString());
  }

  /** What the console and `reminders status` say of the tokens; undefined before the first use. */
  status(): { broken: string | null; accessExpiresAt: string | null; refreshingSince: string | null } | undefined {
    const row = this.#db
      .prepare('SELECT broken, access_expires_at, refreshing_since FROM zalo_tokens WHERE id = 1')
      .get() as
      { broken: string | null; access_expires_at: string | null; refreshing_since: string | null } | undefined;
    return row && { broken: row.broken, accessExpiresAt: row.access_expires_at, refreshingSince: row.refreshing_since };
  }
}
