/**
 * Blood needs in the database (src/store/migrations/008-blood-needs.ts): the levels and
 * their history, each change in the audit log, the right to set them, and the appeals with
 * whom each reached. Queries only; who may do what is needs-service.ts's, and sending is
 * composed at the site (src/site/blood-appeal.ts) with the reminders' channels.
 */
import type { Database } from '../store/database.ts';
import { BLOOD_GROUPS, type BloodGroup, type LevelEntry, type LevelValue } from './blood.ts';

/** The audit log's `drive` for blood levels: no drive is named so (drive slugs are the files' names). */
export const NEEDS_AUDIT_KEY = 'nhu-cau-mau';

interface LevelRow {
  blood_group: BloodGroup;
  level: LevelValue;
  note: string | null;
  source: string;
  set_at: string;
  set_by: string;
}

const entryOf = (row: LevelRow): LevelEntry => ({
  group: row.blood_group,
  level: row.level,
  note: row.note,
  source: row.source,
  setAt: row.set_at,
  setBy: row.set_by,
});

/** Someone who agreed to reminders and last said they are of the group, with what decides whether they may give. */
export interface AppealCandidate {
  contact: number;
  email: string | null;
  push: string | null;
  webhook: boolean;
  stopToken: string;
  phone: string | null;
  /** Texts to that phone agreed, and Zalo or SMS not ended for them (a number with no Zalo ends Zalo). */
  zalo: boolean;
  sms: boolean;
  /** The drive day of their last gift recorded at a desk (yyyy-mm-dd). */
  lastGave: string | null;
  /** The day they wrote on the form as their last donation. */
  lastDonation: string | null;
  /** The desk's "may come back from" (a deferral or a gift). */
  returnAfter: string | null;
  permanentlyDeferred: boolean;
}

export interface AppealRecord {
  id: number;
  group: BloodGroup;
  createdAt: string;
  createdBy: string;
  reached: number;
}

