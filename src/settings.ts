/**
 * Every environment variable the running site reads, checked once, in one
 * place: the server refuses to start with one clear message for a bad value
 * instead of misbehaving later. (What the build reads — SITE_URL, MAP_TILE_URL,
 * ZALO_OA_ID, CONTENT_DIR… — is in build-settings.ts.)
 */
import { dirname, join } from 'node:path';
import { DEFAULT_DB_PATH } from './store/database.ts';
import { SettingsError } from './settings-error.ts';
import type { Channel, TemplateKind } from './reminder-choice/reminder-types.ts';
import { TEMPLATE_KINDS } from './reminder-choice/reminder-types.ts';

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
  /** BLOOD_LEVEL_STALE_DAYS, BLOOD_APPEAL_QUIET_DAYS: blood needs (docs/organisers.md, "Blood needs"). */
  needs: { staleDays: number; appealQuietDays: number };
  /** CONTENT_REPO, PUBLISH_DIR, PUBLISH_CHECK_MINUTES: the editors' history and publishing (docs/deploy.md, "Kho nội dung và xuất bản"). */
  content: ContentSettings;
}

export interface ContentSettings {
  /** CONTENT_REPO: the git repository of content/ the console saves to; default noi-dung/ beside SIGNUP_DB. */
  repo: string;
  /** PUBLISH_DIR: where published builds and current.json are kept; default ban-dung/ beside SIGNUP_DB. */
  publishDir: string;
  /** PUBLISH_CHECK_MINUTES: how often the server looks for an article whose date has come (0: never). */
  checkMinutes: number;
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
  /** SMPP_URL, SMS_SENDER and the SMS_* limits: SMS over SMPP 3.4 to the sign-up's number. */
  sms: SmsSettings | undefined;
  /** ZALO_APP_ID, ZALO_APP_SECRET, ZALO_REFRESH_TOKEN, ZALO_TEMPLATE_<KIND>: Zalo Notification Service. */
  zalo: ZaloSettings | undefined;
  /** REMINDER_PHONE_CONFIRMATION=0: no confirmation by phone right after a sign-up (on when a phone channel exists). */
  phoneConfirmation: boolean;
  /** REMINDER_SCHEDULER=0: the server sends nothing itself; cron runs `npm run signups -- reminders send`. */
  scheduler: boolean;
  /** SITE_URL at run time: the address links in messages start with; unset, the one the build was made with. */
  siteUrl: string | undefined;
}

export interface SmsSettings {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
  /** The brandname (alphanumeric source address) the provider registered for the Red Cross. */
  sender: string;
  /** SMS_RATE: submit_sm per second at most (the provider's contract). */
  rate: number;
  /** SMS_WINDOW: submit_sm sent and not yet answered at most. */
  window: number;
  /** SMS_UNICODE=1: Vietnamese with its diacritics (UCS-2, 70 characters a part) instead of GSM-7 without them. */
  unicode: boolean;
  /** SMS_DAILY_CAP: messages a day (Cà Mau's day) at most; 0 for none. */
  dailyCap: number;
  /** SMS_PART_PRICE: đồng per part, for the costs `reminders send --dry-run` prints. */
  partPrice: number;
}

export interface ZaloTemplate {
  id: string;
  /** Our field → the template's parameter name (ZNS templates name their own parameters). */
  params: Record<string, string>;
}

export interface ZaloSettings {
  appId: string;
  appSecret: string;
  /** The Official Account's refresh token as first given; the database keeps the ones that follow. */
  refreshToken: string;
  templates: Partial<Record<TemplateKind, ZaloTemplate>>;
  /** ZALO_API_URL: ZNS's send address (the sandbox drop-in or a loopback peer in tests). */
  apiUrl: string;
  /** ZALO_OAUTH_URL: where the access token is got from the refresh token (OAuth v4). */
  oauthUrl: string;
  /** ZALO_PERMISSION_URL: Zalo's page where an admin authorises the app again (a loopback stand-in in tests). */
  permissionUrl: string;
  /**
   * ZALO_REDIRECT_URI: where Zalo sends the admin back, as registered in the Zalo app; by default
   * SITE_URL + /to-chuc/nhac-hen/zalo/ (the console then uses its own address if SITE_URL is unset).
   */
  redirectUri: string | undefined;
  /** ZALO_DAILY_CAP: messages a day at most; 0 for none. */
  dailyCap: number;
  /** ZALO_PRICE: đồng per message, for the costs `reminders send --dry-run` prints. */
  price: number;
}

