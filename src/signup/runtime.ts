/**
 * The one sign-up service of the running server, with its store opened on
 * first use from SIGNUP_DB. server.mjs has already opened the file once at
 * start (migrations, and a clear message if it cannot), so a failure here
 * means the disk went away: the service answers 503 and tries again next time.
 */
import { getDriveOptions } from '../data/content.ts';
import { DEFAULT_ADDRESS_LIMIT, SignupService } from './service.ts';
import { DEFAULT_DB_PATH, SignupStore } from './store.ts';

let store: SignupStore | undefined;

export function signupStore(): SignupStore {
  store ??= new SignupStore(process.env['SIGNUP_DB'] || DEFAULT_DB_PATH);
  return store;
}

export const signupService = new SignupService({
  store: signupStore,
  drives: () => getDriveOptions(),
  addressLimit: Number(process.env['SIGNUP_RATE_LIMIT']) || DEFAULT_ADDRESS_LIMIT,
});
