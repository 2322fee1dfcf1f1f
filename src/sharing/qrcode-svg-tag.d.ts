/** The SVG renderer of the `qrcode` package, which its toString() uses; the package's types leave it out. */
declare module 'qrcode/lib/renderer/svg-tag.js' {
  import type { QRCode, QRCodeRenderersOptions } from 'qrcode';

  export function render(qr: QRCode, options: QRCodeRenderersOptions): string;
}
