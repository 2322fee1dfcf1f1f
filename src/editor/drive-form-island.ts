/**
 * The drive form's island (`<drive-form>`, DriveForm.astro): the position by tapping the site's
 * own map (src/drives/leaflet-map.ts, the configured tiles) or typing coordinates, the file
 * name proposed as the name and day are typed, the slots and what they do to the sign-ups
 * listed as the times change, and the build's slot-length message beside the field at once.
 * Everything it says the server says too when the form is posted, which stays the check.
 */
import { slotFitMessage } from '../drives/slot-fit.ts';
import type { DriveMapView } from '../drives/leaflet-map.ts';
import {
  changeImpact,
  impactLines,
  proposeDriveSlug,
  slotLines,
  slotShapeOf,
  slotsOf,
  valuesFromForm,
  FORM_NAMES,
  type DriveField,
  type TakenBySlot,
} from './drive-form.ts';
import { DRIVE_WORDS } from './words.ts';

const COORDINATE = /^-?\d{1,3}(?:[.,]\d{1,12})?$/;

class DriveFormIsland extends HTMLElement {
  #form: HTMLFormElement | null = null;
  #map: DriveMapView | undefined;
  /** The file name is proposed until the editor types one of their own. */
  #slugTyped = false;

  connectedCallback() {
    this.#form = this.querySelector('form');
    if (!this.#form) return;
    this.#slugTyped = this.dataset['editing'] === 'true' || this.#control('slug')?.value !== '';
    this.#form.addEventListener('input', (event) => this.#changed(event.target));
    this.#form.addEventListener('change', (event) => this.#changed(event.target));
    void this.#loadMap();
    // For the browser tests: typing before this would not be followed.
    this.dataset['ready'] = 'true';
  }

  #control(field: DriveField): HTMLInputElement | null {
    return this.#form?.querySelector<HTMLInputElement>(`[name="${FORM_NAMES[field]}"]`) ?? null;
  }

  #values() {
    const form = new FormData(this.#form ?? undefined);
    return valuesFromForm((name) => form.get(name));
  }

  #changed(target: EventTarget | null) {
    const field = (target as HTMLElement | null)?.dataset['field'] as DriveField | undefined;
    if (field === 'slug') this.#slugTyped = true;
    if ((field === 'name' || field === 'day') && !this.#slugTyped) {
      const slug = this.#control('slug');
      if (slug) slug.value = proposeDriveSlug(this.#values().name, this.#values().day);
    }
    if (field === 'latitude' || field === 'longitude') this.#typedPosition();
    if (field && ['day', 'startTime', 'endTime', 'slotMinutes', 'places', 'status'].includes(field)) this.#slots();
  }

  /** The slots listed, the slot-length message beside its field, and the change's impact. */
  #slots() {
    const values = this.#values();
    const shape = slotShapeOf(values);
    const taken = JSON.parse(this.dataset['taken'] ?? '{}') as TakenBySlot;
    const message =
      shape && shape.end > shape.start ? slotFitMessage(shape.start, shape.end, shape.minutes) : undefined;
    const { summary, lines } = slotLines(slotsOf(shape), taken, message === undefined);
    const summaryLine = this.querySelector('[data-slots-summary]');
    const list = this.querySelector('[data-slot-list]');
    if (summaryLine) summaryLine.textContent = summary;
    list?.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement('li');
        item.textContent = line;
        return item;
      }),
    );
    this.#say('slotMinutes', message);
    const saved = this.dataset['savedStatus'];
    const impact = impactLines(changeImpact(saved ? { status: saved } : undefined, shape, taken));
    const box = this.querySelector('[data-impact]');
    if (box && impact.length > 0) {
      const frame = document.createElement('div');
      frame.className = 'rounded-md border-2 border-amber-600 bg-amber-50 p-3';
      frame.append(
        ...impact.map((line) => {
          const p = document.createElement('p');
          p.textContent = line;
          return p;
        }),
      );
      box.replaceChildren(frame);
    }
  }

  /** A message of the island's own beside a field (the server's, once posted, replaces it). */
  #say(field: DriveField, message: string | undefined) {
    const control = this.#control(field);
    const error = this.querySelector(`#dm-${FORM_NAMES[field]}-loi`);
    if (!control || !error) return;
    if (message) {
      error.textContent = message;
      control.setAttribute('aria-invalid', 'true');
      control.dataset['islandSaid'] = 'true';
    } else if (control.dataset['islandSaid'] === 'true' || control.getAttribute('aria-invalid') === 'true') {
      error.textContent = '';
      control.removeAttribute('aria-invalid');
      delete control.dataset['islandSaid'];
    }
  }

  #typedPosition() {
    const latitude = this.#control('latitude')?.value.trim() ?? '';
    const longitude = this.#control('longitude')?.value.trim() ?? '';
    if (!COORDINATE.test(latitude) || !COORDINATE.test(longitude)) return;
    this.#map?.markPoint(
      { latitude: Number(latitude.replace(',', '.')), longitude: Number(longitude.replace(',', '.')) },
      true,
    );
  }

  async #loadMap() {
    const container = this.querySelector<HTMLElement>('[data-position-map]');
    if (!container) return;
    try {
      const { createDriveMap } = await import('../drives/leaflet-map.ts');
      const map = await createDriveMap(container, {
        tileUrl: this.dataset['tileUrl'] ?? '',
        attribution: this.dataset['attribution'] ?? '',
        cluster: false,
      });
      this.#map = map;
      const latitude = this.#control('latitude')?.value.trim() ?? '';
      const longitude = this.#control('longitude')?.value.trim() ?? '';
      if (COORDINATE.test(latitude) && COORDINATE.test(longitude)) this.#typedPosition();
      else await map.showDrives([]);
      container.dataset['mapReady'] = 'true';
      for (;;) {
        const point = await map.pickPoint();
        const shown = { latitude: point.latitude.toFixed(6), longitude: point.longitude.toFixed(6) };
        const lat = this.#control('latitude');
        const lng = this.#control('longitude');
        if (lat) lat.value = shown.latitude;
        if (lng) lng.value = shown.longitude;
        map.markPoint(point, false);
        const said = this.querySelector('[data-position-said]');
        if (said) said.textContent = DRIVE_WORDS.positionSet(shown.latitude, shown.longitude);
      }
    } catch (error) {
      console.warn('drive-form: the map could not load', error);
    }
  }
}

customElements.define('drive-form', DriveFormIsland);
