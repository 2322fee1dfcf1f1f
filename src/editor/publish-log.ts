/**
 * <publish-log>: the publish page's progress, read again every two seconds while a build
 * runs or waits (tien-do.json), so the editor sees the build's lines and its end without
 * reloading. Stops asking once the run is over.
 */
import type { PublishStatus } from './publish-status.ts';
import { RUN_STATE_WORDS } from './words.ts';

const EVERY_MS = 2_000;
const RUNNING = new Set(['queued', 'building', 'switching']);

class PublishLog extends HTMLElement {
  #timer: ReturnType<typeof setTimeout> | undefined;

  connectedCallback(): void {
    if (RUNNING.has(this.dataset['state'] ?? '')) this.#later();
    this.closest('section')
      ?.querySelector('form')
      ?.addEventListener('submit', () => {
        this.dataset['state'] = 'building';
      });
  }

  disconnectedCallback(): void {
    clearTimeout(this.#timer);
  }

  #later(): void {
    this.#timer = setTimeout(() => void this.#read(), EVERY_MS);
  }

  async #read(): Promise<void> {
    try {
      const answer = await fetch(this.dataset['statusUrl'] ?? '', { headers: { Accept: 'application/json' } });
      if (!answer.ok) throw new Error(String(answer.status));
      this.#show((await answer.json()) as PublishStatus);
    } catch {
      // A moment without the server (it is switching builds): ask again.
      this.#later();
    }
  }

  #show(status: PublishStatus): void {
    const run = status.run;
    const state = this.querySelector('[data-run-state]');
    const log = this.querySelector('[data-run-log]');
    if (run && state)
      state.textContent = `${RUN_STATE_WORDS[run.state]}${run.queued ? ' (có một lần xuất bản đang chờ)' : ''}`;
    if (run && log) {
      log.textContent = run.log.join('\n');
      log.scrollTop = log.scrollHeight;
    }
    if (run?.message && !this.querySelector('[data-run-message]')) {
      const box = document.createElement('div');
      box.setAttribute('role', 'alert');
      box.dataset['runMessage'] = '';
      box.className = 'mt-2 rounded-md border-2 border-red-700 bg-red-50 p-3';
      const pre = document.createElement('pre');
      pre.className = 'mt-1 text-sm break-all whitespace-pre-wrap';
      pre.textContent = `Lỗi của bản dựng (trang web vẫn như trước):\n${run.message}`;
      box.append(pre);
      state?.after(box);
    }
    const served = document.querySelector('[data-served]');
    if (served && status.served && run?.state === 'done') {
      served.textContent = `Đang phục vụ phiên bản ${status.served.commit.slice(0, 7)}, xuất bản lúc ${status.served.at} bởi ${status.served.by}.`;
    }
    this.dataset['state'] = run?.state ?? 'idle';
    if (run && (RUNNING.has(run.state) || run.queued)) this.#later();
  }
}

customElements.define('publish-log', PublishLog);
