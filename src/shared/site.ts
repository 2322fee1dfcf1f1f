/** Names and navigation shared by every page. */
import { MY_SIGNUPS_PATH } from '../offline/offline-paths.ts';
import { MY_SIGNUPS_TITLE } from '../offline/words.ts';

export const SITE_NAME = 'Hiến máu Cà Mau';
export const SLOGAN = 'Hiến máu an toàn – Không ngại Covid';
export const DEFAULT_SHARE_IMAGE = {
  path: '/og/mac-dinh.png',
  width: 1200,
  height: 630,
  alt: `Giọt máu đỏ và dòng chữ "${SLOGAN}" của Hội Chữ thập đỏ và Công an tỉnh Cà Mau`,
} as const;

export const NEWS_PER_PAGE = 10;

export interface NavItem {
  href: string;
  label: string;
}

export const MAIN_NAV: readonly NavItem[] = [
  { href: '/', label: 'Trang chủ' },
  { href: '/diem-hien-mau/', label: 'Điểm hiến máu' },
  { href: '/tin-tuc/', label: 'Tin tức' },
  { href: '/hien-mau-an-toan/', label: 'Hiến máu an toàn' },
  { href: '/dieu-kien/', label: 'Điều kiện hiến máu' },
  { href: '/dang-ky/', label: 'Đăng ký' },
];

/** The sign-ups kept on this device, with their QR codes: easy to find at the drive, offline too. */
const MY_SIGNUPS_NAV: NavItem = { href: MY_SIGNUPS_PATH, label: MY_SIGNUPS_TITLE };

/**
 * Links in the header's menu on phones only (below 1024 px), after MAIN_NAV: a donor at the
 * drive opens the menu for their QR code; the desktop row has no room and no such need.
 */
export const PHONE_MENU_NAV: readonly NavItem[] = [MY_SIGNUPS_NAV];

export const FOOTER_NAV: readonly NavItem[] = [
  MY_SIGNUPS_NAV,
  { href: '/gioi-thieu/', label: 'Giới thiệu' },
  { href: '/quyen-rieng-tu/', label: 'Quyền riêng tư' },
  { href: '/tiep-can/', label: 'Tuyên bố tiếp cận' },
  { href: '/rss.xml', label: 'RSS' },
];

/** Whether a nav link is the current section; the home link matches only the home page. */
export function isCurrentSection(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(href);
}

/** `tel:` form of a written phone number: "0290 3000 000" → "tel:02903000000". */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
