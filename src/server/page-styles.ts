/**
 * Each built page keeps, of the stylesheet inlined in it, only the rules it can use: Tailwind
 * writes one sheet for every class in the project (the console's, the units', the poster's), and
 * inlined whole it was about half of a page's first bytes, which then took a second round trip
 * on a slow network (docs/benchmarks.md, "First paint at the floor"). A rule goes only when a
 * class it requires appears nowhere in the page and nowhere in any of the site's scripts (an
 * island may add a class the page was built without); rules without classes, or whose classes
 * sit in :is(), :where(), :not() or :has(), stay. The policy's hash for the style is rewritten to
 * match. On-demand pages (sign-up, console) keep the whole sheet.
 *
 * Runs after Astro wrote the pages and before the offline files and precompression read them.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import postcss, { type Container, type Root } from 'postcss';
import selectorParser from 'postcss-selector-parser';

/** What separates one class name from the next in markup and in scripts (a JS string's \n too). */
const SEPARATORS = /\\[nrt]|[\s"'`<>=\\]+/;
/** A class name holding a separator cannot be looked up as a word: such rules always stay. */
const UNSPLITTABLE = /[\s"'`<>=\\&]/;

/** Every word of the text, split as class names are written in markup and scripts. */
export function wordsOf(text: string): Set<string> {
  return new Set(text.split(SEPARATORS));
}

/** The classes a selector cannot match without, each required of one element (not those in :is() and the like). */
function requiredClasses(selector: selectorParser.Selector): string[] {
  const found: string[] = [];
  for (const node of selector.nodes) {
    if (node.type === 'class') found.push(node.value);
  }
  return found;
}

/**
 * The sheet without the rules no element of the page can match: `used(name)` says whether a
 * class appears anywhere the page's elements could get it from.
 */
export function pruneSheet(css: string, used: (className: string) => boolean): string {
  const root = postcss.parse(css);
  const keep = (name: string) => UNSPLITTABLE.test(name) || used(name);
  root.walkRules((rule) => {
    // Keyframe steps (from, 50%) are not selectors of elements.
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test((rule.parent as postcss.AtRule).name)) return;
    let selectors: string[];
    try {
      selectors = rule.selectors;
    } catch {
      return;
    }
    const kept = selectors.filter((text) => {
      let matches = true;
      try {
        selectorParser((list) => {
          // A list inside one selector of the rule's list; any of its selectors may match.
          matches = list.nodes.some((one) => requiredClasses(one).every(keep));
        }).processSync(text);
      } catch {
        matches = true;
      }
      return matches;
    });
    if (kept.length === 0) rule.remove();
    else if (kept.length < selectors.length) rule.selectors = kept;
  });
  removeEmpty(root);
  return root.toString();
}

/** At-rules (@media, @supports, @layer) left with nothing in them go too; statements such as `@layer a, b;` stay. */
function removeEmpty(container: Root | Container) {
  container.each((node) => {
    if (node.type === 'atrule' || node.type === 'rule') {
      if (node.nodes) {
        removeEmpty(node);
        if (node.nodes.length === 0) node.remove();
      }
    }
  });
}

const STYLE = /<style(\s[^>]*)?>([\s\S]*?)<\/style>/g;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page with each of its <style> elements pruned and the policy's hashes changed to match.
 * A style whose hash the page's policy does not carry is left as it is.
 */
export function prunePage(html: string, scriptWords: ReadonlySet<string>): string {
  const policy = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html)?.[1];
  if (!policy) return html;
  const pageWords = wordsOf(html);
  const used = (name: string) => pageWords.has(name) || scriptWords.has(name);
  let newPolicy = policy;
  const pruned = html.replace(STYLE, (whole, attributes: string | undefined, css: string) => {
    const hash = sha256(css);
    if (!newPolicy.includes(hash)) return whole;
    const smaller = pruneSheet(css, used);
    newPolicy = newPolicy.replace(hash, sha256(smaller));
    return `<style${attributes ?? ''}>${smaller}</style>`;
  });
  return pruned.replace(policy, () => newPolicy);
}

async function filesUnder(dir: string, ending: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(ending)).map((e) => join(e.parentPath, e.name));
}

export function pageStyles(): AstroIntegration {
  return {
    name: 'hien-mau:page-styles',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const client = fileURLToPath(dir);
        const scripts = await filesUnder(join(client, '_astro'), '.js');
        const scriptWords = new Set<string>();
        for (const file of scripts) for (const word of wordsOf(await readFile(file, 'utf8'))) scriptWords.add(word);
        let before = 0;
        let after = 0;
        for (const file of await filesUnder(client, '.html')) {
          const html = await readFile(file, 'utf8');
          const pruned = prunePage(html, scriptWords);
          before += html.length;
          after += pruned.length;
          if (pruned !== html) await writeFile(file, pruned);
        }
        logger.info(
          `Bảng kiểu trong các trang, chỉ giữ quy tắc trang dùng: ${Math.round(before / 1024)} kB → ${Math.round(after / 1024)} kB`,
        );
      },
    },
  };
}
