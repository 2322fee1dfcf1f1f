/**
 * The search feature's words, for its components and its islands. One export
 * per text, so an island's bundle carries only the words it uses.
 */

export const SEARCH_TITLE = 'Tìm kiếm';
/**
 * The search page's first words, drawn with the page: larger than a result's passage, so a shared
 * search link's largest paint is the page's own text and not the results Pagefind draws later
 * (docs/benchmarks.md, "First paint at the floor").
 */
export const SEARCH_INTRO =
  'Tìm trong tin tức, các điểm hiến máu và các trang hướng dẫn của chiến dịch. Kết quả hiện ngay khi bạn gõ; có thể lọc theo loại trang, năm hoặc chủ đề, và gửi địa chỉ của trang cho người khác để họ thấy cùng kết quả.';
export const QUERY_LABEL = 'Từ cần tìm';
/** The search forms' submit button (the header's dialog and the search page). */
export const SEARCH_SUBMIT = 'Tìm';
/** Under the search field, in the header's dialog and on the search page (with examples there). */
export const TONES_HINT = 'Gõ có dấu hay không dấu đều được';
export const QUERY_TOO_SHORT = 'Hãy gõ ít nhất 2 chữ.';
export const SEE_ALL_RESULTS = 'Xem tất cả kết quả và lọc';
export const OPEN_SEARCH_PAGE = 'Mở trang tìm kiếm';
export const SEARCH_FAILED = 'Tìm kiếm đang gặp lỗi. Xin thử lại.';
/** In development, before the first build: the index is made by `astro build`. */
export const INDEX_NOT_BUILT =
  'Chưa có chỉ mục tìm kiếm: chạy `npm run build` một lần, rồi tải lại trang (`npm run dev` dùng chỉ mục của lần build gần nhất).';
export const INDEX_UNREACHABLE = 'Không tải được bộ tìm kiếm. Hãy kiểm tra kết nối mạng rồi thử lại.';

export const resultsFound = (query: string, total: number) => `${total} kết quả cho “${query}”.`;
export const noResults = (query: string, filtered: boolean) =>
  `Không tìm thấy “${query}”${filtered ? ' với bộ lọc đã chọn; hãy bỏ bớt bộ lọc' : ''}. Thử từ khác, hoặc xem tin tức và các điểm hiến máu.`;
