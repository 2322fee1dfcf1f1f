/**
 * Organisers' passwords, hashed with scrypt from node:crypto: memory-hard,
 * built into Node (no native package to compile on the server), with the
 * parameters OWASP's Password Storage Cheat Sheet gives for scrypt
 * (N = 2^17, r = 8, p = 1: 128 MiB and about a third of a second per
 * guess here). The parameters are stored with each hash so they can be
 * raised later without breaking old accounts.
 *
 * scrypt runs on libuv's thread pool (four threads), which the static file
 * server and compression wait on too: a burst of sign-in posts used to fill
 * all four and hold `GET /` for seconds. So every derivation goes through one
 * queue that runs SCRYPT_AT_ONCE at a time and keeps at most SCRYPT_WAITING
 * waiting; past that a check is refused at once (PasswordsBusy, answered
 * 429 with Retry-After) instead of queueing without bound. A sign-in keeps
 * its place from the start (keepPasswordCheckPlace), and one client address
 * holds at most PASSWORD_CHECKS_PER_ADDRESS of them (console-service.ts). Measured with
 * `npm run bench:login` (docs/benchmarks.md).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import PQueue from 'p-queue';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
const COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** Derivations running at once: one of libuv's four threads, the other three stay for files. */
export const SCRYPT_AT_ONCE = 1;
/** Derivations waiting their turn (about 0.35 s each): a desk's staff signing in together wait 3 s at most. */
export const SCRYPT_WAITING = 8;
/** Seconds a refused sign-in is told to wait (Retry-After): the queue is empty again by then. */
export const SCRYPT_RETRY_AFTER_S = 5;

/** Every password check waits here for its turn, or is refused when too many already wait. */
export class PasswordsBusy extends Error {
  constructor() {
    super('too many password checks waiting');
    this.name = 'PasswordsBusy';
  }
}

const queue = new PQueue({ concurrency: SCRYPT_AT_ONCE });
/** Places kept for sign-ins that have not asked for their check yet (PasswordCheckPlace). */
let kept = 0;

/** Whether a check asked for now would be queued rather than refused. */
export function passwordCheckHasRoom(): boolean {
  // Running, waiting and kept: a kept place is a check that will run or wait.
  return queue.pending + queue.size + kept < SCRYPT_AT_ONCE + SCRYPT_WAITING;
}

/**
 * A place in the queue kept for one sign-in from its room check to its
 * password check: the sign-in counts the try in the database first, which may
 * wait for a busy database (whenFree), and a try once counted must not then
 * be refused as busy.
 */
export class PasswordCheckPlace {
  #kept = true;

  /** Gives the place back; a second call does nothing. */
  release(): void {
    if (!this.#kept) return;
    this.#kept = false;
    kept -= 1;
  }

  /** Whether the place was still kept; it is given back either way. */
  use(): boolean {
    const was = this.#kept;
    this.release();
    return was;
  }
}

/** A place kept in the queue, or undefined when it is full. */
export function keepPasswordCheckPlace(): PasswordCheckPlace | undefined {
  if (!passwordCheckHasRoom()) return undefined;
  kept += 1;
  return new PasswordCheckPlace();
}

function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
  place?: PasswordCheckPlace,
): Promise<Buffer> {
  if (!place?.use() && !passwordCheckHasRoom()) return Promise.reject(new PasswordsBusy());
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return queue.add(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => {
          if (error) reject(error);
          else resolve(key);
        });
      }),
  );
}

/** What is wrong with a new password, in Vietnamese; null when it will do. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (length > MAX_PASSWORD_LENGTH) return `Mật khẩu dài quá ${MAX_PASSWORD_LENGTH} ký tự.`;
  return null;
}

/** "scrypt$N$r$p$salt$hash", salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Throws PasswordsBusy when the queue is full, unless `place` was kept for this check. */
export async function verifyPassword(password: string, stored: string, place?: PasswordCheckPlace): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) {
    place?.release();
    return false;
  }
  // A password too long to be one is still checked (against itself cut short), so that it
  // takes the time of any other wrong password.
  if (password.length > MAX_PASSWORD_LENGTH * 4) {
    await derive(password.slice(0, MAX_PASSWORD_LENGTH), Buffer.from(salt, 'base64url'), costOf(n, r, p), place);
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), costOf(n, r, p), place);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function costOf(n: string | undefined, r: string | undefined, p: string | undefined) {
  return { N: Number(n), r: Number(r), p: Number(p) };
}

/**
 * A stored hash of the current cost that no password matches (its key is
 * random bytes): checking it takes one derivation, like a real account's,
 * and costs no derivation to make.
 */
const DECOY = [
  'scrypt',
  COST.N,
  COST.r,
  COST.p,
  randomBytes(16).toString('base64url'),
  randomBytes(KEY_LENGTH).toString('base64url'),
].join('$');

/**
 * Spends the time of one check, in the same queue, when there is no account to
 * check or its answer will not be used (a locked account): the answer comes no
 * faster. Throws PasswordsBusy like verifyPassword.
 */
export async function verifyNothing(password: string, place?: PasswordCheckPlace): Promise<false> {
  await verifyPassword(password, DECOY, place);
  return false;
}
