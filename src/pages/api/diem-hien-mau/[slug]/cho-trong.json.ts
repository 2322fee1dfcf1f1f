/**
 * Places left in each slot of a drive, live from the sign-up store:
 * [{ "slot": "<ISO start>", "capacity": n, "taken": n }]. Cached for a few
 * seconds: enough to absorb a crowd opening the same page, short enough that
 * the numbers people see are nearly current (the store decides on sending).
 */
import type { APIRoute } from 'astro';
import { getDrives } from '../../../../data/content.ts';
import { driveSlots } from '../../../../lib/drives.ts';
import { issueFormToken } from '../../../../signup/form-token.ts';
import { signupStore } from '../../../../signup/runtime.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  const drive = (await getDrives()).find((d) => d.slug === params['slug']);
  if (!drive) {
    return Response.json({ error: 'Không có điểm hiến máu này.' }, { status: 404 });
  }
  let taken: Map<string, number>;
  try {
    taken = signupStore().takenBySlot(drive.slug);
  } catch (error) {
    console.error(`places left unavailable: ${(error as Error).message}`);
    return Response.json({ error: 'Chưa xem được số chỗ còn trống. Xin thử lại sau.' }, { status: 503 });
  }
  const body = driveSlots(drive).map((slot) => ({
    slot: slot.id,
    capacity: slot.places,
    taken: taken.get(slot.id) ?? 0,
  }));
  return Response.json(body, {
    headers: {
      'Cache-Control': 'public, max-age=5',
      // When the form this page carries was served; see signup/form-token.ts.
      'X-Form-Token': issueFormToken(new Date()),
    },
  });
};
