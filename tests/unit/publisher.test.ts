/**
 * The publisher (src/editor/publisher.ts) on a stand-in project whose `astro build` is a
 * short script: the real build is tested once, in tests/e2e/publish.test.ts. Here: one
 * build at a time and exactly one queued, a failure that changes nothing and says why,
 * current.json, old builds removed, and the scheduled publish's "an article's day has come".
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ContentRepo } from '../../src/editor/content-repo.ts';
import { articleDates, failureMessage, Publisher } from '../../src/editor/publisher.ts';
import { readCurrentBuild, type CurrentBuild } from '../../src/editor/served-build.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

/** The value, which the test has just made sure exists (a failed test otherwise). */
function known<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('thiếu giá trị mà bài kiểm tra cần');
  return value;
}

const folder = temporaryFolder('publisher-');
afterAll(() => removeFolder(folder));

// `astro build --outDir X` of the stand-in: a server entry and the content's file list, or
// an error naming the file when one holds "HỎNG"; it takes 300 ms, long enough to queue behind.
const FAKE_ASTRO = `
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const out = process.argv[process.argv.indexOf('--outDir') + 1];
const content = process.env.CONTENT_DIR;
await new Promise((r) => setTimeout(r, 300));
console.log('đang dựng');
for (const name of readdirSync(join(content, 'news'))) {
  if (readFileSync(join(content, 'news', name), 'utf8').includes('HỎNG')) {
    console.error('[ERROR] [InvalidContentEntry] news → ' + name + ': tiêu đề phải có ít nhất 10 ký tự');
    process.exit(1);
  }
}
mkdirSync(join(out, 'server'), { recursive: true });
mkdirSync(join(out, 'client'), { recursive: true });
writeFileSync(join(out, 'server/entry.mjs'), 'export const handler = () => {};');
writeFileSync(join(out, 'client/files.json'), JSON.stringify(readdirSync(join(content, 'news'))));
`;

const project = join(folder, 'project');
mkdirSync(join(project, 'node_modules/astro/bin'), { recursive: true });
mkdirSync(join(project, 'src'), { recursive: true });
writeFileSync(join(project, 'node_modules/astro/bin/astro.mjs'), FAKE_ASTRO);
writeFileSync(join(project, 'package.json'), '{"type":"module"}');
const seed = join(folder, 'seed');
mkdirSync(join(seed, 'news'), { recursive: true });
writeFileSync(join(seed, 'news/bai-mot.mdx'), '---\ntitle: Bài một\ndate: 2026-11-01\n---\n');

