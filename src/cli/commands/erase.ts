/** `erase --phone <number>`: deletes every sign-up made with a phone number, in batches like purge (awaited). */
import { erasePhone } from '../../privacy/privacy.ts';
import { normalizeMobile } from '../../signup/phone.ts';
import { UsageError, type Command } from '../command.ts';
import { openStore } from '../database.ts';

export const erase: Command = {
  help: {
    forms: ['erase --phone <số-điện-thoại>'],
    summary: 'xóa mọi đăng ký của một số điện thoại',
    about:
      'Xóa mọi đăng ký làm bằng số điện thoại này (khi chính người đó yêu cầu). Chỉ in ra số đăng ký đã xóa, không in số điện thoại.',
  },
  waits: true,
  run: async ({ options, dbPath, out }) => {
    const phone = normalizeMobile(options.phone ?? '');
    if (!phone) throw new UsageError('Lệnh erase cần --phone <số di động>, ví dụ erase --phone 0912345678');
    const store = openStore(dbPath, true);
    try {
      // The count only: this output may end up in a log, the number must not.
      out(`Đã xóa ${await erasePhone(store.db, phone, { commandLine: true })} đăng ký làm bằng số điện thoại đó.`);
    } finally {
      store.close();
    }
  },
};
