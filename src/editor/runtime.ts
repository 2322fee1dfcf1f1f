/**
 * The content repository and the publisher of the running site, one of each per process.
 * The server (src/server/main.ts) and every build's bundle load their own copies of this
 * module, and a publish loads a new bundle, so they are kept on globalThis (as the sign-up
 * store is, src/signup/shared-store.ts): the log of a publish survives the switch it makes.
 * Nothing is made before it is asked for: a server whose editors never open the console
 * makes no repository.
 */
import { resolve } from 'node:path';
import { contentDir } from '../build-settings.ts';
import { contentSettings, readSettings } from '../settings.ts';
import { sharedDatabase } from '../store/shared.ts';
import { log } from '../shared/log.ts';
import { ContentAudit } from './content-audit.ts';
import { ContentRepo } from './content-repo.ts';
import { Publisher, readCurrentBuild, type CurrentBuild, type PublisherOptions, type PublishRun } from './publisher.ts';

interface EditorRuntime {
  repo?: Promise<ContentRepo> | undefined;
  publisher?: Promise<Publisher> | undefined;
  projectRoot?: string;
  switchTo?: (build: CurrentBuild) => Promise<void>;
  /**
   * The server's own copies of the classes: a page of whichever build asks first would
   * otherwise make the publisher from its bundle, and every later publish would run that
   * build's code instead of the installed one.
   */
  openRepo?: (dir: string, seed: string) => Promise<ContentRepo>;
  makePublisher?: (options: PublisherOptions) => Publisher;
}

const KEY = Symbol.for('hien-mau.editor');
const shared = globalThis as { [KEY]?: EditorRuntime };
const runtime = (shared[KEY] ??= {});

export const NO_SWITCH =
  'Máy chủ này không tự chuyển được sang bản dựng mới (chỉ `npm start` làm được): hãy khởi động lại dịch vụ.';

/** The server says where the project is and how it switches builds (src/server/main.ts). */
export function configureEditor(options: {
  projectRoot: string;
  switchTo: (build: CurrentBuild) => Promise<void>;
}): void {
  runtime.projectRoot = options.projectRoot;
  runtime.switchTo = options.switchTo;
  runtime.openRepo = (dir, seed) => ContentRepo.open(dir, seed);
  runtime.makePublisher = (publisherOptions) => new Publisher(publisherOptions);
}

export function contentAudit(): ContentAudit {
  return new ContentAudit(sharedDatabase());
}

/** The content repository (CONTENT_REPO), made from the shipped content/ the first time. */
export function contentRepo(): Promise<ContentRepo> {
  const open = runtime.openRepo ?? ((dir: string, seed: string) => ContentRepo.open(dir, seed));
  runtime.repo ??= open(resolve(readSettings().content.repo), resolve(contentDir())).catch((error: unknown) => {
    runtime.repo = undefined;
    throw error;
  });
  return runtime.repo;
}

async function recordPublish(run: PublishRun): Promise<void> {
  await contentAudit().record({
    at: (run.endedAt ?? new Date()).toISOString(),
    actor: run.by,
    action: run.state === 'done' ? 'content-publish' : 'content-publish-failed',
    path: null,
    commit: run.commit ?? null,
    detail: run.state === 'done' ? (run.dist ?? null) : ((run.message ?? null)?.slice(0, 2000) ?? null),
  });
  if (run.state === 'done') log.info(`xuất bản: ${run.by} đã xuất bản phiên bản ${run.commit?.slice(0, 7) ?? ''}`);
  else log.warn(`xuất bản: bản dựng của ${run.by} thất bại; trang web giữ nguyên`);
}

export function publisher(): Promise<Publisher> {
  const make = runtime.makePublisher ?? ((options: PublisherOptions) => new Publisher(options));
  runtime.publisher ??= contentRepo().then((repo) =>
    make({
      repo,
      projectRoot: runtime.projectRoot ?? process.cwd(),
      publishDir: resolve(readSettings().content.publishDir),
      switchTo: (build) => (runtime.switchTo ? runtime.switchTo(build) : Promise.reject(new Error(NO_SWITCH))),
      onDone: recordPublish,
    }),
  );
  runtime.publisher.catch(() => {
    runtime.publisher = undefined;
  });
  return runtime.publisher;
}

/** The build to serve at start: the last one published (current.json), else undefined (SITE_DIST). */
export function publishedBuild(env: Record<string, string | undefined> = process.env): CurrentBuild | undefined {
  return readCurrentBuild(resolve(contentSettings(env).publishDir));
}

/**
 * The scheduled publish: every PUBLISH_CHECK_MINUTES, once something was published from
 * the console, a build when an article's date has come since the build served.
 */
export function startPublishSchedule(minutes: number): () => void {
  if (minutes <= 0) return () => undefined;
  const timer = setInterval(() => {
    if (!publishedBuild()) return;
    publisher()
      .then((current) => {
        const { current: building, queued } = current.status();
        if (!building && !queued && current.dueSince(new Date())) current.request('lịch đăng bài');
      })
      .catch((error: unknown) => log.warn(`lịch đăng bài: ${(error as Error).message}`));
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Stops a build under way when the server stops, so that no build outlives it. */
export async function stopPublisher(): Promise<void> {
  const made = runtime.publisher;
  if (made) (await made.catch(() => undefined))?.stop();
}
