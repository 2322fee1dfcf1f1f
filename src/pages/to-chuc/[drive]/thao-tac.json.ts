/** A desk action sent by the island (desk-console.ts): the same fields as the page's forms, a JSON answer. */
import type { APIRoute } from 'astro';
import { answerStatus, deskAction, formFields, loadDesk } from '../../../console/desk-page.ts';

export const prerender = false;

export const POST: APIRoute = async ({ params, locals, request }) => {
  const desk = await loadDesk(params.drive ?? '', locals.staff);
  if (!locals.staff || !desk) return Response.json({ ok: false, problem: 'not-found' }, { status: 404 });
  const result = await deskAction(locals.staff, desk, formFields(await request.formData()));
  return Response.json({ ...result.answer, message: result.message }, { status: answerStatus(result.answer) });
};
