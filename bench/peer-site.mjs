// The Astro blog starter (examples/blog of withastro/astro, MIT), built and served
// the way a static host would serve it, for `npm run bench:lighthouse -- --peer`.
// Its files as published are outside the repository (PEER_SOURCE, by default
// ../shared/peers/astro-blog/ beside the project); they are copied to a temporary
// folder, installed from the registry and built there, never into the project.
import { spawnSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_SOURCE = resolve(root, '../shared/peers/astro-blog');

/** What a static host sends for the starter's files (HTML, CSS, scripts, its fonts and images). */
const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
});

/**
 * Copies, installs and builds the starter in a temporary folder.
 * @param {string} [source] the starter's files as published
 * @returns {{ dir: string, dist: string, remove: () => void }}
 */
export function buildPeer(source = process.env.PEER_SOURCE ?? DEFAULT_SOURCE) {
  if (!existsSync(join(source, 'package.json'))) {
    throw new Error(`The Astro blog starter is not at ${source} (set PEER_SOURCE to its folder)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-astro-blog-'));
  cpSync(source, dir, { recursive: true, filter: (path) => !/[\\/](node_modules|dist|\.astro)$/.test(path) });
  // npm as this run's npm (npm_execpath under `npm run`), on this Node.
  const npm = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath]]
    : ['npm', /** @type {string[]} */ ([])];
  const run = (/** @type {string} */ command, /** @type {string[]} */ args) => {
    const result = spawnSync(command, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      maxBuffer: 1 << 26,
    });
    if (result.status !== 0) {
      throw new Error(
        `${args.join(' ')} failed in ${dir}:\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`,
      );
    }
  };
  const [npmCommand, npmArgs] = /** @type {[string, string[]]} */ (npm);
  run(npmCommand, [...npmArgs, 'install', '--no-audit', '--no-fund', '--loglevel=error']);
  run(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--silent']);
  return { dir, dist: join(dir, 'dist'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A static file server on loopback with gzip (the `compression` middleware, as
 * most hosts compress text on the fly): directory paths answer their index.html.
 * @param {string} dist
 * @param {{ brotli?: boolean }} [options] brotli beside gzip, for comparing builds of this site
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function servePeer(dist, { brotli = false } = {}) {
  const gzip = compression({ threshold: 0, brotli: { enabled: brotli } });
  const server = createServer((request, response) => {
    gzip(/** @type {any} */ (request), /** @type {any} */ (response), () => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://peer').pathname);
      let file = normalize(join(dist, path));
      if (!file.startsWith(dist)) return void response.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        response.writeHead(404, { 'content-type': TYPES['.html'] });
        return void createReadStream(join(dist, '404.html'))
          .on('error', () => response.end())
          .pipe(response);
      }
      const hashed = path.startsWith('/_astro/');
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      });
      createReadStream(file).pipe(response);
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}
