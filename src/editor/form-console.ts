/**
 * What a post to the article, page and campaign forms does (src/pages/to-chuc/noi-dung/
 * tin-tuc/, trang/, chien-dich/): who may, how often, the build's checks beside each field,
 * the picture stored in the same commit, the save through the content repository with its
 * conflict check (`goc`, so a replayed post meets a file that has moved on) and its audit
 * entry. Nothing is written while any field has a message.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canEditContent } from '../console/access.ts';
import type { StaffAccount } from '../console/console-store.ts';
import { PAGE_COMPONENTS, ARTICLE_COMPONENTS } from '../news/body-components.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';
import {
  articleFromFile,
  articleFromForm,
  articleToFile,
  campaignFromFile,
  campaignFromForm,
  campaignWithValues,
  checkArticle,
  checkPage,
  FormFileError,
  hasErrors,
  pageFromFile,
  pageFromForm,
  pageToFile,
  proposeSlug,
  splitFrontMatter,
  type ArticleValues,
  type CampaignValues,
  type FieldErrors,
  type PageValues,
} from './article-form.ts';
import type { ContentAudit } from './content-audit.ts';
import { checkContentPath, isCommitId } from './content-path.ts';
import { ContentRepoError, type ContentRepo } from './content-repo.ts';
import { allowContentPost, allowPreview, outcomeNotice, type EditorNotice } from './editor-console.ts';
import { preparePicture } from './picture-upload.ts';
import { defaultStashDir, stashPicture, takeStashed, type KeptPicture } from './picture-stash.ts';
import { renderPreview, type PreviewOutcome } from './preview.ts';
import { FORM_WORDS } from './form-words.ts';
import { WORDS } from './words.ts';
import { ContentYamlError } from '../shared/safe-yaml.ts';

type Account = Pick<StaffAccount, 'username' | 'role' | 'drives'>;

export interface FormState<Values> {
  values: Values;
  errors: FieldErrors;
  /** The version the form starts from: undefined for a new file. */
  base: string | undefined;
  /** The file's path once it exists (edit), undefined while it is new. */
  path: string | undefined;
  notice?: EditorNotice | undefined;
  /** A picture kept while another field is fixed (editor/picture-stash.ts): its name for the form. */
  keptPicture?: string | undefined;
  /** The body drawn for «Xem trước» without JavaScript. */
  preview?: PreviewOutcome | undefined;
}

/** A form that cannot be shown: the message and the status to answer with. */
export interface FormError {
  error: string;
  status: number;
}

const FORM_TYPES = /^(?:multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** The post's fields, or why it is not a form the pages take (a JSON post, a broken body). */
export async function readForm(request: Request): Promise<FormData | FormError> {
  if (!FORM_TYPES.test(request.headers.get('content-type') ?? '')) {
    return { error: FORM_WORDS.notAForm, status: 415 };
  }
  try {
    return await request.formData();
  } catch {
    return { error: FORM_WORDS.unreadableForm, status: 400 };
  }
}

const refused = (status: number, line: string): EditorNotice => ({ status, ok: false, lines: [line] });
const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
};

const today = (now: Date) => calendarDateInVietnam(now);

export const blankArticle = (author: string, now: Date): ArticleValues => ({
  slug: '',
  title: '',
  description: '',
  date: today(now),
  updated: '',
  author,
  tags: [],
  draft: false,
  imageSrc: '',
  imageAlt: '',
  body: '',
});

/** The article form for `tep` (news/<slug>.mdx), or a new one when `tep` is absent. */
export async function loadArticle(
  repo: ContentRepo,
  tep: string | null,
  account: Account,
  now: Date,
): Promise<FormState<ArticleValues> | FormError> {
  if (tep === null || tep === '')
    return { values: blankArticle(account.username, now), errors: {}, base: undefined, path: undefined };
  const checked = checkContentPath(tep);
  if (!checked.ok || !/^news\/[^/]+\.mdx?$/.test(checked.path))
    return { error: checked.ok ? FORM_WORDS.notAnArticle : checked.message, status: 422 };
  const current = await repo.read(checked.path);
  if (!current) return { error: FORM_WORDS.missing(checked.path), status: 422 };
  const slug = checked.path.slice('news/'.length).replace(/\.mdx?$/, '');
  try {
    return { values: articleFromFile(slug, current.text), errors: {}, base: current.version, path: checked.path };
  } catch (error) {
    if (error instanceof FormFileError) return { error: error.message, status: 422 };
    throw error;
  }
}

