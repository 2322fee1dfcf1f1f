/**
 * The organisers' console is behind a sign-in: every request under
 * /to-chuc/ (except the sign-in page) finds its account from the session
 * cookie here, or goes to the sign-in page (pages) or gets 401 (data). No
 * console answer is kept by a cache or indexed. One page is shown without a
 * session: the one Zalo sends an admin back to (ZALO_CALLBACK_PATH), whose
 * GET only shows a button (src/reminders/zalo-auth-admin.ts says why).
 */
import { defineMiddleware } from 'astro:middleware';
import { CONSOLE_PATH, LOGIN_PATH, loginHref } from './console/console-paths.ts';
import { consoleService } from './console/runtime.ts';
import { readSessionId } from './console/sessions.ts';
import { log } from './shared/log.ts';
import { ZALO_CALLBACK_PATH } from './settings.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname } = context.url;
  if (context.isPrerendered || !pathname.startsWith(CONSOLE_PATH)) return next();
  const secure = context.url.protocol === 'https:';
  let response: Response;
  try {
    context.locals.staff = consoleService.account(readSessionId(context.request.headers.get('cookie'), secure));
    const open = pathname === LOGIN_PATH || (pathname === ZALO_CALLBACK_PATH && context.request.method === 'GET');
    if (context.locals.staff || open) {
      response = await next();
    } else if (context.request.method === 'GET' && !/\.(json|csv)$/.test(pathname)) {
      response = new Response(null, { status: 303, headers: { Location: loginHref(pathname) } });
    } else {
      response = new Response('Cần đăng nhập (401).\n', {
        status: 401,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
  } catch (error) {
    log.error(`trang tổ chức không dùng được: ${(error as Error).message}`);
    response = new Response('Hệ thống đang gặp sự cố. Xin thử lại sau ít phút (503).\n', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  try {
    response.headers.set('Cache-Control', 'no-store');
    response.headers.set('X-Robots-Tag', 'noindex, nofollow');
    return response;
  } catch {
    // A response whose headers cannot change (Response.redirect): copied.
    const headers = new Headers(response.headers);
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Robots-Tag', 'noindex, nofollow');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
});
