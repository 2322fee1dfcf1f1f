/**
 * The console's side of authorising the Zalo app again (zalo-auth.ts; docs/organisers.md,
 * "Zalo cần cấp quyền lại"). In this order, for each request: the admins' right
 * (canManageAccounts), the rate limit per admin (or per client address for the page Zalo
 * sends back to), the fields, then the work. Astro checks every post's origin before this
 * (`security.checkOrigin`), src/middleware.ts the session.
 *
 * Why the page Zalo sends back to is shown before any session is asked: the console's cookie
 * is SameSite=Strict, and a browser coming from Zalo's site does not send it. So its GET only
 * shows a button carrying `code` and `state`; the button posts them from our own page, with the
 * cookie, and only that post, by an admin, exchanges the code. A GET changes nothing (link
 * scanners, prefetching); the state is taken once, so a second post does nothing.
 */
import { canManageAccounts } from '../console/access.ts';
import type { StaffAccount } from '../console/console-store.ts';
import { readSettings, ZALO_CALLBACK_PATH, type ZaloSettings } from '../settings.ts';
import { addressKey, RateLimiter } from '../signup/rate-limit.ts';
import type { Database } from '../store/database.ts';
import { formatDateTime } from '../shared/dates.ts';
import { ZALO_AUTH_WORDS as W } from './words.ts';
import { begin, codeProblem, finish, MAX_CODE_LENGTH, MAX_STATE_LENGTH, stateProblem } from './zalo-auth.ts';

/** Starts and finishes per admin per ten minutes: a few tries, never a script's loop. */
export const ZALO_AUTH_LIMIT = 10;
/** Views of the page Zalo sends back to, per client address per ten minutes. */
export const ZALO_CALLBACK_VIEWS = 30;
const TEN_MINUTES = 600_000;

/** `next`: Zalo's permission page, for the link the admin follows (a form may not post on to another site). */
export interface ZaloAuthAnswer {
  status: number;
  ok: boolean;
  line: string;
  next?: string;
}

/** What the page Zalo sends back to shows: a button to finish, or why not. */
export type CallbackView =
  | { status: 200; code: string; state: string; line?: undefined }
  | { status: number; line: string; code?: undefined; state?: undefined };

type Fields = { get(name: string): unknown };
const text = (fields: Fields, name: string): string => {
  const value = fields.get(name);
  return typeof value === 'string' ? value : '';
};

export interface ZaloAuthAdminOptions {
  database: () => Database;
  settings?: () => ZaloSettings | undefined;
  limit?: number;
  views?: number;
}

export function zaloAuthAdmin(options: ZaloAuthAdminOptions) {
  const settings = options.settings ?? (() => readSettings().reminders.zalo);
  const perAdmin = new RateLimiter(options.limit ?? ZALO_AUTH_LIMIT, TEN_MINUTES);
  const perAddress = new RateLimiter(options.views ?? ZALO_CALLBACK_VIEWS, TEN_MINUTES);
  const refused = (status: number, line: string) => ({ status, ok: false, line });

  function allowed(staff: StaffAccount): ZaloAuthAnswer | ZaloSettings {
    if (!canManageAccounts(staff)) return refused(403, W.forbidden);
    const zalo = settings();
    if (!zalo) return refused(409, W.notConfigured);
    if (!perAdmin.allow(staff.username, Date.now())) return refused(429, W.limited);
    return zalo;
  }

  return {
    /**
     * "Cấp quyền lại cho Zalo": a new state and verifier, and the link to Zalo's permission page.
     * A link rather than a redirect: the site's policy (`form-action 'self'`) stops a form's post
     * from being sent on to another site, and it stays that strict.
     */
    start(staff: StaffAccount, siteOrigin: string): ZaloAuthAnswer {
      const zalo = allowed(staff);
      if ('status' in zalo) return zalo;
      const redirectUri = zalo.redirectUri ?? `${siteOrigin}${ZALO_CALLBACK_PATH}`;
      const begun = begin(options.database(), zalo, redirectUri, staff.username, new Date());
      return { status: 200, ok: true, line: W.next(formatDateTime(new Date(begun.expiresAt))), next: begun.url };
    },

    /** The GET Zalo sends the admin back with: `code`, `oa_id`, `state` (or `error`). */
    view(query: URLSearchParams, staff: StaffAccount | null | undefined, clientAddress: string): CallbackView {
      if (staff && !canManageAccounts(staff)) return { status: 403, line: W.forbidden };
      if (!perAddress.allow(addressKey(clientAddress), Date.now())) return { status: 429, line: W.limited };
      const code = query.get('code') ?? '';
      const state = query.get('state') ?? '';
      if (query.has('error') || query.has('error_code') || code === '') return { status: 400, line: W.denied };
      if (code.length > MAX_CODE_LENGTH || codeProblem(code)) return { status: 400, line: W.badCode };
      if (state.length > MAX_STATE_LENGTH || stateProblem(state)) return { status: 400, line: W.badState };
      return { status: 200, code, state };
    },

    /** The button's post: the state taken, the code exchanged, the tokens stored. */
    async finish(staff: StaffAccount, form: Fields): Promise<ZaloAuthAnswer> {
      const zalo = allowed(staff);
      if ('status' in zalo) return zalo;
      const code = text(form, 'code');
      const state = text(form, 'state');
      if (codeProblem(code)) return refused(400, W.badCode);
      if (stateProblem(state)) return refused(400, W.badState);
      const done = await finish(options.database(), zalo, { code, state }, staff.username, 'console');
      if (done.ok) return { status: 200, ok: true, line: W.done(formatDateTime(new Date(done.accessExpiresAt))) };
      if (done.why === 'state') return refused(400, W.badState);
      if (done.why === 'code') return refused(400, W.badCode);
      if (done.why === 'refused') return refused(400, W.refused(done.detail ?? ''));
      return refused(503, W.unreachable(done.detail ?? ''));
    },
  };
}

export type ZaloAuthAdmin = ReturnType<typeof zaloAuthAdmin>;
