/** The desk's live figures: counts per slot and in total, and the statuses changed since the version the page has. */
import type { APIRoute } from 'astro';
import { liveFigures } from '../../../console/live-figures.ts';
import { loadDesk } from '../../../console/desk-page.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, locals, url }) => {
  const desk = await loadDesk(params.drive ?? '', locals.staff);
  if (!desk) return Response.json({ ok: false }, { status: 404 });
  return Response.json(liveFigures(desk, Number(url.searchParams.get('sau') ?? 0)));
};
