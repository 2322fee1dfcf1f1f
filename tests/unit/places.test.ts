import { describe, expect, test } from 'vitest';
import { clearBestPlace, normalizePlace, placeNames, searchPlaces, type PlaceSource } from '../../src/drives/places.ts';

const drives: PlaceSource[] = [
  {
    id: 'an-xuyen',
    commune: 'Phường An Xuyên',
    oldNames: ['Phường 5', 'TP Cà Mau'],
    address: 'số 12 đường Trần Hưng Đạo, phường An Xuyên',
    latitude: 9.18,
    longitude: 105.15,
  },
  {
    id: 'tan-thanh',
    commune: 'Phường Tân Thành',
    oldNames: ['Phường 7', 'TP Cà Mau'],
    address: 'Nhà văn hóa khóm 3, phường Tân Thành',
    latitude: 9.17,
    longitude: 105.17,
  },
  {
    id: 'gia-rai',
    commune: 'Phường Giá Rai',
    oldNames: ['Phường 1', 'thị xã Giá Rai', 'huyện Giá Rai'],
    address: 'Trung tâm Y tế, đường Nguyễn Tất Thành, phường Giá Rai',
    latitude: 9.24,
    longitude: 105.45,
  },
  {
    id: 'dam-doi',
    commune: 'Xã Đầm Dơi',
    oldNames: ['thị trấn Đầm Dơi', 'huyện Đầm Dơi'],
    address: 'Trường THPT Đầm Dơi, ấp Thanh Tùng',
    latitude: 8.99,
    longitude: 105.19,
  },
];

const best = (query: string) => clearBestPlace(searchPlaces(query, drives));

describe('normalizePlace', () => {
  test.each([
    ['Phường 5, TP Cà Mau', 'phuong 5 thanh pho ca mau'],
    ['P.5', 'phuong 5'],
    ['p5', 'phuong 5'],
    ['F5', 'phuong 5'],
    ['  ĐẦM   DƠI ', 'dam doi'],
    ['TX. Giá Rai', 'thi xa gia rai'],
  ])('%j → %j', (text, normal) => {
    expect(normalizePlace(text)).toBe(normal);
  });
});

describe('searchPlaces', () => {
  test.each([
    ['gia rai', 'Phường Giá Rai'],
    ['Giá Rai', 'Phường Giá Rai'],
    ['GIA RAI', 'Phường Giá Rai'],
    ['huyen gia rai', 'huyện Giá Rai'],
    ['dam doi', 'Xã Đầm Dơi'],
    ['Đầm Dơi', 'Xã Đầm Dơi'],
    ['an xuyen', 'Phường An Xuyên'],
    ['p5', 'Phường 5'],
    ['phuong 7', 'Phường 7'],
    ['ca mau', 'TP Cà Mau'],
    ['tp ca mau', 'TP Cà Mau'],
    ['tran hung dao', 'số 12 đường Trần Hưng Đạo, phường An Xuyên'],
  ])('%j finds %j', (query, label) => {
    expect(best(query)?.label).toBe(label);
  });

  test('an old name shared by drives is one place at their average position', () => {
    const place = best('ca mau');
    expect(place?.ids.sort()).toEqual(['an-xuyen', 'tan-thanh']);
    expect(place?.latitude).toBeCloseTo(9.175, 6);
    expect(place?.longitude).toBeCloseTo(105.16, 6);
  });

  test('"duong" (đường) matches addresses, with their diacritics; two streets are a choice, not a guess', () => {
    const matches = searchPlaces('duong', drives);
    expect(matches.map((m) => m.label)).toEqual([
      'số 12 đường Trần Hưng Đạo, phường An Xuyên',
      'Trung tâm Y tế, đường Nguyễn Tất Thành, phường Giá Rai',
    ]);
    expect(clearBestPlace(matches)).toBeUndefined();
  });

  test("a name being typed matches by its last word's start", () => {
    expect(best('gia ra')?.label).toBe('Phường Giá Rai');
  });

  test('a commune or old name wins over an address that mentions it', () => {
    expect(best('tan thanh')?.label).toBe('Phường Tân Thành');
  });

  test('nothing is found for an unknown place, an empty or a one-letter query', () => {
    expect(searchPlaces('Hà Nội', drives)).toEqual([]);
    expect(searchPlaces('', drives)).toEqual([]);
    expect(searchPlaces(' a ', drives)).toEqual([]);
  });
});

describe('placeNames', () => {
  test('lists every commune and old name once, in Vietnamese order', () => {
    const names = placeNames(drives);
    expect(names.filter((n) => n === 'TP Cà Mau')).toHaveLength(1);
    expect(names).toContain('Xã Đầm Dơi');
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'vi')));
  });
});

describe('clearBestPlace', () => {
  const match = (label: string, score: number, ids: string[]) => ({ label, score, ids, latitude: 9, longitude: 105 });

  test('a single best score wins', () => {
    expect(clearBestPlace([match('A', 4, ['a']), match('B', 3, ['b'])])?.label).toBe('A');
  });

  test('a tie between places that share no drives is a choice', () => {
    expect(clearBestPlace([match('A', 4, ['a']), match('B', 4, ['b'])])).toBeUndefined();
  });

  test('a tie where one place contains the other picks the wider place', () => {
    const ward = match('Phường Giá Rai', 4, ['gia-rai']);
    const oldTown = match('thị xã Giá Rai', 4, ['gia-rai', 'lang-tron']);
    expect(clearBestPlace([ward, oldTown])?.label).toBe('thị xã Giá Rai');
  });

  test('no matches, no place', () => {
    expect(clearBestPlace([])).toBeUndefined();
  });
});
