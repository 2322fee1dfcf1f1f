/** The accounts page's service over the process's one database (src/store/shared.ts). */
import { sharedDatabase } from '../store/shared.ts';
import { AccountAdmin } from './account-admin.ts';
import { AccountsStore } from './accounts-store.ts';

export const accountsStore = (): AccountsStore => new AccountsStore(sharedDatabase());

export const accountAdmin = new AccountAdmin({ store: accountsStore });
