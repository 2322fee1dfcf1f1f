/**
 * What an article or page body may hold: Markdown and the site's own components, no code.
 *
 * MDX runs code when the site is built: `import`/`export` lines, `{…}` expressions and JSX
 * attribute expressions are JavaScript that `npm run build` executes as the service's user.
 * Whoever may write an article must not be able to run anything (docs/editors.md, "What a
 * body may hold"). The body is read by the parser the site's MDX integration itself uses
 * (Sätteri, through @astrojs/mdx), so what is refused here is exactly what the build would
 * have run: text inside code fences or inline code stays text, and a `{` the parser reads as
 * an expression is an expression however it is spaced.
 *
 * The same check runs in the editor and in the build (src/news/safe-body-loader.ts), so a
 * file that reached `content/` another way cannot run either.
 */
import { htmlToHast, markdownToMdast, mdxToMdast } from 'satteri';
import { ALLOWED_COMPONENTS, type AllowedComponents } from './body-components.ts';
import {
  bodyParseProblem,
  FORBIDDEN_ATTRIBUTE_EXPRESSION,
  FORBIDDEN_ESM,
  FORBIDDEN_EVENT_ATTRIBUTE,
  FORBIDDEN_EXPRESSION,
  FORBIDDEN_FRAGMENT,
  FORBIDDEN_LINK,
  FORBIDDEN_TAG,
  UNKNOWN_COMPONENT,
} from './body-words.ts';

/** One reason a body is refused: the line in the file (1 = the first line) and what to change. */
export interface BodyProblem {
  readonly line: number;
  readonly message: string;
}

export type BodyFormat = 'md' | 'mdx';

/** Tags refused even where raw HTML is allowed (.md files): they run or embed another page. */
const DANGEROUS_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'style',
  'form',
  'svg',
  'math',
  'template',
  'portal',
]);

/** Attributes whose value is an address a browser follows or loads. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlinkhref',
  'xlink:href',
  'poster',
  'data',
  'srcset',
  'background',
  'cite',
  'ping',
]);

const DANGEROUS_SCHEMES = ['javascript:', 'vbscript:', 'data:'];

interface Point {
  line?: number;
}
interface TreeNode {
  type: string;
  name?: string | null;
  tagName?: string;
  value?: unknown;
  url?: string;
  attributes?: TreeNode[];
  properties?: Record<string, unknown>;
  children?: TreeNode[];
  position?: { start?: Point } | null;
}

const NAMED_REFERENCES: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', nbsp: ' ' };

/**
 * The address as a browser reads its scheme: character references decoded, and the tabs,
 * line breaks, spaces and control characters a browser skips removed, in lower case, so
 * `JaVa&#x09;Script:` and ` javascript:` are what they are.
 */
export function schemeOf(address: string): string {
  const decoded = address
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) =>
      String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)),
    )
    .replace(/&#(\d+);?/g, (_, digits: string) => String.fromCodePoint(Math.min(Number(digits), 0x10ffff)))
    .replace(/&(colon|tab|newline|nbsp);?/gi, (_, name: string) => NAMED_REFERENCES[name.toLowerCase()] ?? '');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what browsers drop here
  return decoded.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200d\ufeff]/g, '').toLowerCase();
}

/** Whether a browser would run or load the address as code or inline content. */
export function isDangerousAddress(address: string): boolean {
  const scheme = schemeOf(address);
  return DANGEROUS_SCHEMES.some((bad) => scheme.startsWith(bad));
}

/** `{/* … *\/}` is how MDX writes a comment: it runs nothing. */
function isOnlyComment(expression: string): boolean {
  const text = expression.trim();
  return text.startsWith('/*') && text.indexOf('*/') === text.length - 2 && text.length >= 4;
}

function lineOf(node: TreeNode, fallback: number): number {
  return node.position?.start?.line ?? fallback;
}

function attributeName(name: string): string {
  return name.toLowerCase();
}

function checkAttribute(name: string, value: unknown, line: number, problems: BodyProblem[]): void {
  const lowered = attributeName(name);
  if (lowered.startsWith('on')) problems.push({ line, message: FORBIDDEN_EVENT_ATTRIBUTE(line, name) });
  else if (URL_ATTRIBUTES.has(lowered)) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (typeof one === 'string' && isDangerousAddress(one)) {
        problems.push({ line, message: FORBIDDEN_LINK(line, one) });
      }
    }
  }
}

