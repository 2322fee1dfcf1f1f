// Writes N realistic Vietnamese news articles (MDX) for benchmarks: varied
// titles, tags, dates over six years and paragraphs assembled from phrases
// about blood donation, so the search index sees real Vietnamese words,
// diacritics and đ included. Deterministic for a given N.
//   node scripts/generate-articles.mjs <folder> <count>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './seeded-random.mjs';

const SUBJECTS = [
  'Đoàn viên thanh niên',
  'Cán bộ, chiến sĩ Công an tỉnh',
  'Hội viên Hội Chữ thập đỏ',
  'Hội viên Hội Phụ nữ',
  'Người dân phường An Xuyên',
  'Công nhân khu công nghiệp',
  'Giáo viên và sinh viên',
  'Bộ đội Biên phòng',
  'Tiểu thương chợ Giá Rai',
  'Người lao động ở Bạc Liêu',
];
const VERBS = [
  'đã tham gia hiến máu tình nguyện',
  'hưởng ứng lời kêu gọi hiến máu cứu người',
  'đăng ký hiến máu tại điểm gần nhà',
  'vận động người thân cùng đi hiến máu',
  'được tôn vinh vì hiến máu nhiều lần',
  'góp thêm nhiều đơn vị máu cho bệnh viện',
];
const PLACES = [
  'tại hội trường Ủy ban nhân dân xã',
  'ở nhà văn hóa khóm 3',
  'tại Bệnh viện Đa khoa Cà Mau',
  'trên đường Trần Hưng Đạo',
  'ở điểm hiến máu lưu động',
  'tại trường trung học phổ thông',
];
const DETAILS = [
  'Người hiến được đo huyết áp, xét nghiệm nhanh và tư vấn trước khi lấy máu.',
  'Ban tổ chức bố trí khu chờ thoáng mát, có nước uống và sát khuẩn tay ở lối vào.',
  'Mỗi đơn vị máu có thể giúp cứu sống người bệnh đang cấp cứu.',
  'Người hiến nên ngủ đủ giấc, ăn nhẹ và uống 300–500 ml nước trước khi hiến.',
  'Nhiều bạn trẻ lần đầu hiến máu cho biết không hề đau như đã nghĩ.',
  'Hiến máu an toàn – Không ngại Covid là lời nhắn gửi của chương trình năm nay.',
  'Lượng máu dự trữ của bệnh viện thường giảm vào dịp lễ, Tết và mùa dịch.',
  'Giữa hai lần hiến máu toàn phần cần cách nhau ít nhất 12 tuần.',
  'Các đơn vị đã đăng ký trước danh sách để tránh tập trung đông người.',
  'Hội Chữ thập đỏ tỉnh cảm ơn tấm lòng của những người đã đến hiến máu.',
];
const TAGS = [
  'Hiến máu tình nguyện',
  'Công an tỉnh',
  'Đoàn thanh niên',
  'Hội Chữ thập đỏ',
  'Tôn vinh',
  'Covid-19',
  'Bạc Liêu',
  'Sức khỏe',
];

/**
 * Writes `count` articles into `folder` (content/news layout).
 * @param {string} folder
 * @param {number} count
 */
export function generateArticles(folder, count) {
  mkdirSync(folder, { recursive: true });
  const next = seededRandom(count * 7 + 1);
  /**
   * @template T
   * @param {readonly T[]} list never empty
   * @returns {T}
   */
  const pick = (list) => /** @type {T} */ (list[Math.floor(next() * list.length)]);
  const sentence = () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(PLACES)}. ${pick(DETAILS)}`;
  for (let i = 1; i <= count; i += 1) {
    const day = new Date(Date.UTC(2020, 3, 19) + Math.floor(next() * 6 * 365) * 86_400_000).toISOString().slice(0, 10);
    const subject = pick(SUBJECTS);
    const title = `${subject} ${pick(VERBS)} (bài ${i})`;
    const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])];
    const paragraphs = Array.from({ length: 5 + Math.floor(next() * 6) }, () =>
      Array.from({ length: 2 + Math.floor(next() * 3) }, sentence).join(' '),
    );
    const body = [
      '---',
      `title: "${title}"`,
      `description: "${subject} ${pick(VERBS)} ${pick(PLACES)}; bài viết số ${i} về phong trào hiến máu ở Cà Mau."`,
      `date: ${day}`,
      'author: "Ban biên tập"',
      'tags:',
      ...tags.map((tag) => `  - ${tag}`),
      '---',
      '',
      paragraphs[0],
      '',
      `## ${pick(DETAILS).replace(/\.$/, '')}`,
      '',
      ...paragraphs.slice(1).flatMap((paragraph) => [paragraph, '']),
    ];
    writeFileSync(join(folder, `bai-mau-${i}.mdx`), body.join('\n'));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [folder, count] = process.argv.slice(2);
  if (!folder || !count) throw new Error('usage: node scripts/generate-articles.mjs <folder> <count>');
  generateArticles(folder, Number(count));
}
