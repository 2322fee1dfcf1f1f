/**
 * The reminder part of the sign-up form's rules (signup/schema.ts runs them,
 * in the island as people send the form and on the server): a consent of its
 * own, never ticked for them, and at least one way to reach them among the
 * channels the server has. Nothing is kept of a channel without that consent.
 */
import { z } from 'astro/zod';
import type { Channel, ReminderChoice } from './reminder-types.ts';

export interface ReminderRules {
  /** The channels the server can send by now (settings); none, and the form offers no reminders. */
  channels(): readonly Channel[];
  /** Whether the server may post to this push service (PUSH_SERVICES); the island leaves it to the server. */
  pushEndpointAllowed?(endpoint: URL): boolean;
}

const YES = z.enum(['yes', 'on', 'true']).optional();

// Simple on purpose: the mail server is the judge; this catches typing slips ("ten@gmail", "ten gmail.com").
// No control characters (a NUL is dropped on the way and the mail goes to another address), and
// a local part of at most 64 characters, as RFC 5321 limits it.
const EMAIL = /^(?=[^@]{1,64}@)[^\s\p{Cc}@<>(),;:"[\]\\]+@[^\s\p{Cc}@<>(),;:"[\]\\]+\.[^\s\p{Cc}@<>(),;:"[\]\\.]{2,}$/u;

export const reminderFields = {
  reminders: YES,
  email: z
    .string()
    .optional()
    .refine((value) => value === undefined || (value.length <= 254 && EMAIL.test(value)), {
      error: 'Địa chỉ thư điện tử chưa đúng. Ví dụ: ten.ban@gmail.com.',
    }),
  reminderPush: YES,
  pushSubscription: z.string().max(4_000).optional(),
  reminderSms: YES,
};

type ReminderValues = { [K in keyof typeof reminderFields]?: string | undefined };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** How many bytes a base64url text stands for; null when it is not base64url. */
function decodedLength(text: string): number | null {
  if (!BASE64URL.test(text)) return null;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return null;
  return Math.floor((bare.length * 3) / 4);
}

export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * A browser's push subscription as PushSubscription.toJSON() gives it: an
 * https endpoint, the browser's P-256 public key (65 bytes) and its 16-byte
 * auth secret (RFC 8291). Anything else is null.
 */
export function parsePushSubscription(text: string): PushSubscriptionJson | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { endpoint, keys } = data as { endpoint?: unknown; keys?: unknown };
  if (typeof endpoint !== 'string' || endpoint.length > 1_000 || typeof keys !== 'object' || keys === null) return null;
  const { p256dh, auth } = keys as { p256dh?: unknown; auth?: unknown };
  if (typeof p256dh !== 'string' || typeof auth !== 'string') return null;
  const url = URL.parse(endpoint);
  if (!url || url.protocol !== 'https:' || url.username || url.password) return null;
  if (decodedLength(p256dh) !== 65 || decodedLength(auth) !== 16) return null;
  return { endpoint: url.href, keys: { p256dh, auth } };
}

/** Whether an endpoint's origin is one of `services` (origins, `https://*.host` for any subdomain). */
export function pushServiceAllowed(endpoint: URL, services: readonly string[]): boolean {
  // A host of plain labels only. web-push reads the endpoint with Node's legacy url.parse, which
  // ends a host at characters the URL standard keeps in it: "https://10.0.0.1;.push.apple.com/"
  // is *.push.apple.com here but 10.0.0.1 there. With letters, digits, hyphens and dots both agree.
  if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(endpoint.hostname) || endpoint.username || endpoint.password) return false;
  const origin = endpoint.origin.toLowerCase();
  return services.some((service) => {
    if (!service.startsWith('https://*.')) return origin === service;
    const suffix = service.slice('https://*'.length);
    return endpoint.protocol === 'https:' && endpoint.host.toLowerCase().endsWith(suffix) && !endpoint.port;
  });
}

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: string[]; message: string }): void;
}