export const DEFAULT_ZALO_API_URL = 'https://business.openapi.zalo.me/message/template';
export const DEFAULT_ZALO_OAUTH_URL = 'https://oauth.zaloapp.com/v4/oa/access_token';
export const DEFAULT_ZALO_PERMISSION_URL = 'https://oauth.zaloapp.com/v4/oa/permission';
/** The console's page Zalo sends an admin back to (src/pages/to-chuc/nhac-hen/zalo/). */
export const ZALO_CALLBACK_PATH = '/to-chuc/nhac-hen/zalo/';

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
    throw new SettingsError(`${name} phải là số nguyên từ ${min} đến ${max} (${what}), nhưng đang là "${value}"`);
  }
  return number;
}

function flag(name: string, value: string | undefined): boolean {
  if (value === undefined || ['', '0', 'false', 'no'].includes(value.toLowerCase())) return false;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  throw new SettingsError(`${name} phải là 1 (bật) hoặc 0 (tắt), nhưng đang là "${value}"`);
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
    throw new SettingsError(`${name} phải là một địa chỉ đầy đủ, ví dụ ${example}, nhưng đang là "${value}"`);
  }
  return value;
}

function emailSettings(env: Record<string, string | undefined>): ReminderSettings['email'] {
  const smtpUrl = env['SMTP_URL'] || undefined;
  const from = env['MAIL_FROM']?.trim() || undefined;
  if (!smtpUrl && !from) return undefined;
  if (!smtpUrl)
    throw new SettingsError('Đã đặt MAIL_FROM nhưng chưa đặt SMTP_URL: cần đặt cả hai để gửi nhắc hẹn qua e-mail');
  const url = URL.parse(smtpUrl);
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
    throw new SettingsError(
      'SMTP_URL phải là máy chủ chuyển thư, dạng smtp://user:password@host:587 (STARTTLS) hoặc smtps://…:465; giá trị đang đặt không đúng dạng đó',
    );
  }
  if (!from || !/^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(from)) {
    throw new SettingsError(
      `MAIL_FROM phải là người gửi, ví dụ "Hội Chữ thập đỏ tỉnh Cà Mau <nhac-hen@camau.gov.vn>", nhưng đang là "${from ?? ''}"`,
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
      `Đã đặt ${set.join(', ')} nhưng chưa đặt ${missing.join(', ')}: Web Push cần đủ cả ba (\`npm run signups -- vapid\` tạo một cặp khoá)`,
    );
  }
  if (base64UrlLength(publicKey) !== 65) {
    throw new SettingsError('VAPID_PUBLIC_KEY phải là khoá 65 byte dạng base64url do `npm run signups -- vapid` in ra');
  }
  if (base64UrlLength(privateKey) !== 32) {
    throw new SettingsError(
      'VAPID_PRIVATE_KEY phải là khoá 32 byte dạng base64url do `npm run signups -- vapid` in ra',
    );
  }
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(subject)) {
    throw new SettingsError(
      `VAPID_SUBJECT phải cho biết ai gửi, dạng mailto:nhac-hen@camau.gov.vn hoặc https://…, nhưng đang là "${subject}"`,
    );
  }
  const services = (env['PUSH_SERVICES']?.trim() ? env['PUSH_SERVICES'].split(',') : [...DEFAULT_PUSH_SERVICES]).map(
    (service) => {
      const trimmed = service.trim().replace(/\/$/, '');
      if (!/^https:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(trimmed)) {
        throw new SettingsError(
          `PUSH_SERVICES phải liệt kê gốc địa chỉ (origin) của các dịch vụ push, ví dụ https://fcm.googleapis.com,https://*.push.apple.com, nhưng có mục "${service}"`,
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
  if (!url) throw new SettingsError('Đã đặt REMINDER_WEBHOOK_SECRET nhưng chưa đặt REMINDER_WEBHOOK_URL');
  serviceUrl('REMINDER_WEBHOOK_URL', url, ['https:'], 'https://sms-gateway.example.vn/hien-mau');
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    throw new SettingsError(
      `REMINDER_WEBHOOK_SECRET phải dài ít nhất ${MIN_SECRET_LENGTH} ký tự (ví dụ kết quả của \`openssl rand -base64 32\`), dùng chung với cổng gửi tin; hiện chỉ có ${secret?.length ?? 0} ký tự`,
    );
  }
  return { url, secret };
}

function smsSettings(env: Record<string, string | undefined>): SmsSettings | undefined {
  const value = env['SMPP_URL']?.trim() || undefined;
  const sender = env['SMS_SENDER']?.trim() || undefined;
  if (!value && !sender) return undefined;
  if (!value) throw new SettingsError('Đã đặt SMS_SENDER nhưng chưa đặt SMPP_URL: cần cả hai để gửi SMS');
  const url = URL.parse(value);
  if (!url || !['smpp:', 'smpps:'].includes(url.protocol) || url.hostname === '' || !url.username) {
    throw new SettingsError(
      'SMPP_URL phải có dạng smpp://<system id>:<mật khẩu>@<máy chủ>:<cổng> (smpps:// khi nhà cung cấp dùng TLS); giá trị đang đặt không đúng dạng đó',
    );
  }
  // SMPP 3.4 limits system_id to 15 characters and the password to 8 (5.2.1, 5.2.2).
  const systemId = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (systemId.length > 15 || password.length > 8) {
    throw new SettingsError('SMPP_URL: system id dài tối đa 15 ký tự và mật khẩu tối đa 8 ký tự (SMPP 3.4)');
  }
  // An alphanumeric source address holds 11 characters (GSM 03.40); the brandname is registered so.
  if (!sender || !/^[A-Za-z0-9 ._-]{1,11}$/.test(sender)) {
    throw new SettingsError(
      `SMS_SENDER phải là tên thương hiệu (brandname) đã đăng ký, tối đa 11 chữ cái không dấu hoặc chữ số, ví dụ HOICTDCAMAU, nhưng đang là "${sender ?? ''}"`,
    );
  }
  const tls = url.protocol === 'smpps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 3550 : 2775,
    tls,
    systemId,
    password,
    sender,
    rate: wholeNumber('SMS_RATE', env['SMS_RATE'], 10, 1, 1_000, 'số tin SMS mỗi giây theo hợp đồng'),
    window: wholeNumber('SMS_WINDOW', env['SMS_WINDOW'], 10, 1, 100, 'số tin đã gửi đi chưa được trả lời'),
    unicode: flag('SMS_UNICODE', env['SMS_UNICODE']),
    dailyCap: wholeNumber(
      'SMS_DAILY_CAP',
      env['SMS_DAILY_CAP'],
      0,
      0,
      10_000_000,
      'số tin SMS mỗi ngày; 0 là không giới hạn',
    ),
    partPrice: wholeNumber('SMS_PART_PRICE', env['SMS_PART_PRICE'], 0, 0, 100_000, 'giá mỗi phần tin SMS, đồng'),
  };
}

/** "246810" or "246810 code=ma_dat_cho name=ten_khach_hang": a template id and, if the template names them otherwise, its parameters. */
function zaloTemplate(name: string, value: string): ZaloTemplate {
  const [id = '', ...pairs] = value.trim().split(/\s+/);
  if (!/^\d{1,20}$/.test(id)) {
    throw new SettingsError(
      `${name} phải là mã mẫu ZNS đã được duyệt (chữ số), có thể kèm tên tham số, ví dụ "246810" hoặc "246810 name=ten_khach_hang"; đang là "${value}"`,
    );
  }
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([a-z_]+)=([A-Za-z0-9_]{1,50})$/.exec(pair);
    if (!match)
      throw new SettingsError(`${name}: "${pair}" phải có dạng trường=tham_so_cua_mau, ví dụ name=ten_khach_hang`);
    params[match[1] as string] = match[2] as string;
  }
  return { id, params };
}

