/**
 * The header dialog's search code (SiteSearch.astro). The page carries it as a module
 * script inside a <template>, which the browser neither runs nor fetches; the island puts
 * it in the document when the dialog first opens, and this module hands the search client
 * back with an event. So no page asks for a script before its first paint for the header,
 * and the island itself, importing nothing, is inlined in the page (docs/benchmarks.md,
 * "First paint at the floor").
 */
import * as client from './search-client.ts';

export type HeaderSearchClient = typeof client;

/** The event's name, in the island's words too (SiteSearch.astro). */
export const SEARCH_CLIENT_EVENT = 'search-client';

for (const island of document.querySelectorAll('site-search')) {
  island.dispatchEvent(new CustomEvent<HeaderSearchClient>(SEARCH_CLIENT_EVENT, { detail: client }));
}
