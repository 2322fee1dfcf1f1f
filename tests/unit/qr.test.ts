/**
 * The QR codes of src/sharing/qr.ts: the SVG a confirmation shows and the modules it keeps on
 * the device are one symbol, and a reader (jsQR, as the console's scanner uses on phones
 * without BarcodeDetector) reads the text back from it.
 */
import fc from 'fast-check';
import jsQR from 'jsqr';
import { expect, test } from 'vitest';
import { qrModules, qrSvg } from '../../src/sharing/qr.ts';
import { formatCode, newConfirmationCode } from '../../src/signup/codes.ts';

/** The modules an SVG of qrSvg draws: each `M x y.5hN` / `m dx 0hN` is a run of N dark modules. */
function modulesOfSvg(svg: string): { size: number; bits: string } {
  const viewBox = /viewBox="0 0 (\d+) \1"/.exec(svg);
  const path = /<path stroke="#000000" d="([^"]*)"\/>/.exec(svg);
  if (!viewBox || !path) throw new Error(`not an SVG of qrSvg: ${svg.slice(0, 80)}`);
  const size = Number(viewBox[1]) - 4;
  const dark = Array.from({ length: size * size }, () => false);
  let x = 0;
  let y = 0;
  for (const [, move, a, b, run] of (path[1] ?? '').matchAll(/([Mm])(-?\d+) (-?\d+(?:\.5)?)h(\d+)/g)) {
    if (move === 'M') {
      x = Number(a) - 2;
      y = Number(b) - 2.5;
    } else x += Number(a);
    for (let i = 0; i < Number(run); i += 1) dark[y * size + x + i] = true;
    x += Number(run);
  }
  return { size, bits: dark.map((d) => (d ? '1' : '0')).join('') };
}

/** What a camera would read from the modules: 4 pixels a module, 4 modules of quiet zone. */
function read({ size, bits }: { size: number; bits: string }): string | undefined {
  const scale = 4;
  const side = (size + 8) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let i = 0; i < bits.length; i += 1) {
    if (bits[i] !== '1') continue;
    const [mx, my] = [(i % size) + 4, Math.floor(i / size) + 4];
    for (let py = my * scale; py < (my + 1) * scale; py += 1)
      for (let px = mx * scale; px < (mx + 1) * scale; px += 1)
        rgba.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
  }
  return jsQR(rgba, side, side)?.data;
}

async function expectReadsBack(text: string): Promise<{ size: number }> {
  const svg = await qrSvg(text);
  const modules = qrModules(text);
  expect(modulesOfSvg(svg)).toEqual(modules);
  expect(read(modules)).toBe(text);
  return modules;
}

test('a confirmation code is a 21-module symbol (version 1, one alphanumeric segment) that reads back', async () => {
  for (const code of ['0000000000', '1234567890', 'AAAAAAAAAA', 'A000000000', '00000000ZZ', 'K7P2M9QX4T']) {
    expect((await expectReadsBack(formatCode(code))).size).toBe(21);
  }
  for (let i = 0; i < 100; i += 1) expect((await expectReadsBack(formatCode(newConfirmationCode()))).size).toBe(21);
  const ALPHABET = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...ALPHABET), { minLength: 10, maxLength: 10 }), async (letters) => {
      expect((await expectReadsBack(formatCode(letters.join('')))).size).toBe(21);
    }),
    { numRuns: 150 },
  );
});

test('an address (lower case letters, so in byte mode) reads back too', async () => {
  await expectReadsBack('https://hienmau.camau.vn/diem-hien-mau/');
  await expectReadsBack('https://hienmau.camau.vn/diem-hien-mau/cong-an-phuong-an-xuyen-05-12-2026/');
});

test('the SVG is a white square with the quiet zone, drawn to scale', async () => {
  const svg = await qrSvg('K7P2-M9QX-4T');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 25 25" shape-rendering="crispEdges">/);
  expect(svg).toContain('<path fill="#ffffff" d="M0 0h25v25H0z"/>');
  // The finder pattern's top edge: seven dark modules from the corner of the quiet zone.
  expect(svg).toContain('d="M2 2.5h7');
});
