/** A drive as a calendar event: the same wording in the .ics file and the Google Calendar link. */
import type { CalendarEvent } from './calendar.ts';
import type { Drive } from '../shared/content.ts';
import { BEFORE_GIVING, ID_CARD } from './words.ts';

export function driveCalendarEvent(drive: Drive, pageUrl: URL, stamp: Date): CalendarEvent {
  const description = [
    `Đơn vị tổ chức: ${drive.organiser}.`,
    `Liên hệ: ${drive.phone}.`,
    `Nhớ mang ${ID_CARD}, ${BEFORE_GIVING}.`,
    drive.notes,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    // The slug is the drive's file name, which stays the same when the drive is edited.
    uid: `${drive.slug}@${pageUrl.hostname}`,
    start: drive.start,
    end: drive.end,
    summary: drive.status === 'cancelled' ? `ĐÃ HỦY: ${drive.name}` : drive.name,
    description,
    location: drive.address,
    geo: { latitude: drive.latitude, longitude: drive.longitude },
    url: pageUrl.href,
    cancelled: drive.status === 'cancelled',
    stamp,
  };
}
