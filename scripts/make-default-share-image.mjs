// Draws public/og/mac-dinh.png, the 1200×630 image used when a page is shared
// until per-page images exist. Run by hand after changing the design:
//   node scripts/make-default-share-image.mjs
// Needs Debian's Chromium and a font with Vietnamese glyphs (fonts-noto-core).
import { launchChromium } from './chromium.mjs';

const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
  body { margin: 0; width: 1200px; height: 630px; font-family: 'Noto Sans', sans-serif; background: #fef2f2; color: #1f2937; }
  .card { box-sizing: border-box; width: 1200px; height: 630px; padding: 72px 80px; display: flex; gap: 64px; align-items: center; border-bottom: 24px solid #b91c1c; }
  h1 { font-size: 80px; line-height: 1.1; margin: 0; font-weight: 800; color: #7f1d1d; }
  p { font-size: 32px; margin: 28px 0 0; }
  svg { flex: none; width: 240px; height: 240px; }
</style></head><body><div class="card">
  <svg viewBox="0 0 32 32"><path d="M16 2C16 2 5 14.5 5 21a11 11 0 0 0 22 0C27 14.5 16 2 16 2Z" fill="#b91c1c"/><path d="M14 15h4v4h4v4h-4v4h-4v-4h-4v-4h4z" fill="#fff"/></svg>
  <div><h1>Hiến máu an toàn – Không ngại Covid</h1>
  <p>Hội Chữ thập đỏ tỉnh Cà Mau<br>Công an tỉnh Cà Mau</p></div>
</div></body></html>`;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  await page.setContent(html);
  await page.screenshot({ path: new URL('../public/og/mac-dinh.png', import.meta.url).pathname });
} finally {
  await browser.close();
}
