/** The words of offline use and "Đăng ký của tôi", shared by the pages and their islands. */
export const MY_SIGNUPS_TITLE = 'Đăng ký của tôi';
export const SAVED_ON_DEVICE =
  'Đăng ký này đã được lưu trên máy này. Bạn có thể mở lại mã xác nhận và mã QR ở mục "Đăng ký của tôi", cả khi không có mạng.';
export const REMOVED_FROM_DEVICE = 'Đã xóa đăng ký này khỏi máy này. Đăng ký vẫn còn hiệu lực; mã xác nhận ở trên.';
export const REMOVE_FROM_DEVICE = 'Xóa khỏi máy này';
export const NOT_SAVED =
  'Máy này không cho lưu dữ liệu (có thể đang ở chế độ ẩn danh). Hãy chụp màn hình mã xác nhận để mang theo.';
export const NOTHING_SAVED =
  'Chưa có đăng ký nào được lưu trên máy này. Sau khi đăng ký hiến máu, đăng ký sẽ được lưu ở đây để bạn mở lại mã xác nhận khi đến điểm hiến máu, cả khi không có mạng.';
export const PAST_HEADING = 'Các đợt đã qua';
export const QR_LABEL = (code: string) => `Mã QR của mã xác nhận ${code}`;
export const DIRECTIONS = 'Chỉ đường';
export const ADD_TO_CALENDAR = 'Thêm vào lịch (.ics)';
export const CODE_LABEL = 'Mã xác nhận';
export const CANCEL_SIGNUP = 'Hủy đăng ký';
export const REMOVE_QUESTION =
  'Xóa đăng ký này khỏi máy này? Việc xóa không hủy đăng ký: chỗ của bạn tại đợt hiến máu vẫn được giữ. Nếu bạn không đến được, hãy bấm "Hủy đăng ký" để nhường chỗ cho người khác.';
export const REMOVE_CONFIRM = 'Xóa khỏi máy';
export const REMOVE_KEEP = 'Không xóa';
/** Said once a sign-up is gone from the device: its code, which the device no longer keeps, and the way to cancel. */
export const REMOVED_SAVED = (code: string) =>
  `Đã xóa đăng ký mã ${code} khỏi máy này. Chỗ của bạn tại đợt hiến máu vẫn được giữ; nếu không đến được, hãy hủy đăng ký bằng mã này.`;
