/** `export --drive <slug> [--out f.csv]`: a CSV that opens right in Excel (UTF-8 with BOM). */
import { writeFileSync } from 'node:fs';
import { signupsCsv } from '../../console/signups-csv.ts';
import type { Command } from '../command.ts';
import { requireDrive, withStore } from '../database.ts';

export const exportCommand: Command = {
  help: {
    forms: ['export --drive <mã-đợt> [--out <tệp.csv>]'],
    summary: 'tệp CSV cho Excel',
    about:
      'Tệp CSV mở đúng trong Excel (UTF-8 có BOM), đủ các cột của bàn tiếp đón. Không có --out thì in ra màn hình. Tệp chứa dữ liệu cá nhân: chỉ người dùng này đọc được.',
  },
  waits: false,
  run: ({ options, dbPath, out }) =>
    withStore(dbPath, true, (store) => {
      const slug = requireDrive(store, options.drive?.[0]);
      const csv = signupsCsv(store.list(slug));
      if (options.out) {
        writeFileSync(options.out, csv, { mode: 0o600 });
        out(`Đã ghi ${store.list(slug).length} đăng ký vào ${options.out}`);
      } else {
        process.stdout.write(csv);
      }
    }),
};
