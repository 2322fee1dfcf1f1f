/**
 * One allowance of code-and-phone tries for every page that takes them:
 * cancelling (/dang-ky/huy/) and the reminders page (/nhac-hen/, which takes
 * waitlist codes too, to see or stop reminders). Each page used to count on
 * its own, so a code could be tried 5 times per phone on each of them; now a
 * try on any of them uses the same allowance per client address, per phone
 * and per code. In memory, like the other limits (rate-limit.ts).
 */
import { addressKey, RateLimiter } from './rate-limit.ts';

const TEN_MINUTES = 10 * 60_000;
/** Code-and-phone tries per client address, per phone and per code per 10 minutes, all pages together. */
export const GUESS_LIMITS = { address: 30, phone: 5, code: 5 } as const;

export class GuessBudget {
  readonly #byAddress = new RateLimiter(GUESS_LIMITS.address, TEN_MINUTES);
  readonly #byPhone = new RateLimiter(GUESS_LIMITS.phone, TEN_MINUTES);
  readonly #byCode = new RateLimiter(GUESS_LIMITS.code, TEN_MINUTES);

  /**
   * Counts one try; false when the address, the phone or the code has used its
   * allowance. Counted in this order, each only when the one before passed:
   * tries refused by address do not use up the allowance of someone else's
   * phone or code.
   */
  allow(code: string, phone: string, clientAddress: string, at: number): boolean {
    return (
      this.#byAddress.allow(addressKey(clientAddress), at) &&
      this.#byPhone.allow(phone, at) &&
      this.#byCode.allow(code, at)
    );
  }
}

const KEY = Symbol.for('hien-mau.guess-budget');

/**
 * The running site's one budget. The server and the site's bundle each load
 * their own copy of this module, so it is kept on globalThis under a
 * registered symbol, like the sign-up store (shared-store.ts).
 */
export function sharedGuessBudget(): GuessBudget {
  const holder = globalThis as Record<symbol, GuessBudget | undefined>;
  return (holder[KEY] ??= new GuessBudget());
}
