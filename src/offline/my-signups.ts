/** <my-signups>: draws the sign-ups kept on this device (saved-signups.ts), offline too, and removes one when asked. */
import { formatLongDate, formatTimeRange } from '../shared/dates.ts';
import { driveCalendarHref, driveHref } from '../shared/links.ts';
import { qrSvg } from './qr-drawing.ts';
import { deviceStorage, inShowingOrder, savedStore, withoutSaved, type SavedSignup } from './saved-signups.ts';
import { ADD_TO_CALENDAR, CODE_LABEL, DIRECTIONS, QR_LABEL, REMOVE_FROM_DEVICE } from './words.ts';

const formatted = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href: string, text: string, className = 'button-secondary') {
  const a = element('a', className, text);
  a.href = href;
  return a;
}

class MySignups extends HTMLElement {
  readonly #store = savedStore(deviceStorage());

  connectedCallback() {
    this.querySelector('[data-no-js]')?.remove();
    this.#draw();
  }

  #draw() {
    const { coming, past } = inShowingOrder(this.#store.read(), new Date());
    this.querySelector<HTMLElement>('[data-empty]')?.toggleAttribute('hidden', coming.length + past.length > 0);
    this.querySelector('[data-coming]')?.replaceChildren(...coming.map((s) => this.#card(s, true)));
    this.querySelector('[data-past]')?.replaceChildren(...past.map((s) => this.#card(s, false)));
    this.querySelector<HTMLElement>('[data-past-section]')?.toggleAttribute('hidden', past.length === 0);
  }

  #card(signup: SavedSignup, coming: boolean): HTMLElement {
    const card = element('article', `rounded-2xl border-2 p-5 ${coming ? 'border-green-700' : 'border-gray-300'}`);
    card.dataset['savedCode'] = signup.code;
    const heading = element('h2', 'text-2xl font-bold');
    heading.append(link(driveHref(signup.driveSlug), signup.driveName, ''));
    const start = new Date(signup.start);
    const when = element(
      'p',
      'mt-1 text-lg',
      `${formatLongDate(start)}, ${formatTimeRange(start, new Date(signup.end))}`,
    );
    const where = element('p', 'text-lg', signup.address);
    const codeLabel = element('p', 'mt-4 text-base', CODE_LABEL);
    const code = element('p', 'font-mono text-3xl font-bold tracking-wider', formatted(signup.code));
    const qr = element('div', 'mt-3 w-full max-w-72 bg-white p-2');
    qr.append(qrSvg(signup.qr, QR_LABEL(formatted(signup.code))));
    const actions = element('p', 'mt-4 flex flex-wrap gap-3');
    const directions = link(signup.directions, DIRECTIONS);
    directions.rel = 'noopener noreferrer';
    const calendar = link(driveCalendarHref(signup.driveSlug), ADD_TO_CALENDAR);
    calendar.setAttribute('download', '');
    const remove = element('button', 'button-secondary', REMOVE_FROM_DEVICE);
    remove.type = 'button';
    remove.addEventListener('click', () => {
      this.#store.write(withoutSaved(this.#store.read(), signup.code));
      this.#draw();
    });
    actions.append(directions, calendar, remove);
    card.append(heading, when, where, codeLabel, code, qr, actions);
    return card;
  }
}

customElements.define('my-signups', MySignups);
