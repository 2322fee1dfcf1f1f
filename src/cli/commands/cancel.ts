/** `cancel <code>`: frees a place (someone called to cancel). */
import { formatCode } from '../../signup/codes.ts';
import { UsageError, type Command } from '../command.ts';
import { readCode, requireCodes } from '../codes.ts';
import { withStore } from '../database.ts';

export const cancel: Command = {
  help: {
    forms: ['cancel <mã>'],
    summary: 'hủy một đăng ký, trả lại chỗ',
    about:
      'Hủy một đăng ký và trả lại chỗ (khi người hiến gọi điện báo không đến). Mỗi lần một mã, ví dụ cancel 7K3Q-9XWD-2P.',
  },
  waits: false,
  run: ({ rest, dbPath, out, now }) => {
    requireCodes('cancel', rest);
    if (rest.length > 1) throw new UsageError('Lệnh cancel hủy mỗi lần một mã');
    withStore(dbPath, true, (store) => {
      for (const typed of rest) {
        const code = readCode(typed);
        out(
          store.cancel(code, null, now)
            ? `${formatCode(code)}: đã hủy, chỗ đã được trả lại`
            : `${formatCode(code)}: không có đăng ký còn hiệu lực với mã này`,
        );
      }
    });
  },
};