function zaloRedirectUri(env: Record<string, string | undefined>): string | undefined {
  const value = env['ZALO_REDIRECT_URI']?.trim();
  if (value)
    return serviceUrl('ZALO_REDIRECT_URI', value, ['https:'], `https://hienmau.example.vn${ZALO_CALLBACK_PATH}`);
  const site = runtimeSiteUrl(env['SITE_URL']);
  return site ? `${site}${ZALO_CALLBACK_PATH}` : undefined;
}

function zaloSettings(env: Record<string, string | undefined>): ZaloSettings | undefined {
  const names = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_REFRESH_TOKEN'] as const;
  const [appId, appSecret, refreshToken] = names.map((n) => env[n]?.trim() || undefined);
  const set = names.filter((_, i) => [appId, appSecret, refreshToken][i] !== undefined);
  if (set.length === 0) return undefined;
  if (!appId || !appSecret || !refreshToken) {
    const missing = names.filter((n) => !set.includes(n));
    throw new SettingsError(`Đã đặt ${set.join(', ')} nhưng chưa đặt ${missing.join(', ')}: Zalo ZNS cần đủ cả ba`);
  }
  if (!/^\d{1,25}$/.test(appId))
    throw new SettingsError(`ZALO_APP_ID phải là ID ứng dụng (chữ số), đang là "${appId}"`);
  const templates: Partial<Record<TemplateKind, ZaloTemplate>> = {};
  for (const kind of TEMPLATE_KINDS) {
    const name = `ZALO_TEMPLATE_${kind.toUpperCase()}`;
    const value = env[name]?.trim();
    if (value) templates[kind] = zaloTemplate(name, value);
  }
  if (Object.keys(templates).length === 0) {
    throw new SettingsError(
      'Zalo ZNS cần ít nhất một mẫu tin đã duyệt: đặt ZALO_TEMPLATE_EVENING, ZALO_TEMPLATE_SOON, ZALO_TEMPLATE_CONFIRM… (docs/deploy.md, "Zalo ZNS")',
    );
  }
  return {
    appId,
    appSecret,
    refreshToken,
    templates,
    apiUrl: serviceUrl(
      'ZALO_API_URL',
      env['ZALO_API_URL']?.trim() || DEFAULT_ZALO_API_URL,
      ['https:'],
      DEFAULT_ZALO_API_URL,
    ),
    oauthUrl: serviceUrl(
      'ZALO_OAUTH_URL',
      env['ZALO_OAUTH_URL']?.trim() || DEFAULT_ZALO_OAUTH_URL,
      ['https:'],
      DEFAULT_ZALO_OAUTH_URL,
    ),
    permissionUrl: serviceUrl(
      'ZALO_PERMISSION_URL',
      env['ZALO_PERMISSION_URL']?.trim() || DEFAULT_ZALO_PERMISSION_URL,
      ['https:'],
      DEFAULT_ZALO_PERMISSION_URL,
    ),
    redirectUri: zaloRedirectUri(env),
    dailyCap: wholeNumber(
      'ZALO_DAILY_CAP',
      env['ZALO_DAILY_CAP'],
      0,
      0,
      10_000_000,
      'số tin Zalo mỗi ngày; 0 là không giới hạn',
    ),
    price: wholeNumber('ZALO_PRICE', env['ZALO_PRICE'], 0, 0, 100_000, 'giá mỗi tin ZNS, đồng'),
  };
}

function runtimeSiteUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const url = URL.parse(value.trim());
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.hostname === '') {
    throw new SettingsError(
      `SITE_URL phải là địa chỉ đầy đủ của trang web, ví dụ https://hienmau.example.vn; nhưng đang là "${value}"`,
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
    ...(settings.zalo ? (['zalo'] as const) : []),
    ...(settings.sms ? (['sms'] as const) : []),
  ];
}

const SHARED = Symbol.for('hien-mau.settings');
const shared = globalThis as { [SHARED]?: Settings | undefined };

/**
 * The settings of `env`, checked. Without `env`, those of this process's
 * environment, read and checked on the first call only: the environment does
 * not change while the process runs, and the sign-up path asks for them on
 * every post. The server (src/server/) and the site's bundle each load their
 * own copy of this module, so the one reading is kept on globalThis, like the
 * sign-up store (signup/shared-store.ts).
 */
export function readSettings(env?: Record<string, string | undefined>): Settings {
  if (env) return checkSettings(env);
  shared[SHARED] ??= checkSettings(process.env);
  return shared[SHARED];
}

/** Forgets the process's settings, for tests that change process.env: the next readSettings() reads it again. */
export function resetSettings(): void {
  shared[SHARED] = undefined;
}

/**
 * SIGNUP_DB alone, for the command line: it must work with settings the server
 * would refuse (MAIL_FROM set before SMTP_URL, say), which are not its business.
 */
