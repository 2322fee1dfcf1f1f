// Share-image benchmark: the share images of 200 and 1,000 generated
// articles, drawn with the site's own renderer and cache (src/share), once
// cold (empty cache) and once warm (same inputs). Prints the time and how
// many images were drawn; a warm run should draw none.
//   npm run bench:share
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shareImage } from '../src/sharing/share-image.ts';

const SUBJECTS = [
  'Đoàn viên thanh niên',
  'Cán bộ, chiến sĩ Công an tỉnh',
  'Hội viên Hội Chữ thập đỏ',
  'Người dân phường An Xuyên',
];
const VERBS = [
  'đã tham gia hiến máu tình nguyện',
  'hưởng ứng lời kêu gọi hiến máu cứu người',
  'được tôn vinh vì hiến máu nhiều lần',
];

function inputs(count) {
  return Array.from({ length: count }, (_, i) => ({
    kicker: 'Tin tức',
    title: `${SUBJECTS[i % SUBJECTS.length]} ${VERBS[i % VERBS.length]} (bài ${i + 1})`,
    subtitle: `${String((i % 28) + 1).padStart(2, '0')}/04/2026`,
    slogan: 'Hiến máu an toàn – Không ngại Covid',
    organisers: 'Hội Chữ thập đỏ tỉnh Cà Mau · Công an tỉnh Cà Mau',
  }));
}

async function run(list, cacheDir) {
  const started = performance.now();
  let drawn = 0;
  let largest = 0;
  for (const input of list) {
    const result = await shareImage(input, cacheDir);
    if (result.drawn) drawn += 1;
    largest = Math.max(largest, result.png.length);
  }
  return { seconds: (performance.now() - started) / 1000, drawn, largest };
}

console.log('\n| articles | cold: time | cold: drawn | warm: time | warm: drawn | largest image |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const count of [200, 1000]) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-share-'));
  try {
    const list = inputs(count);
    const cold = await run(list, cacheDir);
    const warm = await run(list, cacheDir);
    console.log(
      `| ${count} | ${cold.seconds.toFixed(1)} s | ${cold.drawn} | ${warm.seconds.toFixed(2)} s | ${warm.drawn} | ${(cold.largest / 1000).toFixed(1)} kB |`,
    );
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
console.log('\nGoal: a warm rebuild draws nothing.');
