/**
 * Sending the build's files: long caching for hashed assets, revalidation for
 * pages, ETag/Last-Modified 304s, and the brotli or gzip copy the build made
 * (name.br, name.gz), so no static file is compressed per request. A file
 * that vanishes or fails while being read (a rebuild) ends that one response,
 * never the server; an aborted download closes its file.
 */
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { log } from '../shared/log.ts';

/** The content type of each kind of file the build writes; other files are not served from here. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
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

/** Errors that only say the reader left before the file was sent. */
const CLIENT_GONE = new Set([
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_UNABLE_TO_PIPE',
  'ERR_STREAM_DESTROYED',
  'EPIPE',
  'ECONNRESET',
]);

const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/** How long a file may be reused: hashed assets for a year, pages after checking, the rest for a while. */
export function cacheControl(path: string): string {
  if (path.startsWith('/_astro/')) return 'public, max-age=31536000, immutable';
  // Checked on every visit: a new build's worker and manifest take over without waiting for a cache.
  if (path === '/sw.js' || path.endsWith('.webmanifest')) return 'no-cache';
  if (path.endsWith('.html')) return 'public, max-age=0, must-revalidate';
  return 'public, max-age=3600, must-revalidate';
}

/**
 * The file a URL path names under `root`, or null: /tin-tuc/ is
 * /tin-tuc/index.html; nothing outside `root`, no NUL, no unknown type.
 */
export function staticFilePath(root: string, pathname: string): { file: string; path: string } | null {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const candidate = path.endsWith('/') ? `${path}index.html` : path;
  const base = root.endsWith(sep) ? root : root + sep;
  const file = normalize(join(base, candidate));
  if (!file.startsWith(base) || !CONTENT_TYPES[extname(file)]) return null;
  return { file, path: candidate };
}

function unchanged(req: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const match = req.headers['if-none-match'];
  if (match) return match.split(/\s*,\s*/).includes(etag);
  const since = req.headers['if-modified-since'];
  return since !== undefined && Date.parse(since) >= Math.floor(mtimeMs / 1000) * 1000;
}

/** Sends the file for a GET or HEAD if the build has one; false to let the site's handler answer. */
export async function sendStaticFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  pathname: string,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const found = staticFilePath(root, pathname);
  if (!found) return false;
  // Synchronous: a stat of a local file is cheaper than a trip through the thread pool,
  // and most on-demand requests end here with "no such file".
  let stats;
  try {
    stats = statSync(found.file);
  } catch {
    return false;
  }
  if (!stats.isFile()) return false;

  const etag = `W/"${stats.size.toString(36)}-${Math.round(stats.mtimeMs).toString(36)}"`;
  let body = found.file;
  let encoding: string | undefined;
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const copies = ENCODINGS.filter(([, suffix]) => existsSync(found.file + suffix));
  for (const [name, suffix] of copies) {
    if (accepted.includes(name)) {
      body = found.file + suffix;
      encoding = name;
      break;
    }
  }
  // Opened before any header is sent: a file gone in a rebuild falls through to the site's 404.
  const handle = await open(body).catch(() => null);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    res.setHeader('Content-Type', CONTENT_TYPES[extname(found.file)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', cacheControl(found.path));
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', stats.mtime.toUTCString());
    if (copies.length > 0) res.setHeader('Vary', 'Accept-Encoding');
    if (unchanged(req, etag, stats.mtimeMs)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Length', size);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    // pipeline closes the file when the download is aborted or reading fails.
    // A reader who left is nothing to log; a file that fails while being read is.
    await pipeline(handle.createReadStream({ autoClose: true }), res).catch((error: NodeJS.ErrnoException) => {
      if (!CLIENT_GONE.has(error.code ?? '')) log.error(`không gửi được tệp tĩnh: ${error.code ?? error.message}`);
      res.destroy();
    });
    return true;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
