/**
 * Which build the server serves: the last one published from the console, named in
 * PUBLISH_DIR/current.json (src/editor/publisher.ts writes it), else SITE_DIST. Small and
 * without the publisher, for the reminders and the command line, which read its drives.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CURRENT_FILE = 'current.json';

export interface CurrentBuild {
  /** The build folder (absolute): client/ and server/entry.mjs. */
  dist: string;
  commit: string;
  builtAt: string;
  by: string;
}

export function readCurrentBuild(publishDir: string): CurrentBuild | undefined {
  try {
    const current = JSON.parse(readFileSync(join(publishDir, CURRENT_FILE), 'utf8')) as Partial<CurrentBuild>;
    if (typeof current.dist !== 'string' || !existsSync(join(current.dist, 'server', 'entry.mjs'))) return undefined;
    return {
      dist: current.dist,
      commit: String(current.commit ?? ''),
      builtAt: String(current.builtAt ?? ''),
      by: String(current.by ?? ''),
    };
  } catch {
    return undefined;
  }
}

/** The build the server serves: the last one published from the console, else SITE_DIST. */
export function servedDist(settings: { siteDist: string; content: { publishDir: string } }): string {
  return readCurrentBuild(resolve(settings.content.publishDir))?.dist ?? resolve(settings.siteDist);
}
