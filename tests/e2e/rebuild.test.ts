/**
 * deploy/rebuild.sh, as the IT officer runs it after a content change, in a
 * copy of the project: a content mistake leaves the served build as it was;
 * a good change is built beside it and swapped in.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { copyFixtureContent } from '../../scripts/fixture-site.mjs';
import { copyProject } from '../../scripts/project-copy.mjs';

const root = resolve(import.meta.dirname, '../..');
const project = copyProject('rebuild-');
cpSync(join(root, 'deploy'), join(project, 'deploy'), { recursive: true });
// The test site's content, never the sample content/ the copy brings (editors replace it).
copyFixtureContent(join(project, 'content'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function rebuild(): { status: number; output: string } {
  try {
    const output = execFileSync('bash', ['deploy/rebuild.sh'], {
      cwd: project,
      env: { ...process.env, APP_DIR: project, SITE_URL: 'https://hienmau.example.vn' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

test(
  'a good build is swapped in whole; a content mistake leaves the served build untouched',
  { timeout: 240_000 },
  () => {
    const first = rebuild();
    expect(first.output).toContain('dist/ đã là bản dựng mới');
    expect(first.status).toBe(0);
    const home = join(project, 'dist/client/index.html');
    expect(readFileSync(home, 'utf8')).toContain('https://hienmau.example.vn/');
    const builtAt = statSync(home).mtimeMs;

    // An editor's mistake: an article with no title.
    writeFileSync(
      join(project, 'content/news/loi-bien-tap.mdx'),
      '---\ndescription: thiếu tiêu đề\n---\n\nNội dung.\n',
    );
    const broken = rebuild();
    expect(broken.status).not.toBe(0);
    expect(broken.output).toMatch(/loi-bien-tap/);
    expect(statSync(home).mtimeMs).toBe(builtAt);
    expect(existsSync(join(project, 'dist/server/entry.mjs'))).toBe(true);
  },
);
