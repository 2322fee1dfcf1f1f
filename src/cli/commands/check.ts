/** `check`: the sign-ups that no longer fit the built drives' slots (exit status 3 if there are any). */
import { join } from 'node:path';
import { readSettings } from '../../settings.ts';
import { servedDist } from '../../editor/served-build.ts';
import { formatCode } from '../../signup/codes.ts';
import { misfitSignups, readSchedule, SCHEDULE_PATH } from '../../signup/slot-check.ts';
import { formatDate, formatTime } from '../../shared/dates.ts';
import type { Command } from '../command.ts';
import { withStore } from '../database.ts';

/** The exit status when some sign-ups fit no slot: organisers call those people (docs/organisers.md). */
export const MISFITS_EXIT = 3;

export const check: Command = {
  help: {
    forms: ['check'],
    summary: 'đăng ký không còn khớp đợt hay khung giờ',
    about:
      'Các đăng ký mà bản dựng mới nhất không còn đợt hoặc khung giờ (sau khi sửa hay xóa tệp của một đợt). Có đăng ký như vậy thì mã thoát là 3: gọi cho những người này.',
  },
  waits: false,
  run: ({ dbPath, out }) => {
    const schedule = readSchedule(join(servedDist(readSettings()), 'client', SCHEDULE_PATH));
    withStore(dbPath, true, (store) => {
      const misfits = misfitSignups(store.activeSpans(), schedule);
      if (misfits.length === 0) {
        out('Mọi đăng ký còn hiệu lực đều khớp một khung giờ của đợt.');
        return;
      }
      out(
        `${misfits.length} đăng ký không còn khớp đợt của mình (hãy gọi cho những người này, hoặc khôi phục tệp của đợt):`,
      );
      for (const m of misfits) {
        const start = new Date(m.slot);
        out(
          [
            formatCode(m.code),
            m.drive,
            `${formatDate(start)} ${formatTime(start)}–${formatTime(new Date(m.slotEnd))}`,
            m.reason === 'drive-missing' ? 'không còn đợt có tên này' : 'không còn khung giờ này',
          ].join('\t'),
        );
      }
      process.exitCode = MISFITS_EXIT;
    });
  },
};
