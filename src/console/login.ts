/**
 * What the sign-in page does with a post: check the name and password
 * (console-service.ts), set a fresh session cookie, and send the organiser
 * on to the console page they asked for.
 */
import type { AstroGlobal } from 'astro';
import { CONSOLE_PATH, isConsolePath } from './console-paths.ts';
import { consoleService } from './runtime.ts';
import { SCRYPT_RETRY_AFTER_S } from './passwords.ts';
import { SESSION_COOKIE_MAX_AGE, sessionCookieName, sessionCookieOptions } from './sessions.ts';
import { LOGIN_WORDS } from './words.ts';

export interface SignInOutcome {
  redirect?: string;
  status: number;
  message?: string;
  username?: string;
  /** Seconds, for Retry-After. */
  retryAfter?: number;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function signIn(astro: AstroGlobal): Promise<SignInOutcome> {
  // A body that is no form (a broken multipart post) is a form with nothing filled in, not our failure.
  const form = await astro.request.formData().catch(() => new FormData());
  const username = text(form, 'username').trim().toLowerCase().slice(0, 64);
  const password = text(form, 'password');
  if (!username || !password) return { status: 400, message: LOGIN_WORDS.missing, username };
  const result = await consoleService.login(username, password, astro.clientAddress);
  if (result.ok) {
    const secure = astro.url.protocol === 'https:';
    astro.cookies.set(sessionCookieName(secure), result.sessionId, {
      ...sessionCookieOptions(secure),
      maxAge: SESSION_COOKIE_MAX_AGE,
    });
    const next = astro.url.searchParams.get('tiep') ?? '';
    return { status: 303, redirect: isConsolePath(next) ? next : CONSOLE_PATH };
  }
  switch (result.reason) {
    case 'busy':
      return { status: 429, message: LOGIN_WORDS.busy, username, retryAfter: SCRYPT_RETRY_AFTER_S };
    case 'rate-limited':
      return { status: 429, message: LOGIN_WORDS.rateLimited, username, retryAfter: 600 };
    case 'unavailable':
      return { status: 503, message: LOGIN_WORDS.unavailable, username };
    default:
      return { status: 401, message: LOGIN_WORDS.wrong, username };
  }
}
