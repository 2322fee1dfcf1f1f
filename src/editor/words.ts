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
