/**
 * What the console's blood-levels page does with a post, rights first: levels are set by
 * admins and by accounts holding LEVELS_RIGHT (user_rights); granting that right and sending
 * appeals are the admins'. Answers are in Vietnamese with the status the page sends.
 */
import { whenFree } from '../store/database.ts';
import { LEVELS_RIGHT, parseLevelForm } from './blood.ts';
import type { NeedsStore } from './needs-store.ts';

export interface NeedsAccount {
  id: number;
  username: string;
  role: string;
}

export interface NeedsAnswer {
  status: number;
  ok: boolean;
  lines: string[];
}

export function maySetLevels(account: NeedsAccount, store: NeedsStore): boolean {
  return account.role === 'admin' || store.hasRight(account.id, LEVELS_RIGHT);
}

const KEY = /^[A-Za-z0-9-]{8,64}$/;

export const NO_RIGHT: NeedsAnswer = {
  status: 403,
  ok: false,
  lines: ['Tài khoản của bạn chưa được cấp quyền đặt mức máu (403). Hãy nhờ quản trị viên cấp quyền.'],
};
export const BAD_KEY: NeedsAnswer = {
  status: 400,
  ok: false,
  lines: ['Biểu mẫu thiếu mã gửi hoặc mã không hợp lệ (400). Hãy tải lại trang rồi gửi lại.'],
};
export const REPLAYED: NeedsAnswer = {
  status: 409,
  ok: false,
  lines: ['Biểu mẫu này đã được gửi rồi, không thay đổi gì thêm (409). Tải lại trang để gửi lần mới.'],
};

export async function postLevels(
  account: NeedsAccount,
  store: NeedsStore,
  form: FormData,
  now: Date,
): Promise<NeedsAnswer> {
  if (!maySetLevels(account, store)) return NO_RIGHT;
  const key = form.get('key');
  if (typeof key !== 'string' || !KEY.test(key)) return BAD_KEY;
  const parsed = parseLevelForm(form);
  if (!parsed.ok) return { status: 422, ok: false, lines: parsed.errors };
  const changed = await whenFree(() => store.setLevels(parsed.entries, account.username, key, now));
  if (changed === 'replayed') return REPLAYED;
  return {
    status: 200,
    ok: true,
    lines: [
      `Đã lưu mức của ${parsed.entries.map((e) => e.group).join(', ')}. Trang công khai đổi trong vòng một phút.`,
    ],
  };
}

const USERNAME = /^[\p{L}\p{N}._-]{1,64}$/u;

export async function postRight(
  account: NeedsAccount,
  store: NeedsStore,
  form: FormData,
  now: Date,
): Promise<NeedsAnswer> {
  if (account.role !== 'admin') {
    return { status: 403, ok: false, lines: ['Chỉ quản trị viên mới cấp hoặc thu hồi quyền (403).'] };
  }
  const username = form.get('username');
  const intent = form.get('intent');
  if (typeof username !== 'string' || !USERNAME.test(username.trim())) {
    return { status: 422, ok: false, lines: ['Tên tài khoản không hợp lệ.'] };
  }
  const name = username.trim();
  const done = await whenFree(() =>
    intent === 'grant'
      ? store.grant(name, LEVELS_RIGHT, account.username, now)
      : store.revoke(name, LEVELS_RIGHT, account.username, now),
  );
  if (!done) return { status: 404, ok: false, lines: [`Không có tài khoản “${name}”.`] };
  return {
    status: 200,
    ok: true,
    lines: [intent === 'grant' ? `Đã cấp cho ${name} quyền đặt mức máu.` : `Đã thu hồi quyền đặt mức máu của ${name}.`],
  };
}

export function isAppealKey(value: unknown): value is string {
  return typeof value === 'string' && KEY.test(value);
}
