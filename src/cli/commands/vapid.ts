/** `vapid`: a new VAPID key pair for VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (Web Push). */
import webpush from 'web-push';
import type { Command } from '../command.ts';

export const vapid: Command = {
  help: {
    forms: ['vapid'],
    summary: 'cặp khóa mới cho thông báo đẩy',
    about: 'In một cặp khóa VAPID mới cho thông báo đẩy (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY).',
  },
  // Nothing here waits, but `run` has refused vapid since it came with the reminders: kept so.
  waits: true,
  run: ({ out }) => {
    const { publicKey, privateKey } = webpush.generateVAPIDKeys();
    out(`VAPID_PUBLIC_KEY=${publicKey}`);
    out(`VAPID_PRIVATE_KEY=${privateKey}`);
    out(
      '# Chép cả hai dòng vào /etc/hien-mau.env cùng VAPID_SUBJECT=mailto:<một địa chỉ thư của Hội Chữ thập đỏ>; giữ bí mật khóa riêng (PRIVATE).',
    );
    out('# Đổi cặp khóa về sau thì mọi trình duyệt đã đăng ký nhận nhắc sẽ không nhận được lời nhắc nữa.');
    return Promise.resolve();
  },
};
