/**
 * The drives feature's words that more than one page says: the section's
 * name, what to bring and do before giving (drive page, poster, calendar
 * entry, sign-up confirmation), and the map links and calls.
 */

export const DRIVES_TITLE = 'Điểm hiến máu';
export const ID_CARD = 'căn cước công dân';
export const BEFORE_GIVING = 'ngủ đủ giấc, ăn nhẹ và uống nước trước khi hiến';
export const OPEN_IN_MAP_APP = 'Mở bằng ứng dụng bản đồ';
/** The home page's first call: to the map and "find the nearest drive". */
export const FIND_NEAR_YOU = 'Tìm điểm hiến máu gần bạn';
/** The map page without a connection: the tiles need one; the list and the typed place do not. */
export const MAP_NEEDS_CONNECTION =
  'Bản đồ cần có mạng để tải. Danh sách dưới đây và ô tìm theo nơi bạn ở vẫn dùng được; bản đồ sẽ hiện khi có mạng lại.';
