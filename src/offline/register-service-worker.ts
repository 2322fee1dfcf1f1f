/**
 * Once the page has loaded, links the web manifest and registers the service
 * worker (service-worker.ts), so that neither they nor what they fetch (the
 * manifest's icons, the files the worker keeps) compete with the first screen
 * (docs/benchmarks.md, "What a page loads"). On every page; a few hundred bytes,
 * added after the page's largest paint (src/shared/after-paint-chunk.ts): a page
 * that loads before it paints would otherwise have the manifest counted towards
 * that paint in Lighthouse's simulation.
 */
import { SERVICE_WORKER_PATH, WEB_MANIFEST_PATH } from './offline-paths.ts';

function linkAndRegister() {
  // Chromium reads a manifest linked after load as well; installing needs nothing sooner.
  if (!document.querySelector('link[rel="manifest"]')) {
    const manifest = document.createElement('link');
    manifest.rel = 'manifest';
    manifest.href = WEB_MANIFEST_PATH;
    document.head.append(manifest);
  }
  // A browser that refuses (private mode, storage off) simply has no offline pages.
  if ('serviceWorker' in navigator) navigator.serviceWorker.register(SERVICE_WORKER_PATH).catch(() => undefined);
}

if (document.readyState === 'complete') linkAndRegister();
else addEventListener('load', linkAndRegister, { once: true });
