/**
 * The one sign-up store of a server process. The server (src/server/) and the
 * site's bundle (pages, actions) each load their own copy of this module, so
 * the store is kept on globalThis under a registered symbol: both reach the
 * same open database, and the server can close it on shutdown.
 */
import { readSettings } from '../settings.ts';
import { FormTokens } from './form-token.ts';
import { SERVER_BUSY_TIMEOUT_MS, SignupStore } from './store.ts';

interface Shared {
  store?: SignupStore | undefined;
  tokens?: FormTokens | undefined;
}

const KEY = Symbol.for('hien-mau.signup-store');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Shared;

/**
 * The store, opened on first use from SIGNUP_DB; a failed open is tried again
 * on the next call. It waits for another process's write lock only briefly
 * on the serving thread; writes retry from a timer (whenFree, store.ts).
 */
export function sharedStore(): SignupStore {
  shared.store ??= new SignupStore(readSettings().signupDb, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  return shared.store;
}

/** Form tokens keyed by SIGNUP_SECRET, or by the key kept in the database. */
export function formTokens(): FormTokens {
  shared.tokens ??= new FormTokens(readSettings().signupSecret ?? sharedStore().formTokenKey());
  return shared.tokens;
}

export function closeSharedStore(): void {
  shared.store?.close();
  shared.store = undefined;
}
