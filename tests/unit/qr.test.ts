import { createRequire } from 'node:module';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { afterEach, expect, test, vi } from 'vitest';
import { qrModules, qrSvg } from '../../src/sharing/qr.ts';
import { formatCode, newConfirmationCode } from '../../src/signup/codes.ts';

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

test('a confirmation code’s symbol, made from one alphanumeric segment, is the one the package’s own search makes, bit for bit', async () => {
  const same = async (text: string) => {
    // What qr.ts drew before it gave the segment itself: the package's search for the shortest mix.
    const before = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const { size, bits } = qrModules(text);
    expect(size).toBe(before.modules.size);
    expect(bits).toBe(Array.from(before.modules.data, (bit) => (bit ? '1' : '0')).join(''));
    expect(await qrSvg(text)).toBe(
      await QRCode.toString(text, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
        color: { dark: '#000000', light: '#ffffff' },
      }),
    );
  };
  // Runs of digits are where the search could have mixed in a numeric segment.
  for (const code of ['0000000000', '1234567890', 'AAAAAAAAAA', 'A000000000', '00000000ZZ', 'K7P2M9QX4T']) {
    await same(formatCode(code));
  }
  for (let i = 0; i < 200; i += 1) await same(formatCode(newConfirmationCode()));
  const ALPHABET = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'];
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...ALPHABET), { minLength: 10, maxLength: 10 }), async (letters) => {
      await same(formatCode(letters.join('')));
    }),
    { numRuns: 300 },
  );
  // An address keeps the package's own choice of segments (lower-case letters are not alphanumeric).
  await same('https://hienmau.camau.vn/diem-hien-mau/');
});
