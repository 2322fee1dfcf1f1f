/**
 * QR codes as SVG, made at build time with the `qrcode` package: the code
 * for a page's address, to print on posters and show on screens.
 */
import QRCode from 'qrcode';

/** An SVG of the QR code for `url`, scalable, dark on white, with a quiet zone. */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    color: { dark: '#000000', light: '#ffffff' },
  });
}

/** The modules of the QR code for `text`, for drawing it again in the browser (offline/qr-drawing.ts). */
export function qrModules(text: string): { size: number; bits: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  let bits = '';
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) bits += modules.get(row, column) ? '1' : '0';
  }
  return { size: modules.size, bits };
}
