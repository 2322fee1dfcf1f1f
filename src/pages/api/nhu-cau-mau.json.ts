/**
 * The blood levels by group, live: what every page's banner reads, and open to other sites
 * (the province's portal, the hospital) with `Access-Control-Allow-Origin: *`. Small (about
 * 1 kB) and cacheable for 30 s by browsers and shared caches, so a change shows everywhere
 * within a minute without a rebuild (docs/developers.md, "Blood needs").
 */
import type { APIRoute } from 'astro';
import { currentNeedsJson } from '../../needs/runtime.ts';
import { log } from '../../shared/log.ts';

export const prerender = false;

// A plain GET needs no preflight: the server answers only GET, HEAD and POST (src/server/site-server.ts).
const OPEN = { 'Access-Control-Allow-Origin': '*' };

export const GET: APIRoute = () => {
  try {
    return Response.json(currentNeedsJson(), {
      headers: { ...OPEN, 'Cache-Control': 'public, max-age=30, stale-while-revalidate=30' },
    });
  } catch (error) {
    log.error(`không đọc được mức máu: ${(error as Error).message}`);
    return Response.json(
      { error: 'Chưa đọc được mức máu. Xin thử lại sau.' },
      { status: 503, headers: { ...OPEN, 'Cache-Control': 'no-store' } },
    );
  }
};
