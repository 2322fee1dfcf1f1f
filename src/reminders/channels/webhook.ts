/**
 * Reminders as texts (SMS or Zalo ZNS) through the gateway the Red Cross
 * contracts: a JSON post to REMINDER_WEBHOOK_URL, signed with an HMAC-SHA256
 * of the exact body under REMINDER_WEBHOOK_SECRET, in the header
 * `X-Hien-Mau-Signature: sha256=<hex>` (docs/deploy.md, "Reminders"). The
 * body's `id` is the same for a message sent again after a crash, so the
 * gateway can drop the second.
 */
import { createHmac } from 'node:crypto';
import type { ReminderMessage } from '../messages.ts';
import { describe, type ChannelSender, type Delivery, type Recipient } from './delivery.ts';

export const SIGNATURE_HEADER = 'X-Hien-Mau-Signature';

/** The signature header's value for a body. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What the gateway's status means for this message and this person. */
export function webhookDelivery(status: number): Delivery {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  const error = `gateway answered ${status}`;
  // The gateway says this number cannot be reached (no such subscriber, opted out).
  if (status === 404 || status === 410) return { kind: 'gone', error };
  if (status === 408 || status === 425 || status === 429 || status >= 500) return { kind: 'retry', error };
  return { kind: 'failed', error };
}

export function webhookChannel(settings: { url: string; secret: string }): ChannelSender {
  return {
    async send(message: ReminderMessage, to: Recipient, now: Date): Promise<Delivery> {
      const body = JSON.stringify({
        id: to.key,
        kind: message.kind,
        to: to.address,
        text: message.sms,
        subject: message.subject,
        url: message.mainUrl,
        stop: message.stopUrl,
        sentAt: now.toISOString(),
      });
      try {
        const response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            [SIGNATURE_HEADER]: signature(body, settings.secret),
          },
          body,
          // The body names a phone number: it goes to this address only, never where a redirect points.
          redirect: 'error',
          signal: AbortSignal.timeout(15_000),
        });
        await response.body?.cancel();
        return webhookDelivery(response.status);
      } catch (error) {
        return { kind: 'retry', error: describe(error) };
      }
    },
    close: () => Promise.resolve(),
  };
}
