/**
 * Vietnamese text folding. Unicode decomposition strips tones and vowel
 * marks, but đ/Đ are letters of their own that do not decompose, so they are
 * mapped by hand: "đường" folds to "duong", as people type it on phones.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Removes tones and vowel marks and maps đ→d, Đ→D; keeps case. */
export function foldVietnamese(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** A URL segment without diacritics: "Hiến máu tình nguyện" → "hien-mau-tinh-nguyen". */
export function slugify(text: string): string {
  return foldVietnamese(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Folded and lower case, for comparing what people type with what pages say: "Đường" → "duong". */
export function foldForSearch(text: string): string {
  return foldVietnamese(text).toLowerCase();
}

/**
 * The queries to run for what someone typed, so that "duong" finds "đường".
 * The search index already folds tones and vowel marks, but not đ, a letter
 * of its own. Vietnamese writes d or đ only at the start of a syllable, so a
 * word typed with a leading d may mean đ: each such word is tried both ways.
 * The query as typed comes first; at most `limit` queries are returned, always
 * including the one with every such d as đ.
 */
export function searchVariants(query: string, limit = 8): string[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  let variants: string[][] = [[]];
  for (const word of words) {
    const options = /^[dD]/.test(word) ? [word, (word[0] === 'D' ? 'Đ' : 'đ') + word.slice(1)] : [word];
    variants = variants.flatMap((variant) => options.map((option) => [...variant, option]));
  }
  const queries = variants.map((variant) => variant.join(' ')).filter((variant) => variant !== '');
  if (queries.length <= limit) return queries;
  // Too many to try them all: as typed, every d as đ, then the first of the rest.
  const everyDStroked = queries.at(-1) ?? '';
  return [...queries.slice(0, limit - 1), everyDStroked];
}

export interface MatchQuality {
  /** Query words found as whole words, folded. */
  words: number;
  /** The query's words side by side, in order, folded. */
  phrase: boolean;
  /** Query words found exactly as typed, diacritics included. */
  exact: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * How well a text answers a query, for ordering search results: the search
 * index also matches word beginnings ("đỏ" finds "đơn"), which is right while
 * typing but should not outrank the words themselves.
 */
export function matchQuality(query: string, text: string): MatchQuality {
  const queryWords = query.toLowerCase().match(WORD) ?? [];
  const words = text.toLowerCase().match(WORD) ?? [];
  const folded = words.map(foldForSearch);
  const foldedSet = new Set(folded);
  const exactSet = new Set(words);
  const foldedQuery = queryWords.map(foldForSearch);
  return {
    words: foldedQuery.filter((word) => foldedSet.has(word)).length,
    phrase: foldedQuery.length > 1 && ` ${folded.join(' ')} `.includes(` ${foldedQuery.join(' ')} `),
    exact: queryWords.filter((word) => exactSet.has(word)).length,
  };
}

/** Orders by match quality: more whole words, then the phrase, then exact diacritics. */
export function compareMatchQuality(a: MatchQuality, b: MatchQuality): number {
  return b.words - a.words || Number(b.phrase) - Number(a.phrase) || b.exact - a.exact;
}

export interface ExcerptPart {
  text: string;
  /** A query word, folded, as a whole word. */
  match: boolean;
}

/**
 * A short passage of `text` where the query's words occur as whole words
 * (folded), with those words marked: the passage with the most different
 * query words, exact diacritics breaking ties. The text is the page's own.
 * Null when no query word occurs as a whole word.
 */
export function excerptAround(query: string, text: string, length = 28): ExcerptPart[] | null {
  const queryWords = query.toLowerCase().match(WORD) ?? [];
  const wanted = new Set(queryWords.map(foldForSearch));
  const exact = new Set(queryWords);
  const words = text.split(/\s+/).filter((word) => word !== '');
  // For each word: which query word (folded) it is, if any, and whether it is exactly as typed.
  const found = words.map((word) => {
    const parts = word.toLowerCase().match(WORD) ?? [];
    const hit = parts.find((part) => wanted.has(foldForSearch(part)));
    return hit ? { folded: foldForSearch(hit), exact: exact.has(hit) } : null;
  });
  let best = -1;
  let bestScore = 0;
  for (let start = 0; start < words.length; start += 1) {
    if (!found[start]) continue;
    const window = found.slice(Math.max(0, start - 2), start + length - 2).filter((f) => f !== null);
    const score = new Set(window.map((f) => f.folded)).size * 10 + window.filter((f) => f.exact).length;
    if (score > bestScore) [best, bestScore] = [start, score];
  }
  if (best === -1) return null;
  const from = Math.max(0, best - Math.floor(length / 3));
  const to = Math.min(words.length, from + length);
  const parts: ExcerptPart[] = [];
  const add = (text: string, match: boolean) => {
    const last = parts.at(-1);
    if (last && !last.match && !match) last.text += text;
    else parts.push({ text, match });
  };
  if (from > 0) add('… ', false);
  for (let i = from; i < to; i += 1) {
    if (i > from) add(' ', false);
    add(words[i] ?? '', found[i] !== null);
  }
  if (to < words.length) add(' …', false);
  return parts;
}
