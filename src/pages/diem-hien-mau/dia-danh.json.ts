/**
 * The province's place list for the map page's "where are you?", fetched only
 * when someone types a place (docs/developers.md, "Places"): built once, served
 * as a static file.
 */
import type { APIRoute } from 'astro';
import { getProvincePlaces } from '../../drives/province-places.ts';
import { toPlaceListJson } from '../../drives/places.ts';

export const prerender = true;

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(toPlaceListJson(await getProvincePlaces())), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
