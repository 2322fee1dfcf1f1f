/**
 * The web app manifest: what a phone shows when the site is added to the
 * home screen, in Vietnamese, with shortcuts to the map, to sign-up and to the sign-ups kept on the device.
 */
import { SITE_NAME, SLOGAN } from '../shared/site.ts';
import { signupHref } from '../shared/links.ts';
import { MAP_PATH, MY_SIGNUPS_PATH } from './offline-plan.ts';
import { MY_SIGNUPS_TITLE } from './words.ts';

export const THEME_COLOUR = '#b91c1c';
export const ICON_SIZES = [192, 512] as const;
export const iconPath = (size: number, maskable = false) => `/icons/giot-mau-${size}${maskable ? '-maskable' : ''}.png`;

export function webManifest() {
  return {
    id: '/',
    name: `${SITE_NAME}: hiến máu tình nguyện`,
    short_name: SITE_NAME,
    description: `${SLOGAN}. Tìm điểm hiến máu gần bạn, đăng ký và mang theo mã xác nhận cả khi không có mạng.`,
    lang: 'vi',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: THEME_COLOUR,
    background_color: '#ffffff',
    icons: [
      ...ICON_SIZES.map((size) => ({
        src: iconPath(size),
        sizes: `${size}x${size}`,
        type: 'image/png',
        purpose: 'any',
      })),
      { src: iconPath(512, true), sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      {
        name: 'Điểm hiến máu gần bạn',
        short_name: 'Bản đồ',
        url: MAP_PATH,
        icons: [{ src: iconPath(192), sizes: '192x192' }],
      },
      {
        name: 'Đăng ký hiến máu',
        short_name: 'Đăng ký',
        url: signupHref(),
        icons: [{ src: iconPath(192), sizes: '192x192' }],
      },
      {
        name: MY_SIGNUPS_TITLE,
        short_name: 'Mã của tôi',
        url: MY_SIGNUPS_PATH,
        icons: [{ src: iconPath(192), sizes: '192x192' }],
      },
    ],
  };
}
