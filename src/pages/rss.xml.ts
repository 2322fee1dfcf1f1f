import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { getArticles } from '../shared/content.ts';
import { SITE_NAME, SLOGAN } from '../shared/site.ts';

import { articleHref } from '../shared/links.ts';
export async function GET(context: APIContext): Promise<Response> {
  const articles = await getArticles();
  return rss({
    title: `Tin tức – ${SITE_NAME}`,
    description: `${SLOGAN}. Tin tức về hiến máu tình nguyện tại tỉnh Cà Mau.`,
    site: context.site ?? 'http://localhost:4321',
    customData: '<language>vi-vn</language>',
    trailingSlash: true,
    items: articles.map(({ entry }) => ({
      title: entry.data.title,
      description: entry.data.description,
      pubDate: entry.data.date,
      link: articleHref(entry.id),
      categories: [...entry.data.tags],
    })),
  });
}
