/**
 * <signup-form>: enhances the sign-up form. It shows the places left in each
 * slot (fetched live; a full slot cannot be chosen, or, when the server has a
 * reminder channel, offers "Báo tôi khi có chỗ"), pre-checks eligibility as
 * people type, shows the reminder channels the server has (a static drive
 * page learns them with the places left) and subscribes this browser to Web
 * Push when asked, and runs the server's own schema before sending, so most
 * mistakes are explained at once. When the form is right it is posted as it
 * is: the server answers exactly as it does without JavaScript.
 */
import { calendarDateInVietnam, parseCalendarDate } from '../shared/dates.ts';
import { donorProblems, type Sex } from '../eligibility/eligibility.ts';
import { errorsInFormOrder, FIELD_CONTROL_IDS, fieldErrors, formValues, type SignupField } from './form-fields.ts';
import type { DriveOption } from './schema.ts';
import { placesLeftHref } from '../shared/links.ts';
import { CHANNELS, type Channel } from '../reminder-choice/reminder-types.ts';
import { lessChoice, shownFor, textsKept, textsLabel } from '../reminder-choice/texts-words.ts';

interface DriveData {
  slug: string;
  name: string;
  start: string;
  end: string;
  slots: DriveOption['slots'];
}

interface PlacesLeft {
  slot: string;
  capacity: number;
  taken: number;
}

interface Reminders {
  channels: Channel[];
  pushKey?: string | undefined;
}

// Which element each field's error points to, and where its message goes (the push
// subscription's errors are the push choice's).
const FIELD_TARGETS: Partial<Record<SignupField, string>> = Object.fromEntries(
  Object.entries(FIELD_CONTROL_IDS).filter(([field]) => field !== 'website' && field !== 'pushSubscription'),
);
const ERROR_IDS: Partial<Record<SignupField, string>> = {
  ...FIELD_TARGETS,
  sex: 'gioi-tinh',
  drive: 'khung-gio',
  slot: 'khung-gio',
};

let schemaModule: Promise<typeof import('./schema.ts')> | undefined;
const loadSchema = () => (schemaModule ??= import('./schema.ts'));

/** Web Push needs a service worker, the Push API and notifications; without them it is not offered. */
const canPush = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

class SignupForm extends HTMLElement {
  #driveOption: DriveOption | undefined;
  #form!: HTMLFormElement;
  /** The channels this form offers: none until the server says. */
  #reminders: Reminders = { channels: [] };
  /** Slots with no place left (held places included). */
  #full = new Set<string>();

