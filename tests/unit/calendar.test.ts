/**
 * The .ics writer, checked by reading its output back with ical.js (Mozilla's
 * iCalendar parser) rather than by comparing strings with itself.
 */
import ICAL from 'ical.js';
import { describe, expect, test } from 'vitest';
import {
  calendarFile,
  escapeText,
  foldLine,
  googleCalendarUrl,
  type CalendarEvent,
} from '../../src/drives/calendar.ts';

const event: CalendarEvent = {
  uid: 'cong-an-tinh-ca-mau-19-04-2020@hienmau.camau.example',
  start: new Date('2020-04-19T06:30:00+07:00'),
  end: new Date('2020-04-19T11:30:00+07:00'),
  summary: 'Ngày hội hiến máu "Hiến máu an toàn – Không ngại Covid"; đợt 1, Công an tỉnh',
  description:
    'Đơn vị tổ chức: Công an tỉnh Cà Mau và Hội Chữ thập đỏ tỉnh Cà Mau.\nMang căn cước, ngủ đủ giấc; ăn nhẹ\\uống nước.',
  location: 'Hội trường Công an tỉnh, phường An Xuyên, tỉnh Cà Mau',
  geo: { latitude: 9.1781, longitude: 105.1534 },
  url: 'https://hienmau.camau.example/diem-hien-mau/cong-an-tinh-ca-mau-19-04-2020/',
  stamp: new Date('2026-11-26T10:00:00Z'),
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const timezone = calendar.getFirstSubcomponent('vtimezone');
  if (timezone) ICAL.TimezoneService.register(timezone);
  return { calendar, vevent, parsed: new ICAL.Event(vevent) };
}

describe('calendarFile', () => {
  const text = calendarFile([event], '-//hienmau.camau.example//Hien mau Ca Mau//VI');

  test('reads back with the same text, commas, semicolons, quotes, new lines and backslashes intact', () => {
    const { parsed } = parse(text);
    expect(parsed.summary).toBe(event.summary);
    expect(parsed.description).toBe(event.description);
    expect(parsed.location).toBe(event.location);
    expect(parsed.uid).toBe(event.uid);
  });

  test('keeps the wall-clock time in Asia/Ho_Chi_Minh and the same instants', () => {
    const { parsed, vevent } = parse(text);
    expect(vevent.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Asia/Ho_Chi_Minh');
    expect(parsed.startDate.toString()).toBe('2020-04-19T06:30:00');
    expect(parsed.startDate.toJSDate().getTime()).toBe(event.start.getTime());
    expect(parsed.endDate.toJSDate().getTime()).toBe(event.end.getTime());
  });

  test('carries the place, the page, the stamp and the status', () => {
    const { vevent } = parse(text);
    expect(vevent.getFirstPropertyValue('geo')).toEqual([9.1781, 105.1534]);
    expect(vevent.getFirstPropertyValue('url')).toBe(event.url);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(String(vevent.getFirstPropertyValue('dtstamp'))).toBe('2026-11-26T10:00:00Z');
    const cancelled = parse(calendarFile([{ ...event, cancelled: true }], '-//test//VI'));
    expect(cancelled.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  test('uses CRLF line ends, no line over 75 octets, and no split character', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).not.toContain('\uFFFD');
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  test('the same drive gives the same UID in every build', () => {
    const again = calendarFile([{ ...event, stamp: new Date() }], '-//x//VI');
    expect(parse(again).parsed.uid).toBe(parse(text).parsed.uid);
  });
});

describe('escapeText and foldLine', () => {
  test('escapes as RFC 5545 says', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  test('folds a long Vietnamese line between characters, 75 octets at most', () => {
    const line = `SUMMARY:${'Hiến máu an toàn – Không ngại Covid. '.repeat(6)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((part, i) => (i === 0 ? part : part.slice(1)))
        .join(''),
    ).toBe(line);
  });

  test('leaves a short line alone', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
  });
});

describe('googleCalendarUrl', () => {
  test('gives UTC times, the zone, and the Vietnamese text encoded', () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin).toBe('https://calendar.google.com');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('dates')).toBe('20200418T233000Z/20200419T043000Z');
    expect(url.searchParams.get('ctz')).toBe('Asia/Ho_Chi_Minh');
    expect(url.searchParams.get('text')).toBe(event.summary);
    expect(url.searchParams.get('location')).toBe(event.location);
    expect(url.searchParams.get('details')).toContain(event.url);
  });
});
