/**
 * The search page's filter choices, known when the site is built: the kinds
 * of page, every year something was published or happens, every tag.
 */
import { getCollection } from 'astro:content';
import { getArticles, getDrives, getTags } from '../shared/content.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';

/** Pagefind's `type` filter values, as SearchFacts.astro writes them. */
export const SEARCH_TYPES = ['Tin tức', 'Điểm hiến máu', 'Trang'] as const;

export async function searchFilterChoices(): Promise<{
  types: readonly string[];
  years: string[];
  tags: string[];
}> {
  const dates = [
    ...(await getArticles()).map((a) => a.date),
    ...(await getDrives()).map((d) => d.start),
    ...(await getCollection('pages')).map((p) => p.data.updated),
  ];
  const years = [...new Set(dates.map((date) => calendarDateInVietnam(date).slice(0, 4)))].sort().reverse();
  return { types: SEARCH_TYPES, years, tags: (await getTags()).map((tag) => tag.name) };
}
