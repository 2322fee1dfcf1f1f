/**
 * The site's own components a body may use, with the attributes each takes (none so far), by
 * where the body is rendered: pages render them through their `components` map
 * (src/pages/[page].astro); articles (src/news/ArticlePage.astro) render none, and a component
 * there would stop the build. A component added to a map and meant for editors is added here
 * too (docs/editors.md).
 */
export type AllowedComponents = ReadonlyMap<string, readonly string[]>;

export const PAGE_COMPONENTS: AllowedComponents = new Map([['EligibilityCalculator', []]]);
export const ARTICLE_COMPONENTS: AllowedComponents = new Map();

/** Every component of any body, for the editor's help. */
export const ALLOWED_COMPONENTS: AllowedComponents = PAGE_COMPONENTS;
