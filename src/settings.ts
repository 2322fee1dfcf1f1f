/**
 * Every environment variable the running site reads, checked once, in one
 * place: the server refuses to start with one clear message for a bad value
 * instead of misbehaving later. (What the build reads — SITE_URL, MAP_TILE_URL,
 * ZALO_OA_ID, CONTENT_DIR… — is in build-settings.ts.)
 */
import { DEFAULT_DB_PATH } from './signup/store.ts';
import { SettingsError } from './settings-error.ts';

export { SettingsError };

export interface Settings {
  /** PORT: where `npm start` listens (0 picks a free port). */
  port: number;
  /** HOST: the interface, 127.0.0.1 unless set. */
  host: string;
  /** SIGNUP_DB: the SQLite file of sign-ups. */
  signupDb: string;
  /** SIGNUP_RATE_LIMIT: sign-up posts per client address per 10 minutes. */
  signupRateLimit: number;
  /** LOGIN_RATE_LIMIT: organisers' sign-in tries per client address per 10 minutes. */
  loginRateLimit: number;
  /** TRUST_PROXY=1: a reverse proxy on this machine sets X-Forwarded-Proto/Host/For. */
  trustProxy: boolean;
  /** SIGNUP_SECRET: the form tokens' key; unset, one is kept in the database. */
  signupSecret: string | undefined;
  /** SITE_DIST: the build to serve, relative to the project (dist; the browser tests serve dist-test). */
  siteDist: string;
}

/** Sign-up posts per client address per 10 minutes: many people share one address on mobile networks. */
export const DEFAULT_SIGNUP_RATE_LIMIT = 120;
/** Sign-in tries per client address per 10 minutes: a desk's few staff, not a script guessing. */
export const DEFAULT_LOGIN_RATE_LIMIT = 30;
const MIN_SECRET_LENGTH = 32;

function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  what: string,
) {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new SettingsError(`${name} must be a whole number from ${min} to ${max} (${what}), got "${value}"`);
  }
  return number;
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || ['', '0', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  throw new SettingsError(`${name} must be 1 (on) or 0 (off), got "${value}"`);
}

export function readSettings(env: Record<string, string | undefined> = process.env): Settings {
  const secret = env['SIGNUP_SECRET'] || undefined;
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new SettingsError(
      `SIGNUP_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -base64 32\`), got ${secret.length}`,
    );
  }
  return {
    port: wholeNumber('PORT', env['PORT'], 4321, 0, 65535, 'the port to listen on'),
    host: env['HOST'] || '127.0.0.1',
    signupDb: env['SIGNUP_DB'] || DEFAULT_DB_PATH,
    signupRateLimit: wholeNumber(
      'SIGNUP_RATE_LIMIT',
      env['SIGNUP_RATE_LIMIT'],
      DEFAULT_SIGNUP_RATE_LIMIT,
      1,
      1_000_000_000,
      'sign-ups per address per 10 minutes',
    ),
    loginRateLimit: wholeNumber(
      'LOGIN_RATE_LIMIT',
      env['LOGIN_RATE_LIMIT'],
      DEFAULT_LOGIN_RATE_LIMIT,
      1,
      1_000_000_000,
      'sign-in tries per address per 10 minutes',
    ),
    trustProxy: flag('TRUST_PROXY', env['TRUST_PROXY']),
    signupSecret: secret,
    siteDist: env['SITE_DIST'] || 'dist',
  };
}
