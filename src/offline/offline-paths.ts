/** The addresses of offline use, apart so that the registration script on every page imports nothing else. */
export const SERVICE_WORKER_PATH = '/sw.js';
export const WEB_MANIFEST_PATH = '/manifest.webmanifest';
export const OFFLINE_PAGE_PATH = '/ngoai-tuyen/';
export const MY_SIGNUPS_PATH = '/dang-ky-cua-toi/';
/** The map page (its list and finder work offline; the tiles do not) and the eligibility page. */
export const MAP_PATH = '/diem-hien-mau/';
export const ELIGIBILITY_PATH = '/dieu-kien/';
