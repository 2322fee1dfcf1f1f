/**
 * Places left in each slot of a drive, live from the sign-up store:
 * [{ "slot": "<ISO start>", "capacity": n, "taken": n }], places held for
 * the waitlist counted as taken. Cached for a few seconds: enough to absorb a
 * crowd opening the same page, short enough that the numbers people see are
 * nearly current (the store decides on sending). The static drive page's form
 * also learns here its form token and the reminder channels the server has.
 */
import type { APIRoute } from 'astro';
import { getDrives } from '../../../../shared/content.ts';
import { driveSlots } from '../../../../drives/drives.ts';
import { toIsoWithOffset } from '../../../../shared/dates.ts';
import { formTokens, signupStore } from '../../../../site/signup-runtime.ts';
import { configuredChannels, pushKey } from '../../../../reminders/runtime.ts';
import { log } from '../../../../shared/log.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  const drive = (await getDrives()).find((d) => d.slug === params['slug']);
  if (!drive) {
    return Response.json({ error: 'Không có điểm hiến máu này.' }, { status: 404 });
  }
  const slots = driveSlots(drive);
  let taken: Map<string, number>;
  let token: string;
  try {
    taken = signupStore().takenBySlot(
      drive.slug,
      slots.map((slot) => ({ id: slot.id, end: toIsoWithOffset(slot.end) })),
      new Date(),
      { waitingGoFirst: true },
    );
    token = formTokens().issue(new Date());
  } catch (error) {
    log.error(`không đếm được số chỗ còn trống: ${(error as Error).message}`);
    return Response.json({ error: 'Chưa xem được số chỗ còn trống. Xin thử lại sau.' }, { status: 503 });
  }
  const key = pushKey();
  const body = slots.map((slot) => ({
    slot: slot.id,
    capacity: slot.places,
    // People waiting count as taken (a freed place is theirs) but never past the slot's size.
    taken: Math.min(slot.places, taken.get(slot.id) ?? 0),
  }));
  return Response.json(body, {
    headers: {
      // The form token is for this reader alone: no shared cache may keep the answer.
      'Cache-Control': 'private, max-age=5',
      // When the form this page carries was served; see signup/form-token.ts.
      'X-Form-Token': token,
      // The reminder channels the form may offer (none: no reminders, no waitlist), and Web Push's key.
      'X-Reminder-Channels': configuredChannels().join(' '),
      ...(key ? { 'X-Push-Key': key } : {}),
    },
  });
};
