/**
 * Accounts and team codes as the admins manage them, from /to-chuc/tai-khoan/ and from
 * `npm run signups -- user|team`: every change in one transaction with its audit entry (who,
 * when, what; never a password), so the page, the command line and `audit --accounts` agree
 * (docs/organisers.md, "Tài khoản và vai trò"). Account changes are kept in the console's
 * audit_log with the drive column empty, apart from the desk's entries.
 */
import { SignupStore } from '../signup/store.ts';
import type { Database } from '../store/database.ts';
import { ConsoleStore, type Role } from './console-store.ts';

/** The audit actions of accounts and teams (words: ACCOUNT_ACTION_WORDS in words.ts). */
export const ACCOUNT_ACTIONS = [
  'account-add',
  'account-disable',
  'account-enable',
  'account-remove',
  'account-password',
  'account-drives',
  'team-add',
  'team-remove',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

/** Audit entries of accounts carry an empty drive: the desk's queries never see them. */
export const ACCOUNTS_AUDIT_DRIVE = '';

export interface AccountRow {
  username: string;
  role: Role;
  drives: string[];
  teamCode: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface AccountAuditEntry {
  id: number;
  at: string;
  actor: string;
  action: AccountAction;
  /** The account or team code the change was about. */
  subject: string;
  /** What changed, in the words of the change (role, drives, team name), never a password. */
  details: Record<string, unknown>;
}

export class AccountsStore {
  readonly #db: Database;
  readonly #console: ConsoleStore;
  readonly #signups: SignupStore;

  constructor(db: Database) {
    this.#db = db;
    this.#console = new ConsoleStore(db);
    this.#signups = new SignupStore(db);
  }

  #audit(actor: string, action: AccountAction, subject: string, details: Record<string, unknown>, now: Date): void {
    this.#db
      .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, NULL, ?)')
      .run(now.toISOString(), actor, ACCOUNTS_AUDIT_DRIVE, subject, action, JSON.stringify(details));
  }

  list(): AccountRow[] {
    const rows = this.#db
      .prepare('SELECT id, username, role, team_code, created_at, disabled_at FROM users ORDER BY username')
      .all() as unknown as {
      id: number;
      username: string;
      role: Role;
      team_code: string | null;
      created_at: string;
      disabled_at: string | null;
    }[];
    const drives = this.#db.prepare('SELECT drive FROM user_drives WHERE user_id = ? ORDER BY drive');
    return rows.map((row) => ({
      username: row.username,
      role: row.role,
      drives: (drives.all(row.id) as { drive: string }[]).map((d) => d.drive),
      teamCode: row.team_code,
      createdAt: row.created_at,
      disabledAt: row.disabled_at,
    }));
  }

  find(username: string): AccountRow | undefined {
    return this.list().find((account) => account.username === username);
  }

  add(
    account: { username: string; passwordHash: string; role: Role; drives: readonly string[]; teamCode?: string },
    actor: string,
    now: Date,
  ): void {
    this.#db.transaction(() => {
      this.#console.addUser(account, now);
      this.#audit(
        actor,
        'account-add',
        account.username,
        {
          role: account.role,
          ...(account.drives.length > 0 && { drives: account.drives }),
          ...(account.teamCode && { team: account.teamCode }),
        },
        now,
      );
    });
  }

  /** Disabled: no sign-in, every session ended; the account and its place in the log stay. */
  setDisabled(username: string, disabled: boolean, actor: string, now: Date): 'done' | 'unchanged' | 'unknown' {
    return this.#db.transaction(() => {
      const user = this.#console.findUser(username);
      if (!user) return 'unknown';
      if ((user.disabledAt !== null) === disabled) return 'unchanged';
      this.#db
        .prepare('UPDATE users SET disabled_at = ? WHERE id = ?')
        .run(disabled ? now.toISOString() : null, user.id);
      if (disabled) this.#console.endSessions(user.id);
      this.#audit(actor, disabled ? 'account-disable' : 'account-enable', username, {}, now);
      return 'done';
    });
  }

  remove(username: string, actor: string, now: Date): boolean {
    return this.#db.transaction(() => {
      const user = this.#console.findUser(username);
      if (!user) return false;
      this.#console.removeUser(username);
      this.#audit(actor, 'account-remove', username, { role: user.role }, now);
      return true;
    });
  }

  /** A new password: every session ends and a lock is lifted. */
  setPassword(username: string, passwordHash: string, actor: string, now: Date, how: 'reset' | 'typed'): boolean {
    return this.#db.transaction(() => {
      if (!this.#console.setPassword(username, passwordHash)) return false;
      this.#audit(actor, 'account-password', username, { how }, now);
      return true;
    });
  }

  /** The drives of a staff or editor account, all at once (the list replaces the old one). */
  setDrives(username: string, drives: readonly string[], actor: string, now: Date): boolean {
    return this.#db.transaction(() => {
      const user = this.#console.findUser(username);
      if (!user) return false;
      this.#db.prepare('DELETE FROM user_drives WHERE user_id = ?').run(user.id);
      const add = this.#db.prepare('INSERT OR IGNORE INTO user_drives (user_id, drive) VALUES (?, ?)');
      for (const drive of drives) add.run(user.id, drive);
      this.#audit(actor, 'account-drives', username, { before: user.drives, after: [...drives].sort() }, now);
      return true;
    });
  }

  teams(): { code: string; name: string }[] {
    return this.#signups.listTeams();
  }

  addTeam(team: { code: string; name: string }, actor: string, now: Date): void {
    this.#db.transaction(() => {
      this.#signups.addTeam(team, now);
      this.#audit(actor, 'team-add', team.code, { name: team.name }, now);
    });
  }

  /** Removing a team keeps its sign-ups' code; a unit account of that team stays as it is. */
  removeTeam(code: string, actor: string, now: Date): boolean {
    return this.#db.transaction(() => {
      if (!this.#signups.removeTeam(code)) return false;
      this.#audit(actor, 'team-remove', code, {}, now);
      return true;
    });
  }

  /** Accounts and teams' changes, newest first. */
  audit(limit = 200): AccountAuditEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT id, at, actor, action, code, after FROM audit_log
           WHERE drive = ? AND (action LIKE 'account-%' OR action LIKE 'team-%') ORDER BY id DESC LIMIT ?`,
      )
      .all(ACCOUNTS_AUDIT_DRIVE, limit) as unknown as {
      id: number;
      at: string;
      actor: string;
      action: AccountAction;
      code: string | null;
      after: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.code ?? '',
      details: row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {},
    }));
  }

  /** Runs several changes (a form's key and its change) as one transaction. */
  atomically<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  /**
   * Takes a form's one-time key: false when it was taken before (a replayed post, a second
   * tap, the back button), so a form does what it asks once. Kept with the desk's keys and
   * deleted with them after 7 days.
   */
  claimFormKey(actor: string, key: string, now: Date): boolean {
    const taken = this.#db
      .prepare('INSERT OR IGNORE INTO console_actions (key, at, answer) VALUES (?, ?, ?)')
      .run(`accounts:${actor}:${key}`, now.toISOString(), '{}');
    return Number(taken.changes) === 1;
  }
}
