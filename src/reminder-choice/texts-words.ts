/**
 * What the sign-up form says of texts to the phone, for the channels this
 * server has: the consent lists only those (Law 91/2025/QH15: informed
 * consent), Zalo first, SMS when the number has no Zalo. Pure and tiny: the
 * server renders it and the island, which learns the channels on a static
 * drive page, sets the same words.
 */
import type { Channel } from './reminder-types.ts';

/** The texts checkbox's label; undefined when the server sends no texts. */
export function textsLabel(channels: readonly Channel[]): string | undefined {
  const zalo = channels.includes('zalo');
  const sms = channels.includes('sms');
  if (zalo && sms) return 'Tin Zalo đến số điện thoại ở trên (tin nhắn SMS nếu số này không dùng Zalo)';
  if (zalo) return 'Tin Zalo đến số điện thoại ở trên';
  if (sms) return 'Tin nhắn SMS đến số điện thoại ở trên';
  if (channels.includes('webhook')) return 'Tin nhắn SMS hoặc Zalo đến số điện thoại ở trên';
  return undefined;
}

/** What is kept for texts, in the list of what the Red Cross keeps. */
export function textsKept(channels: readonly Channel[]): string | undefined {
  const zalo = channels.includes('zalo');
  const sms = channels.includes('sms');
  if (zalo && sms) {
    return 'số điện thoại ở trên, để gửi tin Zalo (Zalo Notification Service) và, nếu số này không dùng Zalo, tin nhắn SMS mang tên Hội;';
  }
  if (zalo) return 'số điện thoại ở trên, để gửi tin Zalo (Zalo Notification Service);';
  if (sms) return 'số điện thoại ở trên, để gửi tin nhắn SMS mang tên Hội;';
  if (channels.includes('webhook')) {
    return 'số điện thoại ở trên, để gửi tin nhắn SMS hoặc Zalo qua nhà cung cấp dịch vụ tin nhắn của Hội.';
  }
  return undefined;
}

/** How to choose less: e-mail only (when the server has it), or no reminders at all. */
export function lessChoice(channels: readonly Channel[]): string {
  const onlyEmail =
    channels.includes('email') && textsLabel(channels) !== undefined
      ? 'Chỉ e-mail: bỏ chọn ô tin nhắn và nhập địa chỉ thư. '
      : '';
  return `${onlyEmail}Không nhắn: để trống ô đồng ý.`;
}

/** The channels a form element with `data-channel="a b"` stands for: any of them shows it. */
export function shownFor(list: string | undefined, channels: readonly Channel[]): boolean {
  return (list ?? '').split(/\s+/).some((c) => (channels as readonly string[]).includes(c));
}
