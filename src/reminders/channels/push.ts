/**
 * Reminders by Web Push with the web-push package: the payload (push-payload.ts)
 * encrypted for the browser's keys (aes128gcm, RFC 8291) and sent with a
 * VAPID signature (RFC 8292) to the push service the browser chose, one of
 * PUSH_SERVICES. The TTL ends when the message is worth nothing, and its topic
 * (from the outbox key) lets the service replace an undelivered copy of the
 * same message sent again after a crash. The VAPID JWT of each push service is
 * signed once and reused for hours (RFC 8292 allows up to 24): signing and
 * re-encoding the key for every message made most of the sender's garbage.
 */
import { createECDH, createHash } from 'node:crypto';
import webpush from 'web-push';
import type { ReminderMessage } from '../messages.ts';
import { parsePushSubscription, pushServiceAllowed } from '../../reminder-choice/reminder-schema.ts';
import { describe, type ChannelSender, type Delivery, type Recipient } from './delivery.ts';

const FOUR_WEEKS_S = 28 * 86_400;
/** A JWT is made valid for 12 hours and replaced when less than one is left. */
const JWT_LIFE_S = 12 * 3_600;
const JWT_RENEW_S = 3_600;

/** computeSecret checks the other side's point; it needs a key pair of its own, made once. */
const probe = createECDH('prime256v1');
probe.generateKeys();

/** Whether a base64url p256dh is an uncompressed point on P-256 (what RFC 8291 encrypts for). */
export function isP256Point(p256dh: string): boolean {
  try {
    probe.computeSecret(Buffer.from(p256dh, 'base64url'));
    return true;
  } catch {
    return false;
  }
}

/** What a push service's answer means for this message and this person. */
export function pushDelivery(error: unknown): Delivery {
  const status = error instanceof webpush.WebPushError ? error.statusCode : undefined;
  const text = status === undefined ? describe(error) : `push service answered ${status}`;
  // 404 and 410: the subscription is gone (unsubscribed, expired, browser data cleared).
  if (status === 404 || status === 410) return { kind: 'gone', error: text };
  // 400 and 413: this payload or request is wrong, sending it again will not help.
  if (status === 400 || status === 413) return { kind: 'failed', error: text };
  return { kind: 'retry', error: text };
}

export function pushChannel(settings: {
  publicKey: string;
  privateKey: string;
  subject: string;
  services: readonly string[];
}): ChannelSender {
  const signed = new Map<string, { authorization: string; expires: number }>();
  /** The Authorization header for a push service (the JWT's audience is its origin). */
  // The real clock, not the sender's `now`, which may be a time ahead (`reminders send --at`).
  const authorization = (audience: string): string => {
    const at = Math.floor(Date.now() / 1000);
    const kept = signed.get(audience);
    if (kept && kept.expires - at > JWT_RENEW_S) return kept.authorization;
    const expires = at + JWT_LIFE_S;
    const headers = webpush.getVapidHeaders(
      audience,
      settings.subject,
      settings.publicKey,
      settings.privateKey,
      'aes128gcm',
      expires,
    );
    signed.set(audience, { authorization: headers.Authorization, expires });
    return headers.Authorization;
  };
  return {
    async send(message: ReminderMessage, to: Recipient, now: Date): Promise<Delivery> {
      const subscription = parsePushSubscription(to.address);
      if (!subscription) return { kind: 'gone', error: 'the stored subscription is not one' };
      // Checked at sign-up; checked again, as PUSH_SERVICES may have narrowed since.
      if (!pushServiceAllowed(new URL(subscription.endpoint), settings.services)) {
        return { kind: 'gone', error: 'push service not in PUSH_SERVICES' };
      }
      // A browser's key that is not a P-256 point can never be encrypted for: without this,
      // web-push throws before any request and the message would be retried until it expires.
      if (!isP256Point(subscription.keys.p256dh)) {
        return { kind: 'gone', error: "the browser's key (p256dh) is not a P-256 point" };
      }
      const ttl = Math.min(FOUR_WEEKS_S, Math.max(60, Math.floor((to.expiresAt.getTime() - now.getTime()) / 1000)));
      try {
        await webpush.sendNotification(subscription, JSON.stringify(message.push), {
          headers: { Authorization: authorization(new URL(subscription.endpoint).origin) },
          TTL: ttl,
          contentEncoding: 'aes128gcm',
          urgency:
            message.kind === 'soon' || message.kind === 'offer' || message.kind === 'cancelled' ? 'high' : 'normal',
          topic: createHash('sha256').update(to.key).digest('base64url').slice(0, 32),
          timeout: 15_000,
        });
        return { kind: 'sent' };
      } catch (error) {
        return pushDelivery(error);
      }
    },
    close: () => Promise.resolve(),
  };
}
