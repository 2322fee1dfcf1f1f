/** The console's addresses: one function per kind, used by its pages, endpoints, island and tests. */
import { calendarDateInVietnam } from '../shared/dates.ts';

export const CONSOLE_PATH = '/to-chuc/';
export const LOGIN_PATH = '/to-chuc/dang-nhap/';
export const LOGOUT_PATH = '/to-chuc/dang-xuat/';

/** The sign-in page, coming back to `next` after; only a console path is followed. */
export function loginHref(next?: string): string {
  return next && isConsolePath(next) && next !== LOGIN_PATH
    ? `${LOGIN_PATH}?tiep=${encodeURIComponent(next)}`
    : LOGIN_PATH;
}

/** A path inside the console, nothing that could lead to another site (//host, /\host). */
export function isConsolePath(path: string): boolean {
  return /^\/to-chuc\/[A-Za-z0-9\-/]*$/.test(path) && !path.includes('//');
}

export const deskHref = (drive: string) => `${CONSOLE_PATH}${drive}/`;
export const deskPersonHref = (drive: string, code: string) => `${deskHref(drive)}?ma=${code}`;
export const deskActionHref = (drive: string) => `${deskHref(drive)}thao-tac.json`;
export const deskFiguresHref = (drive: string) => `${deskHref(drive)}so-lieu.json`;
export const deskExportHref = (drive: string) => `${deskHref(drive)}danh-sach.csv`;
export const deskAuditHref = (drive: string) => `${deskHref(drive)}nhat-ky/`;

/** The desk page's query parameter that confirms recording on another day than the drive's (its yyyy-mm-dd). */
export const CONFIRM_DAY_PARAM = 'ngay';

/**
 * The day a desk form is recorded for, as the island puts it in the form at
 * the tap (`otherDay`): the day the page confirmed (?ngay=), else today in Cà
 * Mau. Sent after midnight from the queue, it still names the drive's day;
 * the server takes it only when it is one of the drive's days (dayCheck).
 */
export function dayOfTap(search: string, now: Date): string {
  return new URLSearchParams(search).get(CONFIRM_DAY_PARAM) || calendarDateInVietnam(now);
}

/** The admins' accounts and team codes (src/pages/to-chuc/tai-khoan/). */
export const ACCOUNTS_PATH = '/to-chuc/tai-khoan/';
