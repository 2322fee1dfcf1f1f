/**
 * The page each form action posts to (`<page>?_action=<name>`). The server
 * refuses an action posted anywhere else; the forms build their `action`
 * attribute from the same table.
 */
export const ACTION_PAGES = {
  signup: '/dang-ky/',
  joinWaitlist: '/dang-ky/',
  cancelSignup: '/dang-ky/huy/',
  reminderLookup: '/nhac-hen/',
  stopReminders: '/nhac-hen/',
  acceptOffer: '/nhac-hen/nhan-cho/',
} as const;

/** Whether `action` may be posted to `pathname`. */
export function actionBelongsTo(action: string, pathname: string): boolean {
  return Object.hasOwn(ACTION_PAGES, action) && ACTION_PAGES[action as keyof typeof ACTION_PAGES] === pathname;
}
