/**
 * The Zalo Official Account's tokens in the database (zalo_tokens, one row):
 * an access token lives 25 hours and a refresh token, good for one use only,
 * gets a new one at every refresh (OAuth v4, docs/deploy.md "Zalo ZNS").
 * So the refresh token is never kept in a setting once used: the setting
 * ZALO_REFRESH_TOKEN gives the first one, the database every one after it.
 * Two things replace the stored tokens: a new value in the setting, and an
 * authorisation made again from the console or `reminders zalo-auth`
 * (`storeAuthorised`, zalo-auth.ts). The second notes the setting's value as
 * read then, so the next load keeps the new tokens; a later change of the
 * setting still wins.
 *
 * An authorisation waits in zalo_authorisations (schema version 11) between the
 * admin's start and Zalo's answer: its PKCE verifier under a hash of its state,
 * taken once, for 10 minutes.
 */
import { createHash, randomBytes } from 'node:crypto';
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
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/** How long an authorisation begun waits for Zalo's answer. */
export const AUTHORISATION_MS = 10 * 60_000;
/** The audit entry's subject (audit_log.code) for the Zalo tokens; the drive column stays empty. */
export const ZALO_AUDIT_SUBJECT = 'zalo';

export interface AuthorisationBegun {
  state: string;
  /** S256 of the verifier (RFC 7636), sent to Zalo's permission page. */
  challenge: string;
  expiresAt: string;
}

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

  /**
   * The refresh's answer, stored in one committed statement the moment it arrives, if the
   * tokens are still those the refresh was asked with (`used`): an authorisation an admin
   * finished meanwhile (storeAuthorised) is newer and stays. False when it was not stored.
   */
  storeRefreshed(
    tokens: { refreshToken: string; accessToken: string; expiresAt: Date },
    used: string,
    now: Date,
  ): boolean {
    const changed = this.#db
      .prepare(
        `UPDATE zalo_tokens SET refresh_token = ?, access_token = ?, access_expires_at = ?, refreshing_since = NULL,
           broken = NULL, updated_at = ? WHERE id = 1 AND refresh_token = ?`,
      )
      .run(tokens.refreshToken, tokens.accessToken, tokens.expiresAt.toISOString(), now.toISOString(), used);
    return Number(changed.changes) > 0;
  }

  /**
   * A new authorisation: a random state and PKCE verifier (256 bits each), the verifier kept
   * under the state's hash for AUTHORISATION_MS. Authorisations run out are deleted here.
   */
  beginAuthorisation(actor: string, now: Date): AuthorisationBegun {
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + AUTHORISATION_MS).toISOString();
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM zalo_authorisations WHERE expires_at <= ?').run(now.toISOString());
      this.#db
        .prepare(
          'INSERT INTO zalo_authorisations (state_hash, verifier, actor, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(sha256(state), verifier, actor.slice(0, 64), now.toISOString(), expiresAt);
    });
    return { state, challenge: sha256(verifier), expiresAt };
  }

  /**
   * The verifier of a state begun and not yet taken nor run out, taken now (once: a second
   * answer with the same state finds nothing). `state` undefined takes the latest one begun
   * by `actor` (the command line's `--code` without `--state`).
   */
  takeAuthorisation(
    state: string | undefined,
    actor: string,
    now: Date,
  ): { verifier: string; actor: string } | undefined {
    const at = now.toISOString();
    const row = (
      state === undefined
        ? this.#db
            .prepare(
              `UPDATE zalo_authorisations SET used_at = ? WHERE state_hash = (
                 SELECT state_hash FROM zalo_authorisations WHERE actor = ? AND used_at IS NULL AND expires_at > ?
                 ORDER BY created_at DESC LIMIT 1)
               RETURNING verifier, actor`,
            )
            .get(at, actor, at)
        : this.#db
            .prepare(
              `UPDATE zalo_authorisations SET used_at = ? WHERE state_hash = ? AND used_at IS NULL AND expires_at > ?
               RETURNING verifier, actor`,
            )
            .get(at, sha256(state), at)
    ) as { verifier: string; actor: string } | undefined;
    return row && { verifier: row.verifier, actor: row.actor };
  }

  /**
   * Tokens from a new authorisation, stored with its audit entry in one transaction. The
   * setting's refresh token as read now is noted as the seed, so `load` keeps these until the
   * setting itself changes. Clears the alarm (refreshing_since, broken).
   */
  storeAuthorised(
    tokens: { refreshToken: string; accessToken: string; expiresAt: Date },
    seed: string,
    actor: string,
    via: 'console' | 'cli',
    now: Date,
  ): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO zalo_tokens (id, refresh_token, access_token, access_expires_at, seeded_from, updated_at)
             VALUES (1, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET refresh_token = excluded.refresh_token, access_token = excluded.access_token,
               access_expires_at = excluded.access_expires_at, seeded_from = excluded.seeded_from,
               refreshing_since = NULL, broken = NULL, updated_at = excluded.updated_at`,
        )
        .run(
          tokens.refreshToken,
          tokens.accessToken,
          tokens.expiresAt.toISOString(),
          seedHash(seed),
          now.toISOString(),
        );
      this.#db
        .prepare(
          'INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, NULL, ?)',
        )
        .run(
          now.toISOString(),
          actor,
          '',
          ZALO_AUDIT_SUBJECT,
          'zalo-authorised',
          JSON.stringify({ via, accessExpiresAt: tokens.expiresAt.toISOString() }),
        );
    });
  }

  /**
   * Zalo refused the refresh token `used`: shown by the console and `reminders status` until a
   * new one is set. Nothing is marked when the stored token is no longer `used` (an admin
   * authorised again while the refused refresh was on its way).
   */
  markBroken(reason: string, used: string, now: Date): void {
    this.#db
      .prepare(
        'UPDATE zalo_tokens SET broken = ?, refreshing_since = NULL, updated_at = ? WHERE id = 1 AND refresh_token = ?',
      )
      .run(reason.slice(0, 300), now.toISOString(), used);
  }

  /** The latest authorisation stored (console or command line), for the console's page. */
  lastAuthorised(): { at: string; actor: string } | undefined {
    return this.#db
      .prepare(
        `SELECT at, actor FROM audit_log WHERE drive = '' AND code = ? AND action = 'zalo-authorised' ORDER BY id DESC LIMIT 1`,
      )
      .get(ZALO_AUDIT_SUBJECT) as { at: string; actor: string } | undefined;
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
