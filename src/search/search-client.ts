/**
 * Searching the Pagefind index from the browser, with Vietnamese typed
 * without diacritics: each query runs in its variants (searchVariants: a
 * leading d may be đ) and the results are merged, each page at its best
 * score. Pagefind itself folds tones and vowel marks and ranks exact
 * diacritics higher; excerpts and highlights show the pages' own words.
 * Pagefind's files are fetched on the first search, never at page load.
 */
import { compareMatchQuality, excerptAround, matchQuality, searchVariants } from '../shared/vietnamese.ts';
import { INDEX_NOT_BUILT, INDEX_UNREACHABLE, noResults, resultsFound, SEARCH_FAILED } from './words.ts';

// The islands take their words through this module: imported by it alone, the words travel in its
// chunk, loaded with it, instead of in a chunk of their own that every page would fetch.
export { OPEN_SEARCH_PAGE, QUERY_TOO_SHORT, SEE_ALL_RESULTS } from './words.ts';

export interface SearchFilters {
  type?: string[];
  year?: string[];
  tag?: string[];
}

export interface SearchHit {
  url: string;
  title: string;
  /** Text with the matched words in <mark>, as a safe fragment. */
  excerpt: DocumentFragment;
  date?: string | undefined;
  type?: string | undefined;
}

export interface SearchAnswer {
  total: number;
  hits: SearchHit[];
  /** Loads the next page of hits. */
  more: () => Promise<SearchHit[]>;
}

interface PagefindData {
  url: string;
  excerpt: string;
  content: string;
  meta: Record<string, string | undefined>;
}

interface PagefindResult {
  id: string;
  score: number;
  data: () => Promise<PagefindData>;
}

interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  search(term: string, options?: { filters?: SearchFilters }): Promise<{ results: PagefindResult[] } | null>;
  preload(term: string): Promise<void>;
}

export class SearchUnavailable extends Error {}

const PAGE_SIZE = 10;
// How many of the index's best results are read and ordered again by match
// quality: one page of results, whose fragments are fetched anyway to show them.
const RERANKED = PAGE_SIZE;
let loaded: Promise<Pagefind> | undefined;

/** Pagefind's script and settings, loaded once, on first use. */
export function pagefind(): Promise<Pagefind> {
  loaded ??= (async () => {
    const url = '/pagefind/pagefind.js';
    let module: Pagefind;
    try {
      module = (await import(/* @vite-ignore */ url)) as Pagefind;
    } catch (error) {
      loaded = undefined;
      throw new SearchUnavailable(import.meta.env.DEV ? INDEX_NOT_BUILT : INDEX_UNREACHABLE, { cause: error });
    }
    // Exact diacritics ("má") count for more against folded ones ("mà", "mã") than Pagefind's default.
    await module.options({ excerptLength: 24, ranking: { diacriticSimilarity: 0.5 } });
    return module;
  })();
  return loaded;
}

/** Keeps only text and <mark> from Pagefind's excerpt HTML. */
function safeExcerpt(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) fragment.append(node.textContent ?? '');
    else if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else fragment.append(node.textContent ?? '');
  }
  return fragment;
}

export async function search(query: string, filters: SearchFilters = {}): Promise<SearchAnswer> {
  const pf = await pagefind();
  const variants = searchVariants(query);
  const answers = await Promise.all(variants.map((term) => pf.search(term, { filters })));
  const best = new Map<string, PagefindResult>();
  for (const answer of answers) {
    for (const result of answer?.results ?? []) {
      const known = best.get(result.id);
      if (!known || result.score > known.score) best.set(result.id, result);
    }
  }
  const byScore = [...best.values()].sort((a, b) => b.score - a.score);
  // The index matches word beginnings too ("đỏ" finds "đơn"): the first
  // results are read and ordered by whole words, phrase and exact diacritics.
  const head = await Promise.all(
    byScore.slice(0, RERANKED).map(async (result) => {
      const data = await result.data();
      return { data, quality: matchQuality(query, `${data.meta['title'] ?? ''} ${data.content}`), score: result.score };
    }),
  );
  head.sort((a, b) => compareMatchQuality(a.quality, b.quality) || b.score - a.score);
  const ranked: { data: () => Promise<PagefindData> }[] = [
    ...head.map(({ data }) => ({ data: () => Promise.resolve(data) })),
    ...byScore.slice(RERANKED),
  ];
  let shown = 0;
  const next = async () => {
    const page = ranked.slice(shown, shown + PAGE_SIZE);
    shown += page.length;
    return Promise.all(page.map(async (result) => toHit(query, await result.data())));
  };
  return { total: ranked.length, hits: await next(), more: next };
}

/** Our own passage around whole-word matches when there are some, else Pagefind's excerpt. */
function excerptFor(query: string, data: PagefindData): DocumentFragment {
  const parts = excerptAround(query, data.content);
  if (!parts) return safeExcerpt(data.excerpt);
  const fragment = document.createDocumentFragment();
  for (const part of parts) {
    if (!part.match) {
      fragment.append(part.text);
      continue;
    }
    const mark = document.createElement('mark');
    mark.textContent = part.text;
    fragment.append(mark);
  }
  return fragment;
}

function toHit(query: string, data: PagefindData): SearchHit {
  return {
    url: data.url,
    title: data.meta['title'] ?? data.url,
    excerpt: excerptFor(query, data),
    date: data.meta['date'],
    type: data.meta['type'],
  };
}

/** Draws hits as list items: title link, kind and date, excerpt. */
export function renderHits(hits: readonly SearchHit[], headingLevel: 'h2' | 'h3'): HTMLLIElement[] {
  return hits.map((hit) => {
    const item = document.createElement('li');
    item.className = 'search-hit';
    const heading = document.createElement(headingLevel);
    heading.className = 'text-lg font-bold leading-snug';
    const link = document.createElement('a');
    link.href = hit.url;
    link.textContent = hit.title;
    heading.append(link);
    const about = document.createElement('p');
    about.className = 'text-sm text-muted';
    about.textContent = [hit.type, hit.date].filter(Boolean).join(' · ');
    const excerpt = document.createElement('p');
    excerpt.className = 'text-base';
    excerpt.append(hit.excerpt);
    item.append(heading, about, excerpt);
    return item;
  });
}

/** The status line after a search: how many results, or what to try when there are none. */
export function resultsMessage(query: string, total: number, filtered = false): string {
  return total > 0 ? resultsFound(query, total) : noResults(query, filtered);
}

/** The status line when a search fails. */
export function failureMessage(error: unknown): string {
  return error instanceof SearchUnavailable ? error.message : SEARCH_FAILED;
}
