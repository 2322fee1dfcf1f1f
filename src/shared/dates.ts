/**
 * Dates as people in Cà Mau read them: dd/mm/yyyy, in Asia/Ho_Chi_Minh
 * (UTC+7 all year, no daylight saving), whatever the server's or the
 * browser's own time zone.
 */

export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const UTC_OFFSET = '+07:00';
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/*
 * The formatters are made on first use, not when the module loads: making an
 * Intl.DateTimeFormat for vi-VN in a time zone loads the browser's locale and
 * zone data, about 18 ms of main thread in Chromium here, some 70 ms on a
 * phone by Lighthouse's reckoning. Made at the top of the module, they ran on
 * every page whose island imports anything from here, the map page among them,
 * which formats nothing; nor could the bundler drop the module from that page.
 */
let dayMonthYearFormat: Intl.DateTimeFormat | undefined;
function dayMonthYear(): Intl.DateTimeFormat {
  return (dayMonthYearFormat ??= new Intl.DateTimeFormat('vi-VN', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }));
}

let weekdayNameFormat: Intl.DateTimeFormat | undefined;
function weekdayName(): Intl.DateTimeFormat {
  return (weekdayNameFormat ??= new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, weekday: 'long' }));
}

/** A calendar day with no time of day, as `yyyy-mm-dd`. */
export type CalendarDate = `${number}-${number}-${number}`;

/** 19/04/2020 */
export function formatDate(date: Date): string {
  const parts = Object.fromEntries(
    dayMonthYear()
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['day']}/${parts['month']}/${parts['year']}`;
}

/** "Chủ Nhật", "Thứ Hai"… with a capital first letter, as used in headings and notices. */
export function formatWeekday(date: Date): string {
  const name = weekdayName().format(date);
  return name.charAt(0).toLocaleUpperCase('vi-VN') + name.slice(1);
}

/** "Chủ Nhật, 19/04/2020" */
export function formatLongDate(date: Date): string {
  return `${formatWeekday(date)}, ${formatDate(date)}`;
}

/** ISO 8601 with the +07:00 offset, e.g. 2020-04-19T07:30:00+07:00, for JSON-LD and `<time>`. */
export function toIsoWithOffset(date: Date): string {
  const local = new Date(date.getTime() + OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}${UTC_OFFSET}`;
}

/** The calendar day in Cà Mau at the given instant. */
export function calendarDateInVietnam(instant: Date): CalendarDate {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10) as CalendarDate;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads `yyyy-mm-dd`; returns null for anything that is not a real calendar day (e.g. 2021-02-30). */
export function parseCalendarDate(text: string): CalendarDate | null {
  const match = CALENDAR_DATE.exec(text.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const utc = new Date(Date.UTC(y, m - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== m - 1 || utc.getUTCDate() !== d) return null;
  return text.trim() as CalendarDate;
}

/** Midnight at the start of the calendar day in Cà Mau, as an instant. */
export function startOfCalendarDate(day: CalendarDate): Date {
  return new Date(Date.parse(`${day}T00:00:00${UTC_OFFSET}`));
}

export function addDays(day: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A date written by an editor. YAML reads `2020-04-20` as midnight UTC, but
 * the editor meant that day in Cà Mau: a date without a time becomes midnight
 * in Asia/Ho_Chi_Minh. A value with a time and offset is kept as written.
 * Returns null when the value is not a date.
 */
export function fromEditorDate(value: unknown): Date | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const isBareDay = value.getTime() % DAY_MS === 0;
    return isBareDay ? startOfCalendarDate(value.toISOString().slice(0, 10) as CalendarDate) : value;
  }
  if (typeof value !== 'string') return null;
  const day = parseCalendarDate(value);
  if (day) return startOfCalendarDate(day);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) return null;
  const instant = new Date(value.trim());
  return Number.isNaN(instant.getTime()) ? null : instant;
}

let hourMinuteFormat: Intl.DateTimeFormat | undefined;
function hourMinute(): Intl.DateTimeFormat {
  return (hourMinuteFormat ??= new Intl.DateTimeFormat('vi-VN', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }));
}

/** 07:30, on the 24-hour clock, in Cà Mau. */
export function formatTime(date: Date): string {
  const parts = Object.fromEntries(
    hourMinute()
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['hour']}:${parts['minute']}`;
}

/** "05/12/2026 07:30": a moment as the console, its CSV and the command line show it, in Cà Mau. */
export function formatDateTime(date: Date): string {
  return `${formatDate(date)} ${formatTime(date)}`;
}

/** "07:00–11:00" */
export function formatTimeRange(start: Date, end: Date): string {
  return `${formatTime(start)}–${formatTime(end)}`;
}
