/**
 * The site's own components an article or page body may use, with the attributes each takes
 * (none so far). A page renders them through its `components` map (src/pages/[page].astro);
 * a component added there and meant for editors is added here too (docs/editors.md).
 */
export const ALLOWED_COMPONENTS: ReadonlyMap<string, readonly string[]> = new Map([['EligibilityCalculator', []]]);

export const ALLOWED_COMPONENT_NAMES: readonly string[] = [...ALLOWED_COMPONENTS.keys()];