/** Raw HTML of a .md body: comments and plain tags are fine, what runs or embeds is not. */
function checkRawHtml(html: string, line: number, problems: BodyProblem[]): void {
  const walk = (node: TreeNode): void => {
    if (node.type === 'element' && node.tagName) {
      const tag = node.tagName.toLowerCase();
      if (DANGEROUS_TAGS.has(tag)) problems.push({ line, message: FORBIDDEN_TAG(line, tag) });
      for (const [name, value] of Object.entries(node.properties ?? {})) checkAttribute(name, value, line, problems);
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(htmlToHast(html, { fragment: true }) as unknown as TreeNode);
}

function checkJsx(node: TreeNode, line: number, problems: BodyProblem[], components: AllowedComponents): void {
  const name = node.name;
  if (name === null || name === undefined) {
    problems.push({ line, message: FORBIDDEN_FRAGMENT(line) });
    return;
  }
  const allowedAttributes = components.get(name);
  const allowedNames = [...components.keys()];
  if (!allowedAttributes) {
    const lowered = name.toLowerCase();
    problems.push({
      line,
      message: DANGEROUS_TAGS.has(lowered) ? FORBIDDEN_TAG(line, lowered) : UNKNOWN_COMPONENT(line, name, allowedNames),
    });
  }
  for (const attribute of node.attributes ?? []) {
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      problems.push({ line, message: FORBIDDEN_ATTRIBUTE_EXPRESSION(line) });
      continue;
    }
    const attributeNameText = attribute.name ?? '';
    const value = attribute.value;
    if (value !== null && typeof value === 'object') {
      problems.push({ line, message: FORBIDDEN_ATTRIBUTE_EXPRESSION(line) });
    }
    checkAttribute(attributeNameText, value, line, problems);
    if (
      allowedAttributes &&
      !allowedAttributes.includes(attributeNameText) &&
      !attributeName(attributeNameText).startsWith('on')
    ) {
      problems.push({ line, message: UNKNOWN_COMPONENT(line, `${name} ${attributeNameText}=…`, allowedNames) });
    }
  }
}

function walkTree(node: TreeNode, parentLine: number, problems: BodyProblem[], components: AllowedComponents): void {
  const line = lineOf(node, parentLine);
  switch (node.type) {
    case 'mdxjsEsm':
      problems.push({ line, message: FORBIDDEN_ESM(line) });
      break;
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      if (!isOnlyComment(typeof node.value === 'string' ? node.value : ''))
        problems.push({ line, message: FORBIDDEN_EXPRESSION(line) });
      break;
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement':
      checkJsx(node, line, problems, components);
      break;
    case 'link':
    case 'image':
    case 'definition':
      if (typeof node.url === 'string' && isDangerousAddress(node.url)) {
        problems.push({ line, message: FORBIDDEN_LINK(line, node.url) });
      }
      break;
    case 'html':
      if (typeof node.value === 'string') checkRawHtml(node.value, line, problems);
      break;
    default:
      break;
  }
  for (const child of node.children ?? []) walkTree(child, line, problems, components);
}

const PARSE_ERROR_POSITION = /^(\d+):(\d+)/;

/**
 * The problems of a whole file as written (front matter included, so lines are the file's
 * own), in the order they appear. An empty list means the body may be built. `components`:
 * where it is rendered (ARTICLE_COMPONENTS for news, PAGE_COMPONENTS for pages).
 */
export function findBodyProblems(
  source: string,
  format: BodyFormat = 'mdx',
  components: AllowedComponents = ALLOWED_COMPONENTS,
): BodyProblem[] {
  let tree: TreeNode;
  try {
    tree = (format === 'mdx' ? mdxToMdast(source) : markdownToMdast(source)) as unknown as TreeNode;
  } catch (error) {
    // The parser says where it stopped ("14:1: Unexpected character…"); the build would stop
    // there too, with an English message an editor cannot act on.
    const message = error instanceof Error ? error.message : String(error);
    const match = PARSE_ERROR_POSITION.exec(message);
    const line = match ? Number(match[1]) : 1;
    return [{ line, message: bodyParseProblem(line, message) }];
  }
  const problems: BodyProblem[] = [];
  walkTree(tree, 1, problems, components);
  return problems.sort((a, b) => a.line - b.line);
}

/** The format a content file's name says. */
export function bodyFormatOf(fileName: string): BodyFormat | undefined {
  if (/\.mdx$/i.test(fileName)) return 'mdx';
  if (/\.md$/i.test(fileName)) return 'md';
  return undefined;
}
