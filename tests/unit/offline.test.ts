import { describe, expect, test } from 'vitest';
import { comingDrivePages, drivePagesThatFit, isNetworkOnly, MY_SIGNUPS_PATH } from '../../src/offline/offline-plan.ts';
import {
  inShowingOrder,
  readSaved,
  savedStore,
  withoutSaved,
  withSaved,
  type SavedSignup,
} from '../../src/offline/saved-signups.ts';
import { webManifest } from '../../src/offline/web-manifest.ts';
import { qrModules } from '../../src/sharing/qr.ts';

describe('what the service worker keeps', () => {
  test.each([
    ['/api/diem-hien-mau/x/cho-trong.json', true],
    ['/to-chuc/x/', true],
    ['/dang-ky/', true],
    ['/dang-ky/huy/', true],
    ['/_actions/signup/', true],
    ['/doi-nhom/', true],
    ['/nhac-hen/', true],
    [MY_SIGNUPS_PATH, false],
    ['/', false],
    ['/tin-tuc/bai/', false],
    ['/diem-hien-mau/x/', false],
  ])('%s is network only: %s', (path, expected) => {
    expect(isNetworkOnly(path)).toBe(expected);
  });

  test('drives to come, soonest first; cancelled and past ones left out', () => {
    const slot = (day: string) => ({ id: `${day}T07:00:00+07:00`, end: `${day}T07:30:00+07:00` });
    const now = new Date('2026-12-05T12:00:00+07:00');
    const pages = comingDrivePages(
      [
        { slug: 'later', status: 'scheduled', slots: [slot('2026-12-20')] },
        { slug: 'cancelled', status: 'cancelled', slots: [slot('2026-12-10')] },
        { slug: 'past', status: 'scheduled', slots: [slot('2026-12-01')] },
        { slug: 'soon', status: 'scheduled', slots: [slot('2026-12-06')] },
      ],
      now,
    );
    expect(pages).toEqual(['/diem-hien-mau/soon/', '/diem-hien-mau/later/']);
  });

  test('drive pages are kept soonest first while they fit the budget', () => {
    const cost = () => 40;
    expect(drivePagesThatFit(['/a/', '/b/', '/c/'], 100, cost, 200)).toEqual({ kept: ['/a/', '/b/'], total: 180 });
    expect(drivePagesThatFit(['/a/'], 190, cost, 200)).toEqual({ kept: [], total: 190 });
  });

  test('the manifest is Vietnamese, standalone from /, with 192, 512 and maskable icons and three shortcuts', () => {
    const manifest = webManifest();
    expect(manifest).toMatchObject({ lang: 'vi', start_url: '/', display: 'standalone', theme_color: '#b91c1c' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    expect(manifest.shortcuts.map((s) => s.url)).toEqual(['/diem-hien-mau/', '/dang-ky/', '/dang-ky-cua-toi/']);
  });
});

describe('sign-ups kept on the device', () => {
  const signup = (code: string, day: string): SavedSignup => ({
    code,
    driveSlug: 'gia-rai',
    driveName: 'Đợt Giá Rai',
    start: `${day}T07:00:00+07:00`,
    end: `${day}T07:30:00+07:00`,
    address: 'Hội trường xã',
    directions: 'https://www.google.com/maps/dir/?api=1&destination=9.2,105.4',
    qr: qrModules(code),
  });

  test('kept, replaced by code, removed; to come first, past at the bottom', () => {
    const a = signup('7K3Q9XWD2P', '2026-12-20');
    const b = signup('ABCD1234EF', '2026-12-06');
    const old = signup('0000000001', '2026-11-01');
    let list = withSaved(withSaved(withSaved([], a), b), old);
    list = withSaved(list, { ...a, address: 'Nhà văn hóa' });
    expect(list).toHaveLength(3);
    const { coming, past } = inShowingOrder(list, new Date('2026-12-05T12:00:00+07:00'));
    expect(coming.map((s) => s.code)).toEqual(['ABCD1234EF', '7K3Q9XWD2P']);
    expect(coming[1]?.address).toBe('Nhà văn hóa');
    expect(past.map((s) => s.code)).toEqual(['0000000001']);
    expect(withoutSaved(list, 'ABCD1234EF').map((s) => s.code)).toEqual(['0000000001', '7K3Q9XWD2P']);
  });

  test.each([
    ['nothing', null],
    ['not JSON', '{'],
    ['not a list', '{"code":"7K3Q9XWD2P"}'],
    ['a code with I', JSON.stringify([{ ...signup('7K3Q9XWD2P', '2026-12-20'), code: 'I000000000' }])],
    [
      'a script link for directions',
      JSON.stringify([{ ...signup('7K3Q9XWD2P', '2026-12-20'), directions: 'javascript:alert(1)' }]),
    ],
    [
      'a QR of the wrong length',
      JSON.stringify([{ ...signup('7K3Q9XWD2P', '2026-12-20'), qr: { size: 21, bits: '1' } }]),
    ],
    ['a slug with a slash', JSON.stringify([{ ...signup('7K3Q9XWD2P', '2026-12-20'), driveSlug: '../x' }])],
  ])('a damaged entry (%s) is left out', (_name, stored) => {
    expect(readSaved(stored)).toEqual([]);
  });

  test('storage that throws or is missing never breaks the page', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(savedStore(broken).read()).toEqual([]);
    expect(savedStore(broken).write([])).toBe(false);
    expect(savedStore(undefined).read()).toEqual([]);
  });
});
