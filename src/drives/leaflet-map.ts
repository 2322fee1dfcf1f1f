/**
 * Everything that touches Leaflet. Islands import this module dynamically, so
 * Leaflet's code and CSS load only on pages with a map, and only once the map
 * is about to be seen.
 */
import L from 'leaflet';
// Linked when a map is made, not in the page head: Astro would otherwise put
// this CSS in every map page's head, render-blocking, before anyone needs it.
import mapStylesUrl from './leaflet-map.css?url';
import type { DrivePhase } from './drives.ts';
import type { LatLng } from './geo.ts';
import { yieldToMain } from '../shared/main-thread.ts';

export interface MapDrive extends LatLng {
  id: string;
  name: string;
  /** "Chủ Nhật, 19/04/2020, 07:00–11:00" */
  when: string;
  place: string;
  href: string;
  phase: DrivePhase;
}

export interface MapOptions {
  tileUrl: string;
  attribution: string;
  /** Group markers that crowd together (the map of every drive). */
  cluster: boolean;
}

export interface DriveMapView {
  /**
   * Shows these drives, replacing the ones shown before; resolves once they
   * are on the map. A newer call supersedes one still under way.
   */
  showDrives(drives: readonly MapDrive[]): Promise<void>;
  /** Marks where the person is and brings the nearest of `around` into view. */
  showOrigin(origin: LatLng, around: readonly LatLng[]): void;
  /** Removes the mark of where the person is (the place they typed was not found). */
  clearOrigin(): void;
  /** Resolves with the next point the person taps or clicks on the map. */
  pickPoint(): Promise<LatLng>;
  /** Marks a chosen position (the console's drive form), brought into view when `centre`. */
  markPoint(point: LatLng, centre: boolean): void;
}

// The whole province: the first view when no drive is to be shown.
const PROVINCE_BOUNDS = L.latLngBounds([8.55, 104.7], [9.65, 105.85]);

function driveIcon(phase: DrivePhase): L.DivIcon {
  return L.divIcon({
    className: `drive-marker drive-marker--${phase}`,
    // The pin is drawn by CSS on an inner element: Leaflet places the marker
    // with a transform on the outer one.
    html: '<span class="drive-marker__pin"></span>',
    iconSize: [30, 30],
    iconAnchor: [15, 30],
    popupAnchor: [0, -28],
  });
}

function popupContent(drive: MapDrive): HTMLElement {
  const box = document.createElement('div');
  box.className = 'drive-popup';
  const name = document.createElement('a');
  name.href = drive.href;
  name.textContent = drive.name;
  name.className = 'drive-popup__name';
  const when = document.createElement('p');
  when.textContent = drive.when;
  const place = document.createElement('p');
  place.textContent = drive.place;
  box.append(name, when, place);
  return box;
}

function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  const count = cluster.getChildCount();
  return L.divIcon({
    // The count is a number, so it can go into HTML as it is.
    html: `<span aria-hidden="true">${count}</span><span class="sr-only">${count} điểm hiến máu, bấm để xem gần hơn</span>`,
    className: 'drive-cluster',
    iconSize: [40, 40],
  });
}

function loadMapStyles(): Promise<void> {
  const existing = document.querySelector<HTMLLinkElement>(`link[href="${mapStylesUrl}"]`);
  if (existing) return Promise.resolve();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = mapStylesUrl;
  const loaded = new Promise<void>((resolve, reject) => {
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => reject(new Error(`could not load ${mapStylesUrl}`)));
  });
  document.head.append(link);
  return loaded;
}

/*
 * The work is cut into tasks, each followed by yieldToMain(): evaluating
 * Leaflet and the cluster plugin, making the map, placing the first view
 * (its tiles), then the markers. In one task they blocked the page for about
 * 85 ms twice over in Lighthouse's mobile profile (Total Blocking Time).
 */