/** Every tag the repository's articles use, for the form to offer (sorted as Vietnamese is). */
export async function existingTags(repo: ContentRepo): Promise<string[]> {
  const files = (await repo.files()).filter((file) => /^news\/[^/]+\.mdx?$/.test(file));
  const tags = new Set<string>();
  for (const file of files) {
    try {
      const { data } = splitFrontMatter(await readFile(join(repo.dir, file), 'utf8'), file);
      if (Array.isArray(data['tags'])) for (const tag of data['tags']) if (typeof tag === 'string') tags.add(tag);
    } catch {
      // A file the form cannot read offers no tags; the build names what is wrong with it.
    }
  }
  return [...tags].sort((a, b) => a.localeCompare(b, 'vi'));
}

/** Checks shared by the three forms before anything is read: role, rate, version. */
function gate(staff: Account, form: FormData, now: Date): EditorNotice | { base: string | undefined } {
  if (!canEditContent(staff)) return refused(403, WORDS.noRight);
  if (!allowContentPost(staff.username, now)) return refused(429, WORDS.tooMany);
  const base = field(form, 'goc') || undefined;
  if (base !== undefined && !isCommitId(base)) return refused(422, 'Mã phiên bản gốc không hợp lệ.');
  return { base };
}

const withErrors = (errors: FieldErrors, pictureChosen = false, pictureKept = false): EditorNotice => ({
  status: 422,
  ok: false,
  lines: [
    FORM_WORDS.fixFields(
      Object.values(errors).reduce((n, list) => n + (list?.length ?? 0), 0),
      pictureChosen && !pictureKept,
    ),
    ...(pictureKept ? [FORM_WORDS.pictureKept] : []),
  ],
});

/** A file that exists already where a new one would go: told, nothing written. */
/** Taken as `.md` or as `.mdx`: both would be one entry of the collection, under one address. */
async function takenPath(repo: ContentRepo, path: string): Promise<boolean> {
  const siblings = [path, path.endsWith('.mdx') ? path.slice(0, -1) : `${path}x`];
  for (const sibling of siblings) if ((await repo.lastChange(sibling)) !== undefined) return true;
  return false;
}

/** «Xem trước» without JavaScript: the same check and drawing as the preview endpoint. */
function previewFor(staff: Account, body: string, components: typeof ARTICLE_COMPONENTS, now: Date): PreviewOutcome {
  if (!allowPreview(staff.username, now)) return { ok: false, problems: [WORDS.tooMany] };
  return renderPreview(body, components);
}

