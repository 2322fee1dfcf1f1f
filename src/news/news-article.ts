/**
 * An article as a schema.org NewsArticle (JSON-LD), typed with schema-dts;
 * the article page hands it to its layout.
 */
import type { NewsArticle } from 'schema-dts';
import { toIsoWithOffset } from '../shared/dates.ts';

export interface ArticleFacts {
  title: string;
  description: string;
  date: Date;
  updated?: Date | undefined;
  tags: readonly string[];
  author: string;
}

export function newsArticle(
  article: ArticleFacts,
  page: { url: string; image: string; publisher: string },
): NewsArticle {
  return {
    '@type': 'NewsArticle',
    headline: article.title,
    description: article.description,
    datePublished: toIsoWithOffset(article.date),
    dateModified: toIsoWithOffset(article.updated ?? article.date),
    inLanguage: 'vi',
    mainEntityOfPage: page.url,
    image: [page.image],
    keywords: article.tags.join(', '),
    author: [{ '@type': 'Person', name: article.author }],
    publisher: { '@type': 'Organization', name: page.publisher },
  };
}
