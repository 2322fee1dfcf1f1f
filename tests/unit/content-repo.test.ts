/**
 * The content repository (src/editor/content-repo.ts) on real git in a temporary folder,
 * seeded from the test site's content: saves as commits by the account, history, diff,
 * going back, two saves from one base, a clone that pushes, and path tricks refused.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { checkContentPath } from '../../src/editor/content-path.ts';
import { ContentRepo, ContentRepoError } from '../../src/editor/content-repo.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

/** The value, which the test has just made sure exists (a failed test otherwise). */
function known<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('thiếu giá trị mà bài kiểm tra cần');
  return value;
}

const folder = temporaryFolder('content-repo-');
afterAll(() => removeFolder(folder));
const SEED = join(import.meta.dirname, '../fixtures/site');
const DRIVE = 'drives/cai-nuoc.yaml';
const alice = { username: 'bien-tap-1' };
const binh = { username: 'bien-tap-2' };

describe('the content repository', async () => {
  const repo = await ContentRepo.open(join(folder, 'repo'), SEED);

  test('starts from the shipped content as one commit', async () => {
    const files = await repo.files();
    expect(files).toContain(DRIVE);
    expect(files).toContain('campaign.yaml');
    expect(await repo.history(DRIVE)).toHaveLength(1);
    // Opening again keeps it as it is.
    const again = await ContentRepo.open(join(folder, 'repo'), SEED);
    expect(await again.head()).toBe(await repo.head());
  });

  test('a save is a commit by the account with a message naming the file; history and diff show it', async () => {
    const before = await repo.read(DRIVE);
    expect(before).toBeDefined();
    const changed = known(before).text.replace(/^name: .*$/m, 'name: Hiến máu xã Cái Nước (đổi giờ)');
    const saved = await repo.save(DRIVE, changed, known(before).version, alice);
    expect(saved.kind).toBe('saved');
    const history = await repo.history(DRIVE);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ author: 'bien-tap-1', message: `Sửa ${DRIVE}` });
    const diff = await repo.diff(DRIVE, known(history[0]).commit);
    expect(diff).toContain('+name: Hiến máu xã Cái Nước (đổi giờ)');
    expect(readFileSync(join(repo.dir, DRIVE), 'utf8')).toBe(changed);
    // The same text again changes nothing.
    const again = await repo.save(DRIVE, changed, known(history[0]).commit, alice);
    expect(again.kind).toBe('unchanged');
  });

  test('two saves from the same base: the second is told who saved, and keeps its text', async () => {
    const base = known(await repo.read(DRIVE));
    const first = repo.save(DRIVE, base.text + '\n# sửa của người thứ nhất\n', base.version, alice);
    const second = repo.save(DRIVE, base.text + '\n# sửa của người thứ hai\n', base.version, binh);
    const [one, two] = await Promise.all([first, second]);
    expect(one.kind).toBe('saved');
    expect(two.kind).toBe('conflict');
    if (two.kind !== 'conflict') return;
    expect(two.theirs.author).toBe('bien-tap-1');
    expect(two.yours).toContain('người thứ hai');
    expect(readFileSync(join(repo.dir, DRIVE), 'utf8')).toContain('người thứ nhất');
  });

  test('going back to a version is a new commit; the history keeps every version', async () => {
    const history = await repo.history(DRIVE);
    const first = known(history.at(-1));
    const outcome = await repo.revert(DRIVE, first.commit, binh);
    expect(outcome.kind).toBe('saved');
    const after = await repo.history(DRIVE);
    expect(after).toHaveLength(history.length + 1);
    expect(known(after[0]).message).toBe(`Quay lại phiên bản ${first.commit.slice(0, 7)} của ${DRIVE}`);
    expect(readFileSync(join(repo.dir, DRIVE), 'utf8')).toBe(readFileSync(join(SEED, DRIVE), 'utf8'));
  });

  test('a new file is created; saving one that exists without a base is a conflict', async () => {
    const created = await repo.save('news/bai-moi.mdx', '---\ntitle: x\n---\n', undefined, alice);
    expect(created.kind).toBe('saved');
    expect(known((await repo.history('news/bai-moi.mdx'))[0]).message).toBe('Tạo news/bai-moi.mdx');
    expect((await repo.save('news/bai-moi.mdx', 'khác', undefined, binh)).kind).toBe('conflict');
  });

  test('the IT officer clones, commits and pushes; the work tree follows', async () => {
    const clone = join(folder, 'clone');
    execFileSync('git', ['clone', '--quiet', repo.dir, clone]);
    writeFileSync(join(clone, 'news/tu-may-it.mdx'), 'xin chào\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=IT', '-c', 'user.email=it@example.vn', ...args], { cwd: clone });
    git('add', '.');
    git('commit', '--quiet', '-m', 'Từ máy IT');
    git('push', '--quiet', 'origin', 'HEAD:main');
    expect(readFileSync(join(repo.dir, 'news/tu-may-it.mdx'), 'utf8')).toBe('xin chào\n');
    expect(known((await repo.history('news/tu-may-it.mdx'))[0]).author).toBe('IT');
  });

  test('a picture goes back to its earlier bytes exactly', async () => {
    const path = 'news/images/anh-thu.png';
    const first = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe, 0x80]);
    await repo.save(path, first, undefined, alice);
    const v1 = known(await repo.lastChange(path));
    await repo.save(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x01]), v1, alice);
    expect((await repo.revert(path, v1, binh)).kind).toBe('saved');
    expect(readFileSync(join(repo.dir, path)).equals(first)).toBe(true);
  });

  test('a symbolic link pushed into the repository is never written through', async () => {
    symlinkSync('/etc/hostname', join(repo.dir, 'news/lien-ket.mdx'));
    await expect(repo.save('news/lien-ket.mdx', 'x', undefined, alice)).rejects.toThrow(ContentRepoError);
    expect(readFileSync('/etc/hostname', 'utf8')).not.toBe('x');
  });

  test('bad paths and commit ids are refused before git sees them', async () => {
    await expect(repo.history('../secret')).rejects.toThrow(/Tên tệp không hợp lệ/);
    await expect(repo.diff(DRIVE, '--output=/tmp/x')).rejects.toThrow(/Mã phiên bản/);
    await expect(repo.revert(DRIVE, 'deadbeef', alice)).rejects.toThrow(/không có trong lịch sử/);
  });
});

