/**
 * Publishing without a shell (docs/editors.md, "Xuất bản"; docs/deploy.md, "Kho nội dung
 * và xuất bản"). As deploy/rebuild.sh does, the site is built beside the one served: from a
 * copy of the project whose content/ is the content repository's latest commit, into a new
 * folder under PUBLISH_DIR. Only a build that succeeds is handed to `switchTo` (the server
 * loads its handler, drives and slots and serves its files from then on) and named in
 * current.json, so a restart serves it too; a failed build leaves everything as it was and
 * its log says why.
 *
 * One build at a time; asking during a build queues exactly one more, which builds whatever
 * the repository holds when it starts. Nothing here opens the database: the audit entries
 * go through `onDone`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fromEditorDate } from '../shared/dates.ts';
import type { ContentRepo } from './content-repo.ts';
import { CURRENT_FILE, readCurrentBuild, type CurrentBuild } from './served-build.ts';

export { readCurrentBuild, type CurrentBuild };

/** What of the project a build needs beside content/ (as scripts/project-copy.mjs copies). */
const PROJECT_ENTRIES = ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'public', 'scripts'];
const LOG_LINES = 400;
/** A build that runs longer than this is stopped (the sample content builds in about a minute). */
const BUILD_TIMEOUT_MS = 20 * 60_000;

export interface PublishRun {
  id: number;
  by: string;
  requestedAt: Date;
  startedAt?: Date;
  endedAt?: Date;
  commit?: string;
  state: 'queued' | 'building' | 'switching' | 'done' | 'failed';
  log: string[];
  /** The build's own message when it failed (the lines naming file and field). */
  message?: string;
  dist?: string;
}

export type PublishRequest =
  | { kind: 'started'; run: PublishRun }
  | { kind: 'queued'; run: PublishRun }
  /** A publish was already waiting: it will build this change too. */
  | { kind: 'already-queued'; run: PublishRun };

export interface PublisherOptions {
  repo: ContentRepo;
  /** The installed project: src/, astro.config.mjs, node_modules/ (read only). */
  projectRoot: string;
  publishDir: string;
  /** The build's environment (SITE_URL, SIGNUP_DB for published results, map tiles…). */
  env?: Record<string, string | undefined>;
  /** Serve this build from now on; a throw counts as a failed publish. */
  switchTo: (build: CurrentBuild) => Promise<void>;
  onDone?: (run: PublishRun) => void | Promise<void>;
  /** Builds kept besides the one served (for a quick look back); older ones are removed. */
  keep?: number;
  /** Each log line as it comes (the command line prints them). */
  onLine?: (line: string) => void;
}

/** Held while a build runs, by the server or the command line: two processes never build at once. */
export const LOCK_FILE = 'dang-dung.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the publish folder's lock, or says which process holds it (a lock left by a dead process is taken over). */
function takeLock(publishDir: string): { release: () => void } | { heldBy: number } {
  const file = join(publishDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) return { heldBy: holder };
      rmSync(file, { force: true });
    }
  }
  return { heldBy: 0 };
}

/** The build's words an editor should read: Astro's error lines without colour codes. */
function plain(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd();
}

/** Astro's own wrapper of a schema error, said in Vietnamese; the schema's message follows it as it is. */
const ASTRO_WORDS: readonly [RegExp, string][] = [
  [
    /^\[InvalidContentEntryDataError\] (\S+) → (\S+) data does not match collection schema\.?/,
    'Tệp $2 ($1) không đúng mẫu:',
  ],
  [
    /^\[InvalidContentEntryFrontmatterError\] (\S+) → (\S+) frontmatter does not match collection schema\.?/,
    'Phần đầu tệp $2 ($1) không đúng mẫu:',
  ],
  [/^\[(\w+Error)\] /, 'Lỗi ($1): '],
];

/**
 * What a failed build says is wrong: from its first error line to where Astro's hint, links
 * and stack trace begin (an editor needs the file, the field and the rule, not the code's
 * place), with Astro's own wrapper in Vietnamese.
 */
export function failureMessage(log: readonly string[]): string {
  const start = log.findIndex((line) => /\[ERROR\]|Error\]|error|lỗi|Lỗi|failed/i.test(line));
  const lines: string[] = [];
  for (const raw of start === -1 ? log.slice(-15) : log.slice(start, start + 40)) {
    if (/^\s*(Hint:|Error reference:|Location:|Stack trace:|at\s)/.test(raw)) break;
    let line = raw.replace(/^\d{2}:\d{2}:\d{2} /, '').replace(/^\[ERROR\] /, '');
    for (const [english, vietnamese] of ASTRO_WORDS) line = line.replace(english, vietnamese);
    if (line.trim() !== '') lines.push(line);
  }
  return lines.join('\n').slice(0, 4000) || 'Bản dựng thất bại mà không in lý do.';
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

