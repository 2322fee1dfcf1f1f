/**
 * The HTTP server of `npm start`: the build's static files, then Astro's
 * handler for on-demand routes, each response with the security headers.
 * Every request is answered inside one try: a bad request gets 400, our own
 * failure 500 and one log line without personal data; limits apply before
 * anything is read; SIGTERM finishes what is in flight.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import compression from 'compression';
import { applySecurityHeaders, CONSOLE_HEADERS, SECURITY_HEADERS } from './headers.ts';
import { requestOrigin, requestPath } from './forwarded.ts';
import { maxBodyBytes, TIMEOUTS } from './limits.ts';
import { sendStaticFile } from './static-files.ts';
import { holdHtmlForGzip } from './answer-compression.ts';
import { actionBelongsTo } from '../actions/pages.ts';
import type { OwnRouteRequest } from '../reminders/stop-route.ts';
import { log } from '../shared/log.ts';

export type SiteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface SiteServerOptions {
  /** Astro's Node handler (dist/server/entry.mjs, the adapter in its middleware mode). */
  handler: SiteHandler;
  /** dist/client/ */
  clientDir: string;
  trustProxy: boolean;
  /**
   * Routes the server answers itself, before Astro's handler (and its origin
   * check): each returns true when it answered. The one-click stop of
   * reminders (src/reminders/stop-route.ts) is one.
   */
  ownRoutes?: readonly ((request: OwnRouteRequest, res: ServerResponse) => Promise<boolean>)[];
}

const PLAIN = { 'Content-Type': 'text/plain; charset=utf-8' };
export const CROSS_SITE_POST =
  'Biểu mẫu chỉ được nhận khi gửi từ chính trang web này. Xin mở lại trang, điền và gửi lại (403).';

/** This site's origin as the browser sees it (behind the proxy: the forwarded scheme and host). */
function sameOrigin(origin: { protocol: string; host?: string | undefined }): string | undefined {
  return URL.parse(`${origin.protocol}://${origin.host ?? ''}`)?.origin;
}
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * The request body, 'too-large' as soon as it passes `limit` bytes (the rest
 * is never read), or 'gone' when the client left (or timed out) before the end.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // A client that leaves or resets mid-body is no failure of ours: nothing to answer, nothing to log.
    req.once('close', () => resolve('gone'));
    req.once('error', () => resolve('gone'));
  });
}

function refuse(res: ServerResponse, status: number, message: string, close = false): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...PLAIN, 'Cache-Control': 'no-store', ...(close ? { Connection: 'close' } : {}) });
  res.end(`${message}\n`);
}

/**
 * What Astro's handler reads of the connection: whether it is TLS (for the
 * page's URL, so the origin check compares https with https) and the
 * client's address (for rate limits). Behind the proxy these come from
 * forwarded headers, so this one request sees a view of its socket that says
 * so; everything else goes to the real socket.
 */
