/**
 * On-demand HTML answers (a sign-up's confirmation, the console's pages) in gzip, with the
 * inline stylesheet's share of the work done once. Every page carries the site's whole
 * stylesheet in one <style> (astro.config.mjs, build.inlineStylesheets), about two thirds
 * of a sign-up's answer, and it is the same in every answer of a build: compressing it
 * anew for each answer was most of the answer's compression (docs/benchmarks.md,
 * "Sign-ups: the answer's compression").
 *
 * A gzip member's deflate data may be made in pieces: a piece flushed to a byte boundary
 * without ending the stream (Z_SYNC_FLUSH) can be followed by any other piece, and the
 * next piece may refer back to the bytes before it when its compressor was given them as
 * its dictionary. So an answer is sent as: the gzip header, the part before the <style>
 * compressed now, the <style> block compressed once per build and kept, the rest
 * compressed now with the stylesheet's end as its dictionary, and the trailer (CRC-32 and
 * length of the whole page). The browser reads one ordinary gzip stream; the page is the
 * same bytes. The part before the <style> (the head's title and meta) and the part from it to
 * <main> (the site's header) are the same in every answer of a page too, so their
 * compressions are kept as well, and what is compressed for each answer is <main> and what
 * follows it, against the 8 kB before it. A kept part is used only for an answer whose bytes
 * are the same, byte for byte; no part from <main> on, where a person's answers are, is kept
 * (a console page's header names the organiser signed in: kept in memory, sent to nobody else).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** A <style> block shorter than this is not worth keeping (the site's is about 39 kB). */
const KEPT_STYLE_MIN_BYTES = 8 * 1024;
/** Stylesheets kept at once: one per build served, and a few for a publish switching builds. */
const KEPT_STYLES_MAX = 4;
/**
 * How much of what precedes a part it is compressed against (the stylesheet's end for the
 * header, the header and the stylesheet for <main>). The page's class names are in it; 8 kB
 * gives nearly all of the gain of deflate's whole 32 kB window (5.77 kB for a confirmation's
 * rest after the style against 5.64 kB), at a quarter of the cost of loading it.
 */
const DICTIONARY_BYTES = 8 * 1024;
/** ID1 ID2, deflate, no flags, no time, no extra flags, OS unknown (RFC 1952, 2.3). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
const STYLE_OPEN = Buffer.from('<style');
const STYLE_CLOSE = Buffer.from('</style>');

/** Heads and headers kept at once: one per on-demand page of a build, and some to spare. */
const KEPT_PARTS_MAX = 16;
const MAIN_OPEN = Buffer.from('<main');

interface KeptPart {
  block: Buffer;
  /** The block compressed, flushed to a byte boundary, the stream not ended. */
  deflated: Buffer;
}

interface KeptStyle extends KeptPart {
  dictionary: Buffer;
  /** The headers that followed this stylesheet, compressed against its end. */
  headers: Map<number, KeptPart>;
}

/** The stylesheets kept, by the CRC-32 of their block (checked byte for byte before use). */
const keptStyles = new Map<number, KeptStyle>();
/** The parts before the stylesheet, kept the same way. */
const keptHeads = new Map<number, KeptPart>();

/**
 * The kept part for `block` in `kept`, or one made by `make` and kept, the least recently
 * used going first when there are more than `max` (a build no longer served, a page not asked for).
 */
function keptPart<T extends KeptPart>(kept: Map<number, T>, block: Buffer, max: number, make: (copy: Buffer) => T): T {
  const key = crc32(block);
  const found = kept.get(key);
  if (found?.block.equals(block)) {
    kept.delete(key);
    kept.set(key, found);
    return found;
  }
  // A copy: the answer's own buffer is not kept alive by the cache.
  const made = make(Buffer.from(block));
  kept.delete(key);
  kept.set(key, made);
  for (const old of kept.keys()) {
    if (kept.size <= max) break;
    kept.delete(old);
  }
  return made;
}

const flushed = (block: Buffer, options: { level?: number; dictionary?: Buffer } = {}) =>
  deflateRawSync(block, { ...options, finishFlush: constants.Z_SYNC_FLUSH });

function keptStyle(block: Buffer): KeptStyle {
  return keptPart(keptStyles, block, KEPT_STYLES_MAX, (copy) => ({
    block: copy,
    deflated: flushed(copy, { level: constants.Z_BEST_COMPRESSION }),
    dictionary: Buffer.from(copy.subarray(Math.max(0, copy.length - DICTIONARY_BYTES))),
    headers: new Map(),
  }));
}

/**
 * The page as one gzip stream, its stylesheet's compression kept for the next answer; or
 * undefined when it has no <style> block worth keeping (the caller compresses it as before).
 */