  connectedCallback() {
    const data = JSON.parse(this.dataset['drive'] ?? 'null') as DriveData | null;
    if (data) this.#driveOption = { ...data, start: new Date(data.start), end: new Date(data.end) };
    const form = this.querySelector<HTMLFormElement>('form[data-signup]');
    if (!form) return;
    this.#form = form;

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const waitlist =
        event.submitter instanceof HTMLButtonElement && event.submitter.hasAttribute('data-join-waitlist');
      void this.#checkAndSend(waitlist ? event.submitter : undefined);
    });
    const known = this.dataset['reminders'];
    if (known) this.#showReminders(JSON.parse(known) as Reminders);
    form.querySelector('[name="reminderPush"]')?.addEventListener('change', (event) => {
      void this.#pushChosen(event.target as HTMLInputElement);
    });
    for (const radio of form.querySelectorAll('[name="slot"]'))
      radio.addEventListener('change', () => this.#slotChosen());
    for (const name of ['birthYear', 'weightKg', 'lastDonation', 'sex']) {
      for (const input of form.querySelectorAll(`[name="${name}"]`))
        input.addEventListener('change', () => this.#precheck());
    }
    form.querySelector('[name="birthYear"]')?.addEventListener('input', () => this.#precheck());
    // An answer being corrected loses its old error; the checks run again on sending.
    form.addEventListener('input', (event) => {
      const name = (event.target as HTMLInputElement).name as SignupField;
      if (name in FIELD_TARGETS && !['birthYear', 'weightKg', 'lastDonation'].includes(name))
        this.#showError(name, undefined);
    });

    // Fetched once the person starts on the form, so it is there when they send it.
    form.addEventListener('focusin', () => void loadSchema(), { once: true });
    void this.#showPlacesLeft();
    const summary = this.querySelector<HTMLElement>('[data-error-summary]');
    if (summary && !summary.hidden) summary.focus();
  }

  #drive(): DriveOption | undefined {
    return this.#driveOption;
  }

  /** Places left in each slot, live; a full slot is disabled and says so. */
  async #showPlacesLeft() {
    const drive = this.#drive();
    if (!drive) return;
    try {
      const response = await fetch(placesLeftHref(drive.slug));
      if (!response.ok) return;
      const token = this.#form.elements.namedItem('formToken') as HTMLInputElement | null;
      const issued = response.headers.get('X-Form-Token');
      if (token && !token.value && issued) token.value = issued;
      // A static page learns here which reminder channels the server has.
      const channels = response.headers.get('X-Reminder-Channels');
      if (channels !== null && !this.dataset['reminders']) {
        this.#showReminders({
          channels: channels.split(/\s+/).filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c)),
          pushKey: response.headers.get('X-Push-Key') ?? undefined,
        });
      }
      for (const { slot, capacity, taken } of (await response.json()) as PlacesLeft[]) {
        const label = this.querySelector(`[data-places="${CSS.escape(slot)}"]`);
        const radio = this.querySelector<HTMLInputElement>(`input[name="slot"][value="${CSS.escape(slot)}"]`);
        if (!label || !radio) continue;
        const left = Math.max(0, capacity - taken);
        const waitable = left === 0 && this.#reminders.channels.length > 0;
        label.textContent = left > 0 ? `Còn ${left}/${capacity} chỗ` : waitable ? 'Hết chỗ, có thể chờ' : 'Hết chỗ';
        radio.disabled = left === 0 && !waitable;
        if (left === 0) this.#full.add(slot);
        if (radio.disabled) radio.checked = false;
      }
      this.#slotChosen();
    } catch {
      // Offline or the server is busy: the form still works; the server checks places on sending.
    }
  }

  /** Shows the reminders part with the channels the server has (Web Push only where this browser can). */
  #showReminders(reminders: Reminders) {
    const channels = reminders.channels.filter((c) => c !== 'push' || (canPush() && reminders.pushKey));
    this.#reminders = { channels, pushKey: reminders.pushKey };
    const part = this.querySelector<HTMLElement>('[data-reminders]');
    if (part) part.hidden = channels.length === 0;
    for (const item of this.querySelectorAll<HTMLElement>('[data-reminders] [data-channel]')) {
      item.hidden = !shownFor(item.dataset['channel'], channels);
    }
    const words = {
      'texts-label': textsLabel(channels),
      'texts-kept': textsKept(channels),
      less: lessChoice(channels),
    };
    for (const [name, text] of Object.entries(words)) {
      const element = this.querySelector<HTMLElement>(`[data-reminders] [data-words="${name}"]`);
      if (element && text !== undefined) element.textContent = text;
    }
  }

  /** A full slot chosen: the form offers its waitlist instead of the sign-up button. */
  #slotChosen() {
    const chosen = this.#form.querySelector<HTMLInputElement>('[name="slot"]:checked')?.value;
    const full = chosen !== undefined && this.#full.has(chosen) && this.#reminders.channels.length > 0;
    const waitlist = this.querySelector<HTMLElement>('[data-waitlist]');
    const button = this.querySelector<HTMLElement>('[data-signup-button]');
    if (waitlist) waitlist.hidden = !full;
    if (button) button.hidden = full;
  }

  /** "Thông báo trên trình duyệt này": asks the browser for a push subscription, kept in a hidden field. */
  async #pushChosen(box: HTMLInputElement) {
    const field = this.#form.elements.namedItem('pushSubscription') as HTMLInputElement | null;
    const status = this.querySelector<HTMLElement>('[data-push-status]');
    if (!field) return;
    field.value = '';
    this.#showError('reminderPush', undefined);
    if (!box.checked || !this.#reminders.pushKey) return;
    if (status) status.textContent = 'Đang bật thông báo…';
    try {
      const { subscribeToPush } = await import('../reminder-choice/push-subscription.ts');
      field.value = await subscribeToPush(this.#reminders.pushKey);
      if (status) status.textContent = 'Đã bật thông báo trên trình duyệt này.';
    } catch (error) {
      box.checked = false;
      const message =
        error instanceof Error && error.name === 'PushUnavailable'
          ? error.message
          : 'Trình duyệt chưa bật được thông báo. Hãy thử lại, hoặc chọn cách nhận khác.';
      if (status) status.textContent = '';
      this.#showError('reminderPush', message);
    }
  }

  /** The rules about age, weight and interval, as soon as the answers are there. */
  #precheck() {
    const drive = this.#drive();
    const values = formValues(new FormData(this.#form));
    const birthYear = Number(values['birthYear']);
    const weightKg = Number((values['weightKg'] ?? '').replace(',', '.'));
    const sex = values['sex'] as Sex | undefined;
    const lastDonation = parseCalendarDate(values['lastDonation'] ?? '') ?? undefined;
    for (const field of ['birthYear', 'weightKg', 'lastDonation'] as const) this.#showError(field, undefined);
    if (!drive || !/^\d{4}$/.test(values['birthYear'] ?? '')) return;
    const problems = donorProblems(
      { birthYear, sex: sex ?? 'female', weightKg: weightKg || 999, lastDonation },
      calendarDateInVietnam(drive.start),
    );
    for (const problem of problems) {
      if (problem.field === 'weightKg' && (!sex || !weightKg)) continue;
      this.#showError(problem.field, problem.message);
    }
  }

  #showError(field: SignupField, message: string | undefined) {
    const id = ERROR_IDS[field];
    if (!id) return;
    const holder = this.querySelector(`#${id}-loi`);
    if (holder) holder.textContent = message ?? '';
    const target = FIELD_TARGETS[field];
    const controls =
      field === 'sex' || field === 'slot'
        ? this.#form.querySelectorAll(`[name="${field}"]`)
        : target
          ? this.querySelectorAll(`#${target}`)
          : [];
    for (const control of controls) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }

  /** `waitlist`: the "Báo tôi khi có chỗ" button that sent it, whose form action is the waitlist's. */
  async #checkAndSend(waitlist?: HTMLButtonElement) {
    const values = formValues(new FormData(this.#form));
    // The schema (and zod with it) loads when first needed: most of the island is ready without it.
    const { signupSchema } = await loadSchema();
    const schema = signupSchema(
      {
        findDrive: (slug) => (slug === this.#driveOption?.slug ? this.#driveOption : undefined),
        now: () => new Date(),
        channels: () => this.#reminders.channels,
      },
      { waitlist: waitlist !== undefined },
    );
    const result = await schema.safeParseAsync(values);
    const errors = result.success ? {} : fieldErrors(result.error.issues);
    for (const field of Object.keys(ERROR_IDS) as SignupField[]) this.#showError(field, errors[field]);
    const summary = this.querySelector<HTMLElement>('[data-error-summary]');
    const list = summary?.querySelector('[data-error-list]');
    if (!summary || !list) return;
    if (result.success) {
      summary.hidden = true;
      // submit() sends to the form's own action, not the button's: the waitlist's is set on the form.
      if (waitlist) this.#form.action = waitlist.formAction;
      // submit(), not requestSubmit(): this runs while the first submit event
      // may still be dispatching, when requestSubmit() silently does nothing.
      this.#form.submit();
      return;
    }
    list.replaceChildren(
      ...errorsInFormOrder(errors).map(([field, message]) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#${FIELD_TARGETS[field] ?? ''}`;
        link.textContent = message;
        item.append(link);
        return item;
      }),
    );
    summary.hidden = false;
    summary.focus();
  }
}

customElements.define('signup-form', SignupForm);
