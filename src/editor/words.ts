/** The words of content history and publishing: the console's pages, the island and the command line. */
import type { ContentAction } from './content-audit.ts';
import type { PublishRun } from './publisher.ts';

export const CONTENT_PATH = '/to-chuc/noi-dung/';
export const HISTORY_PATH = '/to-chuc/noi-dung/lich-su/';
export const PUBLISH_PATH = '/to-chuc/xuat-ban/';
export const PUBLISH_STATUS_PATH = '/to-chuc/xuat-ban/tien-do.json';

export const historyHref = (path: string, version?: string) =>
  `${HISTORY_PATH}?tep=${encodeURIComponent(path)}${version ? `&phien-ban=${version}` : ''}`;

export const WORDS = {
  noRight: 'Tài khoản này không được sửa nội dung: cần vai trò biên tập viên hoặc quản trị viên (403).',
  noPublishRight: 'Tài khoản này không được xuất bản: cần vai trò biên tập viên hoặc quản trị viên (403).',
  tooMany: 'Bạn thao tác quá nhanh. Xin đợi vài phút rồi thử lại (429).',
  unknownIntent: 'Không rõ thao tác (400).',
  saved: (path: string, commit: string) => `Đã lưu ${path} (phiên bản ${commit.slice(0, 7)}).`,
  unchanged: (path: string) => `${path} không có gì thay đổi: không lưu phiên bản mới.`,
  conflict: (path: string, author: string, at: string) =>
    `${path} đã được ${author} lưu lúc ${at}, sau khi bạn mở trang. Chưa lưu gì của bạn: nội dung của bạn vẫn ở ô bên dưới; hãy xem thay đổi của họ, chép phần của bạn vào rồi lưu lại.`,
  reverted: (path: string, version: string, commit: string) =>
    `Đã đưa ${path} về phiên bản ${version.slice(0, 7)} (phiên bản mới ${commit.slice(0, 7)}). Bấm «Xuất bản» để trang web hiện bản này.`,
  publishStarted: 'Đang dựng trang. Theo dõi tiến độ bên dưới.',
  publishQueued:
    'Đang có một lần dựng trang; lần xuất bản của bạn sẽ chạy ngay sau đó, với mọi thay đổi đã lưu đến lúc ấy.',
  publishAlreadyQueued: 'Đã có một lần xuất bản đang chờ; nó sẽ gồm cả thay đổi của bạn. Không cần bấm thêm.',
  tooLarge: 'Nội dung dài quá giới hạn.',
  pictureNotText: 'Ảnh không sửa được trong ô chữ; chỉ xem lịch sử và quay lại phiên bản cũ của ảnh ở đây.',
} as const;

export const RUN_STATE_WORDS: Record<PublishRun['state'], string> = {
  queued: 'Đang chờ',
  building: 'Đang dựng trang',
  switching: 'Đang chuyển sang bản mới',
  done: 'Đã xuất bản',
  failed: 'Thất bại: trang web vẫn như trước',
};

export const ACTION_WORDS: Record<ContentAction, string> = {
  'content-save': 'Lưu',
  'content-revert': 'Quay lại phiên bản cũ',
  'content-publish': 'Xuất bản',
  'content-publish-failed': 'Xuất bản thất bại',
};

/** The drive form (DriveForm.astro, drive-console.ts, drive-form-island.ts). */
export const DRIVE_FORM_PATH = '/to-chuc/noi-dung/diem-hien-mau/';
export const driveFormHref = (path?: string) =>
  path ? `${DRIVE_FORM_PATH}?tep=${encodeURIComponent(path)}` : DRIVE_FORM_PATH;

