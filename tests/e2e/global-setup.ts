/**
 * Starts the built test site for the browser tests and hands its address to them,
 * with a sign-up database of its own in a temporary folder (never data/).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    signupDb: string;
  }
}

let stop: (() => Promise<unknown>) | undefined;
let folder: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  folder = await mkdtemp(join(tmpdir(), 'e2e-signups-'));
  const signupDb = join(folder, 'signups.sqlite');
  // Every test posts from 127.0.0.1: the per-address limits are tested on servers of their own.
  // The test site, never the real content (scripts/fixture-site.mjs builds it).
  const site = await startSite({
    SIGNUP_DB: signupDb,
    SIGNUP_RATE_LIMIT: '100000',
    LOGIN_RATE_LIMIT: '100000',
    SITE_DIST: FIXTURE_DIST,
  });
  stop = site.stop;
  project.provide('baseUrl', site.url);
  project.provide('signupDb', signupDb);
}

export async function teardown(): Promise<void> {
  await stop?.();
  if (folder) await rm(folder, { recursive: true, force: true });
}
