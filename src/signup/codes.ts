/**
 * Confirmation codes: 10 characters of Crockford's base 32 (digits and
 * letters without I, L, O, U), 50 bits of randomness, shown in groups
 * "7K3Q-9XWD-2P" so they are easy to read aloud over the phone and to type
 * back; what is typed back is read leniently (case, spaces, O for 0, I/L for 1).
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10;

export function newConfirmationCode(): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so taking the low five bits keeps every character equally likely.
  return [...bytes].map((b) => ALPHABET[b & 31]).join('');
}

export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** The code as stored, from what someone typed; null if it cannot be one. */
export function normalizeCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

/** The error SQLite gives when a new sign-up's code is one already taken. */
function isTakenCode(error: unknown): boolean {
  return /UNIQUE constraint failed: signups\.code/.test(String(error));
}

/**
 * Runs `take` (which stores a sign-up under the code it is given) with a
 * fresh code, and once more with another if that code was taken: two codes
 * alike in 2^50 is all but impossible, so one more try settles it. For the
 * desk's walk-in, inside its transaction.
 */
export function withFreshCode<T>(take: (code: string) => T): T {
  try {
    return take(newConfirmationCode());
  } catch (error) {
    if (!isTakenCode(error)) throw error;
    return take(newConfirmationCode());
  }
}

/** withFreshCode for a `take` that waits (a write retried from a timer while the database is busy, whenFree). */
export async function withFreshCodeAsync<T>(take: (code: string) => Promise<T>): Promise<T> {
  try {
    return await take(newConfirmationCode());
  } catch (error) {
    if (!isTakenCode(error)) throw error;
    return take(newConfirmationCode());
  }
}
