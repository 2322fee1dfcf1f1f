// Publishing from the console, timed: the test site's server (dist-test/) with a content
// repository seeded from (1) the test site's content and (2) generated content of 1,000
// articles and 200 drives. For each, an editor saves a new article over HTTP and presses
// "Xuất bản"; the time is from the press to the new article's page answering 200 from the
// same server (nothing restarted), twice: the first build in a fresh publish folder (cold
// caches) and a second one (Astro's caches and the share images kept). Meanwhile the server
// and the build's processes are sampled every 200 ms from /proc: the peak memory of the
// build (every process under the server) beside the server's own.
//   npm run bench:publish            (add -- --sizes=fixture,1000:200 to choose)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURE_DIST, copyFixtureContent } from '../scripts/fixture-site.mjs';
import { generateArticles } from '../scripts/generate-articles.mjs';
import { generateDrives } from '../scripts/generate-drives.mjs';
import { startSite } from '../scripts/start-site.mjs';

const root = resolve(import.meta.dirname, '..');
const sizes = (process.argv.find((a) => a.startsWith('--sizes='))?.split('=')[1] ?? 'fixture,1000:200').split(',');
const PASSWORD = 'mat-khau-do-thoi-gian-2026';

if (!existsSync(join(root, FIXTURE_DIST, 'server', 'entry.mjs'))) {
  console.log('Building the test site into dist-test/ …');
  execFileSync(process.execPath, ['scripts/fixture-site.mjs'], { cwd: root, stdio: 'inherit' });
}

/** Resident memory of a process, in bytes (0 once it is gone). */
function rss(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Every process under `pid` (children's children too). */
function descendants(pid) {
  const read = (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  return tasks.flatMap((task) =>
    read(`/proc/${pid}/task/${task}/children`)
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .flatMap((child) => [child, ...descendants(child)]),
  );
}

async function postForm(base, path, fields, cookie) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      Origin: base,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

function article(slug, title) {
  return `---
title: "${title}"
description: "Bài viết dùng để đo thời gian từ lúc bấm Xuất bản đến khi trang mới được phục vụ trên máy chủ đang chạy."
date: 2026-11-30
author: "Ban biên tập"
tags:
  - Hiến máu tình nguyện
---

Bài này chỉ để đo thời gian xuất bản (${slug}).
`;
}

async function publishOnce(site, cookie, label) {
  const slug = `do-thoi-gian-${label}-${Date.now() % 100_000}`;
  const path = `news/${slug}.mdx`;
  const saved = await postForm(
    site.url,
    `/to-chuc/noi-dung/lich-su/?tep=${path}`,
    { intent: 'save', tep: path, 'noi-dung': article(slug, `Đo thời gian xuất bản ${label}`), goc: '' },
    cookie,
  );
  if (saved.status !== 200) throw new Error(`saving failed with ${saved.status}`);
  let peakBuild = 0;
  let peakServer = 0;
  const sampler = setInterval(() => {
    peakServer = Math.max(peakServer, rss(site.pid));
    peakBuild = Math.max(
      peakBuild,
      descendants(site.pid).reduce((sum, pid) => sum + rss(pid), 0),
    );
  }, 200);
  const started = performance.now();
  const asked = await postForm(site.url, '/to-chuc/xuat-ban/', { intent: 'publish' }, cookie);
  if (asked.status !== 202) throw new Error(`publish refused with ${asked.status}`);
  for (;;) {
    const page = await fetch(`${site.url}/tin-tuc/${slug}/`);
    await page.body?.cancel();
    if (page.status === 200) break;
    const progress = await (
      await fetch(`${site.url}/to-chuc/xuat-ban/tien-do.json`, { headers: { Cookie: cookie } })
    ).json();
    if (progress.run?.state === 'failed') throw new Error(`the build failed:\n${progress.run.message}`);
    if (performance.now() - started > 30 * 60_000) throw new Error('no new page after 30 minutes');
    await new Promise((done) => setTimeout(done, 500));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { seconds, peakBuild, peakServer };
}

const rows = [];
for (const size of sizes) {
  const folder = mkdtempSync(join(tmpdir(), 'bench-publish-'));
  try {
    const seed = join(folder, 'content');
    copyFixtureContent(seed);
    let label = 'test site content';
    if (size !== 'fixture') {
      const [articles, drives] = size.split(':').map(Number);
      rmSync(join(seed, 'news'), { recursive: true });
      rmSync(join(seed, 'drives'), { recursive: true });
      generateArticles(join(seed, 'news'), articles);
      generateDrives(join(seed, 'drives'), drives);
      label = `${articles} articles + ${drives} drives`;
    }
    const db = join(folder, 'signups.sqlite');
    const user = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'src/cli/main.ts',
        'user',
        'add',
        'bientap',
        '--role',
        'editor',
        '--db',
        db,
      ],
      { cwd: root, input: `${PASSWORD}\n`, encoding: 'utf8' },
    );
    if (user.status !== 0) throw new Error(user.stderr);
    const site = await startSite({
      SIGNUP_DB: db,
      SITE_DIST: FIXTURE_DIST,
      CONTENT_DIR: seed,
      CONTENT_REPO: join(folder, 'noi-dung'),
      PUBLISH_DIR: join(folder, 'ban-dung'),
      PUBLISH_CHECK_MINUTES: '0',
      SHARE_IMAGE_CACHE: join(folder, 'share-cache'),
    });
    const exitWatch = setInterval(() => {
      try {
        process.kill(site.pid, 0);
      } catch {
        console.error(`the server is gone:\n${site.output().slice(-3000)}`);
        clearInterval(exitWatch);
      }
    }, 500);
    try {
      const login = await postForm(site.url, '/to-chuc/dang-nhap/', { username: 'bientap', password: PASSWORD });
      const cookie = login.headers.get('set-cookie')?.split(';', 1)[0];
      if (login.status !== 303 || !cookie) throw new Error(`sign-in failed with ${login.status}`);
      const cold = await publishOnce(site, cookie, 'lan-1');
      const warm = await publishOnce(site, cookie, 'lan-2');
      rows.push({ label, cold, warm, restarted: !site.output().includes('không khởi động lại') });
    } catch (error) {
      console.error(site.output().slice(-4000));
      throw error;
    } finally {
      clearInterval(exitWatch);
      await site.stop();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;
console.log(
  '\n| content | first publish → new page served | second publish | build peak memory | server peak memory |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.cold.seconds.toFixed(0)} s | ${r.warm.seconds.toFixed(0)} s | ${mb(Math.max(r.cold.peakBuild, r.warm.peakBuild))} | ${mb(Math.max(r.cold.peakServer, r.warm.peakServer))} |`,
  );
}
