/**
 * "Where are you?" answered by typing. People type place names without
 * diacritics, in lower case, with the old names they grew up with ("p5",
 * "TP Cà Mau", "huyện Giá Rai") as often as the post-2025 ones. Two lists are
 * searched: the drives (each drive's commune, its older names and its
 * address) and the province's place list, content/places.yaml (every commune
 * and ward since 1/7/2025, the units it was formed from and their old
 * districts; docs/developers.md, "Places").
 */
import { centroid, type LatLng } from './geo.ts';
import { foldVietnamese } from '../shared/vietnamese.ts';

/** A drive, as the search sees it. */
export interface PlaceSource extends LatLng {
  id: string;
  commune: string;
  oldNames: readonly string[];
  address: string;
}

/** A former unit (before 1/7/2025) and the old district it belonged to. */
export interface FormerUnit {
  name: string;
  district: string;
  /** Split between two or more of today's units. */
  part?: boolean | undefined;
}

/** A commune or ward of today's province, from content/places.yaml. */
export interface ProvincePlace extends LatLng {
  id: string;
  name: string;
  formedFrom: readonly FormerUnit[];
  /** Old districts whose seat is now inside this unit: their name measures from here. */
  seatOf: readonly string[];
  otherNames: readonly string[];
}

export interface PlaceMatch extends LatLng {
  /** What the person is shown: the name as written in the data, with its diacritics, and what it is now. */
  label: string;
  /** The drives at this place (by commune or older name), or inside it. */
  ids: string[];
  /** The province's units this name covers. */
  places?: string[];
  /** The unit whose position an old district's name takes (its seat). */
  seat?: string | undefined;
  /** What the name is: a unit's name today, a former unit's, an old district's (a drive's when absent). */
  kind?: 'unit' | 'former' | 'district' | undefined;
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
// A query of such words alone ("xã", "huyện") names no place: it would match every one.
const ONLY_UNIT_WORDS = /^((thanh pho|thi xa|thi tran|phuong|quan|huyen|xa|tinh)( |$))+$/;

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
// A unit's name today wins over a former unit's name that matches as well
// ("Khánh Lâm" is today's Xã Khánh Lâm, though old xã Khánh Lâm was split).
const FORMER_PENALTY = 0.25;

/** One name something can be found by. */
interface Name {
  /** Names with the same key are one place; a former unit's key carries its district, so the two Phường 5 stay two. */
  key: string;
  text: string;
  label: string;
  penalty: number;
  /** Kind of name, for the label once the members are known. */
  former?: FormerUnit;
  district?: string;
  /** Today's name of a unit. */
  current?: boolean;
}

interface Group {
  name: Name;
  score: number;
  drives: Set<PlaceSource>;
  places: Set<ProvincePlace>;
  anchors: Set<ProvincePlace>;
}

function placeNamesOf(place: ProvincePlace): Name[] {
  const names: Name[] = [
    { key: normalizePlace(place.name), text: place.name, label: place.name, penalty: 0, current: true },
  ];
  for (const name of place.otherNames) names.push({ key: normalizePlace(name), text: name, label: name, penalty: 0 });
  for (const unit of place.formedFrom) {
    names.push({
      key: `${normalizePlace(unit.name)}|${normalizePlace(unit.district)}`,
      text: unit.name,
      label: unit.name,
      penalty: FORMER_PENALTY,
      former: unit,
    });
  }
  for (const district of new Set(place.formedFrom.map((unit) => unit.district))) {
    names.push({ key: normalizePlace(district), text: district, label: district, penalty: 0, district });
  }
  return names;
}

function joinVi(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} và ${names.at(-1) ?? ''}`;
}

/** The label once the group's units are known: a former unit says where it was and what it is now. */
function labelOf(group: Group): string {
  const { name } = group;
  const now = [...group.places].map((p) => p.name);
  if (name.former) return `${name.label} (${name.former.district} cũ, nay thuộc ${joinVi(now)})`;
  if (name.district) {
    const [seat] = group.anchors;
    return seat ? `${name.label} cũ, tính từ ${seat.name}` : `${name.label} cũ`;
  }
  return name.label;
}

/**
 * The places a query could mean, best first. Everything sharing a name forms
 * one place: drives at their average position, today's units at theirs, an
 * old district at its seat.
 */
export function searchPlaces(
  query: string,
  sources: readonly PlaceSource[],
  provincePlaces: readonly ProvincePlace[] = [],
): PlaceMatch[] {
  const normalizedQuery = normalizePlace(query);
  if (normalizedQuery.length < 2 || ONLY_UNIT_WORDS.test(normalizedQuery)) return [];
  const groups = new Map<string, Group>();
  const consider = (name: Name, member: { drive?: PlaceSource; place?: ProvincePlace; anchor?: boolean }) => {
    const score = scoreName(normalizedQuery, normalizePlace(name.text)) - name.penalty;
    if (score <= 0) return;
    const group = groups.get(name.key) ?? { name, score, drives: new Set(), places: new Set(), anchors: new Set() };
    group.score = Math.max(group.score, score);
    if (member.drive) group.drives.add(member.drive);
    if (member.place) group.places.add(member.place);
    if (member.place && member.anchor) group.anchors.add(member.place);
    groups.set(name.key, group);
  };

  // A drive in one of today's units is found by that unit's names; its own
  // names that the unit already has would only make a second, smaller place.
  const placeByName = new Map(provincePlaces.map((place) => [normalizePlace(place.name), place]));
  const drivesIn = new Map<ProvincePlace, PlaceSource[]>();
  for (const place of provincePlaces) {
    for (const name of placeNamesOf(place)) {
      consider(name, { place, anchor: name.district !== undefined && place.seatOf.includes(name.district) });
    }
  }
  for (const source of sources) {
    const place = placeByName.get(normalizePlace(source.commune));
    const known = new Set(place ? placeNamesOf(place).map((n) => normalizePlace(n.text)) : []);
    if (place) drivesIn.set(place, [...(drivesIn.get(place) ?? []), source]);
    for (const text of [source.commune, ...source.oldNames]) {
      const key = normalizePlace(text);
      if (!known.has(key)) consider({ key, text, label: text, penalty: 0 }, { drive: source });
    }
    const address = normalizePlace(source.address);
    consider(
      { key: address, text: source.address, label: source.address, penalty: ADDRESS_PENALTY },
      { drive: source },
    );
  }

  // Several names of the same drives and units (a commune and its old names)
  // are one place, under the best-matching name, today's name first.
  const byMembers = new Map<string, PlaceMatch>();
  for (const group of groups.values()) {
    const places = [...group.places];
    const drives = new Set(group.drives);
    for (const place of places) for (const drive of drivesIn.get(place) ?? []) drives.add(drive);
    const ids = [...drives].map((d) => d.id).sort();
    const placeIds = places.map((p) => p.id).sort();
    const key = `${ids.join(' ')}|${placeIds.join(' ')}`;
    const known = byMembers.get(key);
    if (known && known.score >= group.score) continue;
    const anchors = [...group.anchors];
    const at = anchors.length > 0 ? anchors : places.length > 0 ? places : [...group.drives];
    byMembers.set(key, {
      label: labelOf(group),
      score: group.score,
      ids,
      places: placeIds,
      seat: anchors.length === 1 ? anchors[0]?.id : undefined,
      kind: group.name.current ? 'unit' : group.name.former ? 'former' : group.name.district ? 'district' : undefined,
      ...centroid(at),
    });
  }
  return [...byMembers.values()].sort(
    (a, b) =>
      b.score - a.score ||
      b.ids.length + (b.places?.length ?? 0) - (a.ids.length + (a.places?.length ?? 0)) ||
      a.label.localeCompare(b.label, 'vi'),
  );
}

const covers = (wide: PlaceMatch, narrow: PlaceMatch) =>
  narrow.ids.every((id) => wide.ids.includes(id)) && (narrow.places ?? []).every((id) => wide.places?.includes(id));

/**
 * The one place a query means, when it is clear: the best match scores above
 * the rest, or every other equally good match lies inside it ("Giá Rai" is
 * both the ward and the old town around it: the old town covers both). When
 * the wider place is an old district, a unit that bears the same name today
 * is meant ("U Minh" is Xã U Minh since 1/7/2025, not the old huyện), else
 * the unit holding its seat when that matched too ("Thới Bình" is Xã Thới
 * Bình, the old huyện's seat). Otherwise the caller lets the person choose.
 */
export function clearBestPlace(matches: readonly PlaceMatch[]): PlaceMatch | undefined {
  const [first] = matches;
  if (!first) return undefined;
  const tied = matches.filter((m) => m.score === first.score);
  const widest = tied.find((candidate) => tied.every((other) => covers(candidate, other)));
  if (widest?.kind !== 'district') return widest;
  const single = tied.filter((m) => m.places?.length === 1);
  return single.find((m) => m.kind === 'unit') ?? single.find((m) => m.places?.[0] === widest.seat) ?? widest;
}

/** Every commune and older name, for the suggestions under the place box. */
export function placeNames(sources: readonly PlaceSource[], provincePlaces: readonly ProvincePlace[] = []): string[] {
  const names = new Map<string, string>();
  for (const source of sources) {
    for (const name of [source.commune, ...source.oldNames]) names.set(normalizePlace(name), name);
  }
  for (const place of provincePlaces) {
    for (const name of [place.name, ...place.otherNames, ...place.formedFrom.map((unit) => unit.district)]) {
      names.set(normalizePlace(name), name);
    }
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b, 'vi'));
}

/*
 * The place list as the map page fetches it (/diem-hien-mau/dia-danh.json):
 * old district names once, referred to by index, so the file stays a few
 * kilobytes. [name, latitude, longitude, [[former unit, district index, part 0|1]…],
 * [seat district indexes…], [other names…]], by id.
 */
export interface PlaceListJson {
  districts: string[];
  places: Record<string, [string, number, number, [string, number, 0 | 1][], number[], string[]]>;
}

export function toPlaceListJson(places: readonly ProvincePlace[]): PlaceListJson {
  const districts: string[] = [];
  const index = (district: string) => {
    const at = districts.indexOf(district);
    return at >= 0 ? at : districts.push(district) - 1;
  };
  const json: PlaceListJson = { districts, places: {} };
  for (const place of places) {
    json.places[place.id] = [
      place.name,
      place.latitude,
      place.longitude,
      place.formedFrom.map((unit) => [unit.name, index(unit.district), unit.part ? 1 : 0]),
      place.seatOf.map(index),
      [...place.otherNames],
    ];
  }
  return json;
}

export function fromPlaceListJson(json: PlaceListJson): ProvincePlace[] {
  const district = (i: number) => json.districts[i] ?? '';
  return Object.entries(json.places).map(([id, [name, latitude, longitude, formedFrom, seatOf, otherNames]]) => ({
    id,
    name,
    latitude,
    longitude,
    formedFrom: formedFrom.map(([unit, d, part]) => ({ name: unit, district: district(d), part: part === 1 })),
    seatOf: seatOf.map(district),
    otherNames,
  }));
}
