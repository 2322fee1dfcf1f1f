/**
 * <search-page>: the search page's island. It reads the query and filters
 * from the address, searches with Pagefind (search-client.ts) as the person
 * types or sends the form, keeps the address in step so a search can be
 * shared, and shows the results ten at a time.
 */
import {
  failureMessage,
  QUERY_TOO_SHORT,
  renderHits,
  resultsMessage,
  search,
  type SearchAnswer,
  type SearchFilters,
} from './search-client.ts';

// Short Vietnamese names in the address, Pagefind's filter names inside.
const PARAMS = { loai: 'type', nam: 'year', 'chu-de': 'tag' } as const;

class SearchPage extends HTMLElement {
  #latest = 0;
  #answer: SearchAnswer | undefined;

  connectedCallback() {
    const form = this.querySelector<HTMLFormElement>('[data-form]');
    if (!form) return;
    // CSS hides the note already where the browser knows the scripting media feature.
    this.querySelector<HTMLElement>('[data-no-js]')?.setAttribute('hidden', '');
    const params = new URL(window.location.href).searchParams;
    const input = form.elements.namedItem('q') as HTMLInputElement;
    input.value = params.get('q') ?? '';
    const filters = this.querySelector<HTMLDetailsElement>('[data-filters]');
    for (const name of Object.keys(PARAMS)) {
      // A shared search with filters shows them.
      if (filters && params.has(name)) filters.open = true;
      for (const value of params.getAll(name)) {
        const control = form.querySelector<HTMLInputElement | HTMLSelectElement>(
          `[name="${name}"][value="${CSS.escape(value)}"], select[name="${name}"]`,
        );
        if (control instanceof HTMLInputElement) control.checked = true;
        else if (control) control.value = value;
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.#run(form), 250);
    });
    form.addEventListener('change', () => void this.#run(form));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#run(form);
    });
    this.querySelector('[data-more]')?.addEventListener('click', () => void this.#more());
    if (input.value.trim()) void this.#run(form);
  }

  async #run(form: HTMLFormElement) {
    const data = new FormData(form);
    const typed = data.get('q');
    const query = typeof typed === 'string' ? typed.trim() : '';
    const filters: SearchFilters = {};
    const address = new URLSearchParams();
    if (query) address.set('q', query);
    for (const [name, key] of Object.entries(PARAMS)) {
      const values = data.getAll(name).map(String).filter(Boolean);
      if (values.length > 0) filters[key] = values;
      for (const value of values) address.append(name, value);
    }
    history.replaceState(null, '', `/tim-kiem/${address.size ? `?${address}` : ''}`);
    const status = this.querySelector<HTMLElement>('[data-status]');
    const list = this.querySelector<HTMLOListElement>('[data-results]');
    const more = this.querySelector<HTMLButtonElement>('[data-more]');
    if (!status || !list || !more) return;
    const ticket = ++this.#latest;
    if (query.length < 2) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = query ? QUERY_TOO_SHORT : '';
      return;
    }
    status.textContent = 'Đang tìm…';
    try {
      const answer = await search(query, filters);
      if (ticket !== this.#latest) return;
      this.#answer = answer;
      list.replaceChildren(...renderHits(answer.hits, 'h2'));
      more.hidden = answer.hits.length >= answer.total;
      status.textContent = resultsMessage(query, answer.total, Object.keys(filters).length > 0);
    } catch (error) {
      if (ticket !== this.#latest) return;
      status.textContent = failureMessage(error);
    }
  }

  async #more() {
    const list = this.querySelector('[data-results]');
    const more = this.querySelector<HTMLButtonElement>('[data-more]');
    if (!this.#answer || !list || !more) return;
    const hits = await this.#answer.more();
    const items = renderHits(hits, 'h2');
    list.append(...items);
    more.hidden = list.children.length >= this.#answer.total;
    items[0]?.querySelector('a')?.focus();
  }
}

customElements.define('search-page', SearchPage);
