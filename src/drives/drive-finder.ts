/**
 * <drive-finder>: the map page's island. It reads every drive from the list
 * the page already has, decides again from the reader's clock which drives are
 * still to come, filters the list, orders it by distance from where the person
 * is (their location, a place they type, or a point they tap on the map), and
 * shows the same drives on a Leaflet map loaded only here. The province's
 * place list, for places where no drive is, is fetched only once someone
 * starts typing a place (docs/developers.md, "Places").
 */
import { MAP_NEEDS_CONNECTION } from './words.ts';
import { compareForList, drivePhase, isOpen, PHASE_LABELS, type DriveStatus } from './drives.ts';
import { byDistance, formatKm, haversineKm, type LatLng } from './geo.ts';
import {
  clearBestPlace,
  fromPlaceListJson,
  placeNames,
  searchPlaces,
  type PlaceListJson,
  type PlaceMatch,
  type ProvincePlace,
} from './places.ts';
import type { DriveMapView, MapDrive } from './leaflet-map.ts';
import { afterLoadWhenIdle } from '../shared/main-thread.ts';

type WhenFilter = 'upcoming' | 'past' | 'all';

interface ListedDrive extends MapDrive {
  item: HTMLLIElement;
  start: Date;
  end: Date;
  status: DriveStatus;
  commune: string;
  oldNames: string[];
  address: string;
}

const GEOLOCATION_ERRORS: Record<number, string> = {
  1: 'Bạn chưa cho phép trang biết vị trí.',
  2: 'Điện thoại chưa xác định được vị trí của bạn lúc này.',
  3: 'Xác định vị trí lâu quá nên trang đã dừng.',
};
const OTHER_WAY = 'Hãy gõ tên xã, phường nơi bạn ở vào ô bên dưới, hoặc chọn vị trí trên bản đồ.';

function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`drive-finder: missing ${selector}`);
  return element;
}

