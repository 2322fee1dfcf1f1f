/** The desk's live figures: counts per slot and in total, and the statuses changed since the version the page has. */
import type { APIRoute } from 'astro';
import { jsonAnswer } from '../../../console/json-answer.ts';
import { liveFigures } from '../../../console/live-figures.ts';
import { loadDesk } from '../../../console/desk-page.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, locals, url }) => {
  const desk = await loadDesk(params.drive ?? '', locals.staff);
  if (!desk) return jsonAnswer({ ok: false }, 404);
  return jsonAnswer(liveFigures(desk, Number(url.searchParams.get('sau') ?? 0)));
};
