/**
 * "Add to calendar": an iCalendar file (RFC 5545) and a Google Calendar link.
 * Times are written as wall-clock times in Asia/Ho_Chi_Minh with that zone
 * defined in the file, so a phone set to another zone still shows the drive
 * at the right moment and the event keeps saying "7:00" in Cà Mau.
 */
import { TIME_ZONE, toIsoWithOffset } from '../shared/dates.ts';
import type { LatLng } from './geo.ts';

export interface CalendarEvent {
  /** Globally unique and stable for the life of the event, e.g. "slug@host". */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  geo?: LatLng;
  url?: string;
  // No ORGANIZER: RFC 5545 wants a mail address there, and the organisers'
  // names go in the description instead.
  cancelled?: boolean;
  /** When this file was produced. */
  stamp: Date;
}

const TZID = TIME_ZONE;
// Vietnam has kept UTC+7 without daylight saving since 1975, so one STANDARD
// block describes every date a drive can have.
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${TZID}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0700',
  'TZOFFSETTO:+0700',
  'TZNAME:+07',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** 20200419T070000 — the wall-clock time in Cà Mau. */
function localStamp(date: Date): string {
  return toIsoWithOffset(date).replace(/[-:]/g, '').slice(0, 15);
}

/** 20200419T000000Z */
function utcStamp(date: Date): string {
  return `${date.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds a content line so that no line is longer than 75 octets (RFC 5545
 * §3.1), never splitting a character: Vietnamese letters take 2–3 octets in
 * UTF-8, and a split one would arrive as garbage.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines start with a space, which counts towards their 75.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function eventLines(event: CalendarEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART;TZID=${TZID}:${localStamp(event.start)}`,
    `DTEND;TZID=${TZID}:${localStamp(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
  ];
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.geo) lines.push(`GEO:${event.geo.latitude};${event.geo.longitude}`);
  if (event.url) lines.push(`URL:${event.url}`);
  lines.push('END:VEVENT');
  return lines;
}

/** A complete .ics file with CRLF line ends, as RFC 5545 requires. */
export function calendarFile(events: readonly CalendarEvent[], productId: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...VTIMEZONE,
    ...events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** A link that opens Google Calendar's "new event" form filled in. */
export function googleCalendarUrl(event: Omit<CalendarEvent, 'uid' | 'stamp'>): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.summary,
    dates: `${utcStamp(event.start)}/${utcStamp(event.end)}`,
    ctz: TZID,
  });
  if (event.description) params.set('details', event.url ? `${event.description}\n${event.url}` : event.description);
  if (event.location) params.set('location', event.location);
  return `https://calendar.google.com/calendar/render?${params.toString()}`;
}