function readDrive(item: HTMLLIElement): ListedDrive {
  const data = item.dataset;
  const link = required<HTMLAnchorElement>(item, 'a');
  const time = required<HTMLTimeElement>(item, 'time');
  return {
    item,
    id: data['driveId'] ?? '',
    name: link.textContent.trim(),
    href: link.getAttribute('href') ?? '',
    when: (time.parentElement?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    address: required(item, '[data-address]').textContent.trim(),
    place: required(item, '[data-address]').textContent.trim(),
    latitude: Number(data['latitude']),
    longitude: Number(data['longitude']),
    start: new Date(data['start'] ?? ''),
    end: new Date(data['end'] ?? ''),
    status: (data['status'] ?? 'scheduled') as DriveStatus,
    commune: data['commune'] ?? '',
    oldNames: (data['oldNames'] ?? '').split('|').filter(Boolean),
    phase: 'upcoming',
  };
}

class DriveFinder extends HTMLElement {
  #drives: ListedDrive[] = [];
  #now = new Date();
  #origin: { point: LatLng; label: string } | undefined;
  #map: Promise<DriveMapView | undefined> = Promise.resolve(undefined);
  /** Starts the map, once: when it comes near the screen, or when someone picks a point on it. */
  #startMap = () => {};
  #shownOnMap = '';
  #provincePlaces: Promise<ProvincePlace[]> | undefined;

  connectedCallback() {
    const list = required<HTMLOListElement>(this, '[data-list]');
    this.#drives = [...list.querySelectorAll<HTMLLIElement>(':scope > li[data-drive-id]')].map(readDrive);
    this.#refreshPhases();

    required<HTMLButtonElement>(this, '[data-locate]').addEventListener('click', () => this.#locate());
    const placeInput = required<HTMLInputElement>(this, '#noi-cua-ban');
    // Fetched as soon as the person heads for the box, so it is usually there by the time they submit.
    for (const type of ['focus', 'input']) {
      placeInput.addEventListener(type, () => void this.#loadProvincePlaces(), { once: true });
    }
    required<HTMLFormElement>(this, '[data-place-form]').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#findPlace(placeInput.value);
    });
    required<HTMLButtonElement>(this, '[data-pick]').addEventListener('click', () => void this.#pickOnMap());
    required(this, '[data-filters]').addEventListener('change', () => this.#render());

    // The list, its filters and "find the nearest drive" work from here on; the map waits until it
    // is near the screen (on a phone it is below the finder's controls), the page has loaded and
    // the phone is idle, so Leaflet never holds up the first paint or a first tap, and a phone
    // that never scrolls to it never fetches it.
    this.#map = new Promise<void>((start) => (this.#startMap = start))
      .then(() => afterLoadWhenIdle())
      .then(() => this.#loadMap());
    const container = required<HTMLElement>(this, '[data-map]');
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        this.#startMap();
      },
      // Only once some of it is on the screen: at a phone's 412 × 823 it begins just below the first one.
      { rootMargin: '0px' },
    );
    observer.observe(container);
    this.#render();
  }

  /** Upcoming or over, from the reader's clock: the page may have been built days ago. */
  #refreshPhases() {
    for (const drive of this.#drives) {
      drive.phase = drivePhase(drive, this.#now);
      const badge = drive.item.querySelector<HTMLElement>('[data-phase]');
      if (badge && badge.dataset['phase'] !== drive.phase) {
        badge.dataset['phase'] = drive.phase;
        badge.textContent = PHASE_LABELS[drive.phase];
      }
    }
  }

  #isShown(drive: ListedDrive, when: WhenFilter, commune: string): boolean {
    if (commune && drive.commune !== commune) return false;
    if (when === 'upcoming') return isOpen(drive, this.#now);
    if (when === 'past') return drive.end <= this.#now || drive.status === 'finished';
    return true;
  }

  /** Nearest first once the person has said where they are; otherwise soonest first. */
  #ordered(): { drive: ListedDrive; km?: number }[] {
    if (!this.#origin) return [...this.#drives].sort(compareForList(this.#now)).map((drive) => ({ drive }));
    return byDistance(this.#drives, this.#origin.point).map(({ item, km }) => ({ drive: item, km }));
  }

  /** Applies order, filters and distances to the list, then the map. */
  #render(): ListedDrive[] {
    const when = (required<HTMLInputElement>(this, 'input[name="when"]:checked').value || 'all') as WhenFilter;
    const commune = required<HTMLSelectElement>(this, 'select[name="commune"]').value;
    const list = required<HTMLOListElement>(this, '[data-list]');
    const ordered = this.#ordered();
    const shown: ListedDrive[] = [];
    // Appending moves the existing items: one call, one re-layout, and none when the order
    // is already right (as the page was built, when the island starts).
    if (ordered.some(({ drive }, index) => list.children[index] !== drive.item)) {
      list.append(...ordered.map(({ drive }) => drive.item));
    }
    for (const { drive, km } of ordered) {
      const visible = this.#isShown(drive, when, commune);
      drive.item.hidden = !visible;
      if (visible) shown.push(drive);
      // Without a place to measure from, no distance from an earlier one may stay on screen.
      const distance = required<HTMLElement>(drive.item, '[data-distance]');
      distance.textContent = km === undefined ? '' : `Cách ${formatKm(km)}`;
      distance.hidden = km === undefined;
    }
    required<HTMLElement>(this, '[data-count]').textContent =
      shown.length === this.#drives.length
        ? `${this.#drives.length} điểm hiến máu.`
        : `Đang hiện ${shown.length} trong ${this.#drives.length} điểm hiến máu.`;
    required<HTMLElement>(this, '[data-empty]').hidden = shown.length > 0;
    void this.#showOnMap(shown);
    return shown;
  }

  async #showOnMap(shown: ListedDrive[]) {
    const key = shown
      .map((d) => d.id)
      .sort()
      .join(' ');
    const map = await this.#map;
    if (!map || key === this.#shownOnMap) return;
    this.#shownOnMap = key;
    await map.showDrives(shown);
    this.dataset['mapReady'] = 'true';
  }

  async #loadMap(): Promise<DriveMapView | undefined> {
    const container = required<HTMLElement>(this, '[data-map]');
    if (!navigator.onLine) {
      // Tiles come from the network: say so, and start the map once the connection is back.
      required(container, '[data-map-fallback]').textContent = MAP_NEEDS_CONNECTION;
      await new Promise((resolve) => addEventListener('online', resolve, { once: true }));
    }
    try {
      const { createDriveMap } = await import('./leaflet-map.ts');
      return await createDriveMap(container, {
        tileUrl: this.dataset['tileUrl'] ?? '',
        attribution: this.dataset['attribution'] ?? '',
        cluster: true,
      });
    } catch (error) {
      console.warn('drive-finder: the map could not load', error);
      required(container, '[data-map-fallback]').textContent =
        'Không tải được bản đồ. Danh sách dưới đây vẫn có đủ mọi điểm hiến máu.';
      required<HTMLButtonElement>(this, '[data-pick]').hidden = true;
      return undefined;
    }
  }

  #say(message: string) {
    required<HTMLElement>(this, '[data-status]').textContent = message;
  }

  #locate() {
    const button = required<HTMLButtonElement>(this, '[data-locate]');
    if (!('geolocation' in navigator)) {
      this.#offerOtherWay('Trình duyệt này không cho biết vị trí.');
      return;
    }
    button.disabled = true;
    this.#say('Đang xác định vị trí của bạn…');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        button.disabled = false;
        this.#setOrigin({ latitude: position.coords.latitude, longitude: position.coords.longitude }, 'vị trí của bạn');
      },
      (error) => {
        button.disabled = false;
        this.#offerOtherWay(GEOLOCATION_ERRORS[error.code] ?? GEOLOCATION_ERRORS[2] ?? '');
      },
      // A position from the last ten minutes is close enough to choose a drive.
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 600_000 },
    );
  }

  #offerOtherWay(problem: string) {
    this.#say(`${problem} ${OTHER_WAY}`);
    required<HTMLInputElement>(this, '#noi-cua-ban').focus();
  }

  /** The province's place list; without it (offline, a failed fetch) the drives' own names still work. */
  #loadProvincePlaces(): Promise<ProvincePlace[]> {
    this.#provincePlaces ??= (async () => {
      const url = this.dataset['placesUrl'];
      if (!url) return [];
      try {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const places = fromPlaceListJson((await response.json()) as PlaceListJson);
        this.#suggest(places);
        return places;
      } catch (error) {
        console.warn('drive-finder: the place list could not load; searching the drives only', error);
        this.#provincePlaces = undefined;
        return [];
      }
    })();
    return this.#provincePlaces;
  }

  /** Adds today's communes and the old districts to the suggestions under the box. */
  #suggest(places: readonly ProvincePlace[]) {
    const list = this.querySelector('datalist');
    if (!list) return;
    const known = new Set([...list.options].map((option) => option.value));
    const added = placeNames([], places)
      .filter((name) => !known.has(name))
      .map((name) => Object.assign(document.createElement('option'), { value: name }));
    list.append(...added);
  }

  /** Distances from a place that is no longer what the person asked for leave the list, the map and the status. */
  #forgetOrigin() {
    if (!this.#origin) return;
    this.#origin = undefined;
    this.#render();
    void this.#map.then((map) => map?.clearOrigin());
  }

  async #findPlace(query: string) {
    const choices = required<HTMLElement>(this, '[data-choices]');
    choices.hidden = true;
    choices.replaceChildren();
    if (query.trim().length < 2) {
      this.#say('Hãy gõ ít nhất 2 chữ của tên xã, phường hoặc nơi bạn ở.');
      return;
    }
    const matches = searchPlaces(query, this.#drives, await this.#loadProvincePlaces());
    const best = clearBestPlace(matches);
    if (best) {
      this.#setOrigin(best, best.label);
      return;
    }
    this.#forgetOrigin();
    if (matches.length === 0) {
      this.#say(
        `Không tìm thấy “${query.trim()}” trong tên xã, phường của tỉnh và địa chỉ các điểm hiến máu. Danh sách đang xếp theo ngày. Hãy thử tên khác, ví dụ Giá Rai hoặc Phường 5, hoặc chọn vị trí trên bản đồ.`,
      );
      return;
    }
    this.#say(`Có ${Math.min(matches.length, 6)} nơi khớp với “${query.trim()}”. Bạn ở gần nơi nào?`);
    choices.append(...matches.slice(0, 6).map((match) => this.#choiceButton(match)));
    choices.hidden = false;
    choices.querySelector('button')?.focus();
  }

  #choiceButton(match: PlaceMatch): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button-secondary justify-start text-left';
    button.textContent = match.label;
    button.addEventListener('click', () => {
      required<HTMLElement>(this, '[data-choices]').hidden = true;
      this.#setOrigin(match, match.label);
    });
    return button;
  }

  async #pickOnMap() {
    const container = required<HTMLElement>(this, '[data-map]');
    this.#startMap();
    const map = await this.#map;
    if (!map) return;
    container.scrollIntoView({ block: 'center', behavior: 'smooth' });
    this.#say('Chạm vào bản đồ tại nơi bạn đang ở.');
    const point = await map.pickPoint();
    this.#setOrigin(point, 'điểm bạn chọn trên bản đồ');
  }

  #setOrigin(point: LatLng, label: string) {
    this.#origin = { point: { latitude: point.latitude, longitude: point.longitude }, label };
    const shown = this.#render();
    const [nearest] = shown;
    void this.#map.then((map) => map?.showOrigin(this.#origin?.point ?? point, shown));
    if (!nearest) {
      this.#say(`Đã tính khoảng cách từ ${label}, nhưng không có điểm nào khớp bộ lọc. Hãy chọn “Tất cả”.`);
      return;
    }
    const km = formatKm(haversineKm(point, nearest));
    // Built from nodes, not HTML: names come from content files.
    const link = document.createElement('a');
    link.href = nearest.href;
    link.textContent = nearest.name;
    required<HTMLElement>(this, '[data-status]').replaceChildren(
      `Đã xếp theo khoảng cách từ ${label}. Gần nhất: `,
      link,
      `, cách ${km}, ${nearest.when}.`,
    );
  }
}

customElements.define('drive-finder', DriveFinder);
