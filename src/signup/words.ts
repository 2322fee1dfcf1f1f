/** The sign-up feature's words that more than one page says. */

export const SIGNUP_TITLE = 'Đăng ký hiến máu';
export const CANCEL_TITLE = 'Hủy đăng ký hiến máu';
/** The button that puts a person on a full slot's waitlist. */
export const WAITLIST_BUTTON = 'Báo tôi khi có chỗ';
