import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { isInProvince, placeSchema } from '../../src/drives/place-schema.ts';
import {
  clearBestPlace,
  fromPlaceListJson,
  normalizePlace,
  placeNames,
  searchPlaces,
  toPlaceListJson,
  type PlaceSource,
} from '../../src/drives/places.ts';
import { foldVietnamese } from '../../src/shared/vietnamese.ts';

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

/*
 * With the province's place list (a fixture copy of part of content/places.yaml,
 * read as the map page gets it: through dia-danh.json's shape).
 */
describe('searchPlaces with the province place list', async () => {
  const raw = yaml.load(
    await readFile(resolve(import.meta.dirname, '../fixtures/site/places.yaml'), 'utf8'),
  ) as unknown[];
  const places = fromPlaceListJson(
    toPlaceListJson(
      raw.map((entry) => {
        const data = placeSchema.parse(entry);
        return { ...data, ...data.position };
      }),
    ),
  );
  const byId = (id: string) => places.find((p) => p.id === id);
  // No drive at all where these places are: the list alone must find them.
  const find = (query: string) => clearBestPlace(searchPlaces(query, [], places));

  test.each([
    ['Thới Bình', 'Xã Thới Bình'],
    ['thoi binh', 'Xã Thới Bình'],
    ['THOI BINH', 'Xã Thới Bình'],
    ['Hồng Dân', 'Xã Hồng Dân'],
    ['Phước Long', 'Xã Phước Long'],
    ['trí phải', 'Xã Trí Phải'],
    ['ninh quoi', 'Xã Ninh Quới'],
    ['Sông Đốc', 'Xã Sông Đốc'],
    ['giá rai', 'Phường Giá Rai'],
  ])('%j finds today’s %j where no drive is', (query, label) => {
    expect(find(query)?.label).toBe(label);
  });

  test('an old district is measured from its seat, and says so', () => {
    const place = find('huyen tran van thoi');
    expect(place?.label).toBe('huyện Trần Văn Thời cũ, tính từ Xã Trần Văn Thời');
    expect(place?.latitude).toBe(byId('tran-van-thoi')?.latitude);
    expect(place?.longitude).toBe(byId('tran-van-thoi')?.longitude);
    expect(find('H. Trần Văn Thời')?.label).toBe(place?.label);
    expect(find('tp ca mau')?.label).toBe('thành phố Cà Mau cũ, tính từ Phường An Xuyên');
  });

  test('a former unit finds the unit it is part of now, named with its old district', () => {
    const place = find('thi tran Ngan Dua');
    expect(place?.label).toBe('thị trấn Ngan Dừa (huyện Hồng Dân cũ, nay thuộc Xã Hồng Dân)');
    expect(place?.places).toEqual(['hong-dan']);
    expect(find('xa khanh binh dong')?.label).toBe(
      'xã Khánh Bình Đông (huyện Trần Văn Thời cũ, nay thuộc Xã Khánh Bình)',
    );
  });

  test('"p5" is a choice between the two Phường 5, each with its old city and its ward now', () => {
    const matches = searchPlaces('p5', [], places);
    expect(clearBestPlace(matches)).toBeUndefined();
    expect(matches.map((m) => m.label).sort((a, b) => a.localeCompare(b, 'vi'))).toEqual([
      'Phường 5 (thành phố Bạc Liêu cũ, nay thuộc Phường Vĩnh Trạch)',
      'Phường 5 (thành phố Cà Mau cũ, nay thuộc Phường Tân Thành)',
    ]);
    const inCaMau = matches.find((m) => m.label.includes('Cà Mau'));
    expect(inCaMau?.latitude).toBe(byId('tan-thanh')?.latitude);
  });

  test('"Phường 1" is three places; a unit split in two sits between its parts', () => {
    expect(searchPlaces('phuong 1', [], places).filter((m) => m.label.startsWith('Phường 1 ('))).toHaveLength(3);
    const seven = searchPlaces('Phường 7', [], places).find((m) => m.label.includes('thành phố Cà Mau cũ'));
    expect(seven?.label).toBe('Phường 7 (thành phố Cà Mau cũ, nay thuộc Phường Tân Thành và Phường Hòa Thành)');
  });

  test("a drive in one of today's units is inside it and its district, so the names stay one clear place", () => {
    const drive = {
      id: 'hong-dan-drive',
      commune: 'Xã Hồng Dân',
      oldNames: ['thị trấn Ngan Dừa', 'huyện Hồng Dân'],
      address: 'Trung tâm Văn hóa, ấp Nội Ô, xã Hồng Dân',
      latitude: 9.56,
      longitude: 105.45,
    };
    const place = clearBestPlace(searchPlaces('hong dan', [drive], places));
    expect(place?.label).toBe('Xã Hồng Dân');
    expect(place?.ids).toEqual(['hong-dan-drive']);
    // Measured from the unit's position, not the drive's building.
    expect(place?.latitude).toBe(byId('hong-dan')?.latitude);
    // A drive's name the list does not know still finds it.
    const own = clearBestPlace(searchPlaces('van hoa', [drive], places));
    expect(own?.ids).toEqual(['hong-dan-drive']);
  });

  test('nothing is found for a place outside the province', () => {
    expect(searchPlaces('Hà Giang', [], places)).toEqual([]);
    expect(searchPlaces('Hà Nội', drives, places)).toEqual([]);
  });

  test('the drives alone still work as before when the list has not loaded', () => {
    expect(clearBestPlace(searchPlaces('thoi binh', drives))).toBeUndefined();
    expect(clearBestPlace(searchPlaces('gia rai', drives, []))?.label).toBe('Phường Giá Rai');
  });

  test('suggestions gain the units and the old districts', () => {
    const names = placeNames(drives, places);
    expect(names).toContain('Xã Thới Bình');
    expect(names).toContain('huyện Trần Văn Thời');
    expect(names.filter((n) => n === 'Phường An Xuyên')).toHaveLength(1);
  });

  // What people type is the only input here: nothing they type may throw, hang or place them outside the province.
  test.each([
    ['nothing', '', 0],
    ['a space', ' ', 0],
    ['one letter', 'x', 0],
    ['a unit word alone', 'xã', 0],
    ['another unit word alone', 'Huyện', 0],
    ['two unit words', 'thành phố', 0],
    ['a ward number nobody has', 'p0', 0],
    ['a huge ward number', 'p99999999999999999999', 0],
    ['a percent sign', '%', 0],
    ['markup', '<script>alert(1)</script>', 0],
    ['NUL characters', '\u0000\u0000', 0],
    ['emoji', '🩸🩸', 0],
    ['another script', 'שלום', 0],
    ['10 000 letters', 'a'.repeat(10_000), 0],
  ])('typing %s (%j) gives %i places and no error', (_what, query, count) => {
    expect(searchPlaces(query, drives, places)).toHaveLength(count);
  });

  test('a name typed 2 000 times over is still answered, at once', () => {
    const started = performance.now();
    expect(() => searchPlaces('thới '.repeat(2_000), drives, places)).not.toThrow();
    // Generous: it is well under 10 ms here; a slow machine must not fail it.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test("an old district's name is today's unit when one bears it", () => {
    expect(find('U Minh')?.label).toBe('Xã U Minh');
    expect(find('huyện U Minh')?.label).toBe('huyện U Minh cũ, tính từ Xã Nguyễn Phích');
  });

  test('any text at all: a list of places inside the province, never an error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'binary' }), (query) => {
        for (const match of searchPlaces(query, drives, places)) {
          expect(isInProvince(match)).toBe(true);
          expect(match.label.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("today's name of every unit, typed without accents in any case, finds that unit", () => {
    fc.assert(
      fc.property(fc.constantFrom(...places), fc.boolean(), fc.boolean(), (place, upper, dropWord) => {
        let typed = foldVietnamese(place.name);
        if (dropWord) typed = typed.replace(/^(Xa|Phuong) /, '');
        if (upper) typed = typed.toUpperCase();
        const best = clearBestPlace(searchPlaces(typed, [], places));
        const matches = searchPlaces(typed, [], places);
        // Clear, or a choice that offers it.
        expect(best ? [best] : matches).toEqual(
          expect.arrayContaining([expect.objectContaining({ label: place.name })]),
        );
      }),
      { numRuns: 200 },
    );
  });
});
