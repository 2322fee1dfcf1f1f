import { describe, expect, test } from 'vitest';
import { byDistance, centroid, formatKm, haversineKm, isInVietnam } from '../../src/drives/geo.ts';

const CA_MAU = { latitude: 9.1769, longitude: 105.1524 };
const BAC_LIEU = { latitude: 9.2941, longitude: 105.7278 };

describe('haversineKm', () => {
  test('is zero from a point to itself', () => {
    expect(haversineKm(CA_MAU, CA_MAU)).toBe(0);
  });

  test('one degree of latitude is about 111.2 km', () => {
    expect(haversineKm({ latitude: 9, longitude: 105 }, { latitude: 10, longitude: 105 })).toBeCloseTo(111.2, 1);
  });

  test('one degree of longitude shrinks with the cosine of the latitude', () => {
    const atNine = haversineKm({ latitude: 9, longitude: 105 }, { latitude: 9, longitude: 106 });
    expect(atNine).toBeCloseTo(111.2 * Math.cos((9 * Math.PI) / 180), 0);
  });

  test('Cà Mau to Bạc Liêu is about 64 km as the crow flies, either way', () => {
    const there = haversineKm(CA_MAU, BAC_LIEU);
    expect(there).toBeGreaterThan(63);
    expect(there).toBeLessThan(65);
    expect(haversineKm(BAC_LIEU, CA_MAU)).toBeCloseTo(there, 10);
  });

  test('antipodes are half the Earth round', () => {
    expect(haversineKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(20015.1, 0);
  });
});

describe('formatKm', () => {
  test.each([
    [0, '0,0 km'],
    [3.44, '3,4 km'],
    [3.46, '3,5 km'],
    [12, '12,0 km'],
    [1234.56, '1.234,6 km'],
  ])('%d → %s', (km, text) => {
    expect(formatKm(km)).toBe(text);
  });
});

describe('byDistance', () => {
  const places = [
    { id: 'bac-lieu', ...BAC_LIEU },
    { id: 'ca-mau', ...CA_MAU },
    { id: 'nam-can', latitude: 8.7607, longitude: 104.9958 },
    { id: 'ca-mau-again', ...CA_MAU },
  ];

  test('orders nearest first with the distance', () => {
    const ranked = byDistance(places, { latitude: 9.18, longitude: 105.15 });
    expect(ranked.map((r) => r.item.id)).toEqual(['ca-mau', 'ca-mau-again', 'nam-can', 'bac-lieu']);
    expect(ranked[0]?.km).toBeLessThan(1);
    expect(ranked.map((r) => r.km)).toEqual([...ranked.map((r) => r.km)].sort((a, b) => a - b));
  });

  test('keeps the original order for equal distances and leaves the input alone', () => {
    const before = places.map((p) => p.id);
    const ranked = byDistance(places, CA_MAU);
    expect(ranked.slice(0, 2).map((r) => r.item.id)).toEqual(['ca-mau', 'ca-mau-again']);
    expect(places.map((p) => p.id)).toEqual(before);
  });

  test('an empty list stays empty', () => {
    expect(byDistance([], CA_MAU)).toEqual([]);
  });
});

describe('centroid and the Vietnam box', () => {
  test('centroid is the mean position', () => {
    expect(centroid([CA_MAU, BAC_LIEU])).toEqual({
      latitude: (CA_MAU.latitude + BAC_LIEU.latitude) / 2,
      longitude: (CA_MAU.longitude + BAC_LIEU.longitude) / 2,
    });
    expect(() => centroid([])).toThrow();
  });

  test.each([
    [CA_MAU, true],
    [{ latitude: 21.0285, longitude: 105.8542 }, true], // Hà Nội
    [{ latitude: 105.1524, longitude: 9.1769 }, false], // swapped
    [{ latitude: 13.7563, longitude: 100.5018 }, false], // Bangkok
    [{ latitude: -9.1769, longitude: 105.1524 }, false], // sign lost
  ])('%j in Vietnam: %s', (point, inside) => {
    expect(isInVietnam(point)).toBe(inside);
  });
});
