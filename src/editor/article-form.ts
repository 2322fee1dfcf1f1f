/**
 * The console's article, page and campaign forms as pure functions (docs/editors.md,
 * "Viết bài trong bảng điều khiển"): a file's text to the values a form shows and back,
 * the values a post sends, and their check with the build's own schemas
 * (src/news/content-schemas.ts) and body rule (src/news/body-safety.ts), each message
 * beside the field it is about. A file written here reads back as the same values, and
 * the build reads it as the form checked it.
 */
import { z } from 'astro/zod';
import { isMap, parseDocument } from 'yaml';
import { findBodyProblems } from '../news/body-safety.ts';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS, type AllowedComponents } from '../news/body-components.ts';
import { articleSchema, campaignSchema, pageSchema } from '../news/content-schemas.ts';
import { ContentYamlError, parseContentYaml } from '../shared/safe-yaml.ts';
import { slugify } from '../shared/vietnamese.ts';
import { useVietnameseErrors } from '../shared/zod-vietnamese.ts';
import { checkContentPath } from './content-path.ts';
import { MAX_SAVE_BYTES } from './content-repo.ts';

useVietnameseErrors();

export interface ArticleValues {
  /** The file's name without .mdx: the article's address, /tin-tuc/<slug>/. */
  slug: string;
  title: string;
  description: string;
  /** yyyy-mm-dd: the day it appears (a later day: it appears on that day). */
  date: string;
  /** yyyy-mm-dd or empty. */
  updated: string;
  author: string;
  tags: string[];
  draft: boolean;
  /** As the front matter writes it, `./images/<name>`, or empty for none. */
  imageSrc: string;
  imageAlt: string;
  body: string;
}

export interface PageValues {
  slug: string;
  title: string;
  description: string;
  updated: string;
  body: string;
}

export interface CampaignValues {
  hotline: string;
  unitsTarget: string;
  periodStart: string;
  periodEnd: string;
}

/** Messages by field: a field's key in the values, `picture` for the upload, `file` for the whole. */
export type FieldErrors = Partial<Record<string, string[]>>;

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

export class FormFileError extends Error {}

/** A body file's front matter (read by the safe reader: no aliases) and the text after it. */
export function splitFrontMatter(text: string, shown: string): { data: Record<string, unknown>; body: string } {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { data: {}, body: text };
  let data: unknown;
  try {
    data = parseContentYaml(`\n${match[1] ?? ''}`, shown);
  } catch (error) {
    if (error instanceof ContentYamlError) throw new FormFileError(error.message);
    throw error;
  }
  const body = text.slice(match[0].length).replace(/^\r?\n/, '');
  return { data: data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {}, body };
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

export function articleFromFile(slug: string, file: string): ArticleValues {
  const { data, body } = splitFrontMatter(file, `news/${slug}.mdx`);
  const image =
    data['image'] !== null && typeof data['image'] === 'object' ? (data['image'] as Record<string, unknown>) : {};
  return {
    slug,
    title: text(data['title']),
    description: text(data['description']),
    date: text(data['date']),
    updated: text(data['updated']),
    author: text(data['author']),
    tags: Array.isArray(data['tags']) ? data['tags'].map(text).filter(Boolean) : [],
    draft: data['draft'] === true,
    imageSrc: text(image['src']),
    imageAlt: text(image['alt']),
    body,
  };
}

export function pageFromFile(slug: string, file: string): PageValues {
  const { data, body } = splitFrontMatter(file, `pages/${slug}.mdx`);
  return {
    slug,
    title: text(data['title']),
    description: text(data['description']),
    updated: text(data['updated']),
    body,
  };
}

// A JSON string is a YAML double-quoted string: every character the editor typed stays as typed.
const quoted = (value: string) => JSON.stringify(value);
// A day is written bare, as the files are (YAML reads it as a date); anything else typed in a
// date box is quoted, so a line break in it cannot end the front matter or add a field: it
// reaches the schema as one string, which refuses it in the date's own words.
const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : quoted(value));
const withBody = (lines: string[], body: string) =>
  `---\n${lines.join('\n')}\n---\n\n${body.replace(/\r\n/g, '\n').replace(/^\n+/, '').replace(/\s*$/, '\n')}`;

