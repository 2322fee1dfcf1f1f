/**
 * `purge [--older-than <days>]`: deletes the personal data of drives that ended
 * that long ago. It deletes in short batches with pauses between, so the
 * server beside it keeps serving: it runs through runCommand, awaited.
 */
import { dailyMaintenance, RETENTION_DAYS } from '../../privacy/privacy.ts';
import { UsageError, type Command } from '../command.ts';
import { openStore } from '../database.ts';

export const purge: Command = {
  help: {
    forms: ['purge [--older-than <số-ngày>]'],
    summary: 'xóa dữ liệu cá nhân của các đợt đã xong từ lâu',
    about: `Xóa dữ liệu cá nhân của các đợt đã kết thúc quá <số-ngày> ngày (mặc định ${RETENTION_DAYS}), và các đăng ký đã hủy khi ngày hiến đã qua.`,
  },
  waits: true,
  run: async ({ options, dbPath, out, now }) => {
    const days = Number(options['older-than'] ?? RETENTION_DAYS);
    if (!Number.isInteger(days) || days < 0)
      throw new UsageError('--older-than cần một số ngày nguyên, từ 0 trở lên, ví dụ --older-than 90');
    const store = openStore(dbPath, true);
    try {
      const deleted = await dailyMaintenance(store.db, now, { olderThanDays: days, commandLine: true });
      out(
        `Đã xóa ${deleted} đăng ký: của các đợt đã kết thúc quá ${days} ngày, và các đăng ký đã hủy khi ngày hiến đã qua.`,
      );
    } finally {
      store.close();
    }
  },
};
