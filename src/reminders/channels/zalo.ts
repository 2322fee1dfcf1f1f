/**
 * Reminders by Zalo Notification Service (ZNS): an approved template, one
 * per message kind (ZALO_TEMPLATE_<KIND>), sent to the person's number in
 * 84… form, with the Official Account's access token (zalo-token-store.ts).
 *
 * The token: an access token lives 25 hours; it is refreshed with the
 * refresh token, which Zalo accepts once and replaces at every refresh. The
 * refresh is marked begun (committed) before it is asked, and its answer is
 * stored in one committed statement the moment it arrives, before anything
 * is sent with it. It is refreshed in the second half of the access token's
 * life, so a refresh whose answer is lost (kill -9 in that window) still
 * leaves the old access token, good for 12 hours or more: Zalo keeps sending.
 * A sender that starts and finds such a refresh (`recover`) asks Zalo again
 * at once with the stored refresh token: if the lost request never reached
 * Zalo, it is still good and nothing more is needed; if Zalo refuses it (it
 * took the token and its answer was lost), the channel is marked broken and
 * the console (its first page and `/to-chuc/nhac-hen/`) and `reminders
 * status` ask an admin to authorise the app again from the browser
 * (zalo-auth.ts), which stores new tokens with no restart. Zalo's protocol
 * has no way to make the rotation itself atomic: a refresh token is taken
 * by Zalo the moment it is used (docs/deploy.md "Zalo ZNS"). A refresh
 * token Zalo refuses stops the channel once the old access token ends; each
 * message then goes on by SMS (sender.ts), none is lost.
 *
 * ZNS's answers (error codes as Zalo documents them at
 * https://zalo.cloud/zns/guidelines/handle-error-code):
 * - 0: sent;
 * - -100 unknown error, -115 out of quota, HTTP 429 and 5xx, no answer: try again later;
 * - -124 access token invalid: refreshed once and sent again;
 * - -108 phone number invalid, -114 user inactive or refused ZNS, -118 Zalo
 *   account not existed, -119 account cannot receive ZNS: this person has no
 *   Zalo we can reach, Zalo ends for them and the message goes by SMS;
 * - -101 to -107 (our application), -109 template id invalid, -111 and -112
 *   template data empty or invalid, -113 button invalid, -116 text invalid,
 *   -117 template not ours: our setup is wrong; the console says so and the
 *   message goes by SMS;
 * - anything else: tried again, then failed (and passed on to SMS).
 */
import { createHash } from 'node:crypto';
import type { ZaloSettings } from '../../settings.ts';
import type { ReminderMessage } from '../messages.ts';
import type { ZaloTokenStore } from '../zalo-token-store.ts';
import { describe, type ChannelSender, type Delivery, type Recipient } from './delivery.ts';

export const ZNS_RETRY = [-100, -115] as const;
export const ZNS_NO_ZALO = [-108, -114, -118, -119] as const;
export const ZNS_SETUP = [-101, -102, -103, -104, -105, -106, -107, -109, -111, -112, -113, -116, -117] as const;
export const ZNS_TOKEN_INVALID = -124;

/** What ZNS's answer means for this message and this person. */
export function znsDelivery(status: number, body: { error?: unknown; message?: unknown }): Delivery {
  const code = typeof body.error === 'number' ? body.error : Number.NaN;
  const error = `ZNS answered ${status}${Number.isNaN(code) ? '' : ` error ${code}`}${
    typeof body.message === 'string' ? `: ${body.message.slice(0, 120)}` : ''
  }`;
  if (status === 429 || status >= 500) return { kind: 'retry', error };
  if (code === 0 && status >= 200 && status < 300) return { kind: 'sent' };
  if ((ZNS_NO_ZALO as readonly number[]).includes(code)) return { kind: 'gone', error };
  if ((ZNS_SETUP as readonly number[]).includes(code)) return { kind: 'failed', error, setup: true };
  return { kind: 'retry', error };
}

/** ZNS parameters' lengths: a customer's name at most 30 characters, other short fields too; an address 200. */
const PARAM_LIMITS: Record<string, number> = {
  name: 30,
  code: 30,
  day: 30,
  time: 30,
  group: 30,
  place: 100,
  address: 200,
};
const DEFAULT_LIMIT = 100;