export const DRIVE_WORDS = {
  addDrive: 'Thêm đợt hiến máu',
  editDrive: 'Sửa đợt hiến máu',
  editWithForm: 'Sửa bằng biểu mẫu',
  statuses: { scheduled: 'Đã lên lịch, nhận đăng ký', cancelled: 'Hủy đợt này', finished: 'Đã xong' },
  notSaved: (count: number) => `Chưa lưu: ${count} chỗ cần sửa, xem thông báo bên cạnh từng ô.`,
  exists: (path: string) => `${path} đã có: chọn tên tệp khác, hoặc mở đợt ấy để sửa.`,
  notFound: (path: string) => `${path} không có trong kho nội dung.`,
  notADrive: 'Biểu mẫu này chỉ sửa tệp đợt hiến máu (drives/…yaml).',
  unreadable: (message: string) => `${message} Sửa tệp trong trang lịch sử.`,
  slugFixed:
    'Tên tệp là địa chỉ trang của đợt (/diem-hien-mau/tên-tệp/): không đổi sau khi tạo, vì đường dẫn đã được chia sẻ.',
  slugHasSignups: (count: number) =>
    `Đợt này đã có ${count} người đăng ký: không đổi tên tệp được, mã đăng ký và tin nhắc của họ gắn với địa chỉ này.`,
  signupsNow: (count: number) => `Đợt này đang có ${count} người đăng ký.`,
  slotsGone: (count: number, slots: string) =>
    `${count} người đã đăng ký ở khung giờ không còn sau thay đổi này (${slots}): báo cho họ chọn giờ khác.`,
  slotsOver: (count: number, slots: string) =>
    `${count} người vượt số chỗ mới của khung giờ (${slots}): họ vẫn giữ chỗ, nhưng lượt ấy sẽ đông hơn số chỗ.`,
  noImpact: 'Thay đổi này không chạm đến lượt đăng ký nào.',
  confirmCancel: (people: number) =>
    `Bạn sắp hủy đợt này. Sau khi lưu và bấm «Xuất bản», ${people} người sẽ nhận tin báo đợt bị hủy (những người đã đăng ký có nhận nhắc lịch và người đang chờ chỗ). Bấm «Xác nhận hủy đợt» để lưu.`,
  confirmCancelCli: (people: number) =>
    `Chưa lưu: tệp này hủy một đợt đã có người đăng ký. Sau khi xuất bản, ${people} người sẽ nhận tin báo đợt bị hủy. Chạy lại lệnh với --xac-nhan-huy để lưu.`,
  confirmButton: 'Xác nhận hủy đợt',
  confirmSlots: (people: number) =>
    `Thay đổi này chạm đến ${people} người đã đăng ký (khung giờ của họ không còn, hoặc đông hơn số chỗ mới). Bấm «Vẫn lưu thay đổi» nếu đã báo cho họ hoặc sẽ báo.`,
  confirmSlotsCli: (people: number) =>
    `Chưa lưu: thay đổi này chạm đến ${people} người đã đăng ký (khung giờ không còn, hoặc đông hơn số chỗ mới). Chạy lại lệnh với --xac-nhan-doi-luot để lưu.`,
  confirmSlotsButton: 'Vẫn lưu thay đổi',
  keepSlotsButton: 'Không lưu: quay lại',
  keepButton: 'Không hủy: quay lại',
  saveButton: 'Lưu đợt hiến máu',
  savedThenPublish: 'Bấm «Xuất bản» để đợt này hiện trên bản đồ và nhận đăng ký.',
  slotsNone: 'Chưa có khung giờ: chọn ngày, giờ bắt đầu, giờ kết thúc và độ dài mỗi lượt.',
  slotsDoNotFit: 'Độ dài mỗi lượt chưa chia đều thời gian của buổi: sửa ô ấy để thấy các khung giờ.',
  slotsCount: (slots: number, places: number) => `${slots} khung giờ, tổng ${places} chỗ`,
  mapHint:
    'Chạm vào bản đồ để đặt vị trí (chạm lại để dời), hoặc gõ vĩ độ và kinh độ, ví dụ từ ứng dụng bản đồ trên điện thoại.',
  mapFallback: 'Bản đồ cần JavaScript và mạng để hiện; gõ vĩ độ và kinh độ ở hai ô dưới đây.',
  positionSet: (latitude: string, longitude: string) => `Đã đặt vị trí: ${latitude}, ${longitude}.`,
} as const;
