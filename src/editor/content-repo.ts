/**
 * The editors' content as a git repository (docs/editors.md, "Lịch sử";
 * docs/deploy.md, "Kho nội dung"): every save a commit whose author is the
 * console account, each file's history and diff, going back to a version as
 * a new commit, and a save from a stale version refused as a conflict that
 * keeps the editor's text. The system `git`, always through execFile with an
 * argument array (never a shell), on paths checked by content-path.ts.
 *
 * The repository is not bare: its work tree is the folder the publisher
 * builds from, and the IT officer's pushes land in it through
 * receive.denyCurrentBranch=updateInstead.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { checkContentPath, isCommitId } from './content-path.ts';

export const SERVICE_NAME = 'Trang web hiến máu';
export const SERVICE_EMAIL = 'noi-dung@hien-mau.invalid';
/** Text files only are saved through the console; 1 MB is far above any article or drive. */
export const MAX_SAVE_BYTES = 1_000_000;
const GIT_TIMEOUT_MS = 30_000;
const LOCK_RETRIES = 20;

export class ContentRepoError extends Error {}

export interface Author {
  /** The console account's username: the commit's author name. */
  username: string;
}

export interface FileVersion {
  commit: string;
  author: string;
  at: Date;
  message: string;
}

export type SaveOutcome =
  | { kind: 'saved'; commit: string; path: string }
  | { kind: 'unchanged'; commit: string; path: string }
  /** Someone saved the file after `base`: nothing was written; `yours` is the text to keep. */
  | { kind: 'conflict'; path: string; theirs: FileVersion; yours: string };

const asText = (text: string | Buffer) => (typeof text === 'string' ? text : text.toString('utf8'));

function authorEmail(username: string): string {
  return `${username.replace(/[^A-Za-z0-9._-]/g, '_')}@to-chuc.hien-mau.invalid`;
}

/** A commit's subject for a save or a revert, short and Vietnamese. */
export function saveMessage(path: string, what: 'save' | 'create' | 'revert', commit?: string): string {
  if (what === 'revert') return `Quay lại phiên bản ${commit?.slice(0, 7) ?? ''} của ${path}`;
  return what === 'create' ? `Tạo ${path}` : `Sửa ${path}`;
}

