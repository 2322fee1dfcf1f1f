import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { afterEach, expect, test, vi } from 'vitest';
import { qrModules, qrSvg } from '../../src/sharing/qr.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

test('the SVG is the one QRCode.toString draws, and the modules are that symbol’s', async () => {
  const text = 'K7P2-M9QX-4T';
  const options = { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } };
  expect(await qrSvg(text)).toBe(await QRCode.toString(text, options as QRCode.QRCodeToStringOptions));
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, bits } = qrModules(text);
  expect(size).toBe(modules.size);
  expect(bits).toBe(Array.from(modules.data, (bit) => (bit ? '1' : '0')).join(''));
});

test('a confirmation’s SVG and its modules for the device come from one symbol, made once', async () => {
  // QRCode.create, and the package's own module that its toString() calls.
  const core = createRequire(import.meta.url)('qrcode/lib/core/qrcode.js') as Pick<typeof QRCode, 'create'>;
  const creates = [vi.spyOn(QRCode, 'create'), vi.spyOn(core, 'create')];
  await qrSvg('ABCD-EFGH-JK');
  qrModules('ABCD-EFGH-JK');
  expect(creates.reduce((calls, create) => calls + create.mock.calls.length, 0)).toBe(1);
});
