/**
 * What the console's history and publish pages do with a post (src/pages/to-chuc/noi-dung/,
 * src/pages/to-chuc/xuat-ban/): who may, how often, the checks, the change and its audit
 * entry, and the words of the outcome. The pages stay thin; the command line
 * (src/cli/commands/content.ts) calls the same functions.
 *
 * A replayed post changes nothing: a save or a revert carries the version it started from
 * (`goc`), so the same post again meets a file that has moved on and is told so; a publish
 * asked again while one waits joins it.
 */
import { canEditContent, canPublish } from '../console/access.ts';
import type { StaffAccount } from '../console/console-store.ts';
import { RateLimiter } from '../signup/rate-limit.ts';
import { formatDateTime } from '../shared/dates.ts';
import type { ContentAudit } from './content-audit.ts';
import { checkContentPath, isCommitId } from './content-path.ts';
import { ContentRepoError, MAX_SAVE_BYTES, type ContentRepo, type SaveOutcome } from './content-repo.ts';
import type { Publisher } from './publisher.ts';
import { WORDS } from './words.ts';
import { PREVIEW_POST_LIMIT } from '../shared/limits.ts';

type Account = Pick<StaffAccount, 'username' | 'role' | 'drives'>;

export interface EditorNotice {
  status: number;
  ok: boolean;
  lines: string[];
  /** The editor's own text after a conflict, to show again in the form. */
  keep?: string;
}

/** Saves and reverts per account per 10 minutes: an editor at work makes a few a minute at most. */
export const CONTENT_POST_LIMIT = 60;
/** Publish asks per account per 10 minutes (each is one build, or joins the one waiting). */
export const PUBLISH_POST_LIMIT = 10;
const TEN_MINUTES = 10 * 60_000;

const LIMITERS = Symbol.for('hien-mau.editor.limits');
const holder = globalThis as {
  [LIMITERS]?: { content: RateLimiter; publish: RateLimiter; preview: RateLimiter } | undefined;
};
// On globalThis: a publish loads a new bundle, which must not start the counts afresh.
const limits = () =>
  (holder[LIMITERS] ??= {
    content: new RateLimiter(CONTENT_POST_LIMIT, TEN_MINUTES),
    publish: new RateLimiter(PUBLISH_POST_LIMIT, TEN_MINUTES),
    preview: new RateLimiter(PREVIEW_POST_LIMIT, TEN_MINUTES),
  });

/** Whether an account may save now: the forms' saves (src/editor/form-console.ts) count with the history page's. */
export const allowContentPost = (username: string, now: Date): boolean =>
  limits().content.allow(`content:${username}`, now.getTime());

/** Whether an account may have a body drawn now (the preview, src/editor/preview.ts). */
export const allowPreview = (username: string, now: Date): boolean =>
  limits().preview.allow(`preview:${username}`, now.getTime());

/** Pictures have a history and can go back, but are not text to edit in a box. */
export const isPicture = (path: string) => /\.(?:svg|png|jpe?g|webp)$/.test(path);

const refused = (status: number, line: string): EditorNotice => ({ status, ok: false, lines: [line] });

function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** The notice of a save's or revert's outcome, with its audit entry when something was saved. */
export async function outcomeNotice(
  outcome: SaveOutcome,
  audit: ContentAudit,
  actor: string,
  now: Date,
  revertedTo?: string,
): Promise<EditorNotice> {
  if (outcome.kind === 'conflict') {
    return {
      status: 409,
      ok: false,
      lines: [WORDS.conflict(outcome.path, outcome.theirs.author, formatDateTime(outcome.theirs.at))],
      keep: outcome.yours,
    };
  }
  if (outcome.kind === 'unchanged') return { status: 200, ok: true, lines: [WORDS.unchanged(outcome.path)] };
  await audit.record({
    at: now.toISOString(),
    actor,
    action: revertedTo ? 'content-revert' : 'content-save',
    path: outcome.path,
    commit: outcome.commit,
    detail: revertedTo ?? null,
  });
  return {
    status: 200,
    ok: true,
    lines: [
      revertedTo ? WORDS.reverted(outcome.path, revertedTo, outcome.commit) : WORDS.saved(outcome.path, outcome.commit),
    ],
  };
}

