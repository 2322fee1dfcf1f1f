/**
 * Counting posts per key (a phone number, a client address, a code) in a
 * fixed window. In memory: a restart forgetting counts errs on the side of
 * letting people sign up. The map holds at most `maxKeys` keys: when full, the
 * oldest window is forgotten first, so a flood of distinct addresses costs a
 * fixed amount of memory and time (npm run bench:rate-limit).
 */
export const DEFAULT_MAX_KEYS = 10_000;

export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  // Insertion order is window-start order: a key starting a new window is re-inserted.
  readonly #counts = new Map<string, { since: number; count: number }>();

  constructor(limit: number, windowMs: number, maxKeys = DEFAULT_MAX_KEYS) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#counts.size;
  }

  /** Counts one post for `key`; false when the key is over its limit in this window. */
  allow(key: string, now: number): boolean {
    let entry = this.#counts.get(key);
    if (!entry || now - entry.since >= this.#windowMs) {
      this.#counts.delete(key);
      while (this.#counts.size >= this.#maxKeys) {
        const oldest = this.#counts.keys().next();
        if (oldest.done) break;
        this.#counts.delete(oldest.value);
      }
      entry = { since: now, count: 0 };
      this.#counts.set(key, entry);
    }
    entry.count += 1;
    return entry.count <= this.#limit;
  }
}

/** The key of a client address: IPv6 clients get a /64 each, as providers hand them out. */
export function addressKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!plain.includes(':')) return plain;
  const groups = plain.split('::');
  const head = (groups[0] ?? '').split(':').filter(Boolean);
  const tail = groups.length > 1 ? (groups[1] ?? '').split(':').filter(Boolean) : [];
  const full = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${full.slice(0, 4).join(':')}::/64`;
}
