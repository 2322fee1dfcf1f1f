/**
 * The sign-up store and the form tokens of a server process, over its one
 * database (src/store/shared.ts). Kept on globalThis under a registered
 * symbol, like the database: the server (src/server/) and the site's bundle
 * each load their own copy of this module.
 */
import { readSettings } from '../settings.ts';
import { sharedDatabase } from '../store/shared.ts';
import { FormTokens } from './form-token.ts';
import { SignupStore } from './store.ts';

interface Shared {
  store?: SignupStore | undefined;
  tokens?: FormTokens | undefined;
}

const KEY = Symbol.for('hien-mau.signup-store');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Shared;

/** The sign-up store over the process's database; a failed open is tried again on the next call. */
export function sharedStore(): SignupStore {
  const database = sharedDatabase();
  if (shared.store?.db !== database) shared.store = new SignupStore(database);
  return shared.store;
}

/** Form tokens keyed by SIGNUP_SECRET, or by the key kept in the database. */
export function formTokens(): FormTokens {
  shared.tokens ??= new FormTokens(readSettings().signupSecret ?? sharedStore().formTokenKey());
  return shared.tokens;
}