export class NeedsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The last entry of each group that has one. */
  latest(): LevelEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT blood_group, level, note, source, set_at, set_by FROM blood_levels
         WHERE id IN (SELECT max(id) FROM blood_levels GROUP BY blood_group)`,
      )
      .all() as unknown as LevelRow[];
    return rows.map(entryOf);
  }

  /** Every entry since `since`, with the last one before it (the level the chart starts at). */
  history(since: Date): LevelEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT blood_group, level, note, source, set_at, set_by FROM blood_levels
         WHERE set_at >= ? OR id IN (SELECT max(id) FROM blood_levels WHERE set_at < ? GROUP BY blood_group)
         ORDER BY id`,
      )
      .all(since.toISOString(), since.toISOString()) as unknown as LevelRow[];
    return rows.map(entryOf);
  }

  /**
   * Sets the levels in one transaction, each change with its audit entry (before → after).
   * `key` is the form's idempotency key (console_actions): a replayed form changes nothing.
   */
  setLevels(
    entries: readonly Omit<LevelEntry, 'setAt' | 'setBy'>[],
    actor: string,
    key: string,
    now: Date,
  ): number | 'replayed' {
    const at = now.toISOString();
    return this.#db.transaction(() => {
      const scoped = `needs:${actor}:${key}`;
      if (this.#db.prepare('SELECT 1 FROM console_actions WHERE key = ?').get(scoped)) return 'replayed';
      this.#db.prepare('INSERT INTO console_actions (key, at, answer) VALUES (?, ?, ?)').run(scoped, at, '{}');
      const before = new Map(this.latest().map((e) => [e.group, e]));
      let changed = 0;
      for (const entry of entries) {
        const old = before.get(entry.group);
        this.#db
          .prepare(
            'INSERT INTO blood_levels (blood_group, level, note, source, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(entry.group, entry.level, entry.note, entry.source, at, actor);
        this.#db
          .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(
            at,
            actor,
            NEEDS_AUDIT_KEY,
            entry.group,
            'blood-level',
            old ? JSON.stringify({ level: old.level, note: old.note, source: old.source, setAt: old.setAt }) : null,
            JSON.stringify({ level: entry.level, note: entry.note, source: entry.source }),
          );
        changed += 1;
      }
      return changed;
    });
  }

  /** The blood needs' audit entries, newest first. */
  audit(
    limit = 50,
  ): { at: string; actor: string; group: string; action: string; before: string | null; after: string | null }[] {
    return this.#db
      .prepare(
        `SELECT at, actor, code AS "group", action, before, after FROM audit_log
         WHERE drive = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(NEEDS_AUDIT_KEY, limit) as unknown as ReturnType<NeedsStore['audit']>;
  }

  // Rights

  hasRight(userId: number, right: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM user_rights WHERE user_id = ? AND right = ?').get(userId, right) !== undefined
    );
  }

  /** False when there is no such account. */
  grant(username: string, right: string, by: string, now: Date): boolean {
    return this.#db.transaction(() => {
      const user = this.#db.prepare('SELECT id FROM users WHERE username = ?').get(username) as
        { id: number } | undefined;
      if (!user) return false;
      this.#db
        .prepare('INSERT OR IGNORE INTO user_rights (user_id, right, granted_at, granted_by) VALUES (?, ?, ?, ?)')
        .run(user.id, right, now.toISOString(), by);
      this.#db
        .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(now.toISOString(), by, NEEDS_AUDIT_KEY, username, 'grant', null, JSON.stringify({ right }));
      return true;
    });
  }

  revoke(username: string, right: string, by: string, now: Date): boolean {
    return this.#db.transaction(() => {
      const user = this.#db.prepare('SELECT id FROM users WHERE username = ?').get(username) as
        { id: number } | undefined;
      if (!user) return false;
      const { changes } = this.#db
        .prepare('DELETE FROM user_rights WHERE user_id = ? AND right = ?')
        .run(user.id, right);
      if (Number(changes) > 0) {
        this.#db
          .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(now.toISOString(), by, NEEDS_AUDIT_KEY, username, 'revoke', JSON.stringify({ right }), null);
      }
      return true;
    });
  }

  /** The accounts holding a right, by name. */
  holders(right: string): string[] {
    return (
      this.#db
        .prepare('SELECT u.username FROM user_rights r JOIN users u ON u.id = r.user_id WHERE r.right = ? ORDER BY 1')
        .all(right) as { username: string }[]
    ).map((row) => row.username);
  }

  // Appeals

  /**
   * The people an appeal for `group` may reach: reminders agreed and not stopped, the group
   * given on their latest sign-up that said one, and not reached by this appeal, nor by any
   * other since `quietSince`. Whether they may give by the drive's day is the caller's
   * (the eligibility rules).
   */
  candidates(group: BloodGroup, appealId: number | null, quietSince: Date): AppealCandidate[] {
    if (!BLOOD_GROUPS.includes(group)) return [];
    const rows = this.#db
      .prepare(
        `SELECT c.id AS contact, c.email AS email, c.push_subscription AS push, c.webhook AS webhook,
           c.stop_token AS stopToken, c.email_ended_at AS emailEnded, c.push_ended_at AS pushEnded,
           c.webhook_ended_at AS webhookEnded, c.texts AS texts, c.zalo_ended_at AS zaloEnded,
           c.sms_ended_at AS smsEnded,
           (SELECT phone FROM signups WHERE reminder_contact = c.id ORDER BY id DESC LIMIT 1) AS phone
         FROM reminder_contacts c
         WHERE c.stopped_at IS NULL
           AND (SELECT blood_group FROM signups WHERE reminder_contact = c.id AND blood_group IS NOT NULL
                ORDER BY id DESC LIMIT 1) = :group
           AND NOT EXISTS (SELECT 1 FROM blood_appeal_sends b WHERE b.contact = c.id
                AND (b.appeal_id = :appeal OR (b.at > :quiet AND b.state <> 'failed')))
         ORDER BY c.id`,
      )
      .all({ group, appeal: appealId ?? -1, quiet: quietSince.toISOString() }) as unknown as {
      contact: number;
      email: string | null;
      push: string | null;
      webhook: number;
      stopToken: string;
      emailEnded: string | null;
      pushEnded: string | null;
      webhookEnded: string | null;
      texts: number;
      zaloEnded: string | null;
      smsEnded: string | null;
      phone: string | null;
    }[];
    const history = this.#db.prepare(
      `SELECT max(CASE WHEN outcome = 'gave' THEN substr(slot, 1, 10) END) AS lastGave,
         max(last_donation) AS lastDonation, max(return_after) AS returnAfter,
         max(deferral_kind = 'permanent') AS permanent
       FROM signups WHERE phone = ?`,
    );
    return rows.map((row) => {
      const past = (row.phone ? history.get(row.phone) : undefined) as
        | { lastGave: string | null; lastDonation: string | null; returnAfter: string | null; permanent: number | null }
        | undefined;
      return {
        contact: row.contact,
        email: row.emailEnded ? null : row.email,
        push: row.pushEnded ? null : row.push,
        webhook: row.webhook === 1 && !row.webhookEnded,
        stopToken: row.stopToken,
        phone: row.phone,
        zalo: row.texts === 1 && row.phone !== null && !row.zaloEnded,
        sms: row.texts === 1 && row.phone !== null && !row.smsEnded,
        lastGave: past?.lastGave ?? null,
        lastDonation: past?.lastDonation ?? null,
        returnAfter: past?.returnAfter ?? null,
        permanentlyDeferred: past?.permanent === 1,
      };
    });
  }

  /** The appeal of this form, made now or found (a replayed form): `created` says which. */
  openAppeal(group: BloodGroup, formKey: string, actor: string, now: Date): { appeal: AppealRecord; created: boolean } {
    return this.#db.transaction(() => {
      const found = this.#appealByKey(formKey);
      if (found) return { appeal: found, created: false };
      this.#db
        .prepare('INSERT INTO blood_appeals (blood_group, form_key, created_at, created_by) VALUES (?, ?, ?, ?)')
        .run(group, formKey, now.toISOString(), actor);
      const appeal = this.#appealByKey(formKey) as AppealRecord;
      this.#db
        .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(now.toISOString(), actor, NEEDS_AUDIT_KEY, group, 'appeal', null, JSON.stringify({ appeal: appeal.id }));
      return { appeal, created: true };
    });
  }

  #appealByKey(formKey: string): AppealRecord | undefined {
    return this.#db
      .prepare(
        `SELECT id, blood_group AS "group", created_at AS createdAt, created_by AS createdBy, reached
         FROM blood_appeals WHERE form_key = ?`,
      )
      .get(formKey) as AppealRecord | undefined;
  }

  appeals(limit = 20): AppealRecord[] {
    return this.#db
      .prepare(
        `SELECT id, blood_group AS "group", created_at AS createdAt, created_by AS createdBy, reached
         FROM blood_appeals ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as unknown as AppealRecord[];
  }

  /**
   * Claims an appeal's messages before any is sent, in one transaction: a second press (another
   * appeal) then finds these people reached, and a claim made once is never made again.
   * Returns the claims this call made.
   */
  claim(
    appealId: number,
    messages: readonly { contact: number; channel: string }[],
    now: Date,
  ): { contact: number; channel: string }[] {
    return this.#db.transaction(() => {
      const insert = this.#db.prepare(
        'INSERT OR IGNORE INTO blood_appeal_sends (appeal_id, contact, channel, at) VALUES (?, ?, ?, ?)',
      );
      return messages.filter(
        ({ contact, channel }) => Number(insert.run(appealId, contact, channel, now.toISOString()).changes) === 1,
      );
    });
  }

  settle(appealId: number, contact: number, channel: string, sent: boolean): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE blood_appeal_sends SET state = ? WHERE appeal_id = ? AND contact = ? AND channel = ?')
        .run(sent ? 'sent' : 'failed', appealId, contact, channel);
      this.#db
        .prepare(
          `UPDATE blood_appeals SET reached = (SELECT count(DISTINCT contact) FROM blood_appeal_sends
             WHERE appeal_id = ?1 AND state = 'sent') WHERE id = ?1`,
        )
        .run(appealId);
    });
  }
}
