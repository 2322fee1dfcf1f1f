/**
 * `content history <tệp>|revert <tệp> <phiên bản>|dot <tệp> --file|bai|trang <tệp> --file|publish|audit`:
 * the console's history, drive, article and page forms and publish pages on the command line, with the same checks,
 * words and audit entries (src/editor/editor-console.ts, drive-console.ts). A publish here builds in this process and names its build
 * in current.json, which the running server follows within seconds.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { contentDir } from '../../build-settings.ts';
import { CLI_ACTOR, actorWords } from '../../console/words.ts';
import { ContentAudit } from '../../editor/content-audit.ts';
import { checkContentPath, isCommitId } from '../../editor/content-path.ts';
import { ContentRepo, ContentRepoError } from '../../editor/content-repo.ts';
import { postDriveForm } from '../../editor/drive-console.ts';
import { articleFromFile, FormFileError, pageFromFile } from '../../editor/article-form.ts';
import { postArticle, postPage } from '../../editor/form-console.ts';
import { FORM_WORDS } from '../../editor/form-words.ts';
import { FORM_NAMES, impactLines, valuesFromDrive, type DriveField } from '../../editor/drive-form.ts';
import { DriveSignups } from '../../editor/drive-signups.ts';
import { Publisher } from '../../editor/publisher.ts';
import { ACTION_WORDS, DRIVE_WORDS, WORDS } from '../../editor/words.ts';
import { ContentYamlError, parseContentYaml } from '../../shared/safe-yaml.ts';
import { formatDateTime } from '../../shared/dates.ts';
import { contentSettings } from '../../settings.ts';
import { UsageError, type Command, type CommandHelp } from '../command.ts';
import { openStore } from '../database.ts';

const help: CommandHelp = {
  forms: [
    'content history <tệp>',
    'content revert <tệp> <phiên-bản>',
    'content dot <tệp> --file <tệp.yaml> [--xac-nhan-huy] [--xac-nhan-doi-luot]',
    'content bai <news/tệp.mdx> --file <tệp.mdx> [--anh <ảnh>]',
    'content trang <pages/tệp.mdx> --file <tệp.mdx>',
    'content publish',
    'content audit',
  ],
  summary: 'lịch sử nội dung, quay lại phiên bản cũ, xuất bản',
  about:
    'Như trang /to-chuc/noi-dung/ và /to-chuc/xuat-ban/: history in các phiên bản của một tệp (ví dụ drives/cai-nuoc.yaml), mới nhất trước; revert đưa tệp về một phiên bản thành một phiên bản mới; dot kiểm tra một tệp đợt hiến máu như biểu mẫu /to-chuc/noi-dung/diem-hien-mau/ (cùng quy tắc với bản dựng, lỗi theo từng trường), in số người đăng ký mà thay đổi chạm tới, rồi lưu thành phiên bản mới; hủy một đợt đã có người đăng ký cần thêm --xac-nhan-huy, và thay đổi làm người đã đăng ký mất khung giờ hay vượt số chỗ cần thêm --xac-nhan-doi-luot; bai và trang kiểm tra một bài viết hay một trang như biểu mẫu /to-chuc/noi-dung/tin-tuc/ và /to-chuc/noi-dung/trang/ (lỗi theo từng trường, nội dung không được có mã chương trình) rồi lưu; --anh thêm ảnh cho bài (thay cho image.src của tệp; image.alt là câu mô tả ảnh), được lưu lại không còn thông tin GPS; publish dựng trang từ kho nội dung (CONTENT_REPO) vào PUBLISH_DIR và máy chủ đang chạy tự chuyển sang bản mới; audit in nhật ký lưu, quay lại và xuất bản.',
};

const projectRoot = resolve(import.meta.dirname, '../../..');

function repoPath(typed: string | undefined): string {
  const checked = checkContentPath(typed);
  if (!checked.ok) throw new UsageError(checked.message);
  return checked.path;
}

export const content: Command = {
  help,
  waits: true,
  run: async ({ rest, options, dbPath, out, now }) => {
    const [action, typed, version] = rest;
    const settings = contentSettings();
    const repo = await ContentRepo.open(resolve(settings.repo), resolve(contentDir()));
    const withAudit = async (use: (audit: ContentAudit) => Promise<void> | void) => {
      const store = openStore(dbPath, false);
      try {
        await use(new ContentAudit(store.db));
      } finally {
        store.close();
      }
    };
    if (action === 'history') {
      const path = repoPath(typed);
      const versions = await repo.history(path);
      if (versions.length === 0) out(`${path} chưa có trong kho nội dung.`);
      for (const v of versions) out([formatDateTime(v.at), v.author, v.commit.slice(0, 12), v.message].join('\t'));
      return;
    }
    if (action === 'revert') {
      const path = repoPath(typed);
      if (!isCommitId(version)) throw new UsageError('Lệnh content revert cần mã phiên bản do content history in ra');
      let outcome;
      try {
        outcome = await repo.revert(path, version, { username: CLI_ACTOR });
      } catch (error) {
        if (error instanceof ContentRepoError) throw new UsageError(error.message);
        throw error;
      }
      if (outcome.kind !== 'saved') {
        out(WORDS.unchanged(path));
        return;
      }
      await withAudit((audit) =>
        audit.record({
          at: now.toISOString(),
          actor: CLI_ACTOR,
          action: 'content-revert',
          path,
          commit: outcome.commit,
          detail: version,
        }),
      );
      out(WORDS.reverted(path, version, outcome.commit));
      return;
    }
    if (action === 'dot') {
      const path = repoPath(typed);
      if (!path.startsWith('drives/')) throw new UsageError(DRIVE_WORDS.notADrive);
      if (!options.file)
        throw new UsageError('Lệnh content dot cần --file <tệp.yaml>: tệp đợt hiến máu để kiểm tra và lưu');
      let raw: unknown;
      try {
        raw = parseContentYaml(readFileSync(options.file, 'utf8'), options.file);
      } catch (error) {
        if (error instanceof ContentYamlError) throw new UsageError(error.message);
        throw new UsageError(`Không đọc được ${options.file}: ${(error as Error).message}`);
      }
      const current = await repo.read(path);
      const values = valuesFromDrive(raw, path.replace(/^drives\//, '').replace(/\.ya?ml$/, ''));
      const form = new FormData();
      for (const [field, name] of Object.entries(FORM_NAMES)) form.set(name, values[field as DriveField]);
      form.set('tep', current ? path : '');
      form.set('goc', current?.version ?? '');
      if (options['xac-nhan-huy']) form.set('xac-nhan', 'huy');
      else if (options['xac-nhan-doi-luot']) form.set('xac-nhan', 'doi-luot');
      const store = openStore(dbPath, false);
      try {
        const state = await postDriveForm({ username: CLI_ACTOR, role: 'admin', drives: [] }, form, {
          repo,
          audit: new ContentAudit(store.db),
          signups: new DriveSignups(store.db),
          now,
        });
        const impact = state.impact ? impactLines(state.impact) : [];
        const problems = Object.entries(state.errors).flatMap(([field, messages]) =>
          messages.map((message) => `${FORM_NAMES[field as DriveField]}: ${message}`),
        );
        if (problems.length > 0 || (state.notice && !state.notice.ok)) {
          throw new UsageError([...(state.notice?.lines ?? []), ...problems].join('\n'));
        }
        if (state.confirmCancel !== undefined) {
          throw new UsageError([...impact, DRIVE_WORDS.confirmCancelCli(state.confirmCancel)].join('\n'));
        }
        if (state.confirmSlots !== undefined) {
          throw new UsageError([...impact, DRIVE_WORDS.confirmSlotsCli(state.confirmSlots)].join('\n'));
        }
        for (const line of [...impact, ...(state.notice?.lines ?? [])]) out(line);
      } finally {
        store.close();
      }
      return;
    }
    if (action === 'bai' || action === 'trang') {
      const path = repoPath(typed);
      const folder = action === 'bai' ? 'news/' : 'pages/';
      if (!path.startsWith(folder))
        throw new UsageError(action === 'bai' ? FORM_WORDS.notAnArticle : FORM_WORDS.notAPage);
      if (!options.file) throw new UsageError(`Lệnh content ${action} cần --file <tệp.mdx>: tệp để kiểm tra và lưu`);
      const read = (file: string) => {
        try {
          return readFileSync(file);
        } catch (error) {
          throw new UsageError(`Không đọc được ${file}: ${(error as Error).message}`);
        }
      };
      const slug = path.slice(folder.length).replace(/\.mdx?$/, '');
      const current = await repo.read(path);
      const form = new FormData();
      form.set('tep', current ? path : '');
      form.set('goc', current?.version ?? '');
      form.set('duong-dan', slug);
      try {
        const text = read(options.file).toString('utf8');
        if (action === 'bai') {
          const values = articleFromFile(slug, text);
          const fields = {
            'tieu-de': values.title,
            'tom-tat': values.description,
            'ngay-dang': values.date,
            'ngay-cap-nhat': values.updated,
            'tac-gia': values.author,
            'anh-hien-co': values.imageSrc,
            'anh-mo-ta': values.imageAlt,
            'noi-dung': values.body,
          };
          for (const [name, value] of Object.entries(fields)) form.set(name, value);
          for (const tag of values.tags) form.append('chu-de', tag);
          if (values.draft) form.set('ban-nhap', 'co');
          if (options.anh) form.set('anh', new File([new Uint8Array(read(options.anh))], basename(options.anh)));
        } else {
          const values = pageFromFile(slug, text);
          const fields = {
            'tieu-de': values.title,
            'tom-tat': values.description,
            'ngay-cap-nhat': values.updated,
            'noi-dung': values.body,
          };
          for (const [name, value] of Object.entries(fields)) form.set(name, value);
        }
      } catch (error) {
        if (error instanceof FormFileError) throw new UsageError(error.message);
        throw error;
      }
      const store = openStore(dbPath, false);
      try {
        const account = { username: CLI_ACTOR, role: 'admin' as const, drives: [] };
        const audit = new ContentAudit(store.db);
        const state =
          action === 'bai'
            ? await postArticle(account, form, repo, audit, now)
            : await postPage(account, form, repo, audit, now);
        const problems = Object.entries(state.errors).flatMap(([field, messages]) =>
          (messages ?? []).map((message) => `${field}: ${message}`),
        );
        if (problems.length > 0 || !state.notice?.ok) {
          throw new UsageError([...(state.notice?.lines ?? []), ...problems].join('\n'));
        }
        for (const line of state.notice.lines) out(line);
      } finally {
        store.close();
      }
      return;
    }
    if (action === 'publish') {
      let failed = false;
      await withAudit(async (audit) => {
        const publisher = new Publisher({
          repo,
          projectRoot,
          publishDir: resolve(settings.publishDir),
          // The server watches current.json and switches itself.
          switchTo: () => Promise.resolve(),
          onLine: out,
          onDone: (run) =>
            audit.record({
              at: new Date().toISOString(),
              actor: CLI_ACTOR,
              action: run.state === 'done' ? 'content-publish' : 'content-publish-failed',
              path: null,
              commit: run.commit ?? null,
              detail: run.state === 'done' ? (run.dist ?? null) : (run.message?.slice(0, 2000) ?? null),
            }),
        });
        publisher.request(CLI_ACTOR);
        await publisher.settled();
        const last = publisher.status().last;
        failed = last?.state !== 'done';
        if (failed) out(`Xuất bản thất bại, trang web vẫn như trước:\n${last?.message ?? ''}`);
      });
      if (failed) process.exitCode = 1;
      return;
    }
    if (action === 'audit') {
      await withAudit((audit) => {
        const entries = audit.list(100_000).reverse();
        if (entries.length === 0) out('Chưa có thay đổi nội dung nào được ghi.');
        for (const e of entries) {
          out(
            [
              formatDateTime(new Date(e.at)),
              actorWords(e.actor),
              ACTION_WORDS[e.action],
              e.path ?? '-',
              e.commit?.slice(0, 12) ?? '-',
            ].join('\t'),
          );
        }
      });
      return;
    }
    throw new UsageError(`Lệnh content có các dạng: ${help.forms.join('; ')}`);
  },
};
