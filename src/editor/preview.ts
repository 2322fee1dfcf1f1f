/**
 * An article's or page's body drawn as the site draws it, for the console's preview
 * (docs/editors.md, "Xem trước"): first the build's own body check, so a body with code is
 * refused naming the line and never reaches a renderer; then the body read as MDX, as the
 * build reads it (Sätteri's MDX parser, with the site's settings: GFM, smart punctuation, no
 * syntax highlighting, astro.config.mjs), into the article's `prose-vi` styles on the page.
 * The site's own components are drawn as a note saying where they go.
 *
 * Read as MDX, never as Markdown: the two disagree on raw HTML (a `<div>` at the start of a
 * line inside a code span that crosses lines is code to MDX and a live HTML block to
 * CommonMark), and the check above reads MDX. So the preview shows only what the check saw,
 * and any node that is not plain Markdown's text and elements is left out.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import GithubSlugger from 'github-slugger';
import { toHtml } from 'hast-util-to-html';
import { mdxToHast } from 'satteri';
import { findBodyProblems } from '../news/body-safety.ts';
import type { AllowedComponents } from '../news/body-components.ts';
import { MAX_SAVE_BYTES } from './content-repo.ts';

export type PreviewOutcome = { ok: true; html: string } | { ok: false; problems: string[] };

const componentNote = (name: string): Element => ({
  type: 'element',
  tagName: 'p',
  properties: { className: ['rounded-md', 'border-2', 'border-dashed', 'border-gray-400', 'p-2'] },
  children: [{ type: 'text', value: `(Phần «${name}» của trang web hiện ở đây.)` }],
});

interface MdxJsxNode {
  type: 'mdxJsxFlowElement' | 'mdxJsxTextElement';
  name: string | null;
}

const textOf = (node: ElementContent): string =>
  node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(textOf).join('') : '';

/**
 * Text and elements kept, an allowed component as its note, anything else (raw HTML, MDX) left
 * out; headings get the ids the site gives them (github-slugger, as Astro's Markdown does).
 */
function shownChildren(
  children: readonly unknown[],
  components: AllowedComponents,
  slugger: GithubSlugger,
): ElementContent[] {
  const shown: ElementContent[] = [];
  for (const child of children as (RootContent | MdxJsxNode)[]) {
    if (child.type === 'text') shown.push(child);
    else if (child.type === 'element') {
      const element: Element = { ...child, children: shownChildren(child.children, components, slugger) };
      if (/^h[1-6]$/.test(element.tagName))
        element.properties = { ...element.properties, id: slugger.slug(textOf(element)) };
      shown.push(element);
    } else if ((child.type === 'mdxJsxFlowElement' || child.type === 'mdxJsxTextElement') && child.name) {
      if (components.has(child.name)) shown.push(componentNote(child.name));
    }
  }
  return shown;
}

export function renderPreview(body: string, components: AllowedComponents): PreviewOutcome {
  if (Buffer.byteLength(body) > MAX_SAVE_BYTES) {
    return { ok: false, problems: [`Nội dung dài quá ${MAX_SAVE_BYTES / 1_000_000} MB.`] };
  }
  const problems = findBodyProblems(body, 'mdx', components);
  if (problems.length > 0) return { ok: false, problems: problems.map((problem) => problem.message) };
  const tree = mdxToHast(body, { features: { gfm: true, smartPunctuation: true }, position: false }) as unknown as Root;
  const root: Root = { type: 'root', children: shownChildren(tree.children, components, new GithubSlugger()) };
  return { ok: true, html: toHtml(root) };
}
