/**
 * "Where are you?" answered by typing. People type place names without
 * diacritics, in lower case, with the old names they grew up with ("p5",
 * "TP Cà Mau", "huyện Giá Rai") as often as the post-2025 ones. The places
 * known are those in the drive data: each drive's commune, its older names and
 * its address.
 */
import { centroid, type LatLng } from './geo.ts';
import { foldVietnamese } from '../shared/vietnamese.ts';

export interface PlaceSource extends LatLng {
  id: string;
  commune: string;
  oldNames: readonly string[];
  address: string;
}

export interface PlaceMatch extends LatLng {
  /** The place's name as written in the drive data, with its diacritics. */
  label: string;
  /** The drives at this place. */
  ids: string[];
  score: number;
}

// Abbreviations people type for administrative units, expanded on both sides.
const ABBREVIATIONS: Record<string, string> = {
  tp: 'thanh pho',
  tx: 'thi xa',
  tt: 'thi tran',
  p: 'phuong',
  q: 'quan',
  h: 'huyen',
  x: 'xa',
};

// Words that say what kind of unit a name is; "Phường Giá Rai" is also just "Giá Rai".
const UNIT_WORDS = /^(thanh pho|thi xa|thi tran|phuong|quan|huyen|xa|tinh)\s+/;

/** Folded, lower case, punctuation to spaces, abbreviations expanded: "P.5, TP Cà Mau" → "phuong 5 thanh pho ca mau". */
export function normalizePlace(text: string): string {
  return (
    foldVietnamese(text)
      .toLowerCase()
      // "p5", "P.5" and the older "f5" all mean Phường 5.
      .replace(/\b[pf]\.?\s*(\d+)\b/g, 'phuong $1')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .map((word) => ABBREVIATIONS[word] ?? word)
      .join(' ')
  );
}

/**
 * How well a typed query names a place: 4 the whole name, 3 a run of whole
 * words in it, 2 all the words in any order, 1 the last word still being typed.
 */
function scoreName(query: string, name: string): number {
  if (query === name || query === name.replace(UNIT_WORDS, '')) return 4;
  if (` ${name} `.includes(` ${query} `)) return 3;
  const words = name.split(' ');
  const queryWords = query.split(' ');
  const last = queryWords.pop() ?? '';
  if (queryWords.every((w) => words.includes(w))) {
    if (words.includes(last)) return 2;
    if (words.some((w) => w.startsWith(last))) return 1;
  }
  return 0;
}

// An address names a street or a building; a commune or old name is what a
// person means by "where I am", so it wins at the same level of match.
const ADDRESS_PENALTY = 0.5;

/**
 * The places a query could mean, best first. Drives sharing a name form one
 * place, placed at their average position.
 */
export function searchPlaces(query: string, sources: readonly PlaceSource[]): PlaceMatch[] {
  const normalizedQuery = normalizePlace(query);
  if (normalizedQuery.length < 2) return [];
  const byName = new Map<string, { label: string; score: number; drives: PlaceSource[] }>();
  const consider = (label: string, source: PlaceSource, penalty: number) => {
    const key = normalizePlace(label);
    const score = scoreName(normalizedQuery, key) - penalty;
    if (score <= 0) return;
    const place = byName.get(key) ?? { label, score, drives: [] };
    place.score = Math.max(place.score, score);
    if (!place.drives.includes(source)) place.drives.push(source);
    byName.set(key, place);
  };
  for (const source of sources) {
    consider(source.commune, source, 0);
    for (const name of source.oldNames) consider(name, source, 0);
    consider(source.address, source, ADDRESS_PENALTY);
  }
  // Several names of the same drives (a commune and its old names) are one
  // place, under the best-matching name, the current one first.
  const byDrives = new Map<string, PlaceMatch>();
  for (const { label, score, drives } of byName.values()) {
    const key = drives
      .map((d) => d.id)
      .sort()
      .join(' ');
    const known = byDrives.get(key);
    if (known && known.score >= score) continue;
    byDrives.set(key, { label, score, ids: drives.map((d) => d.id), ...centroid(drives) });
  }
  return [...byDrives.values()].sort(
    (a, b) => b.score - a.score || b.ids.length - a.ids.length || a.label.localeCompare(b.label, 'vi'),
  );
}

/**
 * The one place a query means, when it is clear: the best match scores above
 * the rest, or every other equally good match lies inside it ("Giá Rai" is
 * both the ward and the old town around it: the old town covers both).
 * Otherwise the caller lets the person choose among the matches.
 */
export function clearBestPlace(matches: readonly PlaceMatch[]): PlaceMatch | undefined {
  const [first] = matches;
  if (!first) return undefined;
  const tied = matches.filter((m) => m.score === first.score);
  return tied.find((candidate) => tied.every((other) => other.ids.every((id) => candidate.ids.includes(id))));
}

/** Every commune and older name, for the suggestions under the place box. */
export function placeNames(sources: readonly PlaceSource[]): string[] {
  const names = new Map<string, string>();
  for (const source of sources) {
    for (const name of [source.commune, ...source.oldNames]) names.set(normalizePlace(name), name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b, 'vi'));
}