/** The dates of the articles in a content folder's news/ (front matter `date:`), for the scheduled publish. */
export function articleDates(newsFolder: string): Date[] {
  if (!existsSync(newsFolder)) return [];
  const dates: Date[] = [];
  for (const name of readdirSync(newsFolder)) {
    if (!/\.mdx?$/.test(name)) continue;
    const text = readFileSync(join(newsFolder, name), 'utf8').slice(0, 8000);
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    if (/^draft:\s*true\s*$/m.test(front)) continue;
    const value = /^date:\s*["']?([^"'\r\n#]+?)["']?\s*(?:#.*)?$/m.exec(front)?.[1];
    const date = value === undefined ? null : fromEditorDate(value);
    if (date) dates.push(date);
  }
  return dates;
}

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    execFile(command, args, { cwd, timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error) fail(new Error(`${command} ${args[0] ?? ''}: ${stderr.trim() || error.message}`));
      else done();
    });
  });
}

export class Publisher {
  readonly #options: PublisherOptions;
  #nextId = 1;
  #current: PublishRun | undefined;
  #queued: PublishRun | undefined;
  #last: PublishRun | undefined;
  #idle: Promise<void> = Promise.resolve();
  #child: ChildProcess | undefined;

  constructor(options: PublisherOptions) {
    this.#options = options;
    mkdirSync(join(options.publishDir, 'builds'), { recursive: true });
  }

  get publishDir(): string {
    return this.#options.publishDir;
  }

