/** The channels the settings configure, each ready to send. */
import type { ReminderSettings } from '../../settings.ts';
import type { Channel } from '../../reminder-choice/reminder-types.ts';
import type { Database } from '../../store/database.ts';
import { ReminderStore } from '../reminder-store.ts';
import { ZaloTokenStore } from '../zalo-token-store.ts';
import type { ChannelSender } from './delivery.ts';
import { emailChannel } from './email.ts';
import { pushChannel } from './push.ts';
import { smsChannel } from './sms.ts';
import { webhookChannel } from './webhook.ts';
import { zaloChannel } from './zalo.ts';

export type Channels = Partial<Record<Channel, ChannelSender>>;

/**
 * The channels, ready to send. The phone channels keep state in the database
 * (the Zalo tokens, the SMS delivery receipts): without `database` they are
 * not opened.
 */
export function openChannels(settings: ReminderSettings, database?: () => Database): Channels {
  return {
    ...(settings.email ? { email: emailChannel(settings.email) } : {}),
    ...(settings.push ? { push: pushChannel(settings.push) } : {}),
    ...(settings.webhook ? { webhook: webhookChannel(settings.webhook) } : {}),
    ...(settings.zalo && database ? { zalo: zaloChannel(settings.zalo, () => new ZaloTokenStore(database())) } : {}),
    ...(settings.sms && database
      ? {
          sms: smsChannel(settings.sms, {
            receipt: ({ messageId, state, error }) => {
              try {
                new ReminderStore(database()).recordReceipt(messageId, state, error, new Date());
              } catch {
                // A receipt is a record, not a message: a busy database loses only the record.
              }
            },
          }),
        }
      : {}),
  };
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all(Object.values(channels).map((channel) => channel.close()));
}

/** What a crash left half done in each channel, finished once as a sender starts (ChannelSender.recover). */
export async function recoverChannels(channels: Channels): Promise<void> {
  await Promise.all(
    Object.values(channels).map((channel) =>
      channel.recover ? channel.recover().catch(() => undefined) : Promise.resolve(),
    ),
  );
}
