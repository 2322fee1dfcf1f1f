/** The console service of the running site, over the process's one sign-up store (signup/shared-store.ts). */
import { sharedStore } from '../signup/shared-store.ts';
import { readSettings } from '../settings.ts';
import { ConsoleService } from './console-service.ts';

export const consoleService = new ConsoleService({
  store: sharedStore,
  loginAddressLimit: readSettings().loginRateLimit,
});
