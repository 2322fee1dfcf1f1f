/**
 * Console session ids and their cookie. The id is 256 random bits; the
 * database keeps only its SHA-256 (console-store.ts). Behind HTTPS the cookie
 * is `__Host-` prefixed and `Secure`: bound to this host, path /, never sent
 * in clear. On plain http (a local run) browsers refuse both, so the name is
 * the bare one there. Either way HttpOnly and SameSite=Strict.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SESSION_MAX_MS } from './console-store.ts';

const BARE_NAME = 'hm_console';
const SECURE_NAME = `__Host-${BARE_NAME}`;

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionIdHash(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_NAME : BARE_NAME;
}

/** A session id is 43 base64url characters; anything else is not one of ours. */
export function readSessionId(cookieHeader: string | null, secure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(secure);
  for (const part of cookieHeader.split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === name && value && /^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return null;
}

/** The cookie's attributes (for Astro.cookies): HttpOnly, SameSite=Strict, path /, Secure behind HTTPS. */
export function sessionCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'strict', secure, path: '/' } as const;
}

/** The browser forgets the cookie when the session would end anyway. */
export const SESSION_COOKIE_MAX_AGE = SESSION_MAX_MS / 1000;
