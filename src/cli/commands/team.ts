/** `team add|remove|list`: the team codes shown on /doi-nhom/. */
import { TEAM_CODE } from '../../signup/form-fields.ts';
import { UsageError, type Command, type CommandHelp } from '../command.ts';
import { withStore } from '../database.ts';
import { AccountsStore } from '../../console/accounts-store.ts';
import { CLI_ACTOR } from '../../console/words.ts';

const help: CommandHelp = {
  forms: ['team add <MÃ-ĐỘI> "<tên đơn vị>"', 'team remove <MÃ-ĐỘI>', 'team list'],
  summary: 'mã đội trên /doi-nhom/',
  about:
    'Mã đội hiện trên /doi-nhom/: chỉ đội đã đăng ký mới hiện. Gỡ một đội thì các đăng ký của đội vẫn giữ mã. Trang /to-chuc/tai-khoan/ làm được cùng các việc này; mọi thay đổi ghi vào nhật ký (audit --accounts).',
};

export const team: Command = {
  help,
  waits: false,
  run: ({ rest, dbPath, out, now }) => {
    const [action, typed, ...nameWords] = rest;
    const code = typed?.toUpperCase().replace(/\s+/g, '');
    withStore(dbPath, false, (store) => {
      if (action === 'list') {
        const teams = store.listTeams();
        if (teams.length === 0) out('Chưa đăng ký đội nào.');
        for (const team of teams) out(`${team.code}\t${team.name}`);
        return;
      }
      if ((action !== 'add' && action !== 'remove') || !code)
        throw new UsageError(`Lệnh team có các dạng: ${help.forms.join('; ')}`);
      if (!TEAM_CODE.test(code))
        throw new UsageError(
          `"${typed}" không phải mã đội: 2 đến 20 ký tự gồm chữ không dấu, chữ số hoặc -, ví dụ CAT-PC06`,
        );
      if (action === 'remove') {
        out(
          new AccountsStore(store.db).removeTeam(code, CLI_ACTOR, now)
            ? `${code}: đã gỡ khỏi /doi-nhom/`
            : `${code}: chưa được đăng ký`,
        );
        return;
      }
      const name = nameWords.join(' ').trim();
      if (name.length < 2 || name.length > 120 || /[<>]/.test(name))
        throw new UsageError(
          'Lệnh team add cần tên đơn vị (2 đến 120 ký tự), ví dụ team add CAT-PC06 "Phòng PC06, Công an tỉnh"',
        );
      new AccountsStore(store.db).addTeam({ code, name }, CLI_ACTOR, now);
      out(`${code}: đã đăng ký với tên "${name}"`);
    });
  },
};
