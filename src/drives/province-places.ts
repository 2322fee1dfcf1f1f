/**
 * The province's place list (content/places.yaml) as the search uses it.
 * Read once per build: the collection cannot change during one.
 */
import { getCollection } from 'astro:content';
import type { ProvincePlace } from './places.ts';

let built: Promise<ProvincePlace[]> | undefined;

async function load(): Promise<ProvincePlace[]> {
  const entries = await getCollection('places');
  return entries
    .map(({ id, data }) => ({
      id,
      name: data.name,
      latitude: data.position.latitude,
      longitude: data.position.longitude,
      formedFrom: data.formedFrom,
      seatOf: data.seatOf,
      otherNames: data.otherNames,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

export function getProvincePlaces(): Promise<ProvincePlace[]> {
  if (import.meta.env.DEV) return load();
  built ??= load();
  return built;
}