export function articleToFile(values: ArticleValues): string {
  const lines = [
    `title: ${quoted(values.title)}`,
    `description: ${quoted(values.description)}`,
    `date: ${day(values.date)}`,
  ];
  if (values.updated) lines.push(`updated: ${day(values.updated)}`);
  lines.push(`author: ${quoted(values.author)}`);
  lines.push(...(values.tags.length ? ['tags:', ...values.tags.map((tag) => `  - ${quoted(tag)}`)] : ['tags: []']));
  if (values.imageSrc) lines.push('image:', `  src: ${quoted(values.imageSrc)}`, `  alt: ${quoted(values.imageAlt)}`);
  if (values.draft) lines.push('draft: true');
  return withBody(lines, values.body);
}

export function pageToFile(values: PageValues): string {
  return withBody(
    [`title: ${quoted(values.title)}`, `description: ${quoted(values.description)}`, `updated: ${day(values.updated)}`],
    values.body,
  );
}

const formText = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '';
};

/** Tags are ticked from the existing ones and typed, comma-separated, in «Chủ đề mới». */
function tagsOf(form: FormData): string[] {
  const ticked = form.getAll('chu-de').filter((v): v is string => typeof v === 'string');
  const typed = formText(form, 'chu-de-moi').split(/[,;\n]/);
  const all = [...ticked, ...typed].map((tag) => tag.trim().replace(/\s+/g, ' ')).filter(Boolean);
  return [...new Set(all)];
}

/** The article a post describes (the picture is the upload's business: see article-console.ts). */
export function articleFromForm(form: FormData): ArticleValues {
  return {
    slug: formText(form, 'duong-dan').trim(),
    title: formText(form, 'tieu-de').trim(),
    description: formText(form, 'tom-tat').trim(),
    date: formText(form, 'ngay-dang').trim(),
    updated: formText(form, 'ngay-cap-nhat').trim(),
    author: formText(form, 'tac-gia').trim(),
    tags: tagsOf(form),
    draft: form.get('ban-nhap') === 'co',
    imageSrc: form.get('bo-anh') === 'co' ? '' : formText(form, 'anh-hien-co').trim(),
    imageAlt: formText(form, 'anh-mo-ta').trim(),
    body: formText(form, 'noi-dung'),
  };
}

export function pageFromForm(form: FormData): PageValues {
  return {
    slug: formText(form, 'duong-dan').trim(),
    title: formText(form, 'tieu-de').trim(),
    description: formText(form, 'tom-tat').trim(),
    updated: formText(form, 'ngay-cap-nhat').trim(),
    body: formText(form, 'noi-dung'),
  };
}

export function campaignFromForm(form: FormData): CampaignValues {
  return {
    hotline: formText(form, 'duong-day-nong').trim(),
    unitsTarget: formText(form, 'chi-tieu').trim(),
    periodStart: formText(form, 'bat-dau').trim(),
    periodEnd: formText(form, 'ket-thuc').trim(),
  };
}

/** An address proposed from the title, without diacritics, as the site's other addresses are. */
export function proposeSlug(title: string): string {
  return slugify(title).slice(0, 80).replace(/-+$/, '');
}

