/** The channels the settings configure, each ready to send. */
import type { ReminderSettings } from '../../settings.ts';
import type { Channel } from '../../reminder-choice/reminder-types.ts';
import type { ChannelSender } from './delivery.ts';
import { emailChannel } from './email.ts';
import { pushChannel } from './push.ts';
import { webhookChannel } from './webhook.ts';

export type Channels = Partial<Record<Channel, ChannelSender>>;

export function openChannels(settings: ReminderSettings): Channels {
  return {
    ...(settings.email ? { email: emailChannel(settings.email) } : {}),
    ...(settings.push ? { push: pushChannel(settings.push) } : {}),
    ...(settings.webhook ? { webhook: webhookChannel(settings.webhook) } : {}),
  };
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all(Object.values(channels).map((channel) => channel.close()));
}
