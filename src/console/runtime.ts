/** The console service of the running site, over the process's one database (src/store/shared.ts). */
import { sharedDatabase } from '../store/shared.ts';
import { readSettings } from '../settings.ts';
import { ConsoleService } from './console-service.ts';

export const consoleService = new ConsoleService({
  database: sharedDatabase,
  loginAddressLimit: readSettings().loginRateLimit,
});
