/** Starts the built site for the browser tests and hands its address to them. */
import type { TestProject } from 'vitest/node';
import { startSite } from '../../scripts/start-site.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let stop: (() => Promise<void>) | undefined;

export async function setup(project: TestProject): Promise<void> {
  const site = await startSite();
  stop = site.stop;
  project.provide('baseUrl', site.url);
}

export async function teardown(): Promise<void> {
  await stop?.();
}
