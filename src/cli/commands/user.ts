/**
 * `user add|passwd|reset|disable|enable|drives|remove|list`: the organisers' console
 * accounts, as the admins' page /to-chuc/tai-khoan/ manages them (the same store and audit
 * entries, src/console/accounts-store.ts, actor "cli"). It reads or makes a password and
 * hashes it, so it waits: it runs through runCommand.
 */
import { AccountsStore } from '../../console/accounts-store.ts';
import { newPassword } from '../../console/account-admin.ts';
import { CLI_ACTOR } from '../../console/words.ts';
import { ConsoleStore, ROLES, type Role } from '../../console/console-store.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../../console/passwords.ts';
import { UsageError, type Command, type CommandHelp } from '../command.ts';
import { openStore, requireDrive } from '../database.ts';
import { NeedsStore } from '../../needs/needs-store.ts';

/** Rights an account may hold beyond its role (user_rights): setting the blood levels (docs/organisers.md). */
const RIGHTS = ['blood-levels'];

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

const help: CommandHelp = {
  forms: [
    'user add <tên> --role admin|staff|editor|unit [--drive <mã-đợt>]... [--team <MÃ-ĐƠN-VỊ>]',
    'user passwd <tên>',
    'user reset <tên>',
    'user disable|enable <tên>',
    'user drives <tên> [--drive <mã-đợt>]...',
    'user remove <tên>',
    'user list',
    'user grant|revoke <tên> blood-levels',
  ],
  summary: 'tài khoản trang tổ chức',
  about: `Tài khoản của trang tổ chức (/to-chuc/). admin làm được mọi đợt và quản lý tài khoản; staff chỉ làm các đợt ghi sau --drive; editor viết tin, trang và đợt hiến máu rồi xuất bản; unit là người phụ trách của một đơn vị (--team <mã>), chỉ thấy đơn vị mình. Mật khẩu (ít nhất ${MIN_PASSWORD_LENGTH} ký tự) đọc từ đầu vào chuẩn, gõ vào không hiện ra. Đổi mật khẩu hay xóa tài khoản thì mọi phiên đăng nhập của tài khoản đó kết thúc. "reset" đặt một mật khẩu mới do máy tạo và in nó ra một lần. "disable" khoá tài khoản (không đăng nhập được, các phiên kết thúc, tài khoản và nhật ký vẫn giữ); "enable" mở lại. "drives" giao lại các đợt của tài khoản staff hoặc editor (danh sách mới thay danh sách cũ). Trang /to-chuc/tai-khoan/ làm được cùng các việc này. Mọi thay đổi ghi vào nhật ký: audit --accounts. grant và revoke cấp hoặc thu hồi một quyền ngoài vai trò: blood-levels là quyền đặt mức máu ở /to-chuc/nhu-cau-mau/.`,
};