function socketView(socket: Socket, encrypted: boolean, remoteAddress: string): Socket {
  return new Proxy(socket, {
    // Astro asks `"encrypted" in socket` before reading it.
    has(target, property) {
      return property === 'encrypted' || property === 'remoteAddress' || Reflect.has(target, property);
    },
    get(target, property) {
      if (property === 'encrypted') return encrypted;
      if (property === 'remoteAddress') return remoteAddress;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** On-demand answers are compressed as they are sent, above 1 kB: brotli at quality 4 or gzip. */
// Typed as the plain Node middleware it is (its types speak of Express).
const compressOnTheFly = compression() as unknown as (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export function createSiteServer(options: SiteServerOptions): {
  server: http.Server;
  shutdown: () => Promise<void>;
  /**
   * Serves another build from the next request on (a publish, src/editor/publisher.ts):
   * requests already started finish on the build they began with.
   */
  serve: (handler: SiteHandler, clientDir: string) => void;
} {
  const { trustProxy, ownRoutes = [] } = options;
  let site = { handler: options.handler, clientDir: options.clientDir };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { handler, clientDir } = site;
    applySecurityHeaders(res);
    // After SIGTERM a kept-alive connection ends with this answer.
    if (closing) res.setHeader('Connection', 'close');
    const path = requestPath(req.url);
    const origin = requestOrigin({ trustProxy, peerAddress: req.socket.remoteAddress, headers: req.headers });
    // Two Host headers name two sites; Node would quietly keep the first.
    const hosts = req.rawHeaders.filter((value, index) => index % 2 === 0 && value.toLowerCase() === 'host');
    if (path === null || origin.host === undefined || hosts.length > 1) {
      refuse(res, 400, 'Yêu cầu không hợp lệ (400).', true);
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    const bodyLimit = maxBodyBytes(path.split(/[?#]/, 1)[0] ?? '/');
    if (!Number.isFinite(length) || length > bodyLimit) {
      // Not read: the connection closes after this answer.
      refuse(res, 413, 'Nội dung gửi lên quá lớn (413).', true);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      res.setHeader('Allow', 'GET, HEAD, POST');
      refuse(res, 405, 'Phương thức này không được hỗ trợ (405).', true);
      return;
    }
    if (req.method === 'POST') {
      // Every form of the site posts one of these; anything else is not ours to parse.
      const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
      if (!FORM_TYPES.has(type)) {
        refuse(res, 415, 'Chỉ nhận dữ liệu gửi từ biểu mẫu của trang (415).', true);
        return;
      }
      // Read here, to the limit, whether sent with a length or in chunks: the
      // adapter then takes the bytes as they are instead of reading the stream.
      const body = await readBody(req, bodyLimit);
      if (body === 'too-large') {
        refuse(res, 413, 'Nội dung gửi lên quá lớn (413).', true);
        return;
      }
      if (body === 'gone') return;
      (req as IncomingMessage & { body?: Buffer }).body = body;
    }
    const query = path.indexOf('?');
    const own: OwnRouteRequest = {
      method: req.method ?? 'GET',
      pathname: path.split(/[?#]/, 1)[0] ?? '/',
      query: new URLSearchParams(query === -1 ? '' : path.slice(query + 1).split('#', 1)[0]),
      contentType: req.headers['content-type'] ?? '',
      body: (req as IncomingMessage & { body?: Buffer }).body,
      clientAddress: origin.clientAddress,
    };
    for (const route of ownRoutes) if (await route(own, res)) return;
    // The same check as Astro's checkOrigin (which stays behind it), answered in Vietnamese: a
    // form is taken only from a page of this site, as the browser says in Origin.
    if (req.method === 'POST' && URL.parse(req.headers.origin ?? '')?.origin !== sameOrigin(origin)) {
      refuse(res, 403, CROSS_SITE_POST);
      return;
    }
    // A form action runs only where its form posts: elsewhere Astro would run
    // it and show a page that says nothing of the outcome.
    const action = query === -1 ? null : new URLSearchParams(path.slice(query + 1)).get('_action');
    if (action !== null && !actionBelongsTo(action, path.slice(0, query))) {
      refuse(res, 404, 'Không có biểu mẫu này ở địa chỉ này (404).');
      return;
    }
    // Only the values this server decided on reach the site's handler.
    req.url = path;
    req.headers.host = origin.host;
    for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']) {
      Reflect.deleteProperty(req.headers, name);
    }
    if (origin.forwarded) req.socket = socketView(req.socket, origin.protocol === 'https', origin.clientAddress);

    const pathname = path.split(/[?#]/, 1)[0] ?? '/';
    if (pathname.startsWith('/to-chuc/')) {
      for (const [name, value] of Object.entries(CONSOLE_HEADERS)) res.setHeader(name, value);
    }
    if (await sendStaticFile(req, res, clientDir, pathname)) return;
    await new Promise<void>((resolve, reject) => {
      res.once('close', resolve);
      compressOnTheFly(req, res, (error?: unknown) => {
        if (error) {
          reject(error instanceof Error ? error : new Error('nén dữ liệu thất bại'));
          return;
        }
        // Over the compressor: an HTML answer goes out in gzip with its stylesheet's share made once.
        holdHtmlForGzip(req, res);
        new Promise<void>((done) => done(handler(req, res))).catch(reject);
      });
    });
  }

  const server = http.createServer(
    {
      requireHostHeader: true,
      maxHeaderSize: 16 * 1024,
      headersTimeout: TIMEOUTS.headers,
      requestTimeout: TIMEOUTS.request,
      // Node checks both only this often (30 s by default): a trickled header got its 408
      // after up to 40 s. Checked every second, 408 comes within about a second of the limit.
      connectionsCheckingInterval: TIMEOUTS.checkEvery,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        // The route and the error's name, never the request's data.
        const route = (req.url ?? '').split('?', 1)[0]?.slice(0, 200);
        log.error(
          `yêu cầu thất bại: ${req.method} ${route}: ${error instanceof Error ? error.message : 'lỗi không rõ'}`,
        );
        refuse(res, 500, 'Máy chủ gặp lỗi. Xin thử lại sau ít phút (500).');
      });
    },
  );
  server.keepAliveTimeout = TIMEOUTS.keepAlive;
  server.maxHeadersCount = 100;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || socket.destroyed) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 ${status}\r\n${headers.join('')}Connection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  // Expect: anything but 100-continue. Node would answer 417 itself, without the headers.
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    applySecurityHeaders(res);
    refuse(res, 417, 'Yêu cầu không hợp lệ (417).', true);
  });

  let closing: Promise<void> | undefined;
  /** Stops taking connections, lets requests in flight finish (TIMEOUTS.shutdown at most). */
  const shutdown = () =>
    (closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), TIMEOUTS.shutdown);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    }));
  const serve = (handler: SiteHandler, clientDir: string) => {
    site = { handler, clientDir };
  };
  return { server, shutdown, serve };
}
