/** Signing out: every session of the account ends (the phone left on the desk too). */
import type { APIRoute } from 'astro';
import { LOGIN_PATH } from '../../../console/console-paths.ts';
import { consoleService } from '../../../console/runtime.ts';
import { readSessionId, sessionCookieName, sessionCookieOptions } from '../../../console/sessions.ts';

export const prerender = false;

export const POST: APIRoute = async ({ request, url, locals, cookies, redirect }) => {
  const secure = url.protocol === 'https:';
  await consoleService.logout(readSessionId(request.headers.get('cookie'), secure), locals.staff ?? null);
  cookies.delete(sessionCookieName(secure), sessionCookieOptions(secure));
  return redirect(LOGIN_PATH, 303);
};
