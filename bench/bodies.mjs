// What "no code from editors" costs the build (src/news/safe-body-loader.ts): every .md/.mdx
// of a folder read by Sätteri's MDX parser and checked, as `astro sync` and `astro build` do
// before the content layer loads. Times the test site's bodies, then --articles (1,000)
// generated articles of about 600 words each, and a folder of the same size with one refused
// body at the end (the check still reads every file). Also the billion-laughs YAML refused.
//   npm run bench:bodies            (add -- --articles=1000)
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { refusalsUnder } from '../src/news/safe-body-loader.ts';
import { parseContentYaml } from '../src/shared/safe-yaml.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ARTICLES = arg('articles', 1000);

async function timed(label, folder) {
  const started = performance.now();
  const refusals = await refusalsUnder(folder, root);
  const ms = performance.now() - started;
  console.log(`${label}: ${ms.toFixed(0)} ms, ${refusals.length} refused`);
  return ms;
}

await timed('test site (news and pages)', join(root, 'tests/fixtures/site'));

const folder = mkdtempSync(join(tmpdir(), 'bench-bodies-'));
const news = join(folder, 'news');
mkdirSync(news);
const paragraph =
  'Hiến máu tình nguyện là nghĩa cử cao đẹp, mỗi đơn vị máu có thể cứu sống một người bệnh. **Người hiến** được khám, tư vấn và [xem điều kiện](/dieu-kien/) trước khi hiến.';
for (let i = 0; i < ARTICLES; i += 1) {
  const body = Array.from({ length: 12 }, (_, p) => (p % 4 === 0 ? `## Mục ${p}\n\n${paragraph}` : paragraph)).join(
    '\n\n',
  );
  writeFileSync(
    join(news, `bai-${i}.mdx`),
    `---\ntitle: Bài viết thử số ${i} về hiến máu\ndescription: Mô tả ngắn của bài viết thử để đo thời gian kiểm tra nội dung.\ndate: 2026-11-20\nauthor: Ban biên tập\ntags: [Kiểm thử]\n---\n\n${body}\n`,
  );
}
const clean = await timed(`${ARTICLES} generated articles`, folder);
console.log(`  ${(clean / ARTICLES).toFixed(2)} ms an article`);
writeFileSync(join(news, 'zz-co-ma.mdx'), `---\ntitle: x\n---\n\n{process.exit(1)}\n`);
await timed(`${ARTICLES} articles and one with code`, folder);
rmSync(folder, { recursive: true, force: true });

const laughs = [
  'a0: &a0 "lol"',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
].join('\n');
const started = performance.now();
try {
  parseContentYaml(laughs, 'bomb.yaml');
} catch (error) {
  console.log(`billion laughs refused in ${(performance.now() - started).toFixed(1)} ms: ${error.message}`);
}
