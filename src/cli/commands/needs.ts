/**
 * `needs`: the blood levels and the appeals of `/to-chuc/nhu-cau-mau/` from the command line,
 * with the page's own checks and words (needs/blood.ts parseLevelForm, site/blood-appeal.ts),
 * so that everything the page does can be scripted: `needs status`, `needs set`, `needs appeal`.
 */
import { randomUUID } from 'node:crypto';
import { isBloodGroup, LEVELS, levelWord, parseLevelForm } from '../../needs/blood.ts';
import { NeedsStore } from '../../needs/needs-store.ts';
import { readSettings } from '../../settings.ts';
import { formatDateTime } from '../../shared/dates.ts';
import { closeAppealChannels, describeDay, planAppeal, sendAppeal } from '../../site/blood-appeal.ts';
import { UsageError, type Command, type CommandHelp } from '../command.ts';
import { openStore } from '../database.ts';

const help: CommandHelp = {
  forms: ['needs status', 'needs set <nhóm> <mức> "<nguồn>" ["<ghi chú>"]', 'needs appeal <nhóm> [--dry-run]'],
  summary: 'mức máu theo nhóm và lời kêu gọi (/to-chuc/nhu-cau-mau/)',
  about: `Mức máu theo nhóm như trang /to-chuc/nhu-cau-mau/. status: mức hiện tại của từng nhóm, ai đặt, lúc nào, nguồn. set: đặt mức của một nhóm (O+, O-, A+, A-, B+, B-, AB+, AB-), mức là ${LEVELS.map((l) => `${l.value} (${l.word})`).join(', ')}, kèm nguồn số liệu và ghi chú nếu có; ghi vào nhật ký như trên trang. appeal: gửi lời kêu gọi nhóm đó tới những người đã đồng ý nhận tin, cùng nhóm, được hiến lại trước đợt tới; --dry-run chỉ in số người và nội dung, không gửi.`,
};

export const needs: Command = {
  help,
  waits: true,
  run: async ({ rest, dbPath, out, now, options }) => {
    const [action, group, ...words] = rest;
    // Levels may be set before anyone signed up (the file is made then); an appeal needs the sign-ups.
    const store = openStore(dbPath, action === 'appeal');
    try {
      const levels = new NeedsStore(store.db);
      if (action === 'status' || action === undefined) {
        const latest = levels.latest();
        if (latest.length === 0) out('Chưa đặt mức máu nào.');
        for (const entry of latest) {
          out(
            [
              entry.group,
              levelWord(entry.level),
              `${formatDateTime(new Date(entry.setAt))} (${entry.setBy})`,
              entry.source,
              entry.note ?? '',
            ]
              .join('\t')
              .trimEnd(),
          );
        }
        return;
      }
      if (action === 'set') {
        const [level, source, note] = words;
        if (!group || !level) throw new UsageError(`Lệnh needs set có dạng: ${help.forms[1] ?? ''}`);
        if (!isBloodGroup(group))
          throw new UsageError(`Không có nhóm máu "${group.slice(0, 10)}": O+, O-, A+, A-, B+, B-, AB+, AB-.`);
        const form = new FormData();
        form.set(`level-${group}`, level);
        form.set('source', source ?? '');
        if (note) form.set(`note-${group}`, note);
        const parsed = parseLevelForm(form);
        if (!parsed.ok) throw new UsageError(parsed.errors.join(' '));
        levels.setLevels(parsed.entries, 'cli', randomUUID(), now);
        out(
          `${group}: đã đặt mức "${levelWord(parsed.entries[0]?.level ?? 1)}". Trang công khai đổi trong vòng một phút.`,
        );
        return;
      }
      if (action === 'appeal') {
        if (!isBloodGroup(group)) throw new UsageError(`Lệnh needs appeal cần một nhóm máu: ${help.forms[2] ?? ''}`);
        const database = () => store.db;
        if (options['dry-run']) {
          const plan = planAppeal(group, now, null, database);
          out(
            `Thử, không gửi: lời kêu gọi nhóm ${group} sẽ tới ${plan.people.length} người (được hiến lại trước ${describeDay(plan.byDay)}${plan.drive ? `, đợt ${plan.drive.name}` : ''}).`,
          );
          out(plan.message.subject);
          for (const line of plan.message.lines) out(line);
          return;
        }
        const outcome = sendAppeal(group, randomUUID(), 'cli', now, database);
        if (outcome.kind === 'replayed') return;
        await outcome.done;
        out(
          outcome.people === 0
            ? `Không có ai mới để gửi lời kêu gọi nhóm ${group}: không ai phù hợp, hoặc những người phù hợp đã nhận lời kêu gọi trong ${readSettings().needs.appealQuietDays} ngày qua.`
            : `Đã gửi lời kêu gọi nhóm ${group} tới ${outcome.people} người (${outcome.messages} tin).`,
        );
        return;
      }
      throw new UsageError(`Lệnh needs có các dạng: ${help.forms.join('; ')}`);
    } finally {
      await closeAppealChannels();
      store.close();
    }
  },
};
