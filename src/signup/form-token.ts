/**
 * When a form was served, signed so it cannot be made up: a post that comes
 * back sooner than a person could fill the form is a bot's. The key lives as
 * long as the process; a token from before a restart simply stops counting.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = randomBytes(32);

function sign(issuedAt: string): string {
  return createHmac('sha256', KEY).update(issuedAt).digest('base64url').slice(0, 22);
}

export function issueFormToken(now: Date): string {
  const issuedAt = String(now.getTime());
  return `${issuedAt}.${sign(issuedAt)}`;
}

/** Milliseconds since the token was issued, or null for a missing, foreign or forged one. */
export function formTokenAge(token: string | undefined | null, now: Date): number | null {
  const [issuedAt = '', signature = ''] = (token ?? '').split('.');
  if (!/^\d{13}$/.test(issuedAt)) return null;
  const expected = Buffer.from(sign(issuedAt));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return now.getTime() - Number(issuedAt);
}
