/**
 * `audit --drive <slug>`: every change made at a drive's desk, oldest first, with no names.
 * `audit --accounts`: every change of accounts and team codes (the page /to-chuc/tai-khoan/
 * and `user`/`team`), oldest first, never a password.
 */
import { AccountsStore, type AccountAuditEntry } from '../../console/accounts-store.ts';
import { ACCOUNT_ACTION_WORDS, accountDetailWords } from '../../console/account-words.ts';
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

function accountLine(entry: AccountAuditEntry): string {
  return [
    formatDateTime(new Date(entry.at)),
    actorWords(entry.actor),
    ACCOUNT_ACTION_WORDS[entry.action],
    entry.subject,
    accountDetailWords(entry) || '-',
  ].join('\t');
}

export const audit: Command = {
  help: {
    forms: ['audit --drive <mã-đợt>', 'audit --accounts'],
    summary: 'nhật ký thay đổi tại bàn tiếp đón, và của tài khoản',
    about:
      'Nhật ký thay đổi tại bàn tiếp đón của đợt đó: lúc nào, ai làm, mã nào, thao tác gì, trước và sau. Không in họ tên. Với --accounts: mọi thay đổi tài khoản và mã đơn vị (lúc nào, ai làm, việc gì, tài khoản hay mã nào), không bao giờ in mật khẩu.',
  },
  waits: false,
  run: ({ options, dbPath, out }) =>
    withStore(dbPath, true, (store) => {
      if (options.accounts) {
        const changes = new AccountsStore(store.db).audit(100_000).reverse();
        if (changes.length === 0) out('Chưa có thay đổi tài khoản nào được ghi.');
        for (const entry of changes) out(accountLine(entry));
        return;
      }
      const slug = requireDrive(store, options.drive?.[0]);
      const entries = new ConsoleStore(store.db).auditOf(slug, 100_000).reverse();
      if (entries.length === 0) out(`Chưa có thay đổi nào được ghi cho ${slug}.`);
      for (const entry of entries) out(auditLine(entry));
    }),
};
