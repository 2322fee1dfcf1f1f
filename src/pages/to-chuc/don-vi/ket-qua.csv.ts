/**
 * The units' turnout as CSV (units/turnout-csv.ts): an admin gets every unit, or one with
 * ?don-vi=<MÃ>; a focal account its own unit only.
 */
import type { APIRoute } from 'astro';
import { canManageUnit, canManageAccounts } from '../../../console/access.ts';
import { unitStore } from '../../../site/unit-runtime.ts';
import { turnoutCsv } from '../../../units/turnout-csv.ts';
import { NOT_YOUR_UNIT } from '../../../units/words.ts';

export const prerender = false;

export const GET: APIRoute = ({ locals, url }) => {
  const staff = locals.staff;
  if (!staff) return new Response('Cần đăng nhập (401).\n', { status: 401 });
  const asked = url.searchParams
    .get('don-vi')
    ?.toUpperCase()
    .replace(/[^A-Z0-9-]/g, '');
  const team = asked ?? (canManageAccounts(staff) ? undefined : (staff.teamCode ?? ''));
  if (team === undefined ? !canManageAccounts(staff) : !canManageUnit(staff, team)) {
    return new Response(`${NOT_YOUR_UNIT}\n`, {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(turnoutCsv(unitStore().turnout({ teamCode: team })), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="ket-qua-don-vi${team ? `-${team}` : ''}.csv"`,
    },
  });
};
