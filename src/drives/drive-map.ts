/**
 * The <drive-map> island of DriveMap.astro: Leaflet and the tiles are fetched only when the
 * map is about to be seen, after the page has loaded. Loaded after the first paint
 * (src/shared/after-paint-chunk.ts).
 */
import type { MapDrive } from './leaflet-map.ts';
import { afterLoadWhenIdle } from '../shared/main-thread.ts';

class DriveMap extends HTMLElement {
  connectedCallback() {
    // Leaflet and the tiles are fetched only when the map is about to be seen, and not
    // before the page has loaded: where it is in view at once (a wide screen), it waits for idle time.
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        void afterLoadWhenIdle().then(() => this.#load());
      },
      { rootMargin: '200px' },
    );
    observer.observe(this);
  }

  async #load() {
    try {
      const drive = JSON.parse(this.dataset['drive'] ?? '{}') as MapDrive;
      const { createDriveMap } = await import('./leaflet-map.ts');
      const map = await createDriveMap(this, {
        tileUrl: this.dataset['tileUrl'] ?? '',
        attribution: this.dataset['attribution'] ?? '',
        cluster: false,
      });
      await map.showDrives([drive]);
      this.dataset['mapReady'] = 'true';
    } catch (error) {
      console.warn('drive-map: the map could not load', error);
    }
  }
}

customElements.define('drive-map', DriveMap);
