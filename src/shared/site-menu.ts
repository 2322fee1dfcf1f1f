/**
 * The <site-menu> island of SiteHeader.astro: only what <details> cannot do by itself. Escape
 * closes the menu (focus back on its summary), and so does a click or Tab that leaves it.
 * Without this script the summary still opens and closes it; it is added after the first paint
 * (src/shared/after-paint-chunk.ts), or at the first tap or key.
 */
class SiteMenu extends HTMLElement {
  connectedCallback() {
    const menu = this.querySelector('details');
    if (!menu) return;
    const close = () => {
      menu.open = false;
    };
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !menu.open) return;
      const inside = menu.contains(document.activeElement);
      close();
      if (inside) menu.querySelector('summary')?.focus();
    });
    document.addEventListener('click', (event) => {
      if (menu.open && !menu.contains(event.target as Node)) close();
    });
    menu.addEventListener('focusout', (event) => {
      const next = event.relatedTarget;
      if (next instanceof Node && !menu.contains(next)) close();
    });
  }
}

customElements.define('site-menu', SiteMenu);
