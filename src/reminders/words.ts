/**
 * The reminders' words: page titles, what each message and channel is called
 * on the person's own page, and the text of every message (messages.ts puts
 * them together). Vietnamese for the citizens; short, because a phone's
 * notification shows two lines and an SMS in Vietnamese holds 70 characters.
 * No health data: nothing about a deferral, a test or a volume.
 */
import type { Channel, MessageKind } from './reminder-types.ts';

export const REMINDERS_TITLE = 'Nhắc hẹn hiến máu';
export const STOP_TITLE = 'Dừng nhận nhắc hẹn';
export const OFFER_TITLE = 'Nhận chỗ hiến máu';

export const KIND_LABELS: Record<MessageKind, string> = {
  evening: 'Nhắc hẹn tối hôm trước',
  soon: 'Nhắc hẹn 2 giờ trước giờ hẹn',
  cancelled: 'Báo đợt hiến máu bị hủy',
  thanks: 'Lời cảm ơn sau khi hiến',
  again: 'Báo ngày bạn có thể hiến lại',
  offer: 'Báo có chỗ trống',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'thư điện tử',
  push: 'thông báo trên trình duyệt',
  webhook: 'tin nhắn SMS hoặc Zalo',
};

export const WAIT_STATE_LABELS = {
  waiting: 'Đang chờ',
  offered: 'Đang giữ chỗ cho bạn',
  accepted: 'Đã nhận chỗ',
  expired: 'Đã hết thời gian giữ chỗ',
  left: 'Đã rời danh sách chờ',
  closed: 'Danh sách chờ đã đóng',
} as const;

export const STOP_LINK_TEXT = 'Dừng nhận nhắc hẹn';
