/** The publish page's progress for its island (editor/publish-log.ts): the run now or the last, the build served. */
import type { APIRoute } from 'astro';
import { canPublish } from '../../../console/access.ts';
import { jsonAnswer } from '../../../console/json-answer.ts';
import { publishStatus } from '../../../editor/publish-status.ts';
import { publisher } from '../../../editor/runtime.ts';

export const prerender = false;

export const GET: APIRoute = async ({ locals }) => {
  if (!locals.staff) return jsonAnswer({ ok: false }, 401);
  if (!canPublish(locals.staff)) return jsonAnswer({ ok: false }, 403);
  const answer = jsonAnswer(publishStatus(await publisher()));
  answer.headers.set('Cache-Control', 'no-store');
  return answer;
};
