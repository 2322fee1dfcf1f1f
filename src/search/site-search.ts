/**
 * The <site-search> island of SiteSearch.astro, in every page's header: the dialog, its keys and
 * its results. It is added after the page's largest paint (src/shared/after-paint-chunk.ts), and
 * the search code itself is fetched when the dialog first opens (header-search-chunk.ts). Before
 * it arrives the header's search link leads to the search page.
 */
import type { HeaderSearchClient } from './header-search.ts';
import headerSearchUrl from 'virtual:header-search-url';

let loading: Promise<HeaderSearchClient> | undefined;

function client(island: HTMLElement): Promise<HeaderSearchClient> {
  loading ??= new Promise((resolve, reject) => {
    island.addEventListener('search-client', (event) => resolve((event as CustomEvent<HeaderSearchClient>).detail), {
      once: true,
    });
    const code = document.createElement('script');
    code.type = 'module';
    code.src = headerSearchUrl;
    // Offline, with the code not yet kept by the service worker: the status line says so, and
    // the next try fetches it again.
    code.addEventListener('error', () => {
      loading = undefined;
      code.remove();
      reject(new Error('the search code did not load'));
    });
    document.head.append(code);
  });
  return loading;
}

class SiteSearch extends HTMLElement {
  #dialog!: HTMLDialogElement;
  #input!: HTMLInputElement;
  #opener: HTMLElement | null = null;
  /** The status line's first words (the page has them from words.ts), shown again when the field is cleared. */
  #hint = '';
  #latest = 0;

  connectedCallback() {
    const dialog = this.querySelector('dialog');
    const input = this.querySelector<HTMLInputElement>('#tim-nhanh');
    const open = this.querySelector<HTMLAnchorElement>('[data-open]');
    if (!dialog || !input || !open) return;
    this.#dialog = dialog;
    this.#input = input;
    this.#hint = this.querySelector('[data-status]')?.textContent.trim() ?? '';
    open.setAttribute('role', 'button');
    open.addEventListener('click', (event) => {
      event.preventDefault();
      this.open();
    });
    this.querySelector('[data-close]')?.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => this.#opener?.focus());
    // A modal dialog keeps the page inert, but Tab past its last control would
    // leave for the browser's own bar: it goes round to the first instead.
    dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      const controls = [...dialog.querySelectorAll<HTMLElement>('a[href], button, input')].filter(
        (element) => element.offsetParent !== null,
      );
      const first = controls[0];
      const last = controls.at(-1);
      if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      } else if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      }
    });
    // A click on the backdrop (the dialog box itself, outside its content) closes it.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
    input.addEventListener('input', () => void this.#search());
    // In a search field Esc would first clear the text; here it closes, as everywhere in the dialog.
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      dialog.close();
    });
    this.querySelector('[data-form]')?.addEventListener('submit', (event) => {
      event.preventDefault();
      window.location.href = `/tim-kiem/?q=${encodeURIComponent(input.value.trim())}`;
    });
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      const typing = target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
      if ((event.key === '/' && !typing) || (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        this.open();
      }
    });
  }

  open() {
    if (this.#dialog.open) return;
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.#dialog.showModal();
    this.#input.focus();
    // Starting to search is the moment to fetch the search code, not page load.
    void client(this)
      .then(({ pagefind }) => pagefind())
      .catch(() => undefined);
  }

  async #search() {
    const query = this.#input.value.trim();
    const ticket = ++this.#latest;
    const status = this.querySelector<HTMLElement>('[data-status]');
    const list = this.querySelector('[data-results]');
    const more = this.querySelector<HTMLElement>('[data-more]');
    if (!status || !list || !more) return;
    if (query.length < 2) {
      list.replaceChildren();
      more.replaceChildren();
      status.textContent = this.#hint;
      return;
    }
    let loaded: HeaderSearchClient;
    try {
      loaded = await client(this);
    } catch {
      if (ticket === this.#latest) status.textContent = this.dataset['loadFailed'] ?? '';
      return;
    }
    const { failureMessage, renderHits, resultsMessage, search, OPEN_SEARCH_PAGE, SEE_ALL_RESULTS } = loaded;
    try {
      const answer = await search(query);
      if (ticket !== this.#latest) return;
      list.replaceChildren(...renderHits(answer.hits, 'h3'));
      status.textContent = resultsMessage(query, answer.total);
      const link = document.createElement('a');
      link.href = `/tim-kiem/?q=${encodeURIComponent(query)}`;
      link.textContent = answer.total > answer.hits.length ? SEE_ALL_RESULTS : OPEN_SEARCH_PAGE;
      more.replaceChildren(link);
    } catch (error) {
      if (ticket !== this.#latest) return;
      status.textContent = failureMessage(error);
    }
  }
}

customElements.define('site-search', SiteSearch);
