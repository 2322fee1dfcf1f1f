// Starts the built site through src/server/main.ts (what `npm start` runs) on a free
// loopback port, for the browser tests and the benchmarks.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * The server's Node flags and script, from `npm start` (package.json): the browser tests and the
 * benchmarks run the server as the deployment does (deploy/hien-mau.service, checked against it by
 * tests/unit/deploy-kit.test.ts).
 */
const START_SCRIPT = /"start": "node ([^"]+)"/.exec(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
if (!START_SCRIPT?.[1]) throw new Error('package.json has no "start": "node …" script to start the server with');
const SERVER_ARGUMENTS = START_SCRIPT[1].split(/\s+/);

/**
 * @param {Record<string, string>} [env] extra environment for the server
 * @returns {Promise<{ url: string, port: number, pid: number, output: () => string, stop: () => Promise<number | null>, kill: () => Promise<void> }>}
 *   url has no trailing slash; output() is what the server printed so far; stop() sends
 *   SIGTERM and resolves with the exit code; kill() ends the server at once (SIGKILL), as a crash would
 */
export async function startSite(env = {}) {
  const dist = env.SITE_DIST ?? process.env.SITE_DIST ?? 'dist';
  if (!existsSync(new URL(`../${dist}/server/entry.mjs`, import.meta.url))) {
    throw new Error(
      `The site is not built in ${dist}/: run \`npm run build\` (dist/) or \`node scripts/fixture-site.mjs\` (dist-test/) first; \`npm test\` does both.`,
    );
  }
  const server = spawn(process.execPath, SERVER_ARGUMENTS, {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ASTRO_NODE_LOGGING: 'disabled', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The server prints Vietnamese: decoded as a stream, a letter split between two chunks stays whole.
  server.stdout.setEncoding('utf8');
  server.stderr.setEncoding('utf8');
  let output = '';
  server.stderr.on('data', (/** @type {string} */ chunk) => {
    output += chunk;
    process.stderr.write(chunk);
  });
  /** @type {string} */
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20_000);
    server.stdout.on('data', (/** @type {string} */ chunk) => {
      output += chunk;
      // A plain line on a terminal, the "msg" of a JSON line otherwise (src/shared/log.ts).
      const match = /Đang phục vụ trang web tại (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code}: ${output}`));
    });
  });
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return server.exitCode;
    /** @type {Promise<number | null>} */
    const exited = new Promise((done) => server.once('exit', (code) => done(code)));
    server.kill('SIGTERM');
    return exited;
  };
  const kill = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    /** @type {Promise<void>} */
    const exited = new Promise((done) => server.once('exit', () => done()));
    server.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    port: Number(new URL(url).port),
    pid: /** @type {number} */ (server.pid),
    output: () => output,
    stop,
    kill,
  };
}
