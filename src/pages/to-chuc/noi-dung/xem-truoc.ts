/** The body editor's preview (editor/preview.ts): the build's body check first, then the site's Markdown. */
import type { APIRoute } from 'astro';
import { canEditContent } from '../../../console/access.ts';
import { jsonAnswer } from '../../../console/json-answer.ts';
import { previewAnswer } from '../../../editor/preview-endpoint.ts';

export const prerender = false;

export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.staff) return jsonAnswer({ ok: false }, 401);
  if (!canEditContent(locals.staff)) return jsonAnswer({ ok: false }, 403);
  return previewAnswer(locals.staff.username, request, new Date());
};
