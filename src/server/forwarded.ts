/**
 * Who is asking, and over what: behind a TLS-terminating reverse proxy on the
 * same machine (TRUST_PROXY=1), the proxy's X-Forwarded-Proto, -Host and -For
 * say it; otherwise those headers are anyone's to write and are ignored. Only
 * a proxy on loopback is believed, and from each header the value the proxy
 * itself added (the last one), so a client's own X-Forwarded-For never
 * chooses its rate-limit bucket.
 */
import { isIP } from 'node:net';

export interface RequestOrigin {
  protocol: 'http' | 'https';
  /** The Host the client asked for, or undefined when it is missing or malformed. */
  host: string | undefined;
  /** The client's address, for rate limits. */
  clientAddress: string;
  /** The forwarded headers were believed. */
  forwarded: boolean;
}

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^::ffff:/, '');
  return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}

function lastValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const value = joined?.split(',').at(-1)?.trim();
  return value || undefined;
}

export function validHost(host: string | undefined): string | undefined {
  return host && host.length <= 255 && HOST.test(host) ? host : undefined;
}

export function requestOrigin(options: {
  trustProxy: boolean;
  peerAddress: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}): RequestOrigin {
  const { headers } = options;
  const peer = options.peerAddress ?? '';
  const direct: RequestOrigin = {
    protocol: 'http',
    host: validHost(lastValue(headers['host'])),
    clientAddress: peer,
    forwarded: false,
  };
  if (!options.trustProxy || !isLoopback(peer)) return direct;
  const proto = lastValue(headers['x-forwarded-proto'])?.toLowerCase();
  const forwardedFor = lastValue(headers['x-forwarded-for']);
  return {
    protocol: proto === 'https' ? 'https' : 'http',
    host: validHost(lastValue(headers['x-forwarded-host'])) ?? direct.host,
    clientAddress: forwardedFor && isIP(forwardedFor) ? forwardedFor : peer,
    forwarded: true,
  };
}

/**
 * The path of a request target, or null when it cannot be one: origin-form
 * ("/a?b") and absolute-form ("http://host/a") are read; "//", "/\\" and
 * anything a URL parser would read as another host are refused.
 */
export function requestPath(target: string | undefined): string | null {
  if (!target) return null;
  let path = target;
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  if (absolute) path = target.slice(absolute[0].length) || '/';
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  // Node's parser refuses most of these already; spaces and control characters are never a path.
  for (const char of path) if (char <= ' ' || char === '\u007f') return null;
  try {
    const url = new URL(path, 'http://localhost');
    if (url.host !== 'localhost') return null;
    // A broken %-escape (`%ZZ`, a lone `%`, bytes that are not UTF-8) is refused here, in
    // Vietnamese, rather than by Astro's handler with "Bad request." (decodeURI throws on them).
    decodeURI(path);
    return path;
  } catch {
    return null;
  }
}