describe('content paths', () => {
  const refused = [
    '',
    '../content/news/a.mdx',
    'news/../../etc/passwd',
    'news/%2e%2e/a.mdx',
    '%2e%2e/%2e%2e/etc/passwd',
    'news/a.mdx\0.png',
    'news/\u0430.mdx', // Cyrillic а
    'news/a\uFF0Emdx', // fullwidth full stop
    'news/Bai.mdx',
    'news/bài.mdx',
    '.git/config',
    'news/.git',
    'news/con.mdx',
    'drives/nul.yaml',
    'pages/lpt1.mdx',
    '/etc/passwd',
    'news\\a.mdx',
    'news//a.mdx',
    'news/a.mdx/',
    'scripts/x.mdx',
    'news/a.exe',
    'news/-a.mdx',
    'x'.repeat(200) + '.mdx',
  ];
  test.each(refused)('refuses %j', (path) => {
    expect(checkContentPath(path).ok).toBe(false);
  });
  test.each(['news/bai-viet.mdx', 'content/drives/cai-nuoc.yaml', 'campaign.yaml', 'news/images/anh-1.webp'])(
    'takes %j',
    (path) => {
      expect(checkContentPath(path).ok).toBe(true);
    },
  );
  test('anything taken stays inside the folders editors write (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (text) => {
        const checked = checkContentPath(text);
        if (!checked.ok) return;
        expect(checked.path).not.toMatch(/\.\.|\0|^\/|\\/);
        expect(checked.path).toMatch(/^(news|pages|drives)\/|^(campaign|places)\.yaml$/);
      }),
      { numRuns: 2000 },
    );
  });
});

test('git errors are ContentRepoError with git words, not crashes', async () => {
  const empty = new ContentRepo(temporaryFolder('not-a-repo-'));
  await expect(empty.head()).rejects.toThrow(ContentRepoError);
  removeFolder(empty.dir);
});
