/**
 * An article's or page's body drawn as the site draws it, for the console's preview
 * (docs/editors.md, "Xem trước"): first the build's own body check, so a body with code is
 * refused naming the line and never reaches a renderer; then the Markdown pipeline Astro
 * itself builds the site's bodies with (Sätteri, with the site's settings: GFM, smart
 * punctuation, no syntax highlighting, astro.config.mjs), into the article's `prose-vi`
 * styles on the page. The site's own components are drawn as a note saying where they go.
 */
import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import { findBodyProblems } from '../news/body-safety.ts';
import type { AllowedComponents } from '../news/body-components.ts';
import { MAX_SAVE_BYTES } from './content-repo.ts';

export type PreviewOutcome = { ok: true; html: string } | { ok: false; problems: string[] };

type Processor = Awaited<ReturnType<typeof createSatteriMarkdownProcessor>>;
let processor: Promise<Processor> | undefined;

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderPreview(body: string, components: AllowedComponents): Promise<PreviewOutcome> {
  if (Buffer.byteLength(body) > MAX_SAVE_BYTES) {
    return { ok: false, problems: [`Nội dung dài quá ${MAX_SAVE_BYTES / 1_000_000} MB.`] };
  }
  const problems = findBodyProblems(body, 'mdx', components);
  if (problems.length > 0) return { ok: false, problems: problems.map((problem) => problem.message) };
  let shown = body;
  for (const name of components.keys()) {
    shown = shown.replace(
      new RegExp(`<${name}\\s*/>`, 'g'),
      `<p class="rounded-md border-2 border-dashed border-gray-400 p-2">${escape(`(Phần «${name}» của trang web hiện ở đây.)`)}</p>`,
    );
  }
  processor ??= createSatteriMarkdownProcessor({ syntaxHighlight: false });
  const { code } = await (await processor).render(shown);
  return { ok: true, html: code };
}
