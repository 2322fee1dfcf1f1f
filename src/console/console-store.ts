/**
 * The organisers' console in the database: accounts, sessions, what
 * happened at the desk, and the audit log of every change. One file, schema
 * version (src/store/migrations/004-console.ts) and write lock for every
 * feature, so the server, several server processes and the CLI all see one
 * truth. Plain TypeScript that Node runs as it is.
 */
import { createHash } from 'node:crypto';
import { withFreshCode } from '../signup/codes.ts';
import { PERSON_COLUMNS, personValues, SIGNED_UP, SignupStore, type SignupRecord } from '../signup/store.ts';
import { isBusy, StoreError, whenFree, type Database, type Statement } from '../store/database.ts';
import { NO_FIGURES, deskStatus, type DeskFigures, type DeskStatus } from './desk-status.ts';
import { volumeProblem, type DeskAction, type DeskAnswer, type DeferralKind } from './desk-actions.ts';

/** The console's roles and what each may do: ./access.ts (docs/organisers.md). */
export type Role = 'admin' | 'staff' | 'editor' | 'unit';
export const ROLES: readonly Role[] = ['admin', 'staff', 'editor', 'unit'];

export interface StaffAccount {
  id: number;
  username: string;
  role: Role;
  /** The drives a staff account may see; admins see every drive. */
  drives: string[];
  /** The unit (team code) a `unit` account speaks for; null for every other role. */
  teamCode?: string | null | undefined;
}

export interface StoredAccount extends StaffAccount {
  passwordHash: string;
  /** When an admin disabled the account: it cannot sign in and has no session (docs/organisers.md). */
  disabledAt: string | null;
}

/** A session ends after 8 hours without use, and 24 hours after login whatever happens. */
export const SESSION_IDLE_MS = 8 * 3_600_000;
export const SESSION_MAX_MS = 24 * 3_600_000;
/**
 * Ten wrong passwords in a row from one client address lock the account for
 * that address for 15 minutes; other addresses (the desk) still sign in.
 */
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MS = 15 * 60_000;
/** Counts of tries untouched this long are forgotten (their lock, if any, is long over). */
const LOGIN_TRIES_KEPT_MS = 86_400_000;
/** Answers kept for replayed actions (a desk that was offline sends its queue once it is back). */
const ACTION_KEYS_KEPT_MS = 7 * 86_400_000;
/** Keys deleted per write by purgeActionKeys, and the pause between two writes. */
export const ACTION_KEY_BATCH = 500;
const ACTION_KEY_PAUSE_MS = 5;

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  drive: string;
  code: string | null;
  action: string;
  before: string | null;
  after: string | null;
  undoneAt: string | null;
}

/** The desk's part of a sign-up row, as kept in the audit log before and after a change. */
interface DeskState {
  arrived_at: string | null;
  outcome: string | null;
  volume_ml: number | null;
  deferral_reason: string | null;
  deferral_kind: DeferralKind | null;
  return_after: string | null;
  donated_at: string | null;
  cancelled_at: string | null;
}

const DESK_COLUMNS =
  'arrived_at, outcome, volume_ml, deferral_reason, deferral_kind, return_after, donated_at, cancelled_at';

/** Changes that "Hoàn tác" can take back. */
const UNDOABLE = ['arrive', 'gave', 'defer', 'no-show-all', 'walk-in'];

