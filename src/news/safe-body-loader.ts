/**
 * The build's side of "no code from editors" (src/news/body-safety.ts): a content loader
 * that checks every .md and .mdx file of its folder before the loader it wraps reads them,
 * so `astro sync` and `astro build` stop, naming the file and the line, before MDX compiles
 * (and would run) anything. Every file is checked on every load, including those the content
 * cache would skip as unchanged, and a file changed while `astro dev` runs is checked before
 * its entry is stored.
 */
import { readdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { bodyFormatOf, findBodyProblems } from './body-safety.ts';
import { ALLOWED_COMPONENTS, type AllowedComponents } from './body-components.ts';
import { bodyRefusedMessage } from './body-words.ts';
import { ContentYamlError, parseContentYaml } from '../shared/safe-yaml.ts';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/** The front matter's own refusal (bad YAML, aliases), before Astro's reader expands anything. */
function frontMatterRefusal(shownName: string, text: string): string | undefined {
  const match = FRONT_MATTER.exec(text);
  if (!match) return undefined;
  try {
    // Line numbers count from the file's first line, the "---" before the front matter.
    parseContentYaml(`\n${match[1] ?? ''}`, shownName);
    return undefined;
  } catch (error) {
    if (error instanceof ContentYamlError) return error.message;
    throw error;
  }
}

/** The Vietnamese error for a file's text, or undefined when it may be built. */
export function refusalOf(
  shownName: string,
  text: string,
  components: AllowedComponents = ALLOWED_COMPONENTS,
): string | undefined {
  const format = bodyFormatOf(shownName);
  if (!format) return undefined;
  const frontMatter = frontMatterRefusal(shownName, text);
  if (frontMatter) return frontMatter;
  const problems = findBodyProblems(text, format, components);
  return problems.length === 0 ? undefined : bodyRefusedMessage(shownName, problems);
}

async function bodyFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile() && bodyFormatOf(entry.name) !== undefined)
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every refusal in a folder, one message per refused file (empty when all may be built). */
export async function refusalsUnder(
  folder: string,
  root: string,
  components: AllowedComponents = ALLOWED_COMPONENTS,
): Promise<string[]> {
  const refusals: string[] = [];
  for (const path of await bodyFilesUnder(folder)) {
    const refusal = refusalOf(relative(root, path), await readFile(path, 'utf8'), components);
    if (refusal) refusals.push(refusal);
  }
  return refusals;
}

/** `loader`, with every body of `base` (relative to the project) checked first, `components` allowed in them. */
export function safeBodies(loader: Loader, base: string, components: AllowedComponents): Loader {
  return {
    ...loader,
    name: `${loader.name}-safe-bodies`,
    load: async (context: LoaderContext) => {
      const root = fileURLToPath(context.config.root);
      const refusals = await refusalsUnder(resolve(root, base), root, components);
      if (refusals.length > 0) throw new Error(refusals.join('\n'));
      const parseData: LoaderContext['parseData'] = (props) => {
        if (props.filePath) {
          const refusal = refusalOf(relative(root, props.filePath), readFileSync(props.filePath, 'utf8'), components);
          if (refusal) throw new Error(refusal);
        }
        return context.parseData(props);
      };
      return loader.load({ ...context, parseData });
    },
  };
}
