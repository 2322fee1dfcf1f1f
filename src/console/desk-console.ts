/**
 * <desk-console>: the desk page's island. It sends the desk's forms in the
 * background; when the connection is down it keeps each one on the device,
 * shows it as not yet sent, and sends it when the connection returns —
 * once, because each carries its own idempotency key that the server
 * remembers. It keeps the figures and statuses live (a poll every few
 * seconds) and starts the QR scanner (qr-scanner.ts, loaded on demand).
 */
import { CONFIRM_DAY_PARAM, dayOfTap } from './console-paths.ts';
import type { DeskStatus } from './desk-status.ts';
import { CHECK_IN_LABEL, QUEUE_WORDS, SCAN_WORDS, STATUS_WORDS } from './words.ts';

interface QueuedAction {
  key: string;
  body: string;
  label: string;
}

interface Answer {
  ok: boolean;
  code?: string;
  problem?: string;
  message?: string;
}

interface Live {
  version: number;
  figures: Record<string, number>;
  statuses: Record<string, DeskStatus>;
}

const POLL_MS = 5_000;
const MESSAGE_KEY = 'desk-message';
class DeskConsole extends HTMLElement {
  #actionUrl = '';
  #figuresUrl = '';
  #version = 0;
  #sending = false;

  get #queueKey(): string {
    return `desk-queue:${this.#actionUrl}`;
  }

  connectedCallback() {
    this.#actionUrl = this.dataset['actionUrl'] ?? '';
    this.#figuresUrl = this.dataset['figuresUrl'] ?? '';
    this.#version = Number(this.dataset['version'] ?? 0);
    this.addEventListener('submit', (event) => this.#onSubmit(event));
    window.addEventListener('online', () => void this.#flush());
    this.#showQueue();
    void this.#flush();
    setInterval(() => {
      if (document.visibilityState === 'visible') void this.#poll().then(() => this.#flush());
    }, POLL_MS);
    this.#setUpScanner();
    const message = sessionStorage.getItem(MESSAGE_KEY);
    if (message) {
      sessionStorage.removeItem(MESSAGE_KEY);
      this.#say(message, false);
    }
    // After a check-in the person is at the top; otherwise the code field waits for the next one.
    const person = this.querySelector<HTMLElement>('[data-person] h2');
    if (person) person.focus();
  }

  #onSubmit(event: SubmitEvent) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-desk-form')) return;
    event.preventDefault();
    const data = new FormData(form);
    // A key per press: the page's own key would make two offline check-ins one.
    const key = crypto.randomUUID();
    data.set('key', key);
    // The day of the tap goes with the form: kept offline and sent after midnight, it is still
    // recorded for the drive's day (src/console/README.md, "Actions").
    const confirmedDay = new URLSearchParams(window.location.search).get(CONFIRM_DAY_PARAM);
    data.set('otherDay', dayOfTap(window.location.search, new Date()));
    const body = new URLSearchParams(data as unknown as Record<string, string>).toString();
    const code = data.get('code');
    const label = `${String(data.get('intent') === 'arrive' ? CHECK_IN_LABEL : (form.querySelector('button')?.textContent ?? '')).trim()}${typeof code === 'string' && code ? ` ${code.toUpperCase()}` : ''}`;
    const action = { key, body, label };
    if (!navigator.onLine) {
      this.#enqueue(action, form);
      return;
    }
    void this.#send(action).then((answer) => {
      if (answer === 'offline') {
        this.#enqueue(action, form);
        return;
      }
      if (!answer.ok) {
        // A walk-in's mistakes stand beside its fields, which only the page draws: it is
        // sent again the plain way (nothing was stored, so nothing can be stored twice).
        if (answer.problem === 'invalid' && form.hasAttribute('data-field-errors')) {
          form.submit();
          return;
        }
        this.#say(answer.message ?? '', true);
        return;
      }
      // The page that shows the person (or the desk again) says what was done.
      sessionStorage.setItem(MESSAGE_KEY, answer.message ?? '');
      const next = new URLSearchParams();
      if (answer.code) next.set('ma', answer.code);
      if (confirmedDay) next.set(CONFIRM_DAY_PARAM, confirmedDay);
      window.location.assign(`?${next.toString()}`);
    });
  }

  #enqueue(action: QueuedAction, form: HTMLFormElement) {
    this.#store([...this.#queue(), action]);
    this.#showQueue();
    if (form.hasAttribute('data-check-in')) {
      form.reset();
      form.querySelector<HTMLInputElement>('[name="code"]')?.focus();
    }
  }

  /** An answer, or 'offline' when it never reached the server (or the server could not take it). */
  async #send(action: QueuedAction): Promise<Answer | 'offline'> {
    try {
      const response = await fetch(this.#actionUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: action.body,
        credentials: 'same-origin',
      });
      if (response.status === 401) {
        this.#say(QUEUE_WORDS.signedOut, true);
        return 'offline';
      }
      // Refused for now (too many at once, or the server is down): kept and tried again later.
      if (response.status === 429 || response.status >= 500) return 'offline';
      return (await response.json()) as Answer;
    } catch {
      return 'offline';
    }
  }

  /** Sends what was kept, oldest first, one at a time; stops at the first that cannot go yet. */
  async #flush() {
    if (this.#sending || !navigator.onLine) return;
    this.#sending = true;
    let sent = 0;
    // Every refusal is shown, not only the last: the organiser must see each action not recorded.
    const refused: string[] = [];
    try {
      for (let queue = this.#queue(); queue.length > 0; queue = this.#queue()) {
        const [first] = queue;
        if (!first) break;
        const answer = await this.#send(first);
        if (answer === 'offline') break;
        sent += 1;
        this.#store(this.#queue().filter((a) => a.key !== first.key));
        if (!answer.ok) refused.push(`${first.label}: ${answer.message ?? ''}`);
      }
    } finally {
      this.#sending = false;
      this.#showQueue();
      if (refused.length > 0) this.#say([QUEUE_WORDS.refused(refused.length), ...refused].join('\n'), true);
    }
    // What was just sent shows in the figures at once; a page just drawn has them already.
    if (sent > 0) void this.#poll();
  }

  #queue(): QueuedAction[] {
    try {
      const kept = JSON.parse(localStorage.getItem(this.#queueKey) ?? '[]') as unknown;
      return Array.isArray(kept) ? (kept as QueuedAction[]) : [];
    } catch {
      return [];
    }
  }

  #store(queue: QueuedAction[]) {
    if (queue.length === 0) localStorage.removeItem(this.#queueKey);
    else localStorage.setItem(this.#queueKey, JSON.stringify(queue));
  }

  #showQueue() {
    const box = this.querySelector<HTMLElement>('[data-queue]');
    const list = this.querySelector<HTMLElement>('[data-queue-list]');
    const count = this.querySelector<HTMLElement>('[data-queue-count]');
    if (!box || !list || !count) return;
    const queue = this.#queue();
    box.hidden = queue.length === 0;
    count.textContent = QUEUE_WORDS.pending(queue.length);
    list.replaceChildren(
      ...queue.map((action) => {
        const item = document.createElement('li');
        item.textContent = action.label;
        return item;
      }),
    );
  }

  #say(message: string, problem: boolean) {
    const line = this.querySelector<HTMLElement>('[data-message]');
    if (!line) return;
    line.setAttribute('role', problem ? 'alert' : 'status');
    // The page drew it green or red for its own answer; this message sets its own colours.
    line.classList.toggle('border-brand', problem);
    line.classList.toggle('bg-brand-soft', problem);
    line.classList.toggle('border-green-700', !problem);
    line.classList.toggle('bg-green-50', !problem);
    line.textContent = message;
  }

  async #poll() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(`${this.#figuresUrl}?sau=${this.#version}`, { credentials: 'same-origin' });
      if (!response.ok) return;
      const live = (await response.json()) as Live;
      this.#version = live.version;
      for (const cell of this.querySelectorAll<HTMLElement>('[data-figure]')) {
        const value = live.figures[cell.dataset['figure'] ?? ''];
        if (value === undefined) continue;
        const places = /\/\d+$/.exec(cell.textContent?.trim() ?? '')?.[0] ?? '';
        cell.textContent = `${value}${places}`;
      }
      for (const [code, status] of Object.entries(live.statuses)) {
        for (const cell of this.querySelectorAll<HTMLElement>(`[data-status-for="${CSS.escape(code)}"]`)) {
          cell.textContent = STATUS_WORDS[status];
          // Roster lines are coloured by their status class (global.css, .roster).
          if (cell.tagName === 'B') cell.className = status;
        }
      }
    } catch {
      // Offline or a dropped poll: the next one tries again.
    }
  }

  #setUpScanner() {
    const scanner = this.querySelector<HTMLElement>('[data-scanner]');
    const video = this.querySelector<HTMLVideoElement>('[data-scan-video]');
    const view = this.querySelector<HTMLElement>('[data-scan-view]');
    const status = this.querySelector<HTMLElement>('[data-scan-status]');
    const form = this.querySelector<HTMLFormElement>('[data-check-in]');
    if (!scanner || !video || !view || !status || !form || !navigator.mediaDevices?.getUserMedia) return;
    scanner.hidden = false;
    let stop: (() => void) | undefined;
    this.querySelector('[data-scan-start]')?.addEventListener('click', () => {
      view.hidden = false;
      status.textContent = SCAN_WORDS.starting;
      import('./qr-scanner.ts')
        .then(({ startScanner }) =>
          startScanner(video, (code) => {
            view.hidden = true;
            status.textContent = '';
            const field = form.querySelector<HTMLInputElement>('[name="code"]');
            if (field) field.value = code;
            form.requestSubmit();
          }),
        )
        .then((stopScanner) => {
          stop = stopScanner;
          status.textContent = SCAN_WORDS.aim;
        })
        .catch(() => {
          status.textContent = SCAN_WORDS.noCamera;
        });
    });
    this.querySelector('[data-scan-stop]')?.addEventListener('click', () => {
      stop?.();
      view.hidden = true;
    });
  }
}

customElements.define('desk-console', DeskConsole);