export async function createDriveMap(container: HTMLElement, options: MapOptions): Promise<DriveMapView> {
  await Promise.all([loadMapStyles(), options.cluster ? import('leaflet.markercluster') : undefined]);
  await yieldToMain();
  container.replaceChildren();
  // No view yet: the first showDrives sets it around the drives, so tiles load
  // once, for that view, rather than for the whole province and then again.
  const map = L.map(container, { zoomControl: false, scrollWheelZoom: false });
  L.control.zoom({ zoomInTitle: 'Phóng to', zoomOutTitle: 'Thu nhỏ' }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  // The tiles' credit at once: the layer adds its own only once the map has a view (showDrives,
  // tasks later), and the control growing from "Leaflet" to two lines was a layout shift on a
  // slow phone. Leaflet counts the same text twice as one line.
  map.attributionControl.addAttribution(options.attribution);
  L.tileLayer(options.tileUrl, { attribution: options.attribution, maxZoom: 19 }).addTo(map);
  // Leaflet's close button is labelled in English.
  map.on('popupopen', (event) => {
    event.popup.getElement()?.querySelector('.leaflet-popup-close-button')?.setAttribute('aria-label', 'Đóng');
  });

  // L.MarkerClusterGroup exists only once the plugin has loaded, above.
  const clusters = options.cluster
    ? L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 50 })
    : undefined;
  const layer: L.FeatureGroup = clusters ?? L.featureGroup();
  layer.addTo(map);
  let origin: L.CircleMarker | undefined;
  let chosen: L.Marker | undefined;
  let hasView = false;
  let latest = 0;

  return {
    async showDrives(drives) {
      const ticket = ++latest;
      if (!origin) {
        // Making the map and drawing its first view are tasks of their own.
        if (!hasView) await yieldToMain();
        if (ticket !== latest) return;
        if (drives.length > 0) {
          const bounds = L.latLngBounds(drives.map((drive) => L.latLng(drive.latitude, drive.longitude)));
          map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
        } else if (!hasView) map.fitBounds(PROVINCE_BOUNDS);
        hasView = true;
        await yieldToMain();
        if (ticket !== latest) return;
      }
      performance.mark('drive-map:markers:start');
      const added = drives.map((drive) =>
        L.marker([drive.latitude, drive.longitude], {
          icon: driveIcon(drive.phase),
          title: drive.name,
          keyboard: true,
        })
          .bindPopup(() => popupContent(drive))
          // A focusable marker needs a name screen readers read (a title is only a tooltip): the drive's.
          .on('add', (event: L.LeafletEvent) => {
            (event.target as L.Marker).getElement()?.setAttribute('aria-label', drive.name);
          }),
      );
      // Cleared just before the new markers go in, so two calls under way never leave both sets.
      layer.clearLayers();
      if (clusters) clusters.addLayers(added);
      else added.forEach((marker) => layer.addLayer(marker));
      performance.measure('drive-map:markers', 'drive-map:markers:start');
    },
    showOrigin(point, around) {
      origin?.remove();
      origin = L.circleMarker([point.latitude, point.longitude], {
        radius: 9,
        color: '#1d4ed8',
        weight: 3,
        fillColor: '#3b82f6',
        fillOpacity: 0.9,
        interactive: false,
      }).addTo(map);
      const [nearest] = around;
      const bounds = L.latLngBounds([[point.latitude, point.longitude]]);
      if (nearest) bounds.extend([nearest.latitude, nearest.longitude]);
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 14 });
      hasView = true;
    },
    clearOrigin() {
      origin?.remove();
      origin = undefined;
    },
    markPoint(point, centre) {
      chosen?.remove();
      chosen = L.marker([point.latitude, point.longitude], {
        icon: driveIcon('upcoming'),
        interactive: false,
        keyboard: false,
      }).addTo(map);
      if (centre || !hasView) map.setView([point.latitude, point.longitude], Math.max(map.getZoom() || 0, 15));
      hasView = true;
    },
    pickPoint() {
      container.classList.add('is-picking');
      return new Promise((resolve) => {
        map.once('click', (event: L.LeafletMouseEvent) => {
          container.classList.remove('is-picking');
          resolve({ latitude: event.latlng.lat, longitude: event.latlng.lng });
        });
      });
    },
  };
}