/** A post to the article form: intent `save` (the default) or `preview`. */
export async function postArticle(
  staff: Account,
  form: FormData,
  repo: ContentRepo,
  audit: ContentAudit,
  now: Date,
  stash = defaultStashDir(),
): Promise<FormState<ArticleValues>> {
  const values = articleFromForm(form);
  const editing = checkContentPath(field(form, 'tep'));
  const path = editing.ok ? editing.path : undefined;
  if (path) values.slug = path.slice('news/'.length).replace(/\.mdx?$/, '');
  else if (!values.slug) values.slug = proposeSlug(values.title);
  const gateOutcome = gate(staff, form, now);
  if ('status' in gateOutcome) return { values, errors: {}, base: field(form, 'goc'), path, notice: gateOutcome };
  const { base } = gateOutcome;
  if (field(form, 'tep') && (!path || !/^news\/[^/]+\.mdx?$/.test(path))) {
    return {
      values,
      errors: {},
      base,
      path: undefined,
      notice: refused(422, editing.ok ? FORM_WORDS.notAnArticle : editing.message),
    };
  }
  if (field(form, 'intent') === 'preview') {
    return { values, errors: {}, base, path, preview: previewFor(staff, values.body, ARTICLE_COMPONENTS, now) };
  }
  const errors: FieldErrors = {};
  const alongside: { path: string; bytes: Buffer }[] = [];
  const upload = form.get('anh');
  const chosen = upload instanceof File && upload.size > 0;
  let picture: KeptPicture | undefined;
  if (chosen) {
    const prepared = await preparePicture(new Uint8Array(await upload.arrayBuffer()));
    if (prepared.ok) picture = prepared;
    else errors['picture'] = [prepared.message];
  } else if (form.get('bo-anh') !== 'co') {
    picture = await takeStashed(stash, form.get('anh-cho'));
  }
  if (picture && values.slug) {
    // A file name's stem is at most 100 characters (content-path.ts): the slug gives way to the digest.
    const stem = values.slug.slice(0, 100 - picture.digest.length - 1).replace(/-+$/, '');
    const name = `${stem}-${picture.digest}.${picture.extension}`;
    values.imageSrc = `./images/${name}`;
    alongside.push({ path: `news/images/${name}`, bytes: picture.bytes });
  }
  Object.assign(errors, { ...checkArticle(values), ...(errors['picture'] ? { picture: errors['picture'] } : {}) });
  if (
    values.imageSrc &&
    !alongside.length &&
    !(await repo.files()).includes(`news/${values.imageSrc.replace(/^\.\//, '')}`)
  ) {
    errors['picture'] = [FORM_WORDS.pictureMissing(values.imageSrc)];
  }
  const target = path ?? `news/${values.slug}.mdx`;
  if (!path && !errors['slug'] && (await takenPath(repo, target))) errors['slug'] = [FORM_WORDS.slugTaken(target)];
  if (hasErrors(errors)) {
    const keptPicture = picture && !errors['picture'] ? await stashPicture(stash, picture) : undefined;
    if (picture || chosen) values.imageSrc = field(form, 'anh-hien-co') ?? '';
    // The description is asked for with the kept picture, as with a picture already saved.
    if (keptPicture && !values.imageAlt) errors['alt'] ??= [FORM_WORDS.altNeeded];
    return { values, errors, base, path, keptPicture, notice: withErrors(errors, chosen, keptPicture !== undefined) };
  }
  return save(repo, audit, staff, now, { values, base, path: target, text: articleToFile(values), alongside });
}

async function save<Values>(
  repo: ContentRepo,
  audit: ContentAudit,
  staff: Account,
  now: Date,
  what: {
    values: Values;
    base: string | undefined;
    path: string;
    text: string;
    alongside?: { path: string; bytes: Buffer }[];
  },
): Promise<FormState<Values>> {
  try {
    const outcome = await repo.saveWith(what.path, what.text, what.alongside ?? [], what.base, staff);
    const notice = await outcomeNotice(outcome, audit, staff.username, now);
    const saved =
      outcome.kind === 'conflict'
        ? what.base
        : outcome.kind === 'saved'
          ? outcome.commit
          : await repo.lastChange(what.path);
    return {
      values: what.values,
      errors: {},
      base: saved,
      path: outcome.kind === 'conflict' ? what.path : what.path,
      notice,
    };
  } catch (error) {
    if (error instanceof ContentRepoError) {
      return { values: what.values, errors: {}, base: what.base, path: what.path, notice: refused(422, error.message) };
    }
    throw error;
  }
}

export const blankPage = (now: Date): PageValues => ({
  slug: '',
  title: '',
  description: '',
  updated: today(now),
  body: '',
});

