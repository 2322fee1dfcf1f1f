// Starts the built site: static files with caching and precompressed copies,
// Astro's Node adapter (standalone handler) for on-demand routes, and the
// security headers every response must carry. Run `npm run build` first.
import http from 'node:http';
import compression from 'compression';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DB_PATH, SignupStore } from './src/signup/store.ts';

const entry = new URL('./dist/server/entry.mjs', import.meta.url);
if (!existsSync(entry)) {
  console.error('dist/server/entry.mjs is missing: run `npm run build` before `npm start`.');
  process.exit(1);
}

// The adapter would start its own server on import; this file owns the port instead.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import(entry.href);

const port = Number(process.env.PORT ?? 4321);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got "${process.env.PORT}"`);
  process.exit(1);
}

const rateLimit = process.env.SIGNUP_RATE_LIMIT;
if (rateLimit !== undefined && !(Number.isInteger(Number(rateLimit)) && Number(rateLimit) > 0)) {
  console.error(
    `SIGNUP_RATE_LIMIT must be a whole number above 0 (sign-ups per address per 10 minutes), got "${rateLimit}"`,
  );
  process.exit(1);
}

// Open the sign-up database once before taking requests: migrations run now,
// and a path that cannot be written stops the server with a clear message
// instead of failing the first person who signs up.
const dbPath = process.env.SIGNUP_DB || DEFAULT_DB_PATH;
try {
  const store = new SignupStore(dbPath);
  console.log(`Sign-ups are stored in ${dbPath} (schema version ${store.schemaVersion})`);
  store.close();
} catch (error) {
  console.error(`${error.message}. Set SIGNUP_DB to a file the server can write.`);
  process.exit(1);
}

// Each page carries its full policy (script and style hashes) in a <meta>
// written by Astro's security.csp. This header adds what a <meta> cannot
// express (frame-ancestors) and holds for every response. Browsers enforce
// both policies, so it must not restrict scripts or styles itself.
const HEADER_CSP = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': HEADER_CSP,
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Location stays allowed for this site: "find the nearest drive" asks for it.
  'Permissions-Policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

// Static files are sent from here, not by the adapter, to control caching
// and to send the brotli or gzip copies the build made (name.br, name.gz):
// no static file is compressed per request. Everything else (on-demand pages, the
// sign-up actions, 404s, trailing-slash redirects) goes to Astro's handler.
const client = fileURLToPath(new URL('./dist/client/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** How long a file may be reused: hashed assets for a year, pages after checking, the rest for a while. */
function cacheControl(path) {
  if (path.startsWith('/_astro/')) return 'public, max-age=31536000, immutable';
  if (path.endsWith('.html')) return 'public, max-age=0, must-revalidate';
  return 'public, max-age=3600, must-revalidate';
}

/** The file a URL path names in the build, or null: /tin-tuc/ is /tin-tuc/index.html. */
function staticFile(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const candidate = path.endsWith('/') ? `${path}index.html` : path;
  const file = normalize(join(client, candidate));
  if (!file.startsWith(client) || !TYPES[extname(file)]) return null;
  try {
    const stats = statSync(file);
    return stats.isFile() ? { file, path: candidate, stats } : null;
  } catch {
    return null;
  }
}

function sendStatic(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const found = staticFile(pathname);
  if (!found) return false;
  const { file, path, stats } = found;
  const etag = `W/"${stats.size.toString(36)}-${Math.round(stats.mtimeMs).toString(36)}"`;
  res.setHeader('Content-Type', TYPES[extname(file)]);
  res.setHeader('Cache-Control', cacheControl(path));
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', stats.mtime.toUTCString());
  const compressible = existsSync(`${file}.br`) || existsSync(`${file}.gz`);
  if (compressible) res.setHeader('Vary', 'Accept-Encoding');
  const since = req.headers['if-modified-since'];
  const unchanged = req.headers['if-none-match']
    ? req.headers['if-none-match'].split(/\s*,\s*/).includes(etag)
    : since !== undefined && Date.parse(since) >= Math.floor(stats.mtimeMs / 1000) * 1000;
  if (unchanged) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  let body = file;
  const accepted = String(req.headers['accept-encoding'] ?? '');
  for (const [encoding, suffix] of ENCODINGS) {
    if (accepted.includes(encoding) && existsSync(file + suffix)) {
      res.setHeader('Content-Encoding', encoding);
      body = file + suffix;
      break;
    }
  }
  res.setHeader('Content-Length', statSync(body).size);
  if (req.method === 'HEAD') res.end();
  else createReadStream(body).pipe(res);
  return true;
}

// On-demand pages (sign-up, its answers) cannot be compressed at build time.
// They are compressed as they are sent, above 1 kB: brotli at quality 4 (the
// library's default) or gzip.
const compressOnTheFly = compression();

const server = http.createServer((req, res) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (sendStatic(req, res)) return;
  compressOnTheFly(req, res, () => handler(req, res));
});

server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
  console.log(`Serving the site on http://${shown}/`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