export class ConsoleStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Prepared once per connection (Database#prepare): every console request
   * looks up its session and account, and preparing is most of a small query's cost.
   */
  #prepare(sql: string): Statement {
    return this.#db.prepare(sql);
  }

  // Accounts

  addUser(
    account: { username: string; passwordHash: string; role: Role; drives: readonly string[]; teamCode?: string },
    now: Date,
  ) {
    this.#db.transaction(() => {
      const exists = this.#prepare('SELECT 1 FROM users WHERE username = ?').get(account.username);
      if (exists) throw new StoreError(`There is already an account "${account.username}"`);
      const { id } = this.#prepare(
        'INSERT INTO users (username, password_hash, role, created_at, team_code) VALUES (?, ?, ?, ?, ?) RETURNING id',
      ).get(account.username, account.passwordHash, account.role, now.toISOString(), account.teamCode ?? null) as {
        id: number;
      };
      const addDrive = this.#prepare('INSERT OR IGNORE INTO user_drives (user_id, drive) VALUES (?, ?)');
      for (const drive of account.drives) addDrive.run(id, drive);
    });
  }

  /** A new password ends every session of the account and lifts a lock. */
  setPassword(username: string, passwordHash: string): boolean {
    return this.#db.transaction(() => {
      const user = this.findUser(username);
      if (!user) return false;
      this.#prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, user.id);
      this.#prepare('DELETE FROM login_tries WHERE user_id = ?').run(user.id);
      this.endSessions(user.id);
      return true;
    });
  }

  removeUser(username: string): boolean {
    return this.#db.transaction(() => {
      const user = this.findUser(username);
      if (!user) return false;
      this.endSessions(user.id);
      this.#prepare('DELETE FROM login_tries WHERE user_id = ?').run(user.id);
      this.#prepare('DELETE FROM user_drives WHERE user_id = ?').run(user.id);
      this.#prepare('DELETE FROM users WHERE id = ?').run(user.id);
      return true;
    });
  }

  listUsers(): StaffAccount[] {
    const rows = this.#prepare('SELECT id FROM users ORDER BY username').all() as { id: number }[];
    return rows.map(({ id }) => this.#account(id)).filter((a): a is StoredAccount => a !== undefined);
  }

  findUser(username: string): StoredAccount | undefined {
    const row = this.#prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number } | undefined;
    return row && this.#account(row.id);
  }

  #account(id: number): StoredAccount | undefined {
    const row = this.#prepare(
      'SELECT id, username, role, password_hash, team_code, disabled_at FROM users WHERE id = ?',
    ).get(id) as
      | {
          id: number;
          username: string;
          role: Role;
          password_hash: string;
          team_code: string | null;
          disabled_at: string | null;
        }
      | undefined;
    if (!row) return undefined;
    const drives = this.#prepare('SELECT drive FROM user_drives WHERE user_id = ? ORDER BY drive').all(id) as {
      drive: string;
    }[];
    return {
      id: row.id,
      username: row.username,
      role: row.role,
      drives: drives.map((d) => d.drive),
      teamCode: row.team_code,
      passwordHash: row.password_hash,
      disabledAt: row.disabled_at,
    };
  }

  /**
   * Counts a sign-in try of the account from `address` (a client address key)
   * before its password is checked, so that tries in flight at once are all
   * counted: the first LOCK_AFTER_FAILURES since the last success may be
   * checked, the next one locks the account for that address. Returns the
   * lock's end when this try is not to be checked.
   */
  loginTry(userId: number, address: string, now: Date): string | null {
    return this.#db.transaction(() => {
      const at = now.toISOString();
      this.#prepare('DELETE FROM login_tries WHERE last_at < ?').run(
        new Date(now.getTime() - LOGIN_TRIES_KEPT_MS).toISOString(),
      );
      const row = this.#prepare('SELECT tries, locked_until FROM login_tries WHERE user_id = ? AND address = ?').get(
        userId,
        address,
      ) as { tries: number; locked_until: string | null } | undefined;
      if (row?.locked_until && Date.parse(row.locked_until) > now.getTime()) return row.locked_until;
      // A lock that is over starts a fresh count.
      const tries = (row && !row.locked_until ? row.tries : 0) + 1;
      const until = tries > LOCK_AFTER_FAILURES ? new Date(now.getTime() + LOCK_MS).toISOString() : null;
      this.#prepare(
        `INSERT INTO login_tries (user_id, address, tries, locked_until, last_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id, address) DO UPDATE SET tries = ?3, locked_until = ?4, last_at = ?5`,
      ).run(userId, address, until ? 0 : tries, until, at);
      return until;
    });
  }

  /**
   * After a right password: starts the session unless the account was locked
   * for this address meanwhile (by tries counted while this one was checked),
   * and clears the count. False when locked: no session.
   */
  loginSucceeded(userId: number, address: string, idHash: string, now: Date): boolean {
    return this.#db.transaction(() => {
      const row = this.#prepare('SELECT locked_until FROM login_tries WHERE user_id = ? AND address = ?').get(
        userId,
        address,
      ) as { locked_until: string | null } | undefined;
      if (row?.locked_until && Date.parse(row.locked_until) > now.getTime()) return false;
      this.#prepare('DELETE FROM login_tries WHERE user_id = ? AND address = ?').run(userId, address);
      this.startSession(userId, idHash, now);
      return true;
    });
  }

  // Sessions: only the hash of the id is kept (sessions.ts makes both).

  startSession(userId: number, idHash: string, now: Date): void {
    const at = now.toISOString();
    this.#prepare('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(
      idHash,
      userId,
      at,
      at,
    );
  }

  /** The account of a live session, whose last use is now; null when there is none or it has run out. */
  sessionAccount(idHash: string, now: Date): StaffAccount | null {
    const row = this.#prepare('SELECT user_id, created_at, last_seen_at FROM sessions WHERE id_hash = ?').get(
      idHash,
    ) as { user_id: number; created_at: string; last_seen_at: string } | undefined;
    if (!row) return null;
    const at = now.getTime();
    if (at - Date.parse(row.last_seen_at) > SESSION_IDLE_MS || at - Date.parse(row.created_at) > SESSION_MAX_MS) {
      this.endSession(idHash);
      return null;
    }
    // Written at most once a minute: fifty devices polling should not queue on the write lock.
    if (at - Date.parse(row.last_seen_at) > 60_000) {
      try {
        this.#prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now.toISOString(), idHash);
      } catch (error) {
        // The database is busy (a purge's batch): the next request within the minute writes it.
        if (!isBusy(error)) throw error;
      }
    }
    const account = this.#account(row.user_id);
    if (!account) return null;
    // Disabling ends the sessions; a session that slipped in meanwhile opens nothing either.
    if (account.disabledAt !== null) {
      this.endSession(idHash);
      return null;
    }
    const { id, username, role, drives, teamCode } = account;
    return { id, username, role, drives, teamCode };
  }

  endSession(idHash: string): void {
    this.#prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  endSessions(userId: number): void {
    this.#prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  // The desk

  /** Everyone still signed up for the drive (walk-ins included), in slot then sign-up order. */
  roster(drive: string): SignupRecord[] {
    return new SignupStore(this.#db).list(drive);
  }

  /** Per slot (by its stored start), the desk's counts, from one query. */
  figures(drive: string): Map<string, DeskFigures> {
    const rows = this.#prepare(
      `SELECT slot, count(*) AS signedUp, count(arrived_at) AS arrived,
           sum(outcome IS 'gave') AS gave, sum(outcome IS 'deferred') AS deferred,
           sum(outcome IS 'no-show') AS noShow, sum(walk_in) AS walkIns
         FROM signups WHERE drive = ? AND cancelled_at IS NULL GROUP BY slot ORDER BY slot`,
    ).all(drive) as unknown as (Omit<DeskFigures, 'units'> & { slot: string })[];
    return new Map(
      rows.map(({ slot, ...counts }) => [
        slot,
        { ...NO_FIGURES, ...counts, signedUp: counts.signedUp - counts.walkIns, units: counts.gave },
      ]),
    );
  }

  /** Every drive with sign-ups: its totals, for the console's list of drives. */
  driveTotals(): Map<string, DeskFigures> {
    const rows = this.#prepare(
      `SELECT drive, count(*) AS signedUp, count(arrived_at) AS arrived,
           sum(outcome IS 'gave') AS gave, sum(outcome IS 'deferred') AS deferred,
           sum(outcome IS 'no-show') AS noShow, sum(walk_in) AS walkIns
         FROM signups WHERE cancelled_at IS NULL GROUP BY drive`,
    ).all() as unknown as (Omit<DeskFigures, 'units'> & { drive: string })[];
    return new Map(
      rows.map(({ drive, ...counts }) => [
        drive,
        { ...NO_FIGURES, ...counts, signedUp: counts.signedUp - counts.walkIns, units: counts.gave },
      ]),
    );
  }

  /** The last audit entry of the drive: the version the live figures compare. */
  version(drive: string): number {
    const row = this.#prepare('SELECT max(id) AS id FROM audit_log WHERE drive = ?').get(drive) as {
      id: number | null;
    };
    return row.id ?? 0;
  }

  /**
   * The statuses that changed on the drive after audit entry `since`; every
   * status when a change touched many people at once (no-show for all, undo of it).
   */
  changesSince(drive: string, since: number): { version: number; statuses: [string, DeskStatus][] } {
    const entries = this.#prepare('SELECT code, action FROM audit_log WHERE drive = ? AND id > ? ORDER BY id').all(
      drive,
      since,
    ) as { code: string | null; action: string }[];
    const version = this.version(drive);
    if (entries.length === 0) return { version, statuses: [] };
    const everyone = entries.some((e) => e.code === null);
    const codes = new Set(entries.map((e) => e.code));
    const signups = this.#prepare(`SELECT code, ${DESK_COLUMNS} FROM signups WHERE drive = ?`).all(
      drive,
    ) as unknown as (DeskState & { code: string })[];
    const statuses = signups
      .filter((row) => everyone || codes.has(row.code))
      .map((row): [string, DeskStatus] => [row.code, statusOfState(row)]);
    return { version, statuses };
  }

  auditOf(drive: string, limit = 500): AuditEntry[] {
    return this.#prepare(
      `SELECT id, at, actor, drive, code, action, before, after, undone_at AS undoneAt
         FROM audit_log WHERE drive = ? ORDER BY id DESC LIMIT ?`,
    ).all(drive, limit) as unknown as AuditEntry[];
  }

  /** Units given as an admin published them after the drive: the next build shows them. */
  publishedResults(): { drive: string; units: number }[] {
    return this.#prepare('SELECT drive, units FROM published_results ORDER BY drive').all() as {
      drive: string;
      units: number;
    }[];
  }

  /**
   * When an action with `key` was first stored for `actor`, if it was: a
   * replay is judged as of then (console-service.ts), so a queue sent after
   * midnight gets its stored answer, not the next day's refusal.
   */
  keptAt(actor: string, key: string): Date | undefined {
    const row = this.#prepare('SELECT at FROM console_actions WHERE key = ?').get(`${actor}:${key}`) as
      { at: string } | undefined;
    return row ? new Date(row.at) : undefined;
  }

  /**
   * Does one thing at the desk inside one transaction, writes it to the audit
   * log, and remembers its answer under `key`: the same key sent again (a
   * queue replayed after a dropped connection) gets the same answer and
   * changes nothing.
   */
  apply(action: DeskAction, context: { actor: string; now: Date; key?: string | undefined }): DeskAnswer {
    return this.#db.transaction(() => {
      const scopedKey = context.key ? `${context.actor}:${context.key}` : undefined;
      const asked = scopedKey ? askedOf(action) : undefined;
      if (scopedKey) {
        const kept = this.#prepare('SELECT answer FROM console_actions WHERE key = ?').get(scopedKey) as
          { answer: string } | undefined;
        if (kept) {
          const { asked: keptAsked, ...answer } = JSON.parse(kept.answer) as DeskAnswer & { asked?: string };
          // A key names one action: sent with another, it is a mistake (or a forged replay), never that action's answer.
          // Keys kept before they were bound (no `asked`) replay as before until they are purged.
          if (keptAsked !== undefined && keptAsked !== asked) return { ok: false, problem: 'key-reused' };
          return { ...answer, replayed: true };
        }
      }
      const answer = this.#do(action, context.actor, context.now);
      if (scopedKey) {
        this.#prepare('INSERT INTO console_actions (key, at, answer) VALUES (?, ?, ?)').run(
          scopedKey,
          context.now.toISOString(),
          JSON.stringify({ ...answer, asked }),
        );
      }
      return answer;
    });
  }

  #do(action: DeskAction, actor: string, now: Date): DeskAnswer {
    const at = now.toISOString();
    switch (action.kind) {
      case 'no-show-all': {
        const codes = (
          this.#prepare(
            `UPDATE signups SET outcome = 'no-show'
               WHERE drive = ? AND cancelled_at IS NULL AND arrived_at IS NULL AND outcome IS NULL RETURNING code`,
          ).all(action.drive) as { code: string }[]
        ).map((row) => row.code);
        this.#audit(at, actor, action.drive, null, 'no-show-all', null, JSON.stringify({ codes }));
        return { ok: true, done: 'no-show-all', count: codes.length };
      }
      case 'walk-in':
        return this.#walkIn(action, actor, now);
      case 'undo':
        return this.#undo(action.drive, actor, at);
      case 'publish': {
        this.#prepare(
          `INSERT INTO published_results (drive, units, published_at, published_by) VALUES (?, ?, ?, ?)
             ON CONFLICT (drive) DO UPDATE SET units = excluded.units, published_at = excluded.published_at,
               published_by = excluded.published_by`,
        ).run(action.drive, action.units, at, actor);
        this.#audit(at, actor, action.drive, null, 'publish', null, JSON.stringify({ units: action.units }));
        return { ok: true, done: 'publish', count: action.units };
      }
      default:
        return this.#personAction(action, actor, at);
    }
  }

  #personAction(action: Extract<DeskAction, { code: string }>, actor: string, at: string): DeskAnswer {
    const row = this.#prepare(`SELECT code, drive, weight_kg, ${DESK_COLUMNS} FROM signups WHERE code = ?`).get(
      action.code,
    ) as (DeskState & { code: string; drive: string; weight_kg: number }) | undefined;
    if (!row) return { ok: false, problem: 'not-found' };
    if (row.drive !== action.drive) return { ok: false, problem: 'other-drive', otherDrive: row.drive };
    if (row.cancelled_at) return { ok: false, problem: 'cancelled', code: row.code };
    const before = deskState(row);
    if (action.kind === 'show-phone') {
      // Who looked at whose number, not the number.
      this.#audit(at, actor, action.drive, row.code, 'show-phone', null, null);
      return { ok: true, done: 'show-phone', code: row.code };
    }
    if (action.kind === 'arrive') {
      if (row.arrived_at) return { ok: true, done: 'arrive', code: row.code, already: true };
      this.#prepare('UPDATE signups SET arrived_at = ? WHERE code = ?').run(at, row.code);
    } else if (action.kind === 'gave') {
      const errors = volumeProblem(action, row.weight_kg);
      if (errors) return { ok: false, problem: 'invalid', code: row.code, errors };
      this.#prepare(
        `UPDATE signups SET arrived_at = coalesce(arrived_at, :at), outcome = 'gave', volume_ml = :volume,
             donated_at = coalesce(donated_at, :at), deferral_reason = NULL, deferral_kind = NULL,
             return_after = :returnAfter
           WHERE code = :code`,
      ).run({ at, volume: action.volumeMl, returnAfter: action.returnAfter, code: row.code });
    } else if (action.kind === 'defer') {
      this.#prepare(
        `UPDATE signups SET arrived_at = coalesce(arrived_at, :at), outcome = 'deferred', volume_ml = NULL,
             donated_at = NULL, deferral_reason = :reason, deferral_kind = :kind, return_after = :returnAfter
           WHERE code = :code`,
      ).run({
        at,
        reason: action.reason,
        kind: action.deferralKind,
        returnAfter: action.returnAfter,
        code: row.code,
      });
    }
    const after = deskState(
      this.#prepare(`SELECT ${DESK_COLUMNS} FROM signups WHERE code = ?`).get(row.code) as unknown as DeskState,
    );
    this.#audit(at, actor, action.drive, row.code, action.kind, JSON.stringify(before), JSON.stringify(after));
    return { ok: true, done: action.kind, code: row.code };
  }

  #walkIn(action: Extract<DeskAction, { kind: 'walk-in' }>, actor: string, now: Date): DeskAnswer {
    const at = now.toISOString();
    const { taken } = this.#prepare(`SELECT (${SIGNED_UP}) AS taken`).get({
      drive: action.drive,
      start: action.slot,
      end: action.slotEnd,
    }) as { taken: number };
    const over = taken >= action.capacity;
    if (over && !action.allowOver) return { ok: false, problem: 'full' };
    return withFreshCode((code) => {
      this.#prepare(
        `INSERT INTO signups (code, drive, slot, slot_end, ${PERSON_COLUMNS}, created_at, arrived_at, walk_in, over_capacity)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
      ).run(code, action.drive, action.slot, action.slotEnd, ...personValues(action.person), at, at, over ? 1 : 0);
      this.#audit(
        at,
        actor,
        action.drive,
        code,
        'walk-in',
        null,
        JSON.stringify({ slot: action.slot, overCapacity: over }),
      );
      return { ok: true, done: 'walk-in', code, overCapacity: over };
    });
  }

  /**
   * Takes back this organiser's last change on this drive that is still in
   * force, but only while the person is still as that change left them: if
   * anyone changed them since (a colleague's outcome, a cancellation), undo
   * says who and what, and changes nothing, so the audit log and the rows agree.
   */
  #undo(drive: string, actor: string, at: string): DeskAnswer {
    const last = this.#prepare(
      `SELECT id, at, code, action, before, after FROM audit_log
         WHERE drive = ? AND actor = ? AND undone_at IS NULL AND action IN (${UNDOABLE.map(() => '?').join(', ')})
         ORDER BY id DESC LIMIT 1`,
    ).get(drive, actor, ...UNDOABLE) as
      | { id: number; at: string; code: string | null; action: string; before: string | null; after: string | null }
      | undefined;
    if (!last) return { ok: false, problem: 'nothing-to-undo' };
    if (last.action === 'no-show-all') {
      // Per person already: only those still absent and not arrived go back; anyone changed since stays.
      const { codes } = JSON.parse(last.after ?? '{"codes":[]}') as { codes: string[] };
      const reset = this.#prepare(
        "UPDATE signups SET outcome = NULL WHERE code = ? AND outcome = 'no-show' AND arrived_at IS NULL",
      );
      for (const code of codes) reset.run(code);
    } else if (last.code) {
      const now = this.#prepare(`SELECT ${DESK_COLUMNS} FROM signups WHERE code = ?`).get(last.code) as
        DeskState | undefined;
      const leftAs: DeskState | null =
        last.action === 'walk-in'
          ? { ...NOBODY_AT_DESK, arrived_at: last.at }
          : (JSON.parse(last.after ?? 'null') as DeskState | null);
      if (!now || !leftAs || !sameDeskState(deskState(now), leftAs)) {
        return { ok: false, problem: 'changed-since', code: last.code, ...this.#changeSince(last.id, last.code) };
      }
      if (last.action === 'walk-in') {
        this.#prepare('UPDATE signups SET cancelled_at = ? WHERE code = ?').run(at, last.code);
      } else {
        const before = JSON.parse(last.before ?? 'null') as DeskState | null;
        if (before) {
          this.#prepare(
            `UPDATE signups SET arrived_at = :arrived_at, outcome = :outcome, volume_ml = :volume_ml,
                 deferral_reason = :deferral_reason, deferral_kind = :deferral_kind, return_after = :return_after,
                 donated_at = :donated_at
               WHERE code = :code`,
          ).run({
            arrived_at: before.arrived_at,
            outcome: before.outcome,
            volume_ml: before.volume_ml,
            deferral_reason: before.deferral_reason,
            deferral_kind: before.deferral_kind,
            return_after: before.return_after,
            donated_at: before.donated_at,
            code: last.code,
          });
        }
      }
    }
    this.#prepare('UPDATE audit_log SET undone_at = ? WHERE id = ?').run(at, last.id);
    this.#audit(at, actor, drive, last.code, 'undo', null, JSON.stringify({ undid: last.id, action: last.action }));
    return { ok: true, done: 'undo', undid: last.action, ...(last.code ? { code: last.code } : {}) };
  }

  /**
   * Who changed this person after audit entry `since`, and how: the latest
   * change still in force. Nothing when the change left no entry (a
   * cancellation on the public site, `signups cancel`).
   */
  #changeSince(since: number, code: string): { changedBy?: string; changedTo?: string; changedAt?: string } {
    const change = this.#prepare(
      `SELECT actor, action, at FROM audit_log
         WHERE code = ? AND id > ? AND undone_at IS NULL AND action IN (${[...UNDOABLE, 'undo'].map(() => '?').join(', ')})
         ORDER BY id DESC LIMIT 1`,
    ).get(code, since, ...UNDOABLE, 'undo') as { actor: string; action: string; at: string } | undefined;
    return change ? { changedBy: change.actor, changedTo: change.action, changedAt: change.at } : {};
  }

  #audit(
    at: string,
    actor: string,
    drive: string,
    code: string | null,
    action: string,
    before: string | null,
    after: string | null,
  ): void {
    this.#prepare(
      'INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(at, actor, drive, code, action, before, after);
  }

  /**
   * Keys of replayed actions are needed for days, not for ever: the daily
   * maintenance (src/privacy/privacy.ts) deletes those past 7 days, in
   * batches of ACTION_KEY_BATCH, each its own short write (waited for from a
   * timer while another connection writes, whenFree) with a pause between:
   * the first run after an upgrade finds every key ever kept, and one DELETE
   * would hold the write lock, and the server's thread, for all of them.
   * Returns how many went.
   */
  async purgeActionKeys(now: Date, options: { onBatch?: (deleted: number) => void } = {}): Promise<number> {
    const before = new Date(now.getTime() - ACTION_KEYS_KEPT_MS).toISOString();
    const batch = this.#prepare(
      'DELETE FROM console_actions WHERE rowid IN (SELECT rowid FROM console_actions WHERE at < ? LIMIT ?)',
    );
    let total = 0;
    for (;;) {
      const deleted = await whenFree(() => Number(batch.run(before, ACTION_KEY_BATCH).changes));
      options.onBatch?.(deleted);
      total += deleted;
      if (deleted < ACTION_KEY_BATCH) return total;
      await new Promise<void>((done) => setTimeout(done, ACTION_KEY_PAUSE_MS));
    }
  }
}

/** How a walk-in is left at the desk: arrived (at the walk-in's time), nothing else. */
const NOBODY_AT_DESK: DeskState = {
  arrived_at: null,
  outcome: null,
  volume_ml: null,
  deferral_reason: null,
  deferral_kind: null,
  return_after: null,
  donated_at: null,
  cancelled_at: null,
};

function sameDeskState(a: DeskState, b: DeskState): boolean {
  return (Object.keys(NOBODY_AT_DESK) as (keyof DeskState)[]).every((column) => a[column] === b[column]);
}

/**
 * What an action asked for, as a short hash: an idempotency key is bound to
 * it. Values the server works out (a gift's date to come back, a slot's
 * places) are left out, so the same form replayed on another day still
 * matches; a walk-in's person is in the hash only, never kept as such.
 */
function askedOf(action: DeskAction): string {
  const asked = (() => {
    switch (action.kind) {
      case 'gave':
        return [action.kind, action.drive, action.code, action.volumeMl];
      case 'defer':
        return [action.kind, action.drive, action.code, action.reason, action.deferralKind, action.returnAfter];
      case 'publish':
        return [action.kind, action.drive, action.units];
      case 'walk-in':
        return [action.kind, action.drive, action.slot, action.allowOver, action.person];
      case 'no-show-all':
      case 'undo':
        return [action.kind, action.drive];
      default:
        return [action.kind, action.drive, action.code];
    }
  })();
  return createHash('sha256').update(JSON.stringify(asked)).digest('base64url').slice(0, 22);
}

function deskState(row: DeskState): DeskState {
  return {
    arrived_at: row.arrived_at,
    outcome: row.outcome,
    volume_ml: row.volume_ml,
    deferral_reason: row.deferral_reason,
    deferral_kind: row.deferral_kind,
    return_after: row.return_after,
    donated_at: row.donated_at,
    cancelled_at: row.cancelled_at,
  };
}

function statusOfState(row: DeskState): DeskStatus {
  return deskStatus({
    cancelledAt: row.cancelled_at,
    desk: {
      arrivedAt: row.arrived_at,
      outcome: row.outcome as SignupRecord['desk']['outcome'],
      volumeMl: row.volume_ml,
      deferralReason: row.deferral_reason,
      deferralKind: row.deferral_kind,
      returnAfter: row.return_after,
      walkIn: false,
      overCapacity: false,
    },
  });
}
