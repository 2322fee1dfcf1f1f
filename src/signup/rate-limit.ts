/**
 * Counting posts per key (a phone number, a client address) in a fixed
 * window. In memory: one server process, and a restart forgetting counts
 * errs on the side of letting people sign up.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #counts = new Map<string, { since: number; count: number }>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one post for `key`; false when the key is over its limit in this window. */
  allow(key: string, now: number): boolean {
    let entry = this.#counts.get(key);
    if (!entry || now - entry.since >= this.#windowMs) {
      if (this.#counts.size > 50_000) this.#forgetOld(now);
      entry = { since: now, count: 0 };
      this.#counts.set(key, entry);
    }
    entry.count += 1;
    return entry.count <= this.#limit;
  }

  #forgetOld(now: number) {
    for (const [key, entry] of this.#counts) if (now - entry.since >= this.#windowMs) this.#counts.delete(key);
  }
}
