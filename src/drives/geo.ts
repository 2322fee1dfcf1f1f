/**
 * Distances on the ground. Drives are a few to a few hundred kilometres
 * apart, where the great-circle (haversine) distance on a spherical Earth is
 * within 0.5 % of the true one — far closer than anyone reads "3,4 km".
 */

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Mean Earth radius (IUGG), in kilometres. */
const EARTH_RADIUS_KM = 6371.0088;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance between two points, in kilometres. */
export function haversineKm(from: LatLng, to: LatLng): number {
  const dLat = toRadians(to.latitude - from.latitude);
  const dLng = toRadians(to.longitude - from.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(from.latitude)) * Math.cos(toRadians(to.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Made on first use: a vi-VN Intl formatter loads the browser's locale data, about 18 ms of
// main thread here, which the map page's island would otherwise spend as it starts, before
// anyone has asked for a distance (see the note in shared/dates.ts).
let oneDecimal: Intl.NumberFormat | undefined;

/** "3,4 km", with the Vietnamese decimal comma. */
export function formatKm(km: number): string {
  oneDecimal ??= new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${oneDecimal.format(km)} km`;
}

export interface Ranked<T> {
  item: T;
  km: number;
}

/** Items with their distance from `origin`, nearest first; equal distances keep their order. */
export function byDistance<T extends LatLng>(items: readonly T[], origin: LatLng): Ranked<T>[] {
  return items
    .map((item, index) => ({ item, km: haversineKm(origin, item), index }))
    .sort((a, b) => a.km - b.km || a.index - b.index)
    .map(({ item, km }) => ({ item, km }));
}

/** The average position of some points (fine over the few tens of kilometres of one place name). */
export function centroid(points: readonly LatLng[]): LatLng {
  if (points.length === 0) throw new Error('centroid of no points');
  const sum = points.reduce(
    (acc, p) => ({ latitude: acc.latitude + p.latitude, longitude: acc.longitude + p.longitude }),
    {
      latitude: 0,
      longitude: 0,
    },
  );
  return { latitude: sum.latitude / points.length, longitude: sum.longitude / points.length };
}

/**
 * A box around Vietnam, islands included. It is coarse on purpose: its job is
 * to catch a typo or swapped latitude and longitude in a drive file, which puts
 * a drive in another country or the sea far away.
 */
export const VIETNAM_BOUNDS = { south: 7.5, north: 23.5, west: 102.1, east: 117.5 } as const;

export function isInVietnam({ latitude, longitude }: LatLng): boolean {
  const b = VIETNAM_BOUNDS;
  return latitude >= b.south && latitude <= b.north && longitude >= b.west && longitude <= b.east;
}
