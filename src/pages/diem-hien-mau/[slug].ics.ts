/** /diem-hien-mau/<slug>.ics — the drive as an iCalendar file for "add to calendar". */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getDrives } from '../../shared/content.ts';
import { driveHref } from '../../shared/links.ts';
import { driveCalendarEvent } from '../../drives/drive-calendar.ts';
import { calendarFile } from '../../drives/calendar.ts';

export const getStaticPaths = (async () => {
  const drives = await getDrives();
  return drives.map((drive) => ({ params: { slug: drive.slug }, props: { drive } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<Awaited<ReturnType<typeof getStaticPaths>>[number]['props']> = ({ props, site }) => {
  if (!site) throw new Error('astro.config.mjs must set `site` (SITE_URL) for calendar links');
  const event = driveCalendarEvent(props.drive, new URL(driveHref(props.drive.slug), site), new Date());
  return new Response(calendarFile([event], `-//${site.hostname}//Hien mau Ca Mau//VI`), {
    headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
  });
};
