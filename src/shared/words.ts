/** Words every feature uses. */

/** After a link that opens a new window, for screen readers. */
export const NEW_WINDOW = 'mở cửa sổ mới';

/** The header's menu button on phones. */
export const MENU = 'Menu';