export class ContentRepo {
  readonly dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Runs git in the repository; output as text (stdout), a ContentRepoError with git's words on failure. */
  git(args: readonly string[], options: { maxBuffer?: number } = {}): Promise<string> {
    const base = [
      '-c',
      `user.name=${SERVICE_NAME}`,
      '-c',
      `user.email=${SERVICE_EMAIL}`,
      '-c',
      'commit.gpgsign=false',
      '-c',
      'core.quotepath=off',
      // Hooks are never pushed, but the work tree is the service's: run none of them.
      '-c',
      'core.hooksPath=/dev/null',
      '-c',
      `safe.directory=${this.dir}`,
    ];
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        [...base, ...args],
        {
          cwd: this.dir,
          encoding: 'utf8',
          timeout: GIT_TIMEOUT_MS,
          maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            LC_ALL: 'C',
            GIT_TERMINAL_PROMPT: '0',
            GIT_CONFIG_NOSYSTEM: '1',
            HOME: this.dir,
          },
        },
        (error, stdout, stderr) => {
          if (error) reject(new ContentRepoError(`git ${args[0] ?? ''}: ${(stderr || error.message).trim()}`));
          else resolve(stdout);
        },
      );
    });
  }

  /** A file as a commit holds it, as bytes (a picture must not go through text). */
  #blob(commit: string, path: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['-c', `safe.directory=${this.dir}`, 'show', `${commit}:${path}`],
        {
          cwd: this.dir,
          encoding: 'buffer',
          timeout: GIT_TIMEOUT_MS,
          maxBuffer: 64 * 1024 * 1024,
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1', HOME: this.dir },
        },
        (error, stdout, stderr) => {
          if (error) reject(new ContentRepoError(`git show: ${stderr.toString().trim() || error.message}`));
          else resolve(stdout);
        },
      );
    });
  }

  /** One change at a time in this process; another process (the command line) meets git's own lock. */
  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #withLockRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof ContentRepoError) || !/index\.lock|Unable to create/.test(error.message)) throw error;
        if (attempt >= LOCK_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /**
   * Opens the repository at `dir`, making it first from `seed` (the shipped
   * content/) when the folder holds none: one commit with every file.
   */
  static async open(dir: string, seed?: string): Promise<ContentRepo> {
    const repo = new ContentRepo(dir);
    if (existsSync(join(dir, '.git'))) return repo;
    mkdirSync(dir, { recursive: true });
    if (seed) cpSync(seed, dir, { recursive: true });
    await repo.git(['init', '--quiet', '--initial-branch=main']);
    await repo.git(['config', 'receive.denyCurrentBranch', 'updateInstead']);
    await repo.git(['add', '--all']);
    await repo.git(['commit', '--quiet', '--allow-empty', '-m', 'Nội dung ban đầu (từ bản phát hành)']);
    return repo;
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  #path(input: string): string {
    const checked = checkContentPath(input);
    if (!checked.ok) throw new ContentRepoError(checked.message);
    return checked.path;
  }

  /** Refuses a path whose folder or file is a symbolic link (a push may bring one): writes stay in the work tree. */
  #safeTarget(path: string): string {
    const target = join(this.dir, path);
    const root = realpathSync(this.dir) + sep;
    let folder = dirname(target);
    while (!existsSync(folder)) folder = dirname(folder);
    if (!(realpathSync(folder) + sep).startsWith(root)) {
      throw new ContentRepoError(`${path}: thư mục nằm ngoài kho nội dung`);
    }
    if (existsSync(target) && !lstatSync(target).isFile()) {
      throw new ContentRepoError(`${path}: không phải một tệp thường`);
    }
    return target;
  }

  /** The file as the latest commit has it, and the commit that last changed it; undefined when it does not exist. */
  async read(input: string): Promise<{ text: string; version: string } | undefined> {
    const path = this.#path(input);
    const version = await this.lastChange(path);
    if (!version) return undefined;
    try {
      const text = await this.git(['show', `HEAD:${path}`]);
      return { text, version };
    } catch {
      return undefined;
    }
  }

  /** The commit that last changed the file (undefined for a file never committed). */
  async lastChange(input: string): Promise<string | undefined> {
    const path = this.#path(input);
    const out = (await this.git(['log', '-1', '--format=%H', 'HEAD', '--', path])).trim();
    return out || undefined;
  }

  /** The file's versions, newest first (following no renames: a drive's file is its address). */
  async history(input: string, limit = 100): Promise<FileVersion[]> {
    const path = this.#path(input);
    const out = await this.git([
      'log',
      `--max-count=${Math.max(1, Math.min(limit, 1000))}`,
      '--format=%H%x1f%an%x1f%aI%x1f%s%x1e',
      'HEAD',
      '--',
      path,
    ]);
    return out
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [commit = '', author = '', at = '', message = ''] = record.split('\x1f');
        return { commit, author, at: new Date(at), message };
      });
  }

  async #version(path: string, commit: string): Promise<FileVersion> {
    const [found] = (await this.history(path, 1000)).filter((v) => v.commit.startsWith(commit));
    if (!found) throw new ContentRepoError(`Phiên bản ${commit} không có trong lịch sử của ${path}`);
    return found;
  }

  /** What the commit changed in the file (unified diff; the first version shows as all added). */
  async diff(input: string, commit: string): Promise<string> {
    const path = this.#path(input);
    if (!isCommitId(commit)) throw new ContentRepoError('Mã phiên bản không hợp lệ');
    const version = await this.#version(path, commit);
    return this.git(['show', '--format=', '--no-color', '--no-ext-diff', version.commit, '--', path], {
      maxBuffer: 4 * 1024 * 1024,
    });
  }

  /**
   * Saves `text` as the file's new version, a commit by `author`. `base` is the
   * version the editor started from (undefined for a new file): if the file
   * changed since, nothing is written and the outcome says who changed it.
   */
  save(
    input: string,
    text: string | Buffer,
    base: string | undefined,
    author: Author,
    message?: string,
  ): Promise<SaveOutcome> {
    return this.saveWith(input, text, [], base, author, message);
  }

  /**
   * As save, with `alongside` files in the same commit (an article's new picture under
   * news/images/): they are written as given, without a version check of their own, since
   * their names are new (a picture's name holds its bytes' digest).
   */
  saveWith(
    input: string,
    text: string | Buffer,
    alongside: readonly { path: string; bytes: Buffer }[],
    base: string | undefined,
    author: Author,
    message?: string,
  ): Promise<SaveOutcome> {
    const path = this.#path(input);
    const others = alongside.map((file) => ({ path: this.#path(file.path), bytes: file.bytes }));
    if (Buffer.byteLength(text) > MAX_SAVE_BYTES) {
      return Promise.reject(new ContentRepoError(`Nội dung dài quá ${MAX_SAVE_BYTES / 1_000_000} MB`));
    }
    if (base !== undefined && !isCommitId(base)) {
      return Promise.reject(new ContentRepoError('Mã phiên bản gốc không hợp lệ'));
    }
    return this.#serial(() =>
      this.#withLockRetry(async () => {
        const current = await this.lastChange(path);
        if (current !== undefined && (base === undefined || !current.startsWith(base))) {
          return {
            kind: 'conflict',
            path,
            theirs: await this.#version(path, current),
            yours: asText(text),
          } as const;
        }
        if (current === undefined && base !== undefined) {
          throw new ContentRepoError(`${path} không còn trong kho nội dung`);
        }
        const files = [{ path, bytes: text }, ...others];
        for (const file of files) {
          const target = this.#safeTarget(file.path);
          mkdirSync(dirname(target), { recursive: true });
          await writeFile(target, file.bytes);
        }
        const paths = files.map((file) => file.path);
        await this.git(['add', '--', ...paths]);
        const staged = await this.git(['diff', '--cached', '--name-only', '--', ...paths]);
        if (staged.trim() === '') return { kind: 'unchanged', commit: current ?? (await this.head()), path } as const;
        await this.git([
          'commit',
          '--quiet',
          '--no-verify',
          `--author=${author.username} <${authorEmail(author.username)}>`,
          '-m',
          message ?? saveMessage(path, current ? 'save' : 'create'),
          '--',
          ...paths,
        ]);
        return { kind: 'saved', commit: await this.head(), path } as const;
      }),
    );
  }

  /** Makes the file as it was at `commit`, as a new commit by `author`; history keeps everything. */
  async revert(input: string, commit: string, author: Author): Promise<SaveOutcome> {
    const path = this.#path(input);
    if (!isCommitId(commit)) throw new ContentRepoError('Mã phiên bản không hợp lệ');
    const version = await this.#version(path, commit);
    const text = await this.#blob(version.commit, path);
    const current = await this.lastChange(path);
    return this.save(path, text, current, author, saveMessage(path, 'revert', version.commit));
  }

  /** Every file of the latest commit (for the publisher's copy and the file list). */
  async files(): Promise<string[]> {
    const out = await this.git(['ls-tree', '-r', '--name-only', 'HEAD']);
    return out.split('\n').filter(Boolean);
  }
}