export const user: Command = {
  help,
  waits: true,
  run: async ({ rest, options, dbPath, out, now, readSecret }) => {
    const [action, username] = rest;
    const store = openStore(dbPath, false);
    try {
      const accounts = new ConsoleStore(store.db);
      const managed = new AccountsStore(store.db);
      if (action === 'list') {
        const users = managed.list();
        if (users.length === 0) out('Chưa có tài khoản nào.');
        for (const u of users)
          out(
            [
              u.username,
              u.role,
              u.role === 'admin' ? '(mọi đợt)' : u.role === 'unit' ? (u.teamCode ?? '') : u.drives.join(' '),
              ...(u.disabledAt ? ['(đã khoá)'] : []),
            ].join('\t'),
          );
        return;
      }
      if ((action === 'disable' || action === 'enable') && username) {
        const done = managed.setDisabled(username, action === 'disable', CLI_ACTOR, now);
        if (done === 'unknown') throw new UsageError(`${username}: không có tài khoản này`);
        out(
          done === 'unchanged'
            ? `${username}: ${action === 'disable' ? 'đã bị khoá từ trước' : 'đang mở'}, không có gì thay đổi`
            : action === 'disable'
              ? `${username}: đã khoá, không đăng nhập được nữa, các phiên đăng nhập đã kết thúc`
              : `${username}: đã mở lại`,
        );
        return;
      }
      if (action === 'drives' && username) {
        const found = accounts.findUser(username);
        if (!found) throw new UsageError(`${username}: không có tài khoản này`);
        if (found.role !== 'staff' && found.role !== 'editor')
          throw new UsageError('Chỉ tài khoản staff hoặc editor mới được giao đợt; admin làm được mọi đợt');
        const drives = [...new Set((options.drive ?? []).map((slug) => requireDrive(store, slug)))].sort();
        if (found.role === 'staff' && drives.length === 0)
          throw new UsageError('Tài khoản staff cần ít nhất một --drive <mã-đợt>');
        managed.setDrives(username, drives, CLI_ACTOR, now);
        out(
          drives.length ? `${username}: làm các đợt ${drives.join(', ')}` : `${username}: không còn được giao đợt nào`,
        );
        return;
      }
      if (action === 'reset' && username) {
        if (!accounts.findUser(username)) throw new UsageError(`${username}: không có tài khoản này`);
        const password = newPassword();
        managed.setPassword(username, await hashPassword(password), CLI_ACTOR, now, 'reset');
        out(`${username}: mật khẩu mới (chỉ in một lần), mọi phiên đăng nhập đã kết thúc:`);
        out(password);
        return;
      }
      if ((action === 'grant' || action === 'revoke') && username) {
        const right = rest[2] ?? '';
        if (!RIGHTS.includes(right)) throw new UsageError(`Quyền có thể cấp: ${RIGHTS.join(', ')}`);
        const needs = new NeedsStore(store.db);
        const done =
          action === 'grant' ? needs.grant(username, right, 'cli', now) : needs.revoke(username, right, 'cli', now);
        if (!done) throw new UsageError(`${username}: không có tài khoản này`);
        out(action === 'grant' ? `${username}: đã cấp quyền ${right}` : `${username}: đã thu hồi quyền ${right}`);
        return;
      }
      if (!username || !['add', 'passwd', 'remove'].includes(action ?? '')) {
        throw new UsageError(`Lệnh user có các dạng: ${help.forms.join('; ')}`);
      }
      if (action === 'remove') {
        out(
          managed.remove(username, CLI_ACTOR, now)
            ? `${username}: đã xóa tài khoản, các phiên đăng nhập của nó đã kết thúc`
            : `${username}: không có tài khoản này`,
        );
        return;
      }
      if (action === 'passwd' && !accounts.findUser(username))
        throw new UsageError(`${username}: không có tài khoản này`);
      if (action === 'add') {
        if (!USERNAME.test(username))
          throw new UsageError(
            `"${username}" không dùng làm tên đăng nhập được: 2 đến 32 ký tự gồm chữ thường không dấu, chữ số, . _ hoặc -, ví dụ thu.ha`,
          );
        if (!ROLES.includes(options.role as Role))
          throw new UsageError(
            'Cần ghi --role admin (mọi đợt), staff (chỉ các đợt ghi sau --drive), editor (viết và xuất bản nội dung) hoặc unit (người phụ trách đơn vị, kèm --team <mã>)',
          );
        if (accounts.findUser(username)) throw new UsageError(`Đã có tài khoản "${username}"`);
        if (options.role === 'staff' && !options.drive?.length)
          throw new UsageError('Tài khoản staff cần ít nhất một --drive <mã-đợt>: các đợt tài khoản được làm việc');
        if (options.role === 'unit') {
          const team = options.team?.trim().toUpperCase() ?? '';
          if (!team) throw new UsageError('Tài khoản unit cần --team <mã-đơn-vị>: đơn vị mà người này phụ trách');
          if (!store.listTeams().some((known) => known.code === team))
            throw new UsageError(
              `Chưa có đơn vị mã ${team}: tạo trước bằng npm run signups -- team add ${team} "<tên đơn vị>"`,
            );
        } else if (options.team) throw new UsageError('Chỉ tài khoản unit mới ghi --team');
      }
      const password = await readSecret();
      const problem = passwordProblem(password);
      if (problem)
        throw new UsageError(`${problem} ${action === 'add' ? 'Chưa tạo tài khoản.' : 'Mật khẩu chưa được đổi.'}`);
      const passwordHash = await hashPassword(password);
      if (action === 'passwd') {
        managed.setPassword(username, passwordHash, CLI_ACTOR, now, 'typed');
        out(`${username}: đã đổi mật khẩu, mọi phiên đăng nhập của tài khoản này đã kết thúc`);
        return;
      }
      const role = options.role as Role;
      const teamCode = role === 'unit' ? options.team?.trim().toUpperCase() : undefined;
      managed.add(
        { username, passwordHash, role, drives: options.drive ?? [], ...(teamCode && { teamCode }) },
        CLI_ACTOR,
        now,
      );
      out(`${username}: đã tạo tài khoản ${role}${accountScope(role, options.drive ?? [], teamCode)}`);
    } finally {
      store.close();
    }
  },
};

function accountScope(role: Role, drives: readonly string[], teamCode: string | undefined): string {
  if (role === 'admin') return ' (mọi đợt)';
  if (role === 'unit') return ` cho đơn vị ${teamCode ?? ''}`;
  return drives.length ? ` cho ${drives.join(', ')}` : '';
}
