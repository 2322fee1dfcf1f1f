/**
 * Every environment variable the running site reads, checked once, in one
 * place: the server refuses to start with one clear message for a bad value
 * instead of misbehaving later. (What the build reads — SITE_URL, MAP_TILE_URL,
 * ZALO_OA_ID, CONTENT_DIR… — is in build-settings.ts.)
 */
import { DEFAULT_DB_PATH } from './signup/store.ts';
import { SettingsError } from './settings-error.ts';
import type { Channel } from './reminders/reminder-types.ts';

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
  /** The reminders' channels and sender (docs/deploy.md, "Reminders"). */
  reminders: ReminderSettings;
}

export interface ReminderSettings {
  /** SMTP_URL and MAIL_FROM: e-mail through this relay, from this address. */
  email: { smtpUrl: string; from: string } | undefined;
  /**
   * VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT: Web Push; PUSH_SERVICES:
   * the push services a browser's subscription may point to (the server posts there).
   */
  push: { publicKey: string; privateKey: string; subject: string; services: readonly string[] } | undefined;
  /** REMINDER_WEBHOOK_URL and REMINDER_WEBHOOK_SECRET: texts through the Red Cross's SMS or Zalo gateway. */
  webhook: { url: string; secret: string } | undefined;
  /** REMINDER_SCHEDULER=0: the server sends nothing itself; cron runs `npm run signups -- reminders send`. */
  scheduler: boolean;
  /** SITE_URL at run time: the address links in messages start with; unset, the one the build was made with. */
  siteUrl: string | undefined;
}

/**
 * The push services of the browsers people use (Chrome and Samsung Internet
 * through Firebase Cloud Messaging, Firefox, Safari, Edge): a subscription must
 * point to one of them, so that a form cannot make the server post anywhere.
 */
export const DEFAULT_PUSH_SERVICES = [
  'https://fcm.googleapis.com',
  'https://updates.push.services.mozilla.com',
  'https://*.push.apple.com',
  'https://*.notify.windows.com',
] as const;

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

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes a base64url text (without padding) stands for; null when it is not one. */
function base64UrlLength(text: string): number | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  return Math.floor((text.length * 3) / 4);
}

/** An address of a service this server talks to: https, or plain http on this machine (tests, a local relay). */
function serviceUrl(name: string, value: string, protocols: readonly string[], example: string): string {
  const url = URL.parse(value);
  const loopback = url !== null && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(protocols.includes(url.protocol) || (loopback && url.protocol === 'http:')) || url.hostname === '') {
    throw new SettingsError(`${name} must be a full address like ${example}, got "${value}"`);
  }
  return value;
}

function emailSettings(env: Record<string, string | undefined>): ReminderSettings['email'] {
  const smtpUrl = env['SMTP_URL'] || undefined;
  const from = env['MAIL_FROM']?.trim() || undefined;
  if (!smtpUrl && !from) return undefined;
  if (!smtpUrl) throw new SettingsError('MAIL_FROM is set but SMTP_URL is not: set both to send reminders by e-mail');
  const url = URL.parse(smtpUrl);
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
    throw new SettingsError(
      'SMTP_URL must be the mail relay as smtp://user:password@host:587 (STARTTLS) or smtps://…:465, got a value that is not',
    );
  }
  if (!from || !/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(from)) {
    throw new SettingsError(
      `MAIL_FROM must be the sender, like "Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@camau.gov.vn>", got "${from ?? ''}"`,
    );
  }
  return { smtpUrl, from };
}

function pushSettings(env: Record<string, string | undefined>): ReminderSettings['push'] {
  const names = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const;
  const [publicKey, privateKey, subject] = names.map((name) => env[name]?.trim() || undefined);
  const set = names.filter((_, i) => [publicKey, privateKey, subject][i] !== undefined);
  if (set.length === 0) return undefined;
  if (!publicKey || !privateKey || !subject) {
    const missing = names.filter((name) => !set.includes(name));
    throw new SettingsError(
      `${set.join(', ')} set but ${missing.join(', ')} not: Web Push needs all three (\`npm run signups -- vapid\` makes a key pair)`,
    );
  }
  if (base64UrlLength(publicKey) !== 65) {
    throw new SettingsError(
      'VAPID_PUBLIC_KEY must be the 65-byte key in base64url that `npm run signups -- vapid` prints',
    );
  }
  if (base64UrlLength(privateKey) !== 32) {
    throw new SettingsError(
      'VAPID_PRIVATE_KEY must be the 32-byte key in base64url that `npm run signups -- vapid` prints',
    );
  }
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(subject)) {
    throw new SettingsError(
      `VAPID_SUBJECT must say who sends, as mailto:nhac-hen@camau.gov.vn or https://…, got "${subject}"`,
    );
  }
  const services = (env['PUSH_SERVICES']?.trim() ? env['PUSH_SERVICES'].split(',') : [...DEFAULT_PUSH_SERVICES]).map(
    (service) => {
      const trimmed = service.trim().replace(/\/$/, '');
      if (!/^https:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(trimmed)) {
        throw new SettingsError(
          `PUSH_SERVICES must list push services' origins, like https://fcm.googleapis.com,https://*.push.apple.com, got "${service}"`,
        );
      }
      return trimmed.toLowerCase();
    },
  );
  return { publicKey, privateKey, subject, services };
}

function webhookSettings(env: Record<string, string | undefined>): ReminderSettings['webhook'] {
  const url = env['REMINDER_WEBHOOK_URL']?.trim() || undefined;
  const secret = env['REMINDER_WEBHOOK_SECRET'] || undefined;
  if (!url && !secret) return undefined;
  if (!url) throw new SettingsError('REMINDER_WEBHOOK_SECRET is set but REMINDER_WEBHOOK_URL is not');
  serviceUrl('REMINDER_WEBHOOK_URL', url, ['https:'], 'https://sms-gateway.example.vn/hien-mau');
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    throw new SettingsError(
      `REMINDER_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -base64 32\`), shared with the gateway; got ${secret?.length ?? 0}`,
    );
  }
  return { url, secret };
}

function runtimeSiteUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const url = URL.parse(value.trim());
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.hostname === '') {
    throw new SettingsError(
      `SITE_URL must be the site's full address, like https://hienmau.example.vn; got "${value}"`,
    );
  }
  return url.origin;
}

/** The reminder channels these settings configure, in the order the form offers them. */
export function reminderChannels(settings: ReminderSettings): Channel[] {
  return [
    ...(settings.push ? (['push'] as const) : []),
    ...(settings.email ? (['email'] as const) : []),
    ...(settings.webhook ? (['webhook'] as const) : []),
  ];
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
    reminders: {
      email: emailSettings(env),
      push: pushSettings(env),
      webhook: webhookSettings(env),
      scheduler: (env['REMINDER_SCHEDULER'] ?? '') === '' || flag('REMINDER_SCHEDULER', env['REMINDER_SCHEDULER']),
      siteUrl: runtimeSiteUrl(env['SITE_URL']),
    },
  };
}
