/** `given <code> [<code> …]`: records who gave blood (for the team ranking). */
import { ConsoleStore } from '../../console/console-store.ts';
import { DAYS_BETWEEN_GIFTS } from '../../console/desk-actions.ts';
import { CLI_ACTOR } from '../../console/words.ts';
import { formatCode } from '../../signup/codes.ts';
import type { SignupStore } from '../../signup/store.ts';
import { addDays, calendarDateInVietnam } from '../../shared/dates.ts';
import type { Command } from '../command.ts';
import { readCode, requireCodes } from '../codes.ts';
import { withStore } from '../database.ts';

/** "gave" through the console's records: the same row, the same audit log, whether typed here or at the desk. */
function recordGiven(store: SignupStore, code: string, now: Date): string {
  const signup = store.byCode(code);
  if (!signup || signup.cancelledAt) return 'không có đăng ký còn hiệu lực với mã này';
  if (signup.desk.outcome === 'gave') return 'đã ghi nhận hiến máu từ trước';
  const answer = new ConsoleStore(store.db).apply(
    {
      kind: 'gave',
      drive: signup.drive,
      code,
      volumeMl: null,
      // From the drive's day, not the day this is typed (often days later, from the paper list).
      returnAfter: addDays(calendarDateInVietnam(new Date(signup.slot)), DAYS_BETWEEN_GIFTS),
    },
    { actor: CLI_ACTOR, now },
  );
  return answer.ok ? 'đã ghi nhận hiến máu' : 'chưa ghi được';
}

export const given: Command = {
  help: {
    forms: ['given <mã> [<mã> ...]'],
    summary: 'ghi nhận đã hiến máu',
    about:
      'Ghi nhận những người này đã hiến máu (cho bảng xếp hạng đội), giống như bấm "Đã hiến" ở bàn tiếp đón; ngày được hiến lại tính từ ngày của đợt.',
  },
  waits: false,
  run: ({ rest, dbPath, out, now }) => {
    requireCodes('given', rest);
    withStore(dbPath, true, (store) => {
      for (const typed of rest) {
        const code = readCode(typed);
        out(`${formatCode(code)}: ${recordGiven(store, code, now)}`);
      }
    });
  },
};
