/**
 * Every address the site links to, one function per kind of page, and the
 * key of each page's share image. Pure, so pages, islands, feeds and tests
 * build the same addresses; a page moved is changed here once.
 */
import { slugify } from './vietnamese.ts';

export const articleHref = (id: string) => `/tin-tuc/${id}/`;
/** Page 1 of the news list is /tin-tuc/ itself. */
export const newsPageHref = (page: number) => (page === 1 ? '/tin-tuc/' : `/tin-tuc/trang/${page}/`);
/** Two spellings of a tag that fold to the same slug are one tag page. */
export const tagHref = (name: string) => `/tin-tuc/chu-de/${slugify(name)}/`;
export const driveHref = (slug: string) => `/diem-hien-mau/${slug}/`;
/** The drive's iCalendar file, beside its page. */
export const driveCalendarHref = (slug: string) => `/diem-hien-mau/${slug}.ics`;
/** The drive's printable A4 poster. */
export const drivePosterHref = (slug: string) => `/diem-hien-mau/${slug}/in/`;
/** The sign-up page, for one drive when given. */
export const signupHref = (driveSlug?: string) => (driveSlug ? `/dang-ky/?diem=${driveSlug}` : '/dang-ky/');
/** The cancel page, with the code filled in when given. */
export const cancelHref = (code?: string) => (code ? `/dang-ky/huy/?ma=${code}` : '/dang-ky/huy/');
/** The places left in each slot of a drive (JSON), with a form token in X-Form-Token. */
export const placesLeftHref = (slug: string) => `/api/diem-hien-mau/${slug}/cho-trong.json`;
/** Seeing and stopping one's reminders (code + phone). */
export const REMINDERS_PATH = '/nhac-hen/';
/** The one-click stop link of every reminder: a page with a button, and the POST that stops (RFC 8058). */
export const STOP_REMINDERS_PATH = '/nhac-hen/dung/';
export const stopRemindersHref = (token: string) => `${STOP_REMINDERS_PATH}?t=${encodeURIComponent(token)}`;
/** The stop link of a text message: at most 30 characters, with 108 of the token's random bits. */
export const SHORT_STOP_PATH = '/nhac-hen/d/';
export const SHORT_STOP_TOKEN_LENGTH = 18;
export const shortStopHref = (token: string) => `${SHORT_STOP_PATH}${token.slice(0, SHORT_STOP_TOKEN_LENGTH)}`;
/** Taking a place offered from the waitlist. */
export const ACCEPT_OFFER_PATH = '/nhac-hen/nhan-cho/';
export const acceptOfferHref = (token: string) => `${ACCEPT_OFFER_PATH}?t=${encodeURIComponent(token)}`;
/** A static page from content/pages/, by its file name. */
export const staticPageHref = (id: string) => `/${id}/`;

/** Share image keys: the path under /og/ without .png (src/pages/og/[...path].png.ts draws them). */
export const shareImageKey = {
  home: 'trang-chu',
  article: (id: string) => `tin-tuc/${id}`,
  drive: (slug: string) => `diem-hien-mau/${slug}`,
  page: (id: string) => `trang/${id}`,
  appeal: (group: string) => `nhu-cau-mau/nhom-${group}`,
} as const;
