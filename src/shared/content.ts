/**
 * The one place pages read collections from, so that the draft rule and the
 * ordering are the same everywhere.
 */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { compareForList, driveSlots, isOpen } from '../drives/drives.ts';
import { toIsoWithOffset } from './dates.ts';
import type { DriveOption } from '../signup/schema.ts';
import { isPublishedAt, sortNewestFirst } from '../news/news.ts';
import { slugify } from './vietnamese.ts';

export type Article = CollectionEntry<'news'>;

interface ArticleView {
  id: string;
  date: Date;
  tags: readonly string[];
  entry: Article;
}

async function loadArticles(): Promise<ArticleView[]> {
  const builtAt = new Date();
  const entries = await getCollection('news', ({ data }) => import.meta.env.DEV || isPublishedAt(data, builtAt));
  return sortNewestFirst(
    entries.map((entry) => ({ id: entry.id, date: entry.data.date, tags: entry.data.tags, entry })),
  );
}

// Content cannot change during a build, and nearly every page asks for the
// list: read and sort it once. The dev server reloads edited files, so there
// it is read afresh each time.
let builtArticles: Promise<ArticleView[]> | undefined;

/** Published articles, newest first. Drafts are shown by `astro dev` only, never built. */
export function getArticles(): Promise<ArticleView[]> {
  if (import.meta.env.DEV) return loadArticles();
  builtArticles ??= loadArticles();
  return builtArticles;
}

export interface Tag {
  name: string;
  slug: string;
  count: number;
}

/** Every tag in use, by slug; two spellings that fold to the same slug are one tag. */
export async function getTags(): Promise<Tag[]> {
  const bySlug = new Map<string, Tag>();
  for (const { tags } of await getArticles()) {
    for (const name of tags) {
      const slug = slugify(name);
      const tag = bySlug.get(slug) ?? { name, slug, count: 0 };
      tag.count += 1;
      bySlug.set(slug, tag);
    }
  }
  return [...bySlug.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi'));
}

async function loadCampaign(): Promise<CollectionEntry<'campaign'>['data']> {
  const entry = await getEntry('campaign', 'campaign');
  if (!entry) throw new Error('content/campaign.yaml is missing: the site needs the campaign facts to build.');
  return entry.data;
}

// Read once per build, like the drives: an on-demand page (each sign-up's answer) asked the
// content layer again on every request (docs/benchmarks.md, "Sign-ups: the answer's compression").
let builtCampaign: Promise<CollectionEntry<'campaign'>['data']> | undefined;

export function getCampaign(): Promise<CollectionEntry<'campaign'>['data']> {
  if (import.meta.env.DEV) return loadCampaign();
  builtCampaign ??= loadCampaign();
  return builtCampaign;
}

export type Drive = CollectionEntry<'drives'>['data'] & { slug: string };

// Drives are listed in the order of the moment the page is built; the map
// island orders them again from the reader's clock.
let builtDrives: Promise<Drive[]> | undefined;

async function loadDrives(): Promise<Drive[]> {
  const entries = await getCollection('drives');
  return entries.map(({ id, data }) => ({ ...data, slug: id })).sort(compareForList(new Date()));
}

/** Every drive: still to come first (soonest first), then past ones (latest first). */
export function getDrives(): Promise<Drive[]> {
  if (import.meta.env.DEV) return loadDrives();
  builtDrives ??= loadDrives();
  return builtDrives;
}

interface DriveWithOption {
  drive: Drive;
  option: DriveOption;
}

// The slots of every drive, worked out once: the sign-up service asks on every post.
let builtOptions: Promise<DriveWithOption[]> | undefined;

async function loadOptions(): Promise<DriveWithOption[]> {
  return (await getDrives())
    .map((drive) => ({
      drive,
      option: {
        slug: drive.slug,
        name: drive.name,
        start: drive.start,
        end: drive.end,
        slots: driveSlots(drive).map((slot) => ({ id: slot.id, end: toIsoWithOffset(slot.end), places: slot.places })),
      },
    }))
    .sort((a, b) => a.drive.start.getTime() - b.drive.start.getTime());
}

/** Drives that take sign-ups now, soonest first, with their slots, for the form and the sign-up service. */
export async function getDriveOptions(now = new Date()): Promise<DriveOption[]> {
  const all = import.meta.env.DEV ? await loadOptions() : await (builtOptions ??= loadOptions());
  return all.filter(({ drive }) => isOpen(drive, now)).map(({ option }) => option);
}

/** One drive with its slots, open or not: the organisers' console registers walk-ins on the day. */
export async function getDriveWithSlots(slug: string): Promise<{ drive: Drive; option: DriveOption } | undefined> {
  const all = import.meta.env.DEV ? await loadOptions() : await (builtOptions ??= loadOptions());
  return all.find(({ drive }) => drive.slug === slug);
}