export const REMINDER_MESSAGES = {
  noChannel: 'Hãy chọn ít nhất một cách nhận nhắc hẹn, hoặc bỏ đánh dấu ô nhận nhắc hẹn.',
  noConsent:
    'Bạn đã điền cách nhận nhắc hẹn nhưng chưa đánh dấu ô đồng ý. Hãy đánh dấu ô đó, hoặc xóa địa chỉ thư và bỏ chọn các cách nhận.',
  waitlistNeedsChannel:
    'Để được báo khi có chỗ, hãy đánh dấu ô nhận nhắc hẹn và chọn một cách nhận: chúng tôi cần cách để báo cho bạn.',
  pushFailed: 'Trình duyệt chưa bật được thông báo. Hãy cho phép trang gửi thông báo, hoặc chọn cách nhận khác.',
  pushService: 'Không gửi được thông báo đến trình duyệt này. Hãy chọn cách nhận khác.',
} as const;

/**
 * The reminder answers' issues: consent with no channel, a channel without
 * consent, a push choice without a usable subscription. `required` for the
 * waitlist, which must have a way to reach the person.
 */
export function checkReminders(values: ReminderValues, rules: ReminderRules, ctx: IssueSink, required: boolean): void {
  const offered = rules.channels();
  const wants = {
    email: offered.includes('email') && values.email !== undefined,
    push: offered.includes('push') && values.reminderPush !== undefined,
    webhook: offered.includes('webhook') && values.reminderSms !== undefined,
    texts: offersTexts(offered) && values.reminderSms !== undefined,
  };
  const anyChannel = wants.email || wants.push || wants.webhook || wants.texts;
  if (!values.reminders) {
    if (required)
      ctx.addIssue({ code: 'custom', path: ['reminders'], message: REMINDER_MESSAGES.waitlistNeedsChannel });
    else if (anyChannel) ctx.addIssue({ code: 'custom', path: ['reminders'], message: REMINDER_MESSAGES.noConsent });
    return;
  }
  if (offered.length === 0) {
    // A form from before the server's channels were taken away: nothing to agree to.
    if (required)
      ctx.addIssue({ code: 'custom', path: ['reminders'], message: REMINDER_MESSAGES.waitlistNeedsChannel });
    return;
  }
  if (!anyChannel) {
    ctx.addIssue({ code: 'custom', path: ['reminders'], message: REMINDER_MESSAGES.noChannel });
    return;
  }
  if (wants.push) {
    const subscription = parsePushSubscription(values.pushSubscription ?? '');
    if (!subscription) {
      ctx.addIssue({ code: 'custom', path: ['reminderPush'], message: REMINDER_MESSAGES.pushFailed });
    } else if (rules.pushEndpointAllowed && !rules.pushEndpointAllowed(new URL(subscription.endpoint))) {
      ctx.addIssue({ code: 'custom', path: ['reminderPush'], message: REMINDER_MESSAGES.pushService });
    }
  }
}

/** Whether the server texts the number itself (Zalo or SMS): the form's "texts" choice then means them. */
export function offersTexts(channels: readonly Channel[]): boolean {
  return channels.includes('zalo') || channels.includes('sms');
}

/** What a checked form agreed to, on the channels offered; undefined without consent or channel. */
export function reminderChoiceOf(values: ReminderValues, channels: readonly Channel[]): ReminderChoice | undefined {
  if (!values.reminders) return undefined;
  const push =
    channels.includes('push') && values.reminderPush ? parsePushSubscription(values.pushSubscription ?? '') : null;
  const choice: ReminderChoice = {
    email: channels.includes('email') ? values.email : undefined,
    push: push ? JSON.stringify(push) : undefined,
    webhook: channels.includes('webhook') && values.reminderSms !== undefined,
    // Left out rather than false when not chosen, as the other channels are.
    texts: offersTexts(channels) && values.reminderSms !== undefined ? true : undefined,
  };
  return choice.email || choice.push || choice.webhook || choice.texts ? choice : undefined;
}
