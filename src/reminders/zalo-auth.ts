/**
 * Authorising the Zalo app again without a shell or a restart (docs/deploy.md "Zalo ZNS",
 * "Sau một báo động Zalo"): Zalo OA OAuth v4 with PKCE.
 *
 * 1. `begin`: a state and a PKCE verifier kept in the database (zalo-token-store.ts, 10
 *    minutes, once), and the address of Zalo's permission page
 *    (ZALO_PERMISSION_URL?app_id&redirect_uri&code_challenge&state);
 * 2. the admin allows the app at Zalo, which sends the browser back to ZALO_REDIRECT_URI
 *    with `code`, `oa_id` and `state`;
 * 3. `finish`: the state taken (a replay finds nothing), the code exchanged at
 *    ZALO_OAUTH_URL (grant_type=authorization_code, code, app_id, code_verifier; the app's
 *    secret in the `secret_key` header) and the new tokens stored with an audit entry in one
 *    transaction; the alarm clears and the sender uses them at its next message.
 *
 * The console's page (`/to-chuc/nhac-hen/`, zalo-auth-admin.ts) and
 * `npm run signups -- reminders zalo-auth [--code <code>]` both go through here.
 */
import type { ZaloSettings } from '../settings.ts';
import type { Database } from '../store/database.ts';
import { ZaloTokenStore } from './zalo-token-store.ts';

const TIMEOUT_MS = 15_000;
/** Longer than any code Zalo hands out (a few hundred characters), short enough to refuse junk. */
export const MAX_CODE_LENGTH = 2_048;
export const MAX_STATE_LENGTH = 128;
const CODE = /^[A-Za-z0-9._~+/=-]+$/;
const STATE = /^[A-Za-z0-9_-]{43}$/;

export interface Begun {
  url: string;
  expiresAt: string;
}

export function permissionUrl(settings: ZaloSettings, redirectUri: string, state: string, challenge: string): string {
  const url = new URL(settings.permissionUrl);
  url.searchParams.set('app_id', settings.appId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('state', state);
  return url.toString();
}

export function begin(db: Database, settings: ZaloSettings, redirectUri: string, actor: string, now: Date): Begun {
  const begun = new ZaloTokenStore(db).beginAuthorisation(actor, now);
  return { url: permissionUrl(settings, redirectUri, begun.state, begun.challenge), expiresAt: begun.expiresAt };
}

export type Finished =
  | { ok: true; accessExpiresAt: string }
  | { ok: false; why: 'code' | 'state' | 'refused' | 'unreachable'; detail?: string };

/** A code as Zalo's callback carries it: letters, digits and URL-safe marks, of a sane length. */
export function codeProblem(code: string): boolean {
  return code.length === 0 || code.length > MAX_CODE_LENGTH || !CODE.test(code);
}

export function stateProblem(state: string): boolean {
  return !STATE.test(state);
}

/** Exchanges Zalo's code for tokens and stores them; `state` undefined takes the latest begun by `actor`. */
export async function finish(
  db: Database,
  settings: ZaloSettings,
  answer: { code: string; state: string | undefined },
  actor: string,
  via: 'console' | 'cli',
): Promise<Finished> {
  if (codeProblem(answer.code)) return { ok: false, why: 'code' };
  if (answer.state !== undefined && stateProblem(answer.state)) return { ok: false, why: 'state' };
  const store = new ZaloTokenStore(db);
  // Taken before Zalo is asked: a second answer with this state, at once or later, finds nothing.
  const taken = store.takeAuthorisation(answer.state, actor, new Date());
  if (!taken) return { ok: false, why: 'state' };
  let response: Response;
  try {
    response = await fetch(settings.oauthUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: settings.appSecret },
      body: new URLSearchParams({
        code: answer.code,
        app_id: settings.appId,
        grant_type: 'authorization_code',
        code_verifier: taken.verifier,
      }),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // Node's own words (fetch failed, the operation was aborted…) are English: said in Vietnamese.
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      why: 'unreachable',
      detail: timedOut ? `Zalo không trả lời trong ${TIMEOUT_MS / 1_000} giây` : 'không kết nối được máy chủ của Zalo',
    };
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: unknown;
    refresh_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_name?: unknown;
  };
  if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    const code = typeof body.error === 'number' ? body.error : response.status;
    const name = typeof body.error_name === 'string' ? ` ${body.error_name.slice(0, 80)}` : '';
    return { ok: false, why: response.status >= 500 ? 'unreachable' : 'refused', detail: `${code}${name}` };
  }
  const seconds = Number(body.expires_in) > 0 ? Number(body.expires_in) : 90_000;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + seconds * 1_000);
  store.storeAuthorised(
    { refreshToken: body.refresh_token, accessToken: body.access_token, expiresAt },
    settings.refreshToken,
    actor,
    via,
    now,
  );
  return { ok: true, accessExpiresAt: expiresAt.toISOString() };
}
