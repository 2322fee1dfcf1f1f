/**
 * Request limits, in one place: the server refuses larger bodies before
 * reading them, the adapter stops reading a chunked body at the same size,
 * and Astro's actions check it again (astro.config.mjs).
 */

/** The sign-up and cancel forms are a dozen short fields; nothing larger is one of them. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * A unit's list (src/units/: pasted rows, an .xlsx or .csv) is posted to the console's unit
 * pages only, by a signed-in focal person; 5 MB holds a sheet of 20,000 rows. Everywhere
 * else a body stays at MAX_BODY_BYTES.
 */
export const UNIT_LIST_MAX_BYTES = 5 * 1024 * 1024;
export const UNIT_LIST_PATH = '/to-chuc/don-vi/';

/**
 * A content file saved from the console (src/editor/: the history page's text box), by a
 * signed-in editor: the editor takes up to MAX_SAVE_BYTES (1 MB) of text, which a form
 * sends percent-encoded, up to three times longer for Vietnamese letters.
 */
export const CONTENT_SAVE_MAX_BYTES = 4 * 1024 * 1024;
export const CONTENT_PATH = '/to-chuc/noi-dung/';

/** The largest body the server reads for a request to this path. */
export function maxBodyBytes(pathname: string): number {
  if (pathname.startsWith(UNIT_LIST_PATH)) return UNIT_LIST_MAX_BYTES;
  if (pathname.startsWith(CONTENT_PATH)) return CONTENT_SAVE_MAX_BYTES;
  return MAX_BODY_BYTES;
}

/** How long the server waits, in milliseconds (see docs/deploy.md for the proxy's matching idle timeout). */
export const TIMEOUTS = {
  /** For the whole request head: a client trickling headers (slowloris) is cut off. */
  headers: 10_000,
  /** For the whole request, body included. */
  request: 30_000,
  /** How often Node looks for requests past those two limits: each 408 comes this much late at most. */
  checkEvery: 1_000,
  /** For the next request on an idle kept-alive connection; the proxy's idle timeout is shorter. */
  keepAlive: 5_000,
  /** For requests in flight after SIGTERM before their connections are closed. */
  shutdown: 10_000,
} as const;
