/**
 * POST /nhac-hen/dung/?t=<token>: stops a person's reminders, answered by the
 * server itself before Astro's handler. Mail programs post here without the
 * person (RFC 8058 one-click unsubscribe: "List-Unsubscribe=One-Click" from
 * the provider's own servers, with no Origin and no cookie), so Astro's
 * origin check, which refuses any cross-site form post, must not see it. The
 * token is the whole authority: 128 random bits, one per person, that only
 * their messages carry; the post changes nothing else. The stop page's own
 * button posts here too, and is sent back to that page.
 */
import type { ServerResponse } from 'node:http';
import { SHORT_STOP_PATH, STOP_REMINDERS_PATH, stopRemindersHref } from '../shared/links.ts';
import type { StopOutcome } from './reminder-service.ts';

export interface OwnRouteRequest {
  method: string;
  /** The path, without the query. */
  pathname: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer | undefined;
  clientAddress: string;
}

const STATUS: Record<StopOutcome, number> = {
  stopped: 200,
  already: 200,
  'not-found': 404,
  'rate-limited': 429,
  unavailable: 503,
};

const TEXT: Record<StopOutcome, string> = {
  stopped: 'Đã dừng nhận nhắc hẹn.',
  already: 'Đã dừng nhận nhắc hẹn.',
  'not-found': 'Liên kết này không còn dùng được.',
  'rate-limited': 'Có quá nhiều yêu cầu. Xin thử lại sau ít phút.',
  unavailable: 'Hệ thống đang gặp sự cố. Xin thử lại sau ít phút.',
};

/**
 * Answers the stop post and returns true, or returns false for any other
 * request. `stop` is ReminderService.stopByToken.
 */
export async function answerStopPost(
  request: OwnRouteRequest,
  res: ServerResponse,
  stop: (token: string, clientAddress: string) => Promise<StopOutcome>,
): Promise<boolean> {
  if (request.method !== 'POST' || request.pathname !== STOP_REMINDERS_PATH) return false;
  const token = request.query.get('t') ?? '';
  let fields = new URLSearchParams();
  try {
    // Either form encoding (RFC 8058 allows multipart/form-data too), read by the platform's own parser.
    const form = await new Request('http://localhost/', {
      method: 'POST',
      headers: { 'Content-Type': request.contentType },
      body: new Uint8Array(request.body ?? Buffer.alloc(0)),
    }).formData();
    for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value);
  } catch {
    fields = new URLSearchParams();
  }
  const outcome = await stop(token, request.clientAddress);
  res.setHeader('Cache-Control', 'no-store');
  if (fields.get('tu') === 'trang' && (outcome === 'stopped' || outcome === 'already')) {
    // The stop page's button: back to that page, which now says it is done.
    res.writeHead(303, { Location: stopRemindersHref(token) });
    res.end();
    return true;
  }
  res.writeHead(STATUS[outcome], { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${TEXT[outcome]}\n`);
  return true;
}

/**
 * GET /nhac-hen/d/<18 characters>: the short stop link of an SMS or a Zalo message (at most 30
 * characters, so that the text fits one part) leads to the stop page of the whole token, which
 * only shows the button, as every stop link does. `resolve` is ReminderService.stopTokenOfShortLink.
 */
export function answerShortStop(
  request: OwnRouteRequest,
  res: ServerResponse,
  resolve: (prefix: string, clientAddress: string) => string | undefined,
): Promise<boolean> {
  if (request.method !== 'GET' || !request.pathname.startsWith(SHORT_STOP_PATH)) return Promise.resolve(false);
  const prefix = request.pathname.slice(SHORT_STOP_PATH.length).replace(/\/$/, '');
  const token = resolve(prefix, request.clientAddress);
  res.setHeader('Cache-Control', 'no-store');
  // Unknown, the stop page says the link no longer works.
  res.writeHead(303, { Location: stopRemindersHref(token ?? prefix) });
  res.end();
  return Promise.resolve(true);
}