describe('the publisher', async () => {
  const repo = await ContentRepo.open(join(folder, 'repo'), seed);
  const switched: CurrentBuild[] = [];
  const done: string[] = [];
  const publishDir = join(folder, 'publish');
  const publisher = new Publisher({
    repo,
    projectRoot: project,
    publishDir,
    switchTo: (build) => {
      switched.push(build);
      return Promise.resolve();
    },
    onDone: (run) => {
      done.push(`${run.by}:${run.state}`);
    },
  });

  test('builds the latest commit, switches to it and names it in current.json', async () => {
    const asked = publisher.request('bien-tap');
    expect(asked.kind).toBe('started');
    await publisher.settled();
    expect(switched).toHaveLength(1);
    const current = readCurrentBuild(publishDir);
    expect(current?.commit).toBe(await repo.head());
    expect(current?.by).toBe('bien-tap');
    expect(JSON.parse(readFileSync(join(known(current).dist, 'client/files.json'), 'utf8'))).toEqual(['bai-mot.mdx']);
    expect(publisher.status().last?.log.join('\n')).toContain('Đã xuất bản');
  });

  test('asking during a build queues exactly one more, which builds what the repository holds then', async () => {
    const first = publisher.request('mot');
    const second = publisher.request('hai');
    const third = publisher.request('ba');
    expect([first.kind, second.kind, third.kind]).toEqual(['started', 'queued', 'already-queued']);
    expect(third.run).toBe(second.run);
    // Saved while the first build runs: the queued one carries it.
    await repo.save('news/bai-hai.mdx', '---\ntitle: Bài hai\ndate: 2026-11-02\n---\n', undefined, {
      username: 'mot',
    });
    await publisher.settled();
    expect(done.slice(-2)).toEqual(['mot:done', 'hai:done']);
    const current = known(readCurrentBuild(publishDir));
    expect(JSON.parse(readFileSync(join(current.dist, 'client/files.json'), 'utf8'))).toEqual([
      'bai-hai.mdx',
      'bai-mot.mdx',
    ]);
    // The build served and one before it are kept; older ones are removed.
    expect(readdirSync(join(publishDir, 'builds'))).toHaveLength(2);
  });

  test('a broken file fails the build with its message; the served build stays', async () => {
    const before = readCurrentBuild(publishDir);
    const count = switched.length;
    await repo.save('news/bai-hong.mdx', '---\ntitle: HỎNG\n---\n', undefined, { username: 'ai-do' });
    publisher.request('bien-tap');
    await publisher.settled();
    const last = known(publisher.status().last);
    expect(last.state).toBe('failed');
    expect(last.message).toContain('bai-hong.mdx: tiêu đề phải có ít nhất 10 ký tự');
    expect(switched).toHaveLength(count);
    expect(readCurrentBuild(publishDir)).toEqual(before);
    expect(done.at(-1)).toBe('bien-tap:failed');
  });

  test('a switch that fails leaves current.json as it was', async () => {
    const failing = new Publisher({
      repo,
      projectRoot: project,
      publishDir,
      switchTo: () => Promise.reject(new Error('không nạp được')),
    });
    const before = readCurrentBuild(publishDir);
    await repo.save(
      'news/bai-hong.mdx',
      '---\ntitle: Đã sửa lại\n---\n',
      known(await repo.lastChange('news/bai-hong.mdx')),
      {
        username: 'ai-do',
      },
    );
    failing.request('bien-tap');
    await failing.settled();
    expect(failing.status().last?.state).toBe('failed');
    expect(failing.status().last?.message).toContain('không nạp được');
    expect(readCurrentBuild(publishDir)).toEqual(before);
  });

  test('an article whose date came after the served build is due; one still to come is not', async () => {
    const builtAt = new Date(known(readCurrentBuild(publishDir)).builtAt);
    const soon = new Date(builtAt.getTime() + 3 * 86_400_000);
    const day = soon.toISOString().slice(0, 10);
    await repo.save('news/bai-hen-gio.mdx', `---\ntitle: Hẹn giờ\ndate: ${day}\n---\n`, undefined, {
      username: 'bien-tap',
    });
    expect(publisher.dueSince(builtAt)).toBe(false);
    expect(publisher.dueSince(new Date(soon.getTime() + 86_400_000))).toBe(true);
  });
});

describe('reading the build log and the articles', () => {
  test('the failure message: from the error line to Astro’s hint, its wrapper in Vietnamese', () => {
    expect(failureMessage(['dựng trang', '[ERROR] tệp x.yaml: sai', 'ở dòng 3'])).toBe('tệp x.yaml: sai\nở dòng 3');
    expect(
      failureMessage([
        '14:15:33 [content] Syncing content',
        '[InvalidContentEntryDataError] drives → dot-hong data does not match collection schema.',
        '  slots.minutes: slots.minutes (45) phải chia hết thời gian của đợt',
        '  Hint:',
        '    See https://docs.astro.build/',
        '  Stack trace:',
      ]),
    ).toBe(
      'Tệp dot-hong (drives) không đúng mẫu:\n  slots.minutes: slots.minutes (45) phải chia hết thời gian của đợt',
    );
    expect(failureMessage([])).toMatch(/thất bại/);
  });
  test('article dates: a bare day is its midnight in Cà Mau; drafts are skipped', () => {
    const news = temporaryFolder('news-dates-');
    writeFileSync(join(news, 'a.mdx'), '---\ntitle: a\ndate: 2026-12-10\n---\n');
    writeFileSync(join(news, 'b.mdx'), '---\ntitle: b\ndate: "2026-12-11T08:00:00+07:00"\n---\n');
    writeFileSync(join(news, 'c.mdx'), '---\ntitle: c\ndate: 2026-12-12\ndraft: true\n---\n');
    writeFileSync(join(news, 'd.mdx'), 'no front matter');
    expect(articleDates(news).map((d) => d.toISOString())).toEqual([
      '2026-12-09T17:00:00.000Z',
      '2026-12-11T01:00:00.000Z',
    ]);
    removeFolder(news);
  });
});
