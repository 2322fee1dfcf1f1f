/** A desk action sent by the island (desk-console.ts): the same fields as the page's forms, a JSON answer. */
import type { APIRoute } from 'astro';
import { jsonAnswer } from '../../../console/json-answer.ts';
import { answerStatus, deskAction, formFields, loadDesk } from '../../../console/desk-page.ts';

export const prerender = false;

export const POST: APIRoute = async ({ params, locals, request }) => {
  const desk = await loadDesk(params.drive ?? '', locals.staff);
  if (!locals.staff || !desk) return jsonAnswer({ ok: false, problem: 'not-found' }, 404);
  const result = await deskAction(locals.staff, desk, formFields(await request.formData()));
  return jsonAnswer({ ...result.answer, message: result.message }, answerStatus(result.answer));
};
