/** `list [--drive <slug>]`: the drives with sign-ups, or the people of one drive. */
import { formatCode } from '../../signup/codes.ts';
import { formatMobile } from '../../signup/phone.ts';
import { formatTime } from '../../shared/dates.ts';
import type { Command } from '../command.ts';
import { requireDrive, withStore } from '../database.ts';

export const list: Command = {
  help: {
    forms: ['list [--drive <mã-đợt>]'],
    summary: 'các đợt có đăng ký, hoặc người đăng ký của một đợt',
    about:
      'Không có --drive: các đợt có người đăng ký và số người của mỗi đợt. Có --drive: từng người đăng ký của đợt đó (giờ, mã, họ tên, số điện thoại, mã đội).',
  },
  waits: false,
  run: ({ options, dbPath, out }) =>
    withStore(dbPath, true, (store) => {
      const drive = options.drive?.[0];
      if (!drive) {
        const drives = store.drives();
        if (drives.length === 0) out('Chưa có đăng ký nào.');
        for (const { drive, signups } of drives) out(`${drive}\t${signups}`);
        return;
      }
      const slug = requireDrive(store, drive);
      const signups = store.list(slug);
      out(`${signups.length} đăng ký cho ${slug}`);
      for (const s of signups) {
        out(
          [formatTime(new Date(s.slot)), formatCode(s.code), s.fullName, formatMobile(s.phone), s.teamCode ?? ''].join(
            '\t',
          ),
        );
      }
    }),
};