  /** The build served now (current.json), if a publish ever succeeded. */
  served(): CurrentBuild | undefined {
    return readCurrentBuild(this.#options.publishDir);
  }

  status(): { current: PublishRun | undefined; queued: PublishRun | undefined; last: PublishRun | undefined } {
    return { current: this.#current, queued: this.#queued, last: this.#last };
  }

  /** Resolves when no build runs and none waits (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#current || this.#queued) await this.#idle;
  }

  /** Asks for a publish by `by`: starts now, or waits behind the build running (one waits at most). */
  request(by: string, at = new Date()): PublishRequest {
    if (this.#current) {
      if (this.#queued) return { kind: 'already-queued', run: this.#queued };
      this.#queued = { id: this.#nextId++, by, requestedAt: at, state: 'queued', log: [] };
      return { kind: 'queued', run: this.#queued };
    }
    const started: PublishRun = { id: this.#nextId++, by, requestedAt: at, state: 'building', log: [] };
    this.#start(started);
    return { kind: 'started', run: started };
  }

  #start(runNow: PublishRun): void {
    this.#current = runNow;
    this.#idle = this.#build(runNow)
      .catch((error: unknown) => {
        runNow.state = 'failed';
        runNow.message ??= error instanceof Error ? error.message : String(error);
        this.#note(runNow, `Lỗi: ${runNow.message}`);
      })
      .then(async () => {
        runNow.endedAt = new Date();
        this.#last = runNow;
        this.#current = undefined;
        try {
          await this.#options.onDone?.(runNow);
        } catch {
          // The audit entry is the caller's; a failure there must not stop the queue.
        }
        const next = this.#queued;
        this.#queued = undefined;
        if (next) {
          next.state = 'building';
          this.#start(next);
        }
      });
  }

  #note(runNow: PublishRun, line: string): void {
    this.#options.onLine?.(line);
    runNow.log.push(line);
    if (runNow.log.length > LOG_LINES) runNow.log.splice(0, runNow.log.length - LOG_LINES);
  }

  /** The copy of the project builds are made in; kept between builds so that Astro's caches stay warm. */
  #prepareProject(): string {
    const { projectRoot, publishDir } = this.#options;
    const work = join(publishDir, 'du-an');
    mkdirSync(work, { recursive: true });
    for (const entry of PROJECT_ENTRIES) {
      rmSync(join(work, entry), { recursive: true, force: true });
      if (existsSync(join(projectRoot, entry)))
        cpSync(join(projectRoot, entry), join(work, entry), { recursive: true });
    }
    // The copy's node_modules, and one beside the builds: a build's server code imports its
    // packages from the folders above it (as dist/ finds the project's), here and when served.
    for (const where of [work, publishDir]) {
      if (!existsSync(join(where, 'node_modules'))) {
        symlinkSync(resolve(projectRoot, 'node_modules'), join(where, 'node_modules'), 'dir');
      }
    }
    return work;
  }

  async #build(runNow: PublishRun): Promise<void> {
    runNow.startedAt = new Date();
    const lock = takeLock(this.#options.publishDir);
    if ('heldBy' in lock) {
      throw new Error(
        `một bản dựng khác đang chạy (tiến trình ${lock.heldBy}, máy chủ hoặc lệnh signups): đợi nó xong rồi xuất bản lại`,
      );
    }
    try {
      await this.#buildLocked(runNow);
    } finally {
      lock.release();
    }
  }

  async #buildLocked(runNow: PublishRun): Promise<void> {
    const { repo, publishDir } = this.#options;
    const startedAt = runNow.startedAt ?? new Date();
    const commit = await repo.head();
    runNow.commit = commit;
    this.#note(runNow, `Đang chuẩn bị bản dựng của phiên bản ${commit.slice(0, 7)}…`);
    const work = this.#prepareProject();
    // content/ is the repository's latest commit, never its work tree: nothing half-written is built.
    const content = join(work, 'content');
    rmSync(content, { recursive: true, force: true });
    mkdirSync(content, { recursive: true });
    const archive = join(work, 'noi-dung.tar');
    await repo.git(['archive', '--format=tar', `--output=${archive}`, commit]);
    await run('tar', ['-xf', archive, '-C', content], work);
    rmSync(archive, { force: true });

    const dist = join(publishDir, 'builds', `${stamp(startedAt)}-${commit.slice(0, 7)}-${runNow.id}`);
    this.#note(runNow, 'Đang dựng trang (thường mất một đến vài phút)…');
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', dist], {
        cwd: work,
        env: {
          ...process.env,
          ...this.#options.env,
          CONTENT_DIR: content,
          SHARE_IMAGE_CACHE: join(publishDir, 'anh-chia-se'),
          ASTRO_TELEMETRY_DISABLED: '1',
          NO_COLOR: '1',
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: BUILD_TIMEOUT_MS,
      });
      this.#child = child;
      let partial = { out: '', err: '' };
      const take = (which: 'out' | 'err') => (chunk: Buffer) => {
        const text = partial[which] + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = { ...partial, [which]: lines.pop() ?? '' };
        for (const line of lines) if (line.trim()) this.#note(runNow, plain(line));
      };
      child.stdout.on('data', take('out'));
      child.stderr.on('data', take('err'));
      child.once('error', fail);
      child.once('close', (status) => {
        this.#child = undefined;
        for (const rest of [partial.out, partial.err]) if (rest.trim()) this.#note(runNow, plain(rest));
        done(status);
      });
    });
    if (code !== 0 || !existsSync(join(dist, 'server', 'entry.mjs'))) {
      rmSync(dist, { recursive: true, force: true });
      runNow.state = 'failed';
      runNow.message = failureMessage(runNow.log);
      this.#note(runNow, 'Bản dựng thất bại: trang web vẫn giữ nguyên như trước.');
      return;
    }
    runNow.state = 'switching';
    const build: CurrentBuild = { dist, commit, builtAt: new Date().toISOString(), by: runNow.by };
    this.#note(runNow, 'Đã dựng xong; đang chuyển trang web sang bản mới…');
    try {
      await this.#options.switchTo(build);
    } catch (error) {
      rmSync(dist, { recursive: true, force: true });
      throw new Error(`không chuyển được sang bản mới: ${(error as Error).message}`, { cause: error });
    }
    const next = join(publishDir, `${CURRENT_FILE}.moi`);
    writeFileSync(next, JSON.stringify(build, null, 2));
    renameSync(next, join(publishDir, CURRENT_FILE));
    runNow.dist = dist;
    runNow.state = 'done';
    this.#note(runNow, 'Đã xuất bản: trang web đang phục vụ bản mới.');
    this.#prune(dist);
  }

  /** Stops a build under way (the server is stopping): it fails, and nothing is switched. */
  stop(): void {
    this.#queued = undefined;
    this.#child?.kill('SIGTERM');
  }

  /** Keeps the build served and the `keep` newest others (a process may still read files of the last one). */
  #prune(served: string): void {
    const folder = join(this.#options.publishDir, 'builds');
    const keep = this.#options.keep ?? 1;
    const others = readdirSync(folder)
      .map((name) => join(folder, name))
      .filter((path) => path !== served)
      .sort()
      .reverse();
    for (const old of others.slice(keep)) rmSync(old, { recursive: true, force: true });
  }

  /**
   * Whether an article's date has come since the served build was made: the
   * scheduled check publishes then, so a future date appears on its day.
   */
  dueSince(now: Date): boolean {
    const served = this.served();
    const builtAt = served ? new Date(served.builtAt) : undefined;
    if (!builtAt || Number.isNaN(builtAt.getTime())) return false;
    const dates = articleDates(join(this.#options.repo.dir, 'news'));
    return dates.some((date) => date.getTime() > builtAt.getTime() && date.getTime() <= now.getTime());
  }
}