/**
 * Whether this account may make another save or revert now (CONTENT_POST_LIMIT per 10 minutes,
 * one count for the history page and the forms): the refusal, or undefined.
 */
export function refuseContentPost(staff: Account, now: Date): EditorNotice | undefined {
  if (!canEditContent(staff)) return refused(403, WORDS.noRight);
  if (!allowContentPost(staff.username, now)) return refused(429, WORDS.tooMany);
  return undefined;
}

/**
 * Saves a text file as a new version by the account, from the version `base` it started from
 * (undefined for a new file), and records it in the audit log: the history page's save and the
 * console's forms (drive-console.ts) go through here. Checked paths only (content-path.ts).
 */
export async function saveContentFile(
  staff: Account,
  path: string,
  text: string,
  base: string | undefined,
  repo: ContentRepo,
  audit: ContentAudit,
  now: Date,
): Promise<EditorNotice> {
  if (Buffer.byteLength(text) > MAX_SAVE_BYTES) return refused(413, WORDS.tooLarge);
  try {
    const outcome = await repo.save(path, text, base, staff);
    return await outcomeNotice(outcome, audit, staff.username, now);
  } catch (error) {
    if (error instanceof ContentRepoError) return refused(422, error.message);
    throw error;
  }
}

/** A save (`intent=save`: tep, noi-dung, goc) or a revert (`intent=revert`: tep, phien-ban, goc). */
export async function postContent(
  staff: Account,
  form: FormData,
  repo: ContentRepo,
  audit: ContentAudit,
  now: Date,
): Promise<EditorNotice> {
  if (!canEditContent(staff)) return refused(403, WORDS.noRight);
  if (!allowContentPost(staff.username, now)) return refused(429, WORDS.tooMany);
  const intent = field(form, 'intent');
  const path = checkContentPath(field(form, 'tep'));
  if (!path.ok) return refused(422, path.message);
  const base = field(form, 'goc') || undefined;
  if (base !== undefined && !isCommitId(base)) return refused(422, 'Mã phiên bản gốc không hợp lệ.');
  try {
    if (intent === 'save') {
      if (isPicture(path.path)) return refused(422, WORDS.pictureNotText);
      const text = field(form, 'noi-dung');
      if (text === undefined) return refused(422, 'Thiếu nội dung tệp.');
      // Browsers send CRLF from a textarea; the files keep the LF they were written with.
      return await saveContentFile(staff, path.path, text.replace(/\r\n/g, '\n'), base, repo, audit, now);
    }
    if (intent === 'revert') {
      const version = field(form, 'phien-ban');
      if (!isCommitId(version)) return refused(422, 'Mã phiên bản không hợp lệ.');
      const current = await repo.lastChange(path.path);
      if (base === undefined || current === undefined || !current.startsWith(base)) {
        const theirs = current ? (await repo.history(path.path, 1))[0] : undefined;
        return refused(
          409,
          theirs
            ? WORDS.conflict(path.path, theirs.author, formatDateTime(theirs.at))
            : `${path.path} không còn trong kho nội dung.`,
        );
      }
      const outcome = await repo.revert(path.path, version, staff);
      return await outcomeNotice(outcome, audit, staff.username, now, version);
    }
  } catch (error) {
    if (error instanceof ContentRepoError) return refused(422, error.message);
    throw error;
  }
  return refused(400, WORDS.unknownIntent);
}

/** "Xuất bản": a build now, or the one queued behind the build running. */
export function postPublish(staff: Account, publisher: Publisher, now: Date): EditorNotice {
  if (!canPublish(staff)) return refused(403, WORDS.noPublishRight);
  if (!limits().publish.allow(`publish:${staff.username}`, now.getTime())) return refused(429, WORDS.tooMany);
  const asked = publisher.request(staff.username, now);
  const line =
    asked.kind === 'started'
      ? WORDS.publishStarted
      : asked.kind === 'queued'
        ? WORDS.publishQueued
        : WORDS.publishAlreadyQueued;
  return { status: 202, ok: true, lines: [line] };
}

/** For tests: the counts start again. */
export function resetEditorLimits(): void {
  holder[LIMITERS] = undefined;
}
