/**
 * What an editor reads when a body is refused, in the editor and in `npm run build`
 * (docs/editors.md, "What a body may hold"). Each names the line and says what to write.
 */

export const FORBIDDEN_ESM = (line: number): string =>
  `Dòng ${line}: bài viết không được có dòng "import" hay "export" (đó là mã chương trình, trang web sẽ chạy nó khi dựng). Xoá dòng này; muốn viết chữ "import" ở đầu dòng thì thêm chữ khác phía trước.`;

export const FORBIDDEN_EXPRESSION = (line: number): string =>
  `Dòng ${line}: dấu ngoặc nhọn { … } là mã chương trình, bài viết không được có. Xoá đi, hoặc viết \\{ và \\} nếu muốn hiện chính dấu ngoặc nhọn.`;

export const FORBIDDEN_ATTRIBUTE_EXPRESSION = (line: number): string =>
  `Dòng ${line}: thẻ có thuộc tính viết bằng { … } (mã chương trình), bài viết không được có.`;

export const FORBIDDEN_EVENT_ATTRIBUTE = (line: number, name: string): string =>
  `Dòng ${line}: thuộc tính "${name}" chạy mã khi người đọc bấm hay xem trang, bài viết không được có.`;

export const FORBIDDEN_LINK = (line: number, address: string): string =>
  `Dòng ${line}: liên kết "${address.slice(0, 40)}" không phải địa chỉ trang web (javascript:, data: hay vbscript: chạy mã hoặc nhúng nội dung). Dùng địa chỉ bắt đầu bằng https:// hoặc /.`;

export const FORBIDDEN_TAG = (line: number, tag: string): string =>
  `Dòng ${line}: thẻ <${tag}> không được dùng trong bài viết (nó chạy mã hoặc nhúng trang khác).`;

export const FORBIDDEN_FRAGMENT = (line: number): string =>
  `Dòng ${line}: thẻ rỗng <> … </> không dùng được trong bài viết; viết chữ bình thường.`;

export const UNKNOWN_COMPONENT = (line: number, name: string, allowed: readonly string[]): string =>
  `Dòng ${line}: thẻ <${name}> không có trong danh sách được dùng. Bài viết chỉ được có chữ Markdown (tiêu đề #, danh sách, **đậm**, [liên kết](https://…))${allowed.length ? ` và các thành phần của trang: ${allowed.map((c) => `<${c} />`).join(', ')}` : ''}. Muốn hiện dấu < thì viết \\<.`;

/** A body the parser cannot read at all: where it stopped and the likely cause. */
export function bodyParseProblem(line: number, parserMessage: string): string {
  let hint = 'Kiểm tra các dấu <, >, { và } ở dòng này: muốn hiện chính các dấu đó thì viết \\<, \\{, \\}.';
  if (parserMessage.includes('comment')) {
    hint = 'Chú thích kiểu <!-- … --> không dùng được trong tệp .mdx; xoá đi (hoặc viết {/* … */}).';
  } else if (/closing tag|end of file|expected a corresponding/i.test(parserMessage)) {
    hint = 'Có thẻ < … > mở mà không đóng, hoặc dấu { không có dấu } đi kèm.';
  } else if (parserMessage.includes('create a link')) {
    hint = 'Dấu < ở đây không phải thẻ; viết \\< để hiện nó, và viết liên kết theo kiểu [chữ](https://…).';
  }
  return `Dòng ${line}: không đọc được nội dung bài viết. ${hint}`;
}

/** The build's message: the file, then each problem on its own line. */
export function bodyRefusedMessage(file: string, problems: readonly { message: string }[]): string {
  return `${file}: nội dung không được phép (bài viết chỉ có chữ, không có mã chương trình):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`;
}

/** What an uploaded picture that is not a photo gets. */
export const IMAGE_NOT_A_PHOTO =
  'Ảnh phải là tệp JPEG, PNG hoặc WebP. Ảnh SVG không được nhận: nó có thể chứa mã chương trình.';

export const IMAGE_TOO_LARGE = (megabytes: number): string =>
  `Ảnh lớn quá ${megabytes} MB. Chọn ảnh nhỏ hơn, hoặc chụp lại ở chất lượng thấp hơn.`;

export const IMAGE_TOO_MANY_PIXELS = (width: number, height: number, megapixels: number): string =>
  `Ảnh ghi kích thước ${width} × ${height} điểm ảnh, quá ${megapixels} triệu điểm ảnh. Ảnh chụp điện thoại không lớn như vậy; chọn ảnh khác.`;

export const IMAGE_UNREADABLE = 'Không đọc được ảnh này: tệp bị hỏng hoặc không phải ảnh JPEG, PNG hay WebP.';
