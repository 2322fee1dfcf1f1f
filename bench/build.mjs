// Build-scale benchmark: a copy of the project with 1,000 articles and 200
// drives, then 5,000 articles and 1,000 drives (generated Vietnamese
// content), each built in full (pages, share images, search index,
// compression) twice: cold (no caches) and warm (the same content again).
// Prints wall time and peak memory of each build.
//   npm run bench:build            (add -- --sizes=1000:200 to run one size)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyProject } from '../scripts/project-copy.mjs';
import { generateArticles } from '../scripts/generate-articles.mjs';
import { generateDrives } from '../scripts/generate-drives.mjs';

const root = resolve(import.meta.dirname, '..');
const sizes = (process.argv.find((a) => a.startsWith('--sizes='))?.split('=')[1] ?? '1000:200,5000:1000')
  .split(',')
  .map((pair) => pair.split(':').map(Number));

// Runs `astro build` in-process in a child so that its peak memory (maxRSS) can be read at exit.
const BUILD = `
import { build } from 'astro';
await build({ root: process.cwd(), logLevel: 'error' });
console.log('MAXRSS ' + process.resourceUsage().maxRSS);
`;

function timedBuild(project, env) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', BUILD], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`build failed:\n${run.stderr.slice(-3000)}`);
  const maxRss = Number(/MAXRSS (\d+)/.exec(run.stdout)?.[1] ?? 0) * 1024;
  return { seconds: (performance.now() - started) / 1000, maxRss };
}

const rows = [];
for (const [articles, drives] of sizes) {
  const project = copyProject(`bench-build-${articles}-`);
  try {
    generateArticles(join(project, 'content/news'), articles);
    rmSync(join(project, 'content/drives'), { recursive: true });
    generateDrives(join(project, 'content/drives'), drives);
    const env = { SHARE_IMAGE_CACHE: join(project, '.share-cache') };
    const cold = timedBuild(project, env);
    const warm = timedBuild(project, env);
    rows.push({ articles, drives, cold, warm });
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;
console.log('\n| content | cold build | cold peak memory | warm build | warm peak memory |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.articles} articles + ${r.drives} drives | ${r.cold.seconds.toFixed(0)} s | ${mb(r.cold.maxRss)} | ${r.warm.seconds.toFixed(0)} s | ${mb(r.warm.maxRss)} |`,
  );
}
console.log('\nGoal: 1,000 articles + 200 drives in ≤ 60 s cold on this 2-core machine, growth close to linear.');
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/build.json'), JSON.stringify(rows, null, 2));
