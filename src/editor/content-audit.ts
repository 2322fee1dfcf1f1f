/**
 * Saves, reverts and publishes in the audit log (the table of
 * src/store/migrations/004-console.ts), under a `drive` no drive is named:
 * who, when, which file, which commit. Queries only.
 */
import { whenFree, type Database } from '../store/database.ts';

/** The audit log's `drive` for content: drive slugs are file names, which never start with `@`. */
export const CONTENT_AUDIT_KEY = '@noi-dung';

export type ContentAction = 'content-save' | 'content-revert' | 'content-publish' | 'content-publish-failed';

export interface ContentAuditEntry {
  at: string;
  actor: string;
  action: ContentAction;
  /** The file (saves and reverts); null for a publish. */
  path: string | null;
  /** The commit made, or the one published. */
  commit: string | null;
  /** A revert's version gone back to; a publish's build folder or message. */
  detail: string | null;
}

function commitOf(after: string | null): string | null {
  if (!after) return null;
  try {
    return (JSON.parse(after) as { commit?: string }).commit ?? null;
  } catch {
    return null;
  }
}

export class ContentAudit {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  record(entry: ContentAuditEntry): Promise<void> {
    return whenFree(() => {
      this.#db
        .prepare('INSERT INTO audit_log (at, actor, drive, code, action, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(
          entry.at,
          entry.actor,
          CONTENT_AUDIT_KEY,
          entry.path,
          entry.action,
          entry.detail,
          entry.commit === null ? null : JSON.stringify({ commit: entry.commit }),
        );
    });
  }

  /** The content's entries, newest first; `path` keeps one file's. */
  list(limit = 100, path?: string): ContentAuditEntry[] {
    const rows = (
      path === undefined
        ? this.#db
            .prepare(
              'SELECT at, actor, action, code, before, after FROM audit_log WHERE drive = ? ORDER BY id DESC LIMIT ?',
            )
            .all(CONTENT_AUDIT_KEY, limit)
        : this.#db
            .prepare(
              'SELECT at, actor, action, code, before, after FROM audit_log WHERE drive = ? AND code = ? ORDER BY id DESC LIMIT ?',
            )
            .all(CONTENT_AUDIT_KEY, path, limit)
    ) as {
      at: string;
      actor: string;
      action: ContentAction;
      code: string | null;
      before: string | null;
      after: string | null;
    }[];
    return rows.map((row) => ({
      at: row.at,
      actor: row.actor,
      action: row.action,
      path: row.code,
      commit: commitOf(row.after),
      detail: row.before,
    }));
  }
}
