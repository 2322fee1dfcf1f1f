/**
 * The one database of a server process. The server (src/server/) and the
 * site's bundle (pages, actions) each load their own copy of this module, so
 * the connection is kept on globalThis under a registered symbol: both reach
 * the same open database (and its statements, database.ts), and the server
 * can close it on shutdown.
 */
import { readSettings } from '../settings.ts';
import { Database, SERVER_BUSY_TIMEOUT_MS } from './database.ts';

interface Shared {
  database?: Database | undefined;
}

const KEY = Symbol.for('hien-mau.database');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Shared;

/**
 * The database, opened on first use from SIGNUP_DB; a failed open is tried
 * again on the next call. It waits for another process's write lock only
 * briefly on the serving thread; writes retry from a timer (whenFree).
 */
export function sharedDatabase(): Database {
  shared.database ??= new Database(readSettings().signupDb, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  return shared.database;
}

export function closeSharedDatabase(): void {
  shared.database?.close();
  shared.database = undefined;
}
