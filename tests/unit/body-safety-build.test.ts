/**
 * The build refuses a body with code as the editor does (src/news/safe-body-loader.ts): `astro
 * build` and `astro sync` stop with the Vietnamese message naming the file and the line, and
 * the code never runs. Both run in a copy of the project, as tests/unit/content-schema.test.ts
 * does, so the real `.astro/` cache is left alone.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'tests/fixtures/broken-content');
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'body-safety-'));
  for (const entry of ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'public']) {
    await cp(join(root, entry), join(project, entry), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function astro(command: 'sync' | 'build', contentDir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['node_modules/astro/bin/astro.mjs', command], {
      cwd: project,
      env: {
        ...process.env,
        CONTENT_DIR: contentDir,
        SIGNUP_DB: join(project, 'signups.sqlite'),
        ASTRO_TELEMETRY_DISABLED: '1',
        NO_COLOR: '1',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

const article = (body: string) => `---
title: Bài viết thử có mã chương trình trong thân
description: Một bài viết thử để kiểm tra rằng lệnh dựng trang từ chối thân bài có mã chương trình và nói rõ dòng nào.
date: 2026-11-20
author: Ban biên tập
tags: [Kiểm thử]
---

Đoạn mở đầu.

${body}
`;

async function contentWith(name: string, folder: 'news' | 'pages', file: string, text: string): Promise<string> {
  const content = join(project, name);
  await cp(fixture, content, { recursive: true });
  await rm(join(content, 'news/mo-ta-qua-dai.mdx'));
  await writeFile(join(content, folder, file), text);
  return content;
}

describe('the build refuses code in a body', () => {
  test('astro build stops before the expression runs, naming the file and the line', { timeout: 180_000 }, async () => {
    const marker = join(project, 'da-chay.txt');
    const content = await contentWith(
      'expression',
      'news',
      'chay-ma.mdx',
      article(`{process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')}`),
    );
    const { ok, output } = await astro('build', content);
    expect(ok).toBe(false);
    expect(existsSync(marker)).toBe(false);
    expect(output).toContain('news/chay-ma.mdx');
    expect(output).toContain('Dòng 11');
    expect(output).toContain('ngoặc nhọn');
  });

  test('an import in a page is refused by astro sync, naming the line', { timeout: 60_000 }, async () => {
    const content = await contentWith(
      'import',
      'pages',
      'gioi-thieu.mdx',
      "---\ntitle: Giới thiệu\ndescription: Trang giới thiệu hợp lệ, chỉ để bộ sưu tập trang không trống khi kiểm tra.\nupdated: 2026-11-26\n---\n\nimport fs from 'node:fs'\n\nNội dung.\n",
    );
    const { ok, output } = await astro('sync', content);
    expect(ok).toBe(false);
    expect(output).toContain('pages/gioi-thieu.mdx');
    expect(output).toContain('Dòng 7');
    expect(output).toContain('"import"');
  });

  test('a script tag and a javascript: link are refused too', { timeout: 60_000 }, async () => {
    const content = await contentWith(
      'script',
      'news',
      'the-script.mdx',
      article('<script>alert(1)</script>\n\n[bấm](javascript:alert(1))'),
    );
    const { ok, output } = await astro('sync', content);
    expect(ok).toBe(false);
    expect(output).toContain('news/the-script.mdx');
    expect(output).toContain('<script>');
    expect(output).toContain('Dòng 13');
  });

  test('code in a fence is text: the same folder builds its content', { timeout: 60_000 }, async () => {
    const content = await contentWith('fence', 'news', 'ma-trong-khung.mdx', article('```\n{process.exit(1)}\n```'));
    const { ok, output } = await astro('sync', content);
    expect(output).not.toContain('nội dung không được phép');
    expect(ok).toBe(true);
  });
});