export async function loadPage(
  repo: ContentRepo,
  tep: string | null,
  now: Date,
): Promise<FormState<PageValues> | FormError> {
  if (tep === null || tep === '') return { values: blankPage(now), errors: {}, base: undefined, path: undefined };
  const checked = checkContentPath(tep);
  if (!checked.ok || !/^pages\/[^/]+\.mdx?$/.test(checked.path))
    return { error: checked.ok ? FORM_WORDS.notAPage : checked.message, status: 422 };
  const current = await repo.read(checked.path);
  if (!current) return { error: FORM_WORDS.missing(checked.path), status: 422 };
  try {
    const values = pageFromFile(checked.path.slice('pages/'.length).replace(/\.mdx?$/, ''), current.text);
    // A page's «cập nhật» is the day it is saved, unless the editor says otherwise.
    return { values: { ...values, updated: today(now) }, errors: {}, base: current.version, path: checked.path };
  } catch (error) {
    if (error instanceof FormFileError) return { error: error.message, status: 422 };
    throw error;
  }
}

export async function postPage(
  staff: Account,
  form: FormData,
  repo: ContentRepo,
  audit: ContentAudit,
  now: Date,
): Promise<FormState<PageValues>> {
  const values = pageFromForm(form);
  const editing = checkContentPath(field(form, 'tep'));
  const path = editing.ok ? editing.path : undefined;
  if (path) values.slug = path.slice('pages/'.length).replace(/\.mdx?$/, '');
  else if (!values.slug) values.slug = proposeSlug(values.title);
  const gateOutcome = gate(staff, form, now);
  if ('status' in gateOutcome) return { values, errors: {}, base: field(form, 'goc'), path, notice: gateOutcome };
  const { base } = gateOutcome;
  if (field(form, 'tep') && (!path || !/^pages\/[^/]+\.mdx?$/.test(path))) {
    return {
      values,
      errors: {},
      base,
      path: undefined,
      notice: refused(422, editing.ok ? FORM_WORDS.notAPage : editing.message),
    };
  }
  if (field(form, 'intent') === 'preview') {
    return { values, errors: {}, base, path, preview: previewFor(staff, values.body, PAGE_COMPONENTS, now) };
  }
  const errors = checkPage(values);
  const target = path ?? `pages/${values.slug}.mdx`;
  if (!path && !errors['slug'] && (await takenPath(repo, target))) errors['slug'] = [FORM_WORDS.slugTaken(target)];
  if (hasErrors(errors)) return { values, errors, base, path, notice: withErrors(errors) };
  return save(repo, audit, staff, now, { values, base, path: target, text: pageToFile(values) });
}

export const CAMPAIGN_FILE = 'campaign.yaml';

export async function loadCampaign(repo: ContentRepo): Promise<FormState<CampaignValues> | FormError> {
  const current = await repo.read(CAMPAIGN_FILE);
  if (!current) return { error: FORM_WORDS.missing(CAMPAIGN_FILE), status: 422 };
  try {
    return { values: campaignFromFile(current.text), errors: {}, base: current.version, path: CAMPAIGN_FILE };
  } catch (error) {
    if (error instanceof ContentYamlError) return { error: error.message, status: 422 };
    throw error;
  }
}

export async function postCampaign(
  staff: Account,
  form: FormData,
  repo: ContentRepo,
  audit: ContentAudit,
  now: Date,
): Promise<FormState<CampaignValues>> {
  const values = campaignFromForm(form);
  const gateOutcome = gate(staff, form, now);
  if ('status' in gateOutcome)
    return { values, errors: {}, base: field(form, 'goc'), path: CAMPAIGN_FILE, notice: gateOutcome };
  const { base } = gateOutcome;
  const current = await repo.read(CAMPAIGN_FILE);
  if (!current)
    return { values, errors: {}, base, path: CAMPAIGN_FILE, notice: refused(422, FORM_WORDS.missing(CAMPAIGN_FILE)) };
  let written: ReturnType<typeof campaignWithValues>;
  try {
    written = campaignWithValues(current.text, values);
  } catch (error) {
    if (error instanceof ContentYamlError)
      return { values, errors: {}, base, path: CAMPAIGN_FILE, notice: refused(422, error.message) };
    throw error;
  }
  if (hasErrors(written.errors))
    return { values, errors: written.errors, base, path: CAMPAIGN_FILE, notice: withErrors(written.errors) };
  return save(repo, audit, staff, now, { values, base, path: CAMPAIGN_FILE, text: written.text });
}
