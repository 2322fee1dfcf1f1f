/**
 * Posting the site's forms as a browser without JavaScript would: with the
 * page's origin and a form token. Tokens come from the places-left answer, as
 * the sign-up island gets them, aged past the too-fast check. A token signs
 * up one person, so every sign-up takes a fresh one.
 */
import { MIN_FILL_MS } from '../../src/signup/service.ts';

/**
 * How long a test waits after loading a form before sending it: past the
 * too-fast check, with room for a slow server (the token is issued when the
 * page is rendered, which on a busy machine is well after the request left).
 */
export const HUMAN_FILL_MS = MIN_FILL_MS + 800;
const AGE_MS = HUMAN_FILL_MS;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `count` valid tokens of the server at `baseUrl`, all issued more than 3 s ago. */
export async function agedFormTokens(baseUrl: string, driveSlug: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, async () => {
        const response = await fetch(`${baseUrl}/api/diem-hien-mau/${driveSlug}/cho-trong.json`);
        const issued = response.headers.get('X-Form-Token');
        if (!issued) throw new Error(`no form token from ${baseUrl} (${response.status})`);
        return issued;
      }),
    );
    tokens.push(...batch);
  }
  await sleep(AGE_MS);
  return tokens;
}

const pools = new Map<string, { tokens: string[]; refill?: Promise<void> | undefined }>();

/** One unused, aged token, from a pool per server refilled `batch` at a time. */
export async function freshFormToken(baseUrl: string, driveSlug: string, batch = 20): Promise<string> {
  const pool = pools.get(baseUrl) ?? { tokens: [] };
  pools.set(baseUrl, pool);
  for (;;) {
    const token = pool.tokens.pop();
    if (token) return token;
    pool.refill ??= agedFormTokens(baseUrl, driveSlug, batch)
      .then((tokens) => void pool.tokens.push(...tokens))
      .finally(() => (pool.refill = undefined));
    await pool.refill;
  }
}

export interface PostOptions {
  origin?: string;
  headers?: Record<string, string>;
}

/** Posts url-encoded fields to `path` (e.g. /dang-ky/?_action=signup), as a form would. */
export function postForm(baseUrl: string, path: string, fields: Record<string, string>, options: PostOptions = {}) {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      Origin: options.origin ?? new URL(baseUrl).origin,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...options.headers,
    },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

export const codeOf = (html: string) => /data-confirmation-code="([0-9A-Z]{10})"/.exec(html)?.[1];
