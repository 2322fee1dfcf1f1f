/**
 * Registers the service worker (service-worker.ts) once the page has loaded,
 * so that it and what it keeps never compete with the page itself. On every
 * page; a few hundred bytes.
 */
import { SERVICE_WORKER_PATH } from './offline-paths.ts';

if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    // A browser that refuses (private mode, storage off) simply has no offline pages.
    navigator.serviceWorker.register(SERVICE_WORKER_PATH).catch(() => undefined);
  });
}
