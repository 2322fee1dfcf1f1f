/**
 * Every drive's slots as this build publishes them:
 * [{ "slug", "status", "slots": [{ "id", "end", "places" }], "name", "start",
 * "end", "address", "latitude", "longitude", "unitsGiven", "url", "hotline" }]. Public
 * facts (the drive pages show them); the server and `npm run signups -- check`
 * read this file to find sign-ups that no longer fit an edited drive, and the
 * reminders to say where and when, and to notice a drive called off.
 */
import type { APIRoute } from 'astro';
import { getCampaign, getDrives } from '../../../shared/content.ts';
import { toIsoWithOffset } from '../../../shared/dates.ts';
import { driveSlots } from '../../../drives/drives.ts';
import { driveHref } from '../../../shared/links.ts';
import type { ScheduledDrive } from '../../../signup/slot-check.ts';
import { DEFAULT_SITE_URL } from '../../../build-settings.ts';

export const GET: APIRoute = async ({ site }) => {
  const { hotline } = await getCampaign();
  const schedule: ScheduledDrive[] = (await getDrives()).map((drive) => ({
    slug: drive.slug,
    status: drive.status,
    slots: driveSlots(drive).map((slot) => ({ id: slot.id, end: toIsoWithOffset(slot.end), places: slot.places })),
    name: drive.name,
    start: toIsoWithOffset(drive.start),
    end: toIsoWithOffset(drive.end),
    address: drive.address,
    latitude: drive.latitude,
    longitude: drive.longitude,
    ...(drive.unitsGiven === undefined ? {} : { unitsGiven: drive.unitsGiven }),
    url: new URL(driveHref(drive.slug), site ?? DEFAULT_SITE_URL).href,
    hotline,
  }));
  return Response.json(schedule);
};
