/**
 * Form tokens: when a form was served and a random nonce, signed so they
 * cannot be made up. Every sign-up post must carry one: a post sooner than a
 * person usually fills the form is asked to be sent once more (with a
 * confirmation token, see issueConfirmation), a token older than a day is stale,
 * and the nonce lets the same form sent twice (double tap, back button) get
 * its own confirmation back without anyone else's phone revealing theirs.
 *
 * The key is SIGNUP_SECRET, or one made once and kept in the database, so that
 * restarts and every server instance accept each other's tokens.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/** A form older than this is sent again with a fresh token (the answers kept). */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 60 * 60_000;

export interface FormTokenCheck {
  /** Milliseconds since the form was served. */
  ageMs: number;
  nonce: string;
  /**
   * Issued in answer to a post of this form that came sooner than the
   * too-fast check allows: the person is asked to send it once more, and that
   * second post is not timed (src/signup/README.md).
   */
  confirmation: boolean;
}

/** Marks a confirmation token; inside the signed payload, so it can be neither added nor removed. */
const CONFIRMATION_MARK = '.c';

export class FormTokens {
  // A key object made once: given the bytes, every HMAC would import the key again.
  readonly #key: KeyObject;

  constructor(key: string) {
    this.#key = createSecretKey(Buffer.from(key));
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url').slice(0, 22);
  }

  issue(now: Date): string {
    const payload = `${now.getTime()}.${randomBytes(9).toString('base64url')}`;
    return `${payload}.${this.#sign(payload)}`;
  }

  /**
   * A token for sending the same form again at once, after a first post came
   * too fast: it keeps that form's nonce, so it too signs up one person only.
   */
  issueConfirmation(now: Date, nonce: string): string {
    const payload = `${now.getTime()}.${nonce}${CONFIRMATION_MARK}`;
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The token's age and nonce, or null for a missing, forged, future or stale one. */
  check(token: string | undefined | null, now: Date): FormTokenCheck | null {
    const match = /^(\d{13})\.([\w-]{12})(\.c)?\.([\w-]{22})$/.exec(token ?? '');
    if (!match) return null;
    const [, issuedAt = '', nonce = '', mark = '', signature = ''] = match;
    const expected = Buffer.from(this.#sign(`${issuedAt}.${nonce}${mark}`));
    if (!timingSafeEqual(Buffer.from(signature), expected)) return null;
    const ageMs = now.getTime() - Number(issuedAt);
    // A minute of clock drift between instances is forgiven; more is not a real form.
    if (ageMs < -60_000 || ageMs > FORM_TOKEN_MAX_AGE_MS) return null;
    return { ageMs: Math.max(0, ageMs), nonce, confirmation: mark === CONFIRMATION_MARK };
  }
}
