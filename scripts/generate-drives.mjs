// Writes N realistic sample drive files for benchmarks: spread over the
// communes of the merged Cà Mau province, half past and half to come, with
// Vietnamese names and addresses. Deterministic for a given N and date.
//   node scripts/generate-drives.mjs <folder> <count>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './seeded-random.mjs';
import { slugify } from '../src/shared/vietnamese.ts';

/** @type {[commune: string, oldNames: string[], latitude: number, longitude: number][]} */
const PLACES = [
  ['Phường An Xuyên', ['Phường 2', 'TP Cà Mau'], 9.179, 105.151],
  ['Phường Tân Thành', ['Phường 6', 'TP Cà Mau'], 9.171, 105.166],
  ['Phường Lý Văn Lâm', ['Phường 8', 'TP Cà Mau'], 9.187, 105.135],
  ['Phường Hòa Thành', ['xã Hòa Thành', 'TP Cà Mau'], 9.173, 105.167],
  ['Phường Bạc Liêu', ['Phường 3', 'TP Bạc Liêu'], 9.286, 105.724],
  ['Phường Vĩnh Trạch', ['Phường 8', 'TP Bạc Liêu'], 9.27, 105.745],
  ['Phường Hiệp Thành', ['phường Nhà Mát', 'TP Bạc Liêu'], 9.25, 105.74],
  ['Phường Giá Rai', ['Phường 1', 'thị xã Giá Rai'], 9.245, 105.456],
  ['Phường Láng Tròn', ['phường Láng Tròn', 'thị xã Giá Rai'], 9.262, 105.52],
  ['Xã Năm Căn', ['thị trấn Năm Căn', 'huyện Năm Căn'], 8.763, 104.997],
  ['Xã Cái Nước', ['thị trấn Cái Nước', 'huyện Cái Nước'], 8.939, 105.013],
  ['Xã Đầm Dơi', ['thị trấn Đầm Dơi', 'huyện Đầm Dơi'], 8.994, 105.196],
  ['Xã Trần Văn Thời', ['thị trấn Trần Văn Thời', 'huyện Trần Văn Thời'], 9.078, 104.972],
  ['Xã U Minh', ['thị trấn U Minh', 'huyện U Minh'], 9.403, 104.968],
  ['Xã Thới Bình', ['thị trấn Thới Bình', 'huyện Thới Bình'], 9.352, 105.087],
  ['Xã Sông Đốc', ['thị trấn Sông Đốc', 'huyện Trần Văn Thời'], 9.04, 104.83],
  ['Xã Đất Mũi', ['xã Đất Mũi', 'huyện Ngọc Hiển'], 8.63, 104.78],
  ['Xã Hồng Dân', ['thị trấn Ngan Dừa', 'huyện Hồng Dân'], 9.53, 105.41],
  ['Xã Phước Long', ['thị trấn Phước Long', 'huyện Phước Long'], 9.43, 105.46],
  ['Xã Hòa Bình', ['thị trấn Hòa Bình', 'huyện Hòa Bình'], 9.28, 105.63],
  ['Xã Gành Hào', ['thị trấn Gành Hào', 'huyện Đông Hải'], 9.033, 105.422],
];
const VENUES = [
  'Nhà văn hóa',
  'Hội trường Ủy ban nhân dân',
  'Trường THCS',
  'Trạm Y tế',
  'Hội trường Công an',
  'Sân chợ',
];
const STREETS = [
  'đường Trần Hưng Đạo',
  'đường Nguyễn Tất Thành',
  'đường Lý Thường Kiệt',
  'Quốc lộ 1',
  'đường 30 Tháng 4',
];
const PARTNERS = ['Công an tỉnh Cà Mau', 'Tỉnh đoàn Cà Mau', 'Hội Liên hiệp Phụ nữ tỉnh', 'Bộ Chỉ huy Quân sự tỉnh'];

const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
/**
 * Writes `count` drive files into `folder`, around `today`.
 * @param {string} folder
 * @param {number} count
 */
export function generateDrives(folder, count, today = new Date()) {
  mkdirSync(folder, { recursive: true });
  const next = seededRandom(count);
  /**
   * @template T
   * @param {readonly T[]} list never empty
   * @returns {T}
   */
  const pick = (list) => /** @type {T} */ (list[Math.floor(next() * list.length)]);
  for (let i = 0; i < count; i += 1) {
    const [commune, oldNames, lat, lng] = pick(PLACES);
    const dayOffset = Math.round((next() - 0.45) * 365);
    const day = new Date(today.getTime() + dayOffset * 86_400_000);
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const startHour = pick([6, 7, 7, 8, 13]);
    const hours = pick([3, 4, 4, 5]);
    const finished = dayOffset < 0;
    const place = commune.replace(/^(Phường|Xã) /, '');
    const target = 50 + Math.round(next() * 300);
    const lines = [
      `name: Ngày hội hiến máu tình nguyện ${commune.replace(/^\S+/, (unit) => unit.toLowerCase())} đợt ${i + 1}`,
      `organiser: Hội Chữ thập đỏ tỉnh Cà Mau và ${pick(PARTNERS)}`,
      `address: ${pick(VENUES)} ${place}, số ${1 + Math.floor(next() * 200)} ${pick(STREETS)}, ${commune.replace(/^\S+/, (unit) => unit.toLowerCase())}`,
      `commune: ${commune}`,
      'oldNames:',
      ...oldNames.map((name) => `  - ${name}`),
      `latitude: ${(lat + (next() - 0.5) * 0.04).toFixed(4)}`,
      `longitude: ${(lng + (next() - 0.5) * 0.04).toFixed(4)}`,
      `start: ${date}T${pad(startHour)}:00:00+07:00`,
      `end: ${date}T${pad(startHour + hours)}:00:00+07:00`,
      'slots:',
      `  minutes: ${pick([30, 60])}`,
      `  places: ${10 + Math.floor(next() * 40)}`,
      `status: ${finished ? 'finished' : next() < 0.05 ? 'cancelled' : 'scheduled'}`,
      `unitsTarget: ${target}`,
      ...(finished ? [`unitsGiven: ${Math.round(target * (0.7 + next() * 0.6))}`] : []),
      `phone: 0290 3${String(100000 + i).slice(-6, -3)} ${String(100000 + i).slice(-3)}`,
      'notes: >-',
      '  Mang theo căn cước công dân, ngủ đủ giấc, ăn nhẹ và uống 300–500 ml nước trước',
      '  khi hiến. Người đang sốt hoặc mệt xin hẹn lại đợt sau.',
    ];
    writeFileSync(join(folder, `${slugify(place)}-${date}-${i + 1}.yaml`), `${lines.join('\n')}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [folder, count] = process.argv.slice(2);
  if (!folder || !count) throw new Error('usage: node scripts/generate-drives.mjs <folder> <count>');
  generateDrives(folder, Number(count));
}
