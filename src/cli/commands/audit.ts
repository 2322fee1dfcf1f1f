/** `audit --drive <slug>`: every change made at a drive's desk, oldest first, with no names. */
import { ConsoleStore, type AuditEntry } from '../../console/console-store.ts';
import { actorWords, auditActionWords, auditStateWords } from '../../console/words.ts';
import { formatCode } from '../../signup/codes.ts';
import { formatDateTime } from '../../shared/dates.ts';
import type { Command } from '../command.ts';
import { requireDrive, withStore } from '../database.ts';

function auditLine(entry: AuditEntry): string {
  return [
    formatDateTime(new Date(entry.at)),
    actorWords(entry.actor),
    entry.code ? formatCode(entry.code) : '-',
    auditActionWords(entry.action, entry.undoneAt !== null),
    `${auditStateWords(entry.before)} → ${auditStateWords(entry.after)}`,
  ].join('\t');
}

export const audit: Command = {
  help: {
    forms: ['audit --drive <mã-đợt>'],
    summary: 'nhật ký thay đổi tại bàn tiếp đón',
    about:
      'Nhật ký thay đổi tại bàn tiếp đón của đợt đó: lúc nào, ai làm, mã nào, thao tác gì, trước và sau. Không in họ tên.',
  },
  waits: false,
  run: ({ options, dbPath, out }) =>
    withStore(dbPath, true, (store) => {
      const slug = requireDrive(store, options.drive?.[0]);
      const entries = new ConsoleStore(store.db).auditOf(slug, 100_000).reverse();
      if (entries.length === 0) out(`Chưa có thay đổi nào được ghi cho ${slug}.`);
      for (const entry of entries) out(auditLine(entry));
    }),
};
