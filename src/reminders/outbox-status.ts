/**
 * What the reminders' outbox says of itself, for `npm run signups -- reminders status` and the
 * console's page `/to-chuc/nhac-hen/` (one gathering, two ways to read it): rows by state,
 * kind and channel; what each channel sent today against its daily cap and what waits for
 * tomorrow; the SMS delivery receipts; the setup problems (a Zalo template refused) and the
 * Zalo token's state; which process holds the sender's lease.
 */
import type { ReminderSettings } from '../settings.ts';
import type { Database } from '../store/database.ts';
import { CHANNELS, type Channel, type MessageKind } from '../reminder-choice/reminder-types.ts';
import { ReminderStore, type OutboxState } from './reminder-store.ts';
import { ZaloTokenStore } from './zalo-token-store.ts';

export interface ChannelToday {
  channel: Channel;
  /** Sent today (Cà Mau's day), and their SMS parts. */
  messages: number;
  parts: number;
  /** The daily cap, 0 for none. */
  cap: number;
  /** Pending and due now. */
  due: number;
  /** Pending because today's cap was reached: they go tomorrow. */
  capped: number;
}

export interface OutboxStatus {
  counts: { state: OutboxState; kind: MessageKind; channel: Channel; count: number }[];
  channels: ChannelToday[];
  receipts: { state: string | null; count: number }[];
  setupErrors: { kind: MessageKind; channel: Channel; error: string }[];
  zalo: { broken: string | null; accessExpiresAt: string | null; refreshingSince: string | null } | undefined;
  /** The sender holding the lease ("host:pid:…" without its random part), until when. */
  lease: { holder: string; expiresAt: string } | undefined;
}

export function dailyCaps(settings: ReminderSettings): Partial<Record<Channel, number>> {
  return {
    ...(settings.sms ? { sms: settings.sms.dailyCap } : {}),
    ...(settings.zalo ? { zalo: settings.zalo.dailyCap } : {}),
  };
}

export function outboxStatus(db: Database, settings: ReminderSettings, now: Date): OutboxStatus {
  const reminders = new ReminderStore(db);
  const caps = dailyCaps(settings);
  const waiting = new Map(reminders.waiting(now).map((row) => [row.channel, row]));
  const channels = CHANNELS.map((channel) => {
    const today = reminders.sentToday(channel, now);
    const pending = waiting.get(channel);
    return {
      channel,
      messages: today.messages,
      parts: today.parts,
      cap: caps[channel] ?? 0,
      due: pending?.due ?? 0,
      capped: pending?.capped ?? 0,
    };
  }).filter((row) => row.messages > 0 || row.due > 0 || row.capped > 0 || row.cap > 0);
  const lease = reminders.leaseHolder();
  return {
    counts: reminders.counts(),
    channels,
    receipts: reminders.receiptCounts(),
    setupErrors: reminders.setupErrors(),
    zalo: new ZaloTokenStore(db).status(),
    lease: lease && { holder: lease.holder.split(':').slice(0, 3).join(':'), expiresAt: lease.expiresAt },
  };
}