/** The content repository and the publish folder alone, for the command line (as signupDbPath). */
export function contentSettings(env: Record<string, string | undefined> = process.env): ContentSettings {
  const state = dirname(signupDbPath(env));
  return {
    repo: env['CONTENT_REPO']?.trim() || join(state, 'noi-dung'),
    publishDir: env['PUBLISH_DIR']?.trim() || join(state, 'ban-dung'),
    checkMinutes: wholeNumber(
      'PUBLISH_CHECK_MINUTES',
      env['PUBLISH_CHECK_MINUTES'],
      10,
      0,
      1440,
      'số phút giữa hai lần xem có bài đến ngày đăng; 0 là không xem',
    ),
  };
}

export function signupDbPath(env: Record<string, string | undefined> = process.env): string {
  return env['SIGNUP_DB'] || DEFAULT_DB_PATH;
}

function checkSettings(env: Record<string, string | undefined>): Settings {
  const secret = env['SIGNUP_SECRET'] || undefined;
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new SettingsError(
      `SIGNUP_SECRET phải dài ít nhất ${MIN_SECRET_LENGTH} ký tự (ví dụ kết quả của \`openssl rand -base64 32\`), hiện chỉ có ${secret.length} ký tự`,
    );
  }
  return {
    port: wholeNumber('PORT', env['PORT'], 4321, 0, 65535, 'cổng máy chủ lắng nghe'),
    host: env['HOST'] || '127.0.0.1',
    signupDb: signupDbPath(env),
    signupRateLimit: wholeNumber(
      'SIGNUP_RATE_LIMIT',
      env['SIGNUP_RATE_LIMIT'],
      DEFAULT_SIGNUP_RATE_LIMIT,
      1,
      1_000_000_000,
      'số lượt đăng ký mỗi địa chỉ trong 10 phút',
    ),
    loginRateLimit: wholeNumber(
      'LOGIN_RATE_LIMIT',
      env['LOGIN_RATE_LIMIT'],
      DEFAULT_LOGIN_RATE_LIMIT,
      1,
      1_000_000_000,
      'số lần thử đăng nhập mỗi địa chỉ trong 10 phút',
    ),
    trustProxy: flag('TRUST_PROXY', env['TRUST_PROXY']),
    signupSecret: secret,
    siteDist: env['SITE_DIST'] || 'dist',
    reminders: {
      email: emailSettings(env),
      push: pushSettings(env),
      webhook: webhookSettings(env),
      sms: smsSettings(env),
      zalo: zaloSettings(env),
      phoneConfirmation:
        (env['REMINDER_PHONE_CONFIRMATION'] ?? '') === '' ||
        flag('REMINDER_PHONE_CONFIRMATION', env['REMINDER_PHONE_CONFIRMATION']),
      scheduler: (env['REMINDER_SCHEDULER'] ?? '') === '' || flag('REMINDER_SCHEDULER', env['REMINDER_SCHEDULER']),
      siteUrl: runtimeSiteUrl(env['SITE_URL']),
    },
    content: contentSettings(env),
    needs: {
      staleDays: wholeNumber(
        'BLOOD_LEVEL_STALE_DAYS',
        env['BLOOD_LEVEL_STALE_DAYS'],
        3,
        1,
        365,
        'số ngày một mức máu còn mới',
      ),
      appealQuietDays: wholeNumber(
        'BLOOD_APPEAL_QUIET_DAYS',
        env['BLOOD_APPEAL_QUIET_DAYS'],
        14,
        0,
        365,
        'số ngày giữa hai lời kêu gọi gửi cho một người',
      ),
    },
  };
}
