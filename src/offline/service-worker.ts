/**
 * The site's service worker, built by offline-integration.ts (esbuild, then
 * Workbox's injectManifest writes the precache list into it).
 *
 * - Precached, with revisions: the offline page, "Đăng ký của tôi", the web
 *   app manifest and its icons.
 * - Kept at install (pages cache, network first): the home page, the map
 *   page, the eligibility page and every drive to come, with the files they
 *   load (assets cache). A new build's worker keeps them again.
 * - Any page read is kept too, so an article read once opens offline.
 * - Never from a cache: places left, forms, the console (offline-plan.ts).
 * - Offline, a page not kept gets the offline page.
 *
 * - Reminders by Web Push (src/reminders/): a push shows its notification;
 *   a tap opens its page (or the stop page, from the notification's button).
 *
 * A new worker waits until no page of the old one is open (no skipWaiting):
 * pages are always fetched from the network first and name their files by
 * content hash, so no page mixes two builds; assets of older builds stay in
 * the assets cache for pages kept from then.
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import type { WorkboxPlugin } from 'workbox-core/types';
import { CACHE_NAMES, isNetworkOnly, OFFLINE_PAGE_PATH } from './offline-plan.ts';
import { notificationOf, STOP_ACTION } from '../reminders/push-payload.ts';

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

/** What this worker uses of the events and objects of the ServiceWorker and Push APIs (no webworker lib here). */
interface PushEventLike extends ExtendableEventLike {
  data: { text(): string } | null;
}

interface NotificationLike {
  data: unknown;
  close(): void;
}

interface NotificationClickEventLike extends ExtendableEventLike {
  action: string;
  notification: NotificationLike;
}

interface WindowClientLike {
  url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}

interface ServiceWorkerScope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  location: Location;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'push', listener: (event: PushEventLike) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationClickEventLike) => void): void;
  clients: {
    claim(): Promise<void>;
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  registration: { showNotification(title: string, options: NotificationOptions): Promise<void> };
}

declare const self: ServiceWorkerScope;
type HandlerEvent = Extract<Parameters<NetworkFirst['handleAll']>[0], { request: Request; event: unknown }>['event'];
/** Written by the build: the pages and files to keep at install. */
declare const __KEPT_PAGES__: string[];
declare const __KEPT_ASSETS__: string[];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** Workbox's plugin types predate exactOptionalPropertyTypes; the plugins are theirs. */
const expiration = (options: ConstructorParameters<typeof ExpirationPlugin>[0]) =>
  new ExpirationPlugin(options) as unknown as WorkboxPlugin;

const pages = new NetworkFirst({
  cacheName: CACHE_NAMES.pages,
  // On a weak signal a kept page after 4 s beats a blank screen.
  networkTimeoutSeconds: 4,
  plugins: [expiration({ maxEntries: 80, purgeOnQuotaError: true })],
});
const assets = new CacheFirst({
  cacheName: CACHE_NAMES.assets,
  plugins: [expiration({ maxEntries: 200, maxAgeSeconds: 60 * 86_400, purgeOnQuotaError: true })],
});

const sameOrigin = (url: URL) => url.origin === self.location.origin;

registerRoute(({ url }) => sameOrigin(url) && isNetworkOnly(url.pathname), new NetworkOnly());
registerRoute(({ request, url }) => sameOrigin(url) && request.mode === 'navigate', pages);
registerRoute(({ url }) => sameOrigin(url) && url.pathname.startsWith('/_astro/'), assets);

setCatchHandler(async ({ request }) => {
  if (request.destination === 'document') return (await matchPrecache(OFFLINE_PAGE_PATH)) ?? Response.error();
  return Response.error();
});

/** Keeps each page and file; one that fails (a drive removed since the build) does not stop the rest. */
function keep(urls: readonly string[], strategy: NetworkFirst | CacheFirst, event: ExtendableEventLike) {
  return Promise.allSettled(
    urls.map(
      (url) =>
        // Workbox types the event with the webworker library, which this project (DOM pages) does not load.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
        strategy.handleAll({ event: event as unknown as HandlerEvent, request: new Request(url) })[1],
    ),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(Promise.all([keep(__KEPT_PAGES__, pages, event), keep(__KEPT_ASSETS__, assets, event)]));
});

self.addEventListener('activate', (event) => {
  // The first worker takes the open page at once, so the first visit's page is kept too.
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  // The server's payload (src/reminders/push-payload.ts); anything else still shows the site's name.
  const { title, options } = notificationOf(event.data?.text() ?? '', self.location.origin);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as { url?: string; stop?: string };
  const target = (event.action === STOP_ACTION ? data.stop : data.url) ?? '/';
  // Only this site's own pages: the payload is ours, but a link is opened only where it belongs.
  const url = new URL(target, self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      // A tab already on that page is brought forward; any other tab is left as it is (it may
      // hold a half-filled form), and the page opens in a new one.
      const open = windows.find((w) => w.url === url.href);
      if (open) {
        await open.focus();
        return;
      }
      await self.clients.openWindow(url.href);
    }),
  );
});
