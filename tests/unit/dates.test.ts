import { describe, expect, test } from 'vitest';
import {
  addDays,
  calendarDateInVietnam,
  daysBetween,
  formatDate,
  formatDateTime,
  formatLongDate,
  formatWeekday,
  fromEditorDate,
  parseCalendarDate,
  startOfCalendarDate,
  toIsoWithOffset,
} from '../../src/shared/dates.ts';

describe('formatDateTime', () => {
  test('writes dd/mm/yyyy HH:mm in Cà Mau, on the 24-hour clock', () => {
    expect(formatDateTime(new Date('2026-12-05T00:30:00Z'))).toBe('05/12/2026 07:30');
    // 17:05 UTC on 5 December is 00:05 on 6 December in Asia/Ho_Chi_Minh.
    expect(formatDateTime(new Date('2026-12-05T17:05:00Z'))).toBe('06/12/2026 00:05');
    expect(formatDateTime(new Date('2026-12-05T15:45:00Z'))).toBe('05/12/2026 22:45');
  });
});

describe('formatDate', () => {
  test('writes dd/mm/yyyy with leading zeros', () => {
    expect(formatDate(new Date('2020-04-19T03:00:00Z'))).toBe('19/04/2020');
  });

  test('uses the day in Cà Mau, not in UTC', () => {
    // 18:30 UTC on 18 April is 01:30 on 19 April in Asia/Ho_Chi_Minh.
    expect(formatDate(new Date('2020-04-18T18:30:00Z'))).toBe('19/04/2020');
    // 16:59 UTC is still 23:59 the same day.
    expect(formatDate(new Date('2020-04-18T16:59:00Z'))).toBe('18/04/2020');
  });

  test('a date-only value from front matter shows that same day', () => {
    expect(formatDate(new Date('2020-04-20'))).toBe('20/04/2020');
  });
});

describe('weekday', () => {
  test('19/04/2020 was a Sunday', () => {
    expect(formatWeekday(new Date('2020-04-19T02:00:00Z'))).toBe('Chủ Nhật');
    expect(formatLongDate(new Date('2020-04-19T02:00:00Z'))).toBe('Chủ Nhật, 19/04/2020');
  });

  test('starts with a capital letter', () => {
    expect(formatWeekday(new Date('2020-04-20T02:00:00Z'))).toBe('Thứ Hai');
  });
});

describe('toIsoWithOffset', () => {
  test('writes local time with +07:00', () => {
    expect(toIsoWithOffset(new Date('2020-04-19T00:30:00Z'))).toBe('2020-04-19T07:30:00+07:00');
  });

  test('crosses midnight correctly', () => {
    expect(toIsoWithOffset(new Date('2020-12-31T17:00:00Z'))).toBe('2021-01-01T00:00:00+07:00');
  });

  test('round-trips through Date', () => {
    const instant = new Date('2026-11-26T10:11:13Z');
    expect(new Date(toIsoWithOffset(instant)).getTime()).toBe(instant.getTime());
  });
});

describe('calendar dates', () => {
  test('the calendar day in Cà Mau at an instant', () => {
    expect(calendarDateInVietnam(new Date('2026-11-26T16:59:59Z'))).toBe('2026-11-26');
    expect(calendarDateInVietnam(new Date('2026-11-26T17:00:00Z'))).toBe('2026-11-27');
  });

  test('parses only real days', () => {
    expect(parseCalendarDate('2020-04-19')).toBe('2020-04-19');
    expect(parseCalendarDate(' 2024-02-29 ')).toBe('2024-02-29');
    expect(parseCalendarDate('2023-02-29')).toBeNull();
    expect(parseCalendarDate('2021-13-01')).toBeNull();
    expect(parseCalendarDate('19/04/2020')).toBeNull();
    expect(parseCalendarDate('')).toBeNull();
  });

  test('adds days across months, years and leap days', () => {
    expect(addDays('2020-04-19', 84)).toBe('2020-07-12');
    expect(addDays('2023-12-20', 14)).toBe('2024-01-03');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  test('counts days between dates', () => {
    expect(daysBetween('2020-04-19', '2020-07-12')).toBe(84);
    expect(daysBetween('2020-07-12', '2020-04-19')).toBe(-84);
  });

  test('start of a day in Cà Mau is 17:00 UTC the day before', () => {
    expect(startOfCalendarDate('2020-07-12').toISOString()).toBe('2020-07-11T17:00:00.000Z');
  });
});

describe('fromEditorDate', () => {
  test('a bare day from YAML (midnight UTC) means midnight in Cà Mau', () => {
    expect(fromEditorDate(new Date('2020-04-20'))?.toISOString()).toBe('2020-04-19T17:00:00.000Z');
    expect(toIsoWithOffset(fromEditorDate(new Date('2020-04-20')) ?? new Date(NaN))).toBe('2020-04-20T00:00:00+07:00');
  });

  test('a day as text means the same', () => {
    expect(fromEditorDate('2020-04-20')?.toISOString()).toBe('2020-04-19T17:00:00.000Z');
  });

  test('a time with an offset is kept as written', () => {
    expect(fromEditorDate('2020-04-19T07:30:00+07:00')?.toISOString()).toBe('2020-04-19T00:30:00.000Z');
    expect(fromEditorDate(new Date('2020-04-19T00:30:00Z'))?.toISOString()).toBe('2020-04-19T00:30:00.000Z');
  });

  test.each([['19/04/2020'], ['2020-02-30'], ['hôm qua'], [20200419], [null], [new Date('x')], ['2020-04-19T07:30']])(
    'refuses %j',
    (value) => {
      expect(fromEditorDate(value)).toBeNull();
    },
  );
});
