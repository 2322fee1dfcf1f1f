import { describe, expect, test } from 'vitest';
import { driveSchema } from '../../src/drives/drive-schema.ts';

const valid = {
  name: 'Ngày hội hiến máu phường An Xuyên',
  organiser: 'Hội Chữ thập đỏ tỉnh Cà Mau',
  address: 'số 25 đường Phan Ngọc Hiển, phường An Xuyên',
  commune: 'Phường An Xuyên',
  oldNames: ['Phường 2', 'TP Cà Mau'],
  latitude: 9.1792,
  longitude: 105.1511,
  start: '2026-12-05T07:00:00+07:00',
  end: '2026-12-05T11:00:00+07:00',
  slots: { minutes: 60, places: 40 },
  status: 'scheduled',
  unitsTarget: 150,
  phone: '0290 3000 012',
};

function issues(data: Record<string, unknown>) {
  const result = driveSchema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('drive schema', () => {
  test('accepts a complete drive and reads times with their offset', () => {
    const drive = driveSchema.parse(valid);
    expect(drive.start.toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(drive.oldNames).toEqual(['Phường 2', 'TP Cà Mau']);
  });

  test('old names are optional', () => {
    expect(driveSchema.parse({ ...valid, oldNames: undefined }).oldNames).toEqual([]);
  });

  test.each([
    [
      'coordinates outside Vietnam (swapped)',
      { latitude: 105.1511, longitude: 9.1792 },
      'latitude',
      'nằm ngoài Việt Nam',
    ],
    ['coordinates outside Vietnam (Bangkok)', { latitude: 13.75, longitude: 100.5 }, 'latitude', 'nằm ngoài Việt Nam'],
    ['end before start', { end: '2026-12-05T06:00:00+07:00' }, 'end', 'end (giờ kết thúc) phải sau start'],
    ['end equal to start', { end: '2026-12-05T07:00:00+07:00' }, 'end', 'end (giờ kết thúc) phải sau start'],
    [
      'a slot length that does not divide the drive',
      { slots: { minutes: 45, places: 40 } },
      'slots.minutes',
      'phải chia đều thời gian của buổi: buổi kéo dài 240 phút, từ 07:00 đến 11:00; thử 10, 15, 20, 30, 40, 60, 120, 240',
    ],
    [
      'a finished drive without units given',
      { status: 'finished' },
      'unitsGiven',
      'unitsGiven (số đơn vị máu đã nhận) là bắt buộc',
    ],
    ['units given on a drive not finished', { unitsGiven: 120 }, 'unitsGiven', 'chỉ ghi cho buổi đã xong'],
    ['a time without the +07:00 offset', { start: '2026-12-05T07:00:00' }, 'start', 'YYYY-MM-DDTHH:MM:00+07:00'],
    ['a time in UTC', { start: '2026-12-05T00:00:00Z' }, 'start', '+07:00'],
    ['an impossible date', { start: '2026-02-30T07:00:00+07:00' }, 'start', 'YYYY-MM-DD'],
    ['an unknown status', { status: 'postponed' }, 'status', 'scheduled, cancelled, finished'],
    ['a phone that is not Vietnamese', { phone: '+1 555 0100' }, 'phone', 'số điện thoại Việt Nam'],
    ['an unknown field (a typo)', { adress: 'x' }, '', 'trường không biết: "adress"'],
    ['a drive of two days', { end: '2026-12-06T11:00:00+07:00' }, 'end', 'mỗi ngày một tệp'],
  ])('rejects %s, naming the field', (_, change, path, message) => {
    const found = issues({ ...valid, ...change });
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.map((i) => i.message).join('\n')).toContain(message);
  });

  test('a finished drive with units given is fine', () => {
    expect(issues({ ...valid, status: 'finished', unitsGiven: 0 })).toEqual([]);
  });
});
