/**
 * <my-signups>: draws the sign-ups kept on this device (saved-signups.ts),
 * offline too, and removes one when asked — after asking, and saying that the
 * place at the drive is still kept: removing only forgets it here. A coming
 * drive's card has "Hủy đăng ký" (/dang-ky/huy/ with its code) beside it.
 */
import { formatLongDate, formatTimeRange } from '../shared/dates.ts';
import { cancelHref, driveCalendarHref, driveHref } from '../shared/links.ts';
import { qrSvg } from './qr-drawing.ts';
import { deviceStorage, inShowingOrder, savedStore, withoutSaved, type SavedSignup } from './saved-signups.ts';
import {
  ADD_TO_CALENDAR,
  CANCEL_SIGNUP,
  CODE_LABEL,
  DIRECTIONS,
  QR_LABEL,
  REMOVE_CONFIRM,
  REMOVE_FROM_DEVICE,
  REMOVE_KEEP,
  REMOVE_QUESTION,
  REMOVED_SAVED,
} from './words.ts';

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
    actions.append(directions, calendar);
    if (coming) actions.append(link(cancelHref(signup.code), CANCEL_SIGNUP));
    actions.append(remove);
    const asking = this.#removeQuestion(signup, remove);
    remove.addEventListener('click', () => {
      asking.hidden = false;
      remove.setAttribute('aria-expanded', 'true');
      asking.querySelector<HTMLElement>('[data-remove-question]')?.focus();
    });
    card.append(heading, when, where, codeLabel, code, qr, actions, asking);
    return card;
  }

  /** The question asked before a sign-up is removed from this device; `remove` is the button that asks it. */
  #removeQuestion(signup: SavedSignup, remove: HTMLButtonElement): HTMLElement {
    const panel = element('div', 'mt-4 grid gap-3 rounded-xl border-2 border-brand bg-brand-soft p-4');
    panel.hidden = true;
    panel.dataset['removeConfirm'] = '';
    panel.id = `xoa-${signup.code}`;
    remove.setAttribute('aria-controls', panel.id);
    remove.setAttribute('aria-expanded', 'false');
    const question = element('p', 'text-lg font-semibold', REMOVE_QUESTION);
    question.tabIndex = -1;
    question.dataset['removeQuestion'] = '';
    const buttons = element('p', 'flex flex-wrap gap-3');
    const confirm = element('button', 'button-primary', REMOVE_CONFIRM);
    confirm.type = 'button';
    confirm.addEventListener('click', () => {
      this.#store.write(withoutSaved(this.#store.read(), signup.code));
      this.#draw();
      this.#sayRemoved(signup);
    });
    const keep = element('button', 'button-secondary', REMOVE_KEEP);
    keep.type = 'button';
    keep.addEventListener('click', () => {
      panel.hidden = true;
      remove.setAttribute('aria-expanded', 'false');
      remove.focus();
    });
    buttons.append(confirm, keep);
    panel.append(question, buttons);
    return panel;
  }

  /** After a removal: the code the device no longer keeps, and the way to cancel, in the status line. */
  #sayRemoved(signup: SavedSignup) {
    const status = this.querySelector<HTMLElement>('[data-removed]');
    if (!status) return;
    const code = formatted(signup.code);
    const words = element('span', '', `${REMOVED_SAVED(code)} `);
    status.replaceChildren(words, link(cancelHref(signup.code), CANCEL_SIGNUP, ''));
    status.hidden = false;
    status.focus();
  }
}

customElements.define('my-signups', MySignups);
