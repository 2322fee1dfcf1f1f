/**
 * The preview endpoint's work (src/pages/to-chuc/noi-dung/xem-truoc.ts): a form post only
 * (so Astro's origin check, and the server's before it, apply: a JSON post would pass both),
 * the body and which kind of file it is, the rate limit, the drawing. The answer is JSON:
 * `{ ok: true, html }` or `{ ok: false, problems: [...] }` in Vietnamese.
 */
import { jsonAnswer } from '../console/json-answer.ts';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS } from '../news/body-components.ts';
import { allowPreview } from './editor-console.ts';
import { renderPreview } from './preview.ts';
import { readForm } from './form-console.ts';
import { WORDS } from './words.ts';

export async function previewAnswer(username: string, request: Request, now: Date): Promise<Response> {
  if (!allowPreview(username, now)) return jsonAnswer({ ok: false, problems: [WORDS.tooMany] }, 429);
  const form = await readForm(request);
  if (!(form instanceof FormData)) return jsonAnswer({ ok: false, problems: [form.error] }, form.status);
  const body = form.get('noi-dung');
  if (typeof body !== 'string') return jsonAnswer({ ok: false, problems: ['Thiếu nội dung để xem trước.'] }, 422);
  const components = form.get('loai') === 'trang' ? PAGE_COMPONENTS : ARTICLE_COMPONENTS;
  const outcome = renderPreview(body.replace(/\r\n/g, '\n'), components);
  const answer = jsonAnswer(outcome, outcome.ok ? 200 : 422);
  answer.headers.set('Cache-Control', 'no-store');
  return answer;
}
