/**
 * The <needs-banner> island of NeedsBanner.astro. It is added after the page's largest paint
 * (src/shared/after-paint-chunk.ts), so its answer never holds the first screen: a request that
 * ended before that paint counts towards it in Lighthouse's simulation (docs/benchmarks.md,
 * "First paint at the floor"). The bar is fixed over the page, so its arrival moves nothing.
 */
// A failed or slow answer leaves the banner hidden: it is news, not the page.
const HIDDEN = 'needs-banner-hidden';
class NeedsBanner extends HTMLElement {
  connectedCallback() {
    fetch(this.dataset['src'] ?? '')
      .then((answer) => (answer.ok ? answer.json() : null))
      .then((needs: { banner?: { text: string; href: string } | null } | null) => {
        const banner = needs?.banner;
        const link = this.querySelector('a');
        if (!banner || !link || sessionStorage.getItem(HIDDEN) === banner.text) return;
        link.textContent = banner.text;
        link.href = banner.href;
        this.hidden = false;
        this.querySelector('button')?.addEventListener('click', () => {
          this.hidden = true;
          sessionStorage.setItem(HIDDEN, banner.text);
        });
      })
      .catch(() => undefined);
  }
}
customElements.define('needs-banner', NeedsBanner);
