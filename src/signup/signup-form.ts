/**
 * <signup-form>: enhances the sign-up form. It shows the places left in each
 * slot (fetched live, a full slot cannot be chosen), pre-checks eligibility
 * as people type, and runs the server's own schema before sending, so most
 * mistakes are explained at once. When the form is right it is posted as it
 * is: the server answers exactly as it does without JavaScript.
 */
import { calendarDateInVietnam, parseCalendarDate } from '../shared/dates.ts';
import { donorProblems, type Sex } from '../eligibility/eligibility.ts';
import { FIELD_CONTROL_IDS, fieldErrors, formValues, type SignupField } from './form-fields.ts';
import type { DriveOption } from './schema.ts';

import { placesLeftHref } from '../shared/links.ts';
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

// Which element each field's error points to, and where its message goes.
const FIELD_TARGETS: Partial<Record<SignupField, string>> = Object.fromEntries(
  Object.entries(FIELD_CONTROL_IDS).filter(([field]) => field !== 'website'),
);
const ERROR_IDS: Partial<Record<SignupField, string>> = {
  ...FIELD_TARGETS,
  sex: 'gioi-tinh',
  drive: 'khung-gio',
  slot: 'khung-gio',
};

let schemaModule: Promise<typeof import('./schema.ts')> | undefined;
const loadSchema = () => (schemaModule ??= import('./schema.ts'));

class SignupForm extends HTMLElement {
  #driveOption: DriveOption | undefined;
  #form!: HTMLFormElement;

  connectedCallback() {
    const data = JSON.parse(this.dataset['drive'] ?? 'null') as DriveData | null;
    if (data) this.#driveOption = { ...data, start: new Date(data.start), end: new Date(data.end) };
    const form = this.querySelector<HTMLFormElement>('form[data-signup]');
    if (!form) return;
    this.#form = form;

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#checkAndSend();
    });
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
      for (const { slot, capacity, taken } of (await response.json()) as PlacesLeft[]) {
        const label = this.querySelector(`[data-places="${CSS.escape(slot)}"]`);
        const radio = this.querySelector<HTMLInputElement>(`input[name="slot"][value="${CSS.escape(slot)}"]`);
        if (!label || !radio) continue;
        const left = Math.max(0, capacity - taken);
        label.textContent = left === 0 ? 'Hết chỗ' : `Còn ${left}/${capacity} chỗ`;
        radio.disabled = left === 0;
        if (left === 0) radio.checked = false;
      }
    } catch {
      // Offline or the server is busy: the form still works; the server checks places on sending.
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

  async #checkAndSend() {
    const values = formValues(new FormData(this.#form));
    // The schema (and zod with it) loads when first needed: most of the island is ready without it.
    const { signupSchema } = await loadSchema();
    const schema = signupSchema({
      findDrive: (slug) => (slug === this.#driveOption?.slug ? this.#driveOption : undefined),
      now: () => new Date(),
    });
    const result = await schema.safeParseAsync(values);
    const errors = result.success ? {} : fieldErrors(result.error.issues);
    for (const field of Object.keys(ERROR_IDS) as SignupField[]) this.#showError(field, errors[field]);
    const summary = this.querySelector<HTMLElement>('[data-error-summary]');
    const list = summary?.querySelector('[data-error-list]');
    if (!summary || !list) return;
    if (result.success) {
      summary.hidden = true;
      // submit(), not requestSubmit(): this runs while the first submit event
      // may still be dispatching, when requestSubmit() silently does nothing.
      this.#form.submit();
      return;
    }
    list.replaceChildren(
      ...Object.entries(errors).map(([field, message]) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#${FIELD_TARGETS[field as SignupField] ?? ''}`;
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
