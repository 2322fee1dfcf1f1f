// Starts the built site: Astro's Node adapter (standalone handler: static
// files and on-demand routes) behind a thin layer that adds the security
// headers every response must carry. Run `npm run build` first.
import http from 'node:http';
import { existsSync } from 'node:fs';
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

const server = http.createServer((req, res) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
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