/** A parameter's value as ZNS takes it: no control or format characters, no emoji, at most `limit` characters. */
export function znsParam(value: string, limit: number): string {
  const clean = value
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\p{Extended_Pictographic}|\u{FE0F}|[\u{1F3FB}-\u{1F3FF}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...clean].slice(0, limit).join('').trim();
}

/** The template's data for a message: our fields, under the template's own parameter names. */
export function templateData(
  message: ReminderMessage,
  to: Pick<Recipient, 'name'>,
  params: Record<string, string>,
): Record<string, string> {
  const w = message.words;
  const fields: Record<string, string | undefined> = {
    name: to.name,
    code: w.code,
    day: w.shortDay ?? w.day,
    time: w.times,
    place: w.driveName,
    address: w.address,
    hold_until: w.holdUntil,
    again_day: w.againDay,
    units: w.units === undefined ? undefined : String(w.units),
    group: w.bloodGroup,
    stop: message.textFacts.stopUrl,
  };
  // A template given its parameters gets those only (ZNS refuses data its template does not have).
  const named = Object.keys(params).length > 0;
  const data: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || value === '' || (named && !params[field])) continue;
    data[params[field] ?? field] = znsParam(value, PARAM_LIMITS[field] ?? DEFAULT_LIMIT);
  }
  return data;
}

/** The phone as ZNS takes it: 84 and nine digits. */
export function znsPhone(address: string): string {
  return address.replace(/^\+/, '');
}

/** A refresh halfway through the access token's life leaves the old token usable if the answer is lost. */
const REFRESH_WHEN_LEFT_MS = 12 * 3_600_000;
const TIMEOUT_MS = 15_000;
/** A refresh begun longer ago than its timeout and some is one whose process died waiting for it. */
export const LOST_REFRESH_MS = TIMEOUT_MS + 15_000;

/**
 * One refresh at a time in this process, whichever channel asks: the sender's and the blood
 * appeals' (src/site/blood-appeal.ts) each open a Zalo channel, and Zalo takes a refresh token
 * once, so a second refresh beside the first would spend the token the first just replaced.
 * On globalThis because the server and the site's bundle each load their own copy of this module.
 */
const REFRESHING = Symbol.for('hien-mau.zalo-refreshing');
const refreshing = ((globalThis as Record<symbol, unknown>)[REFRESHING] ??= { current: undefined }) as {
  current: Promise<string> | undefined;
};

class TokenRefused extends Error {
  override name = 'TokenRefused';
}

