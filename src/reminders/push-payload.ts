/**
 * What a reminder by Web Push carries, and how the service worker shows it:
 * both sides of one small JSON contract, pure, so the worker bundles only
 * this. Links are paths, opened on the origin the worker runs on; the
 * payload is encrypted for the browser (RFC 8291) and stays under the push
 * services' 4 kB.
 */
import { iconPath } from '../offline/web-manifest.ts';

/** The notification's button that opens the stop page instead of the message's page. */
export const STOP_ACTION = 'dung';
export const DEFAULT_TITLE = 'Hiến máu Cà Mau';

export interface PushPayload {
  title: string;
  body: string;
  /** The page a tap opens (a path). */
  url: string;
  /** The stop page of this person's reminders (a path). */
  stop: string;
  /** Notifications with one tag replace each other: one per message kind and slot. */
  tag: string;
}

/** What Notification options this worker sets; `actions` is not in TypeScript's DOM library. */
export interface ShownNotification {
  title: string;
  options: NotificationOptions & { actions?: { action: string; title: string }[] };
}

const pathOnly = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return undefined;
  return value;
};
const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;

/** Reads a push's text as the server wrote it; anything else becomes a plain notice of the site. */
export function notificationOf(data: string, origin: string): ShownNotification {
  let payload: Partial<Record<keyof PushPayload, unknown>> = {};
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === 'object' && parsed !== null) payload = parsed;
  } catch {
    // Not ours, or cut: the site's name and a link home.
  }
  const url = pathOnly(payload.url) ?? '/';
  const stop = pathOnly(payload.stop);
  return {
    title: text(payload.title, 120) ?? DEFAULT_TITLE,
    options: {
      body: text(payload.body, 400) ?? '',
      icon: new URL(iconPath(192), origin).href,
      lang: 'vi',
      tag: text(payload.tag, 64) ?? 'hien-mau',
      data: { url, ...(stop ? { stop } : {}) },
      ...(stop ? { actions: [{ action: STOP_ACTION, title: 'Dừng nhắc hẹn' }] } : {}),
    },
  };
}
