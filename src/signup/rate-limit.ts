/**
 * Counting posts per key (a phone number, a client address, a code) in a
 * fixed window. In memory: a restart forgetting counts errs on the side of
 * letting people sign up. Keys live in two generations of at most
 * `maxKeys / 2` each: when the newer one fills, the older one is dropped whole
 * and the newer takes its place (a key in use moves to the newer one), so a
 * flood of distinct addresses costs a fixed amount of memory and constant
 * time per check (npm run bench:rate-limit). A dropped key starts a fresh
 * window; by then it has gone at least `maxKeys / 2` other keys without a post.
 */
export const DEFAULT_MAX_KEYS = 10_000;

interface Window {
  since: number;
  count: number;
}

export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #generationSize: number;
  #current = new Map<string, Window>();
  #previous = new Map<string, Window>();

  constructor(limit: number, windowMs: number, maxKeys = DEFAULT_MAX_KEYS) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#generationSize = Math.max(1, Math.floor(maxKeys / 2));
  }

  /** Keys held now: never more than maxKeys. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** Counts one post for `key`; false when the key is over its limit in this window. */
  allow(key: string, now: number): boolean {
    let entry = this.#current.get(key);
    if (!entry) {
      entry = this.#previous.get(key);
      if (entry) this.#previous.delete(key);
      if (this.#current.size >= this.#generationSize) {
        this.#previous = this.#current;
        this.#current = new Map();
      }
      if (!entry || now - entry.since >= this.#windowMs) entry = { since: now, count: 0 };
      this.#current.set(key, entry);
    } else if (now - entry.since >= this.#windowMs) {
      entry.since = now;
      entry.count = 0;
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
