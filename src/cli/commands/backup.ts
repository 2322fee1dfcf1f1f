/** `backup <file>`: a consistent copy of the database, safe while the server runs. */
import { existsSync } from 'node:fs';
import { formatDate } from '../../shared/dates.ts';
import { slugify } from '../../shared/vietnamese.ts';
import { UsageError, type Command } from '../command.ts';
import { withStore } from '../database.ts';

export const backup: Command = {
  help: {
    forms: ['backup <tệp>'],
    summary: 'sao chép cơ sở dữ liệu',
    about: 'Sao chép cơ sở dữ liệu một cách nhất quán, kể cả khi máy chủ đang chạy. Không ghi đè tệp đã có.',
  },
  waits: false,
  run: ({ rest, dbPath, out, now }) => {
    const [file] = rest;
    if (!file)
      throw new UsageError(`Lệnh backup cần tên tệp, ví dụ backup backups/signups-${slugify(formatDate(now))}.sqlite`);
    if (existsSync(file)) throw new UsageError(`Tệp ${file} đã có; hãy chọn tên tệp mới`);
    withStore(dbPath, true, (store) => {
      store.backup(file);
      out(`Đã sao chép ${dbPath} sang ${file}`);
    });
  },
};