export function gzipWithKeptStyle(page: Buffer): Buffer | undefined {
  const open = page.indexOf(STYLE_OPEN);
  if (open === -1) return undefined;
  const close = page.indexOf(STYLE_CLOSE, open);
  if (close === -1) return undefined;
  const end = close + STYLE_CLOSE.length;
  if (end - open < KEPT_STYLE_MIN_BYTES) return undefined;
  const head = keptPart(keptHeads, page.subarray(0, open), KEPT_PARTS_MAX, (copy) => ({
    block: copy,
    deflated: flushed(copy),
  }));
  const style = keptStyle(page.subarray(open, end));
  const main = page.indexOf(MAIN_OPEN, end);
  const parts = [GZIP_HEADER, head.deflated, style.deflated];
  let rest = end;
  if (main !== -1) {
    const header = keptPart(style.headers, page.subarray(end, main), KEPT_PARTS_MAX, (copy) => ({
      block: copy,
      deflated: flushed(copy, { dictionary: style.dictionary }),
    }));
    parts.push(header.deflated);
    rest = main;
  }
  // Compressed against the bytes just before it, which the browser has already decoded.
  parts.push(
    deflateRawSync(page.subarray(rest), {
      dictionary: page.subarray(Math.max(0, rest - DICTIONARY_BYTES), rest),
    }),
  );
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(page), 0);
  trailer.writeUInt32LE(page.length % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** Whether Accept-Encoding takes gzip (a q of 0 refuses it; `*` takes it unless gzip is named). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const taken = Number.isFinite(weight) && weight > 0;
    if (name === 'gzip' || name === 'x-gzip') return taken;
    if (name === '*') star = taken;
  }
  return star;
}

type WriteHead = (status: number, ...rest: unknown[]) => ServerResponse;
type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
type End = (...args: unknown[]) => ServerResponse;

function headerValue(headers: OutgoingHttpHeaders | undefined, res: ServerResponse, name: string): string {
  const fromArgs = headers && Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  const value = fromArgs ?? res.getHeader(name);
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * Holds back an HTML answer that the client may have in gzip and sends it compressed by
 * gzipWithKeptStyle, with its length. Anything else — another type, HEAD, no body, a
 * client that takes no gzip, a page without a large <style> — goes on to the methods
 * it wraps (the `compression` middleware's), as before. Astro writes a page and ends it
 * without waiting for 'drain', so holding it back changes nothing it relies on.
 */
export function holdHtmlForGzip(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'HEAD' || !acceptsGzip(req.headers['accept-encoding'])) return;
  const writeHead = res.writeHead.bind(res) as WriteHead;
  const write = res.write.bind(res) as Write;
  const end = res.end.bind(res) as End;
  const restore = () => {
    res.writeHead = writeHead;
    res.write = write as ServerResponse['write'];
    res.end = end as ServerResponse['end'];
  };
  let head: { status: number; rest: unknown[] } | undefined;
  const chunks: Buffer[] = [];

  res.writeHead = (status: number, ...rest: unknown[]) => {
    const headers = rest.find((arg): arg is OutgoingHttpHeaders => !!arg && typeof arg === 'object');
    const type = headerValue(headers, res, 'content-type').toLowerCase();
    const encoded = headerValue(headers, res, 'content-encoding');
    const bodiless = status < 200 || status === 204 || status === 304;
    if (!type.startsWith('text/html') || (encoded !== '' && encoded !== 'identity') || bodiless) {
      restore();
      return writeHead(status, ...rest);
    }
    head = { status, rest };
    return res;
  };

  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    // Written without a head first: not an answer this knows, so it goes on as it came.
    if (!head) {
      restore();
      return write(chunk, ...rest);
    }
    chunks.push(toBuffer(chunk, rest[0]));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  }) as ServerResponse['write'];

  res.end = ((...args: unknown[]) => {
    if (!head) {
      restore();
      return end(...args);
    }
    const [chunk, encoding] = args;
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(toBuffer(chunk, encoding));
    const done = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    // Astro renders an on-demand page whole (astro.config.mjs), so there is usually one chunk: no copy.
    const page = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
    const { status, rest } = head;
    restore();
    const gzipped = gzipWithKeptStyle(page);
    if (gzipped) {
      // The head's own headers first, so that the length set here is the one sent (Astro names
      // the length of the page it rendered whole, not of the gzip).
      const headers = rest.find((arg): arg is OutgoingHttpHeaders => !!arg && typeof arg === 'object');
      for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) res.setHeader(name, value);
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', gzipped.length);
      writeHead(status, ...rest.filter((arg) => arg !== headers));
      return done ? end(gzipped, done) : end(gzipped);
    }
    writeHead(status, ...rest);
    return done ? end(page, done) : end(page);
  }) as ServerResponse['end'];
}
