/**
 * Every drive's slots as this build publishes them:
 * [{ "slug", "status", "slots": [{ "id", "end", "places" }] }]. Public facts
 * (the drive pages show them); the server and `npm run signups -- check` read
 * this file to find sign-ups that no longer fit an edited drive.
 */
import type { APIRoute } from 'astro';
import { getDrives } from '../../../shared/content.ts';
import { toIsoWithOffset } from '../../../shared/dates.ts';
import { driveSlots } from '../../../drives/drives.ts';
import type { ScheduledDrive } from '../../../signup/slot-check.ts';

export const GET: APIRoute = async () => {
  const schedule: ScheduledDrive[] = (await getDrives()).map((drive) => ({
    slug: drive.slug,
    status: drive.status,
    slots: driveSlots(drive).map((slot) => ({ id: slot.id, end: toIsoWithOffset(slot.end), places: slot.places })),
  }));
  return Response.json(schedule);
};
