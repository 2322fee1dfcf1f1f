/**
 * QR codes as SVG, made at build time with the `qrcode` package: the code
 * for a page's address, to print on posters and show on screens; and on
 * demand for a sign-up's confirmation code.
 */
import QRCode from 'qrcode';
import { render as renderSvg } from 'qrcode/lib/renderer/svg-tag.js';

const ERROR_CORRECTION = 'M';

/*
 * The confirmation page draws one code twice, as its SVG and as the modules it
 * keeps on the device (offline/SaveOnDevice.astro): the symbol, whose mask is
 * chosen by trying all eight, is made once for both. A few pages render at a time.
 */
const recent = new Map<string, QRCode.QRCode>();
const RECENT_MAX = 32;

/** QR's alphanumeric mode: digits, capitals, space and $%*+-./: — a confirmation code (K7P2-M9QX-4T) is all of it. */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/*
 * Given a string, the package looks for the shortest mix of segments (numeric runs among the
 * letters), a search that took four fifths of a confirmation code's 1.8 ms on every sign-up
 * answer; that mix is one alphanumeric segment for these codes (tests/unit/qr.test.ts checks the
 * symbols are the same bit for bit), so it is given as one.
 */
function segments(text: string): string | QRCode.QRCodeSegment[] {
  return ALPHANUMERIC.test(text) ? [{ data: text, mode: 'alphanumeric' }] : text;
}

function symbol(text: string): QRCode.QRCode {
  let qr = recent.get(text);
  if (!qr) {
    qr = QRCode.create(segments(text), { errorCorrectionLevel: ERROR_CORRECTION });
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
    recent.set(text, qr);
  }
  return qr;
}

/** An SVG of the QR code for `url`, scalable, dark on white, with a quiet zone (as QRCode.toString draws it). */
export async function qrSvg(url: string): Promise<string> {
  return Promise.resolve(renderSvg(symbol(url), { margin: 2, color: { dark: '#000000', light: '#ffffff' } }));
}

/** The modules of the QR code for `text`, for drawing it again in the browser (offline/qr-drawing.ts). */
export function qrModules(text: string): { size: number; bits: string } {
  const { modules } = symbol(text);
  let bits = '';
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) bits += modules.get(row, column) ? '1' : '0';
  }
  return { size: modules.size, bits };
}
