/**
 * What each console role may do, in one place (docs/organisers.md, "Tài khoản và vai trò"):
 * pages and actions ask these, never compare roles themselves.
 *
 * - admin: every drive, accounts and team codes, content and publishing;
 * - staff: the desk of the drives given to the account;
 * - editor: news, pages and drives as content, and publishing them; no accounts, no desk
 *   unless drives are given;
 * - unit: a unit's focal person, who sees only its own unit (`teamCode`).
 */
import type { StaffAccount } from './console-store.ts';

type Account = Pick<StaffAccount, 'role' | 'drives'> & { teamCode?: string | null | undefined };

export function canManageAccounts(account: Account): boolean {
  return account.role === 'admin';
}

export function canEditContent(account: Account): boolean {
  return account.role === 'admin' || account.role === 'editor';
}

export function canPublish(account: Account): boolean {
  return account.role === 'admin' || account.role === 'editor';
}

/** The desk of one drive: admins everywhere, staff and editors where the drive is given to them. */
export function canUseDesk(account: Account, drive: string): boolean {
  if (account.role === 'admin') return true;
  if (account.role === 'unit') return false;
  return account.drives.includes(drive);
}

/** A unit's list and turnout: admins for every unit, a focal account for its own only. */
export function canManageUnit(account: Account, teamCode: string): boolean {
  if (account.role === 'admin') return true;
  return account.role === 'unit' && account.teamCode === teamCode;
}
