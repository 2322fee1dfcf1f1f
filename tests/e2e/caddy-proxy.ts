/**
 * The deployment kit's Caddyfile (deploy/Caddyfile) in front of a test server, as the IT officer
 * runs it: Debian's Caddy ends TLS with its internal CA for localhost and passes requests on to
 * `npm start` (which the tests start with TRUST_PROXY=1). Every route's test behind the proxy
 * starts it here; .ci/run installs Caddy as it installs Chromium.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const CADDYFILE = resolve(import.meta.dirname, '../../deploy/Caddyfile');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request through the proxy, its test certificate unchecked. The Origin is the proxy's and
 * the body a form's unless `headers` say otherwise.
 */
export function sendThrough(
  origin: string,
  method: string,
  path: string,
  body: string | Buffer = '',
  headers: Record<string, string> = {},
): Promise<ProxyAnswer> {
  return new Promise((done, fail) => {
    const req = request(
      `${origin}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          Origin: origin,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Signs in at the console through the proxy; the session cookie (name=value), or '' when refused. */
export async function signInThrough(origin: string, username: string, password: string): Promise<string> {
  const answer = await sendThrough(
    origin,
    'POST',
    '/to-chuc/dang-nhap/',
    new URLSearchParams({ username, password }).toString(),
  );
  const set = answer.headers['set-cookie'];
  return ((Array.isArray(set) ? set[0] : set) ?? '').split(';', 1)[0] ?? '';
}

export interface CaddyProxy {
  /** https://localhost:<port>, with no trailing slash. */
  origin: string;
  httpPort: number;
  httpsPort: number;
  /** What Caddy printed so far. */
  log: () => string;
  stop: () => void;
}

/**
 * Starts Caddy in front of the server on `upstreamPort`, keeping its certificates and state in
 * `folder`, and waits until the site's home page answers through it. A test that needs the
 * proxy's address before the server starts (a browser set up at load) chooses the ports.
 */
export async function startCaddy(
  upstreamPort: number,
  folder: string,
  ports: { httpsPort?: number; httpPort?: number } = {},
): Promise<CaddyProxy> {
  if (spawnSync('caddy', ['version']).status !== 0) {
    throw new Error('Caddy is missing: `apt-get install caddy` (Debian package), as .ci/run does.');
  }
  const state = join(folder, 'caddy');
  mkdirSync(state, { recursive: true });
  const httpsPort = ports.httpsPort ?? (await freePort());
  const httpPort = ports.httpPort ?? (await freePort());
  const origin = `https://localhost:${httpsPort}`;
  const caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      HOME: state,
      XDG_DATA_HOME: join(state, 'data'),
      XDG_CONFIG_HOME: join(state, 'config'),
      SITE_ADDRESS: origin,
      UPSTREAM: `127.0.0.1:${upstreamPort}`,
      CADDY_ADMIN: `127.0.0.1:${await freePort()}`,
      CADDY_HTTP_PORT: String(httpPort),
      CADDY_HTTPS_PORT: String(httpsPort),
      // A test must not add Caddy's CA to the machine's trust store.
      CADDY_EXTRA_GLOBAL_OPTIONS: 'skip_install_trust',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  caddy.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  caddy.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (let tries = 0; ; tries += 1) {
    const up = await sendThrough(origin, 'GET', '/').catch(() => undefined);
    if (up?.status === 200) break;
    if (tries > 100 || caddy.exitCode !== null) {
      caddy.kill('SIGTERM');
      throw new Error(`Caddy did not come up:\n${log}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  return { origin, httpPort, httpsPort, log: () => log, stop: () => caddy.kill('SIGTERM') };
}
