/**
 * The security headers every response carries, and the one
 * Content-Security-Policy: each page's own policy (script and style hashes,
 * written by Astro) merged with the directives only a header can carry.
 */
import type { ServerResponse } from 'node:http';

/**
 * What a <meta> policy cannot express (frame-ancestors) and what must hold
 * for every response, static or on demand. Merged into a page's policy, never
 * replacing it; it restricts no scripts or styles itself.
 */
export const HEADER_CSP = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': HEADER_CSP,
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Location stays allowed for this site: "find the nearest drive" asks for it.
  'Permissions-Policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The organisers' console (/to-chuc/): never cached or indexed, whatever
 * answers (a page, a 404, an error), and the camera allowed for its QR
 * scanner — on this site's own pages only.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Permissions-Policy': 'geolocation=(), camera=(self), microphone=(), payment=(), usb=(), interest-cohort=()',
};

/** A policy with every directive of `extra` that it does not set itself. */
export function mergeCsp(policy: string, extra: string = HEADER_CSP): string {
  const directives = policy
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean);
  const names = new Set(directives.map((d) => d.split(/\s+/)[0]?.toLowerCase()));
  for (const directive of extra.split(';').map((part) => part.trim())) {
    const name = directive.split(/\s+/)[0]?.toLowerCase();
    if (directive && !names.has(name)) directives.push(directive);
  }
  return directives.join('; ');
}

/**
 * Sets the security headers, and merges a policy that a later handler
 * (Astro's, for on-demand pages) sets instead of letting it replace this one:
 * whether it came through setHeader or in writeHead's headers (middleware
 * such as compression turns one into the other), the policy is merged as the
 * head is written.
 */
export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (status: number, ...rest: unknown[]) => {
    for (const arg of rest) {
      if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
        const headers = arg as Record<string, unknown>;
        for (const key of Object.keys(headers)) {
          if (key.toLowerCase() === 'content-security-policy' && typeof headers[key] === 'string') {
            headers[key] = mergeCsp(headers[key]);
          }
        }
      }
    }
    const current = res.getHeader('content-security-policy');
    if (typeof current === 'string') res.setHeader('Content-Security-Policy', mergeCsp(current));
    return writeHead(status, ...rest);
  };
}
