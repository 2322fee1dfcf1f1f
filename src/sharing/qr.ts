/**
 * QR codes as SVG, made at build time for a page's address (to print on posters and show on
 * screens) and on demand for a sign-up's confirmation code. The symbol comes from the `qr`
 * package (paulmillr/qr: no dependencies, ISO/IEC 18004:2024, its mask choice scored on packed
 * bytes): about a fifth of the `qrcode` package's time for a confirmation code (0.024 ms
 * against 0.12 ms, and 0.2 of a sign-up answer's 2.3 ms in the server's profile:
 * docs/benchmarks.md, "Sign-ups: counting places"). The SVG is drawn here, one stroked line per
 * run of dark modules on a white square, as small as `qrcode` drew it (the package's own SVG
 * is three times the size and has no background).
 */
import encodeQR from 'qr';

/** Error correction M: a code on a scratched phone screen or a creased print still reads. */
const ERROR_CORRECTION = 'medium';
/** The quiet zone, in modules on each side, as the pages have always drawn it. */
const MARGIN = 2;

/*
 * The confirmation page draws one code twice, as its SVG and as the modules it keeps on the
 * device (offline/SaveOnDevice.astro): the symbol is made once for both. A few pages render at a time.
 */
const recent = new Map<string, readonly boolean[][]>();
const RECENT_MAX = 32;

/** QR's alphanumeric mode: digits, capitals, space and $%*+-./: — a confirmation code (K7P2-M9QX-4T) is all of it. */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/** The symbol's modules, row by row, without a quiet zone (true is dark). */
function symbol(text: string): readonly boolean[][] {
  let modules = recent.get(text);
  if (!modules) {
    // The package draws at least one module of quiet zone; it is cut off here.
    const bordered = encodeQR(text, 'raw', {
      ecc: ERROR_CORRECTION,
      border: 1,
      ...(ALPHANUMERIC.test(text) ? { encoding: 'alphanumeric' as const } : {}),
    });
    modules = bordered.slice(1, -1).map((row) => row.slice(1, -1));
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
    recent.set(text, modules);
  }
  return modules;
}

/** An SVG of the QR code for `text`: scalable, dark on white, with a quiet zone of two modules. */
export async function qrSvg(text: string): Promise<string> {
  const modules = symbol(text);
  const size = modules.length + 2 * MARGIN;
  let path = '';
  modules.forEach((row, y) => {
    let penX: number | undefined;
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x] || (x > 0 && row[x - 1])) continue;
      let run = 1;
      while (row[x + run]) run += 1;
      // A line through the middle of the row, one module thick; moves after the first are relative.
      path += penX === undefined ? `M${x + MARGIN} ${y + MARGIN}.5h${run}` : `m${x - penX} 0h${run}`;
      penX = x + run;
    }
  });
  return Promise.resolve(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
      `<path fill="#ffffff" d="M0 0h${size}v${size}H0z"/><path stroke="#000000" d="${path}"/></svg>`,
  );
}

/** The modules of the QR code for `text`, for drawing it again in the browser (offline/qr-drawing.ts). */
export function qrModules(text: string): { size: number; bits: string } {
  const modules = symbol(text);
  return { size: modules.length, bits: modules.map((row) => row.map((dark) => (dark ? '1' : '0')).join('')).join('') };
}
