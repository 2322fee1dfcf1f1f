/**
 * Starts the built site with `npm start`'s own entry (server.mjs) on a free
 * loopback port, hands its address to the tests, and stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = resolve(import.meta.dirname, '../..');
let server: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!existsSync(resolve(root, 'dist/server/entry.mjs'))) {
    throw new Error('The site is not built: run `npm run build` before the browser tests (`npm test` does both).');
  }
  server = spawn(process.execPath, ['server.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('server.mjs did not start within 20 s')), 20_000);
    let output = '';
    server?.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Serving the site on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1].replace(/\/$/, ''));
      }
    });
    server?.on('exit', (code) => reject(new Error(`server.mjs exited with code ${code}: ${output}`)));
  });
  project.provide('baseUrl', baseUrl);
}

export async function teardown(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((done) => server?.once('exit', done));
  server.kill('SIGTERM');
  await exited;
}
