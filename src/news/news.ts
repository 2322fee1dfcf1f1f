/**
 * Ordering, pagination and related-article choice for news, over plain
 * objects so that it can be tested without Astro.
 */

export interface ArticleSummary {
  id: string;
  date: Date;
  tags: readonly string[];
}

/**
 * An article is built once its date has come: one dated in the future waits, and the
 * server's scheduled publish (src/editor/publisher.ts) builds it on its day. A date without
 * a time is midnight of that day in Cà Mau (shared/content-fields.ts), so it shows from then.
 */
export function isPublishedAt(data: { draft?: boolean | undefined; date: Date }, now: Date): boolean {
  return !data.draft && data.date.getTime() <= now.getTime();
}

/** Newest first; articles of the same day keep a stable order by id. */
export function sortNewestFirst<T extends ArticleSummary>(articles: readonly T[]): T[] {
  return [...articles].sort((a, b) => b.date.getTime() - a.date.getTime() || a.id.localeCompare(b.id));
}

export interface Page<T> {
  items: T[];
  /** 1-based. */
  current: number;
  total: number;
}

export function paginate<T>(items: readonly T[], perPage: number, page: number): Page<T> {
  if (!Number.isInteger(perPage) || perPage < 1)
    throw new RangeError(`perPage must be a positive integer, got ${perPage}`);
  const total = Math.max(1, Math.ceil(items.length / perPage));
  if (!Number.isInteger(page) || page < 1 || page > total) throw new RangeError(`page ${page} is outside 1..${total}`);
  return { items: items.slice((page - 1) * perPage, page * perPage), current: page, total };
}

/**
 * Up to `limit` other articles, those sharing the most tags first, newer
 * before older; when too few share a tag, the latest articles fill the list
 * so that a reader always has somewhere to go next.
 */
export function relatedArticles<T extends ArticleSummary>(current: T, all: readonly T[], limit = 3): T[] {
  const currentTags = new Set(current.tags);
  const others = sortNewestFirst(all.filter((a) => a.id !== current.id));
  const scored = others
    .map((article) => ({ article, shared: article.tags.filter((tag) => currentTags.has(tag)).length }))
    .filter(({ shared }) => shared > 0)
    .sort((a, b) => b.shared - a.shared)
    .map(({ article }) => article);
  const chosen = scored.slice(0, limit);
  for (const article of others) {
    if (chosen.length >= limit) break;
    if (!chosen.includes(article)) chosen.push(article);
  }
  return chosen;
}

/** In a newest-first list, `newer` is the article published after this one and `older` the one before. */
export function neighbours<T extends ArticleSummary>(
  newestFirst: readonly T[],
  id: string,
): { newer: T | undefined; older: T | undefined } {
  const index = newestFirst.findIndex((a) => a.id === id);
  if (index === -1) return { newer: undefined, older: undefined };
  return { newer: newestFirst[index - 1], older: newestFirst[index + 1] };
}