function add(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

/** Where a schema's message goes in the form. */
const ARTICLE_FIELD_OF: Record<string, string> = {
  title: 'title',
  description: 'description',
  date: 'date',
  updated: 'updated',
  author: 'author',
  tags: 'tags',
  image: 'alt',
  draft: 'draft',
};

function schemaErrors(result: z.ZodSafeParseResult<unknown>, fieldOf: (path: PropertyKey[]) => string): FieldErrors {
  const errors: FieldErrors = {};
  if (!result.success) for (const issue of result.error.issues) add(errors, fieldOf(issue.path), issue.message);
  return errors;
}

function bodyErrors(errors: FieldErrors, body: string, components: AllowedComponents): void {
  if (Buffer.byteLength(body) > MAX_SAVE_BYTES) {
    add(errors, 'body', `Nội dung dài quá ${MAX_SAVE_BYTES / 1_000_000} MB.`);
    return;
  }
  for (const problem of findBodyProblems(body, 'mdx', components)) add(errors, 'body', problem.message);
}

function slugErrors(errors: FieldErrors, folder: 'news' | 'pages', slug: string): void {
  const checked = checkContentPath(`${folder}/${slug}.mdx`);
  if (!checked.ok || slug === '') {
    add(
      errors,
      'slug',
      'Địa chỉ bài chỉ gồm chữ thường không dấu, chữ số và gạch nối (ví dụ hien-mau-tai-phuong-1), tối đa 100 ký tự.',
    );
  }
}

/** The article's front matter as the build reads it from the file the form would write. */
function articleData(values: ArticleValues): unknown {
  const { data } = splitFrontMatter(articleToFile(values), `news/${values.slug}.mdx`);
  return data;
}

/**
 * What is wrong with an article, by field: the build's schema on the front matter the file
 * would have, the body's safety (lines counted in the body box), the address. `hasPicture`:
 * a picture is uploaded or kept, so its description is required.
 */
export function checkArticle(values: ArticleValues): FieldErrors {
  const result = articleSchema(z.string()).safeParse(articleData(values));
  const errors = schemaErrors(result, (path) => ARTICLE_FIELD_OF[String(path[0])] ?? 'file');
  if (values.imageSrc && !values.imageAlt) {
    errors['alt'] = ['Ảnh cần một câu mô tả cho người không nhìn thấy được (ít nhất 5 ký tự).'];
  }
  slugErrors(errors, 'news', values.slug);
  bodyErrors(errors, values.body, ARTICLE_COMPONENTS);
  return errors;
}

export function checkPage(values: PageValues): FieldErrors {
  const { data } = splitFrontMatter(pageToFile(values), `pages/${values.slug}.mdx`);
  const errors = schemaErrors(pageSchema.safeParse(data), (path) => String(path[0] ?? 'file'));
  slugErrors(errors, 'pages', values.slug);
  bodyErrors(errors, values.body, PAGE_COMPONENTS);
  return errors;
}

export function campaignFromFile(file: string): CampaignValues {
  const data = parseContentYaml(file, 'campaign.yaml') as Record<string, unknown> | null;
  const period =
    data?.['period'] !== null && typeof data?.['period'] === 'object'
      ? (data['period'] as Record<string, unknown>)
      : {};
  return {
    hotline: text(data?.['hotline']),
    unitsTarget: text(data?.['unitsTarget']),
    periodStart: text(period['start']),
    periodEnd: text(period['end']),
  };
}

const CAMPAIGN_FIELD_OF: Record<string, string> = {
  hotline: 'hotline',
  unitsTarget: 'unitsTarget',
  period: 'periodStart',
};

/**
 * campaign.yaml with the form's figures and everything else as it was, comments included
 * (the file's comments are its instructions for whoever opens it), and the build's check of
 * the result by field.
 */
export function campaignWithValues(file: string, values: CampaignValues): { text: string; errors: FieldErrors } {
  parseContentYaml(file, 'campaign.yaml');
  const document = parseDocument(file, { schema: 'core', merge: false, uniqueKeys: true });
  const target = /^\d+$/.test(values.unitsTarget) ? Number(values.unitsTarget) : values.unitsTarget;
  document.set('hotline', values.hotline);
  document.set('unitsTarget', target);
  if (!isMap(document.get('period'))) document.set('period', document.createNode({}));
  document.setIn(['period', 'start'], values.periodStart);
  if (values.periodEnd) document.setIn(['period', 'end'], values.periodEnd);
  else document.deleteIn(['period', 'end']);
  const written = document.toString({ lineWidth: 0 });
  const errors = schemaErrors(campaignSchema.safeParse(parseContentYaml(written, 'campaign.yaml')), (path) => {
    if (path[0] === 'period') return path[1] === 'end' ? 'periodEnd' : 'periodStart';
    return CAMPAIGN_FIELD_OF[String(path[0])] ?? 'file';
  });
  if (values.unitsTarget !== '' && typeof target === 'string') {
    errors['unitsTarget'] = ['unitsTarget (chỉ tiêu, số đơn vị máu) phải là số nguyên lớn hơn 0'];
  }
  return { text: written, errors };
}

export const hasErrors = (errors: FieldErrors) => Object.values(errors).some((list) => list && list.length > 0);