export function zaloChannel(settings: ZaloSettings, tokens: () => ZaloTokenStore): ChannelSender {
  async function refresh(store: ZaloTokenStore, refreshToken: string): Promise<string> {
    store.beginRefresh(new Date());
    const response = await fetch(settings.oauthUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: settings.appSecret },
      body: new URLSearchParams({ refresh_token: refreshToken, app_id: settings.appId, grant_type: 'refresh_token' }),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      refresh_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_name?: unknown;
    };
    if (typeof body.access_token === 'string' && typeof body.refresh_token === 'string') {
      const seconds = Number(body.expires_in) > 0 ? Number(body.expires_in) : 90_000;
      const now = new Date();
      store.storeRefreshed(
        {
          refreshToken: body.refresh_token,
          accessToken: body.access_token,
          expiresAt: new Date(now.getTime() + seconds * 1_000),
        },
        refreshToken,
        now,
      );
      // Not stored when an admin authorised again meanwhile; this access token still works.
      return body.access_token;
    }
    if (response.status === 429 || response.status >= 500) throw new Error(`OAuth answered ${response.status}`);
    const code = typeof body.error === 'number' ? body.error : response.status;
    const name = typeof body.error_name === 'string' ? body.error_name.slice(0, 80) : '';
    const reason = `Zalo từ chối refresh token (${code} ${name})`;
    store.markBroken(reason.trim(), refreshToken, new Date());
    // Refused because an authorisation replaced the token while this refresh was on its way:
    // the new access token, not the alarm.
    const current = store.load(settings.refreshToken, new Date());
    if (current.refreshToken !== refreshToken && !current.broken && current.accessToken) return current.accessToken;
    throw new TokenRefused(reason);
  }

  /** A usable access token, refreshed when past the middle of its life (or `force`). */
  async function accessToken(force: boolean): Promise<string> {
    const store = tokens();
    const state = store.load(settings.refreshToken, new Date());
    const left = state.accessExpiresAt ? Date.parse(state.accessExpiresAt) - Date.now() : 0;
    if (state.broken) {
      // The old access token still works until it expires: used meanwhile.
      if (state.accessToken && left > 0 && !force) return state.accessToken;
      throw new TokenRefused(state.broken);
    }
    if (state.accessToken && left > REFRESH_WHEN_LEFT_MS && !force) return state.accessToken;
    try {
      if (refreshing.current) return await refreshing.current;
      const running = refresh(store, state.refreshToken).finally(() => (refreshing.current = undefined));
      refreshing.current = running;
      return await running;
    } catch (error) {
      if (error instanceof TokenRefused) {
        if (state.accessToken && left > 0 && !force) return state.accessToken;
        throw error;
      }
      // Zalo did not answer: the old token, while it lasts, rather than nothing.
      if (state.accessToken && left > 0 && !force) return state.accessToken;
      throw error;
    }
  }

  async function post(token: string, body: string): Promise<Delivery> {
    const response = await fetch(settings.apiUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', access_token: token },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: unknown; message?: unknown; data?: unknown };
    if (answer.error === ZNS_TOKEN_INVALID) return { kind: 'retry', error: 'token' };
    const delivery = znsDelivery(response.status, answer);
    if (delivery.kind === 'sent') {
      const id = (answer.data as { msg_id?: unknown } | undefined)?.msg_id;
      return { kind: 'sent', ...(typeof id === 'string' ? { providerId: id.slice(0, 64) } : {}) };
    }
    return delivery;
  }

  return {
    async send(message: ReminderMessage, to: Recipient): Promise<Delivery> {
      const kind = message.template ?? message.kind;
      const template = settings.templates[kind];
      if (!template) {
        return {
          kind: 'failed',
          error: `no ZNS template for ${kind} (ZALO_TEMPLATE_${kind.toUpperCase()})`,
          setup: true,
        };
      }
      const body = JSON.stringify({
        phone: znsPhone(to.address),
        template_id: template.id,
        template_data: templateData(message, to, template.params),
        // The outbox key, hashed: the same for a message sent again, and naming no one.
        // Hex with its digits spelled as letters (0→g … 9→p): a hash in plain hex can hold a run
        // of digits that reads like a phone number, and the id must never look like one.
        tracking_id: createHash('sha256')
          .update(to.key)
          .digest('hex')
          .slice(0, 32)
          .replace(/\d/g, (digit) => 'ghijklmnop'.charAt(Number(digit))),
      });
      try {
        let delivery = await post(await accessToken(false), body);
        if (delivery.kind === 'retry' && delivery.error === 'token') {
          delivery = await post(await accessToken(true), body);
          if (delivery.kind === 'retry' && delivery.error === 'token') {
            return { kind: 'retry', error: 'ZNS refused the access token (-124)' };
          }
        }
        return delivery;
      } catch (error) {
        if (error instanceof TokenRefused) return { kind: 'failed', error: error.message, setup: true };
        return { kind: 'retry', error: describe(error) };
      }
    },
    async recover(): Promise<void> {
      const store = tokens();
      const state = store.load(settings.refreshToken, new Date());
      if (state.broken || !state.refreshingSince || refreshing.current) return;
      if (Date.now() - Date.parse(state.refreshingSince) < LOST_REFRESH_MS) return;
      // The lost refresh's token, once more: refused, it marks the channel broken (the alarm).
      try {
        const running = refresh(store, state.refreshToken).finally(() => (refreshing.current = undefined));
        refreshing.current = running;
        await running;
      } catch {
        // Refused: marked broken by refresh. Unreachable: refreshing_since stays, tried again next time.
      }
    },
    close: () => Promise.resolve(),
  };
}
