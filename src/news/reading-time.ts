/**
 * Reading time of an article from its Markdown/MDX source. Vietnamese is
 * written in syllables separated by spaces; adults read about 230 of them a
 * minute on a phone, so that is the rate used.
 */

export const SYLLABLES_PER_MINUTE = 230;

/** The words a reader sees: front matter, code, JSX/HTML tags, link targets and Markdown marks removed. */
export function countWords(markdown: string): number {
  const visible = markdown
    .replace(/^---[\s\S]*?---/, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`|~-]+/g, ' ');
  return visible.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Whole minutes, at least 1. */
export function readingMinutes(markdown: string): number {
  return Math.max(1, Math.round(countWords(markdown) / SYLLABLES_PER_MINUTE));
}
