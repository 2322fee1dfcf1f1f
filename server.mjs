// Starts the built site: Astro's Node adapter (standalone handler: static
// files and on-demand routes) behind a thin layer that adds the security
// headers every response must carry. Run `npm run build` first.
import http from 'node:http';
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

// Files the build compressed ahead of time (name.br, name.gz beside name) are
// sent compressed to browsers that accept it; everything else goes to Astro.
const client = fileURLToPath(new URL('./dist/client/', import.meta.url));
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

function sendPrecompressed(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const type = TYPES[extname(path)];
  if (!type) return false;
  const file = normalize(join(client, path));
  if (!file.startsWith(client)) return false;
  const accepted = String(req.headers['accept-encoding'] ?? '');
  for (const [encoding, suffix] of ENCODINGS) {
    if (!accepted.includes(encoding) || !existsSync(file + suffix)) continue;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Content-Length', statSync(file + suffix).size);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file + suffix).pipe(res);
    return true;
  }
  return false;
}

const server = http.createServer((req, res) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (sendPrecompressed(req, res)) return;
  handler(req, res);
});

server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
  console.log(`Serving the site on http://${shown}/`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
