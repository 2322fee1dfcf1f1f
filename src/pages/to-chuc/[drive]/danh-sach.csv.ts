/** The drive's sign-ups and outcomes as the CLI's `export` writes them (signups-csv.ts). */
import type { APIRoute } from 'astro';
import { loadDesk } from '../../../console/desk-page.ts';
import { consoleService } from '../../../console/runtime.ts';
import { signupsCsv } from '../../../console/signups-csv.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, locals }) => {
  const desk = await loadDesk(params.drive ?? '', locals.staff);
  if (!desk) return new Response('Không tìm thấy đợt hiến máu này (404).\n', { status: 404 });
  const csv = signupsCsv(consoleService.consoleStore().roster(desk.drive.slug));
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="dang-ky-${desk.drive.slug}.csv"`,
    },
  });
};
