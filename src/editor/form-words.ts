/** The words of the article, page and campaign forms (src/editor/ArticleForm.astro and its neighbours). */
export const ARTICLE_FORM_PATH = '/to-chuc/noi-dung/tin-tuc/';
export const PAGE_FORM_PATH = '/to-chuc/noi-dung/trang/';
export const CAMPAIGN_FORM_PATH = '/to-chuc/noi-dung/chien-dich/';
export const PREVIEW_PATH = '/to-chuc/noi-dung/xem-truoc/';

export const formHref = (path: string): string | undefined => {
  if (/^news\/[^/]+\.mdx?$/.test(path)) return `${ARTICLE_FORM_PATH}?tep=${encodeURIComponent(path)}`;
  if (/^pages\/[^/]+\.mdx?$/.test(path)) return `${PAGE_FORM_PATH}?tep=${encodeURIComponent(path)}`;
  if (path === 'campaign.yaml') return CAMPAIGN_FORM_PATH;
  return undefined;
};

export const FORM_WORDS = {
  notAnArticle: 'Tệp này không phải một bài viết (news/<tên>.mdx).',
  notAPage: 'Tệp này không phải một trang (pages/<tên>.mdx).',
  missing: (path: string) => `${path} không có trong kho nội dung.`,
  slugTaken: (path: string) => `Đã có ${path}: chọn địa chỉ khác, hoặc mở bài đó để sửa.`,
  pictureMissing: (src: string) => `Ảnh ${src} không có trong kho nội dung: chọn lại ảnh.`,
  fixFields: (count: number, pictureChosen: boolean) =>
    `Chưa lưu: ${count} chỗ cần sửa, ghi ngay dưới từng ô.${pictureChosen ? ' Ảnh vừa chọn chưa được lưu: chọn lại ảnh sau khi sửa.' : ''}`,
  notAForm: 'Chỉ nhận biểu mẫu của trang (415).',
  unreadableForm: 'Biểu mẫu không đọc được (400).',
  pictureKept:
    'Ảnh vừa chọn đã được giữ lại (chưa lưu): không cần chọn lại, chỉ sửa các ô có ghi chú rồi bấm «Lưu bài».',
  altNeeded: 'Ảnh cần một câu mô tả cho người không nhìn thấy được (ít nhất 5 ký tự).',
  previewRefused: 'Chưa xem trước được: nội dung có chỗ không được phép.',
} as const;

/**
 * CodeMirror puts its own small stylesheet in a <style> element it makes (style-mod, with
 * class names made as it runs, so no hash can be known beforehand) and sets a few `style`
 * attributes (the tab size, the cursor's place). The site's policy refuses both; on the two
 * pages with the body editor only, inline styles are allowed, scripts never. A body cannot
 * bring a <style> element or a script to the preview: the build's check refuses them.
 */
export const BODY_EDITOR_STYLES = [
  { resource: "'self'", kind: 'element' },
  { resource: "'unsafe-inline'", kind: 'element' },
  { resource: "'unsafe-inline'", kind: 'attribute' },
] as const;
