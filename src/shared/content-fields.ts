/**
 * Field types shared by the content schemas. Messages are written, in Vietnamese, for a
 * person editing a content file, not for a programmer: each names the field and the rule
 * that was broken. Astro prefixes them with the file.
 */
import { z } from 'astro/zod';
import { fromEditorDate, parseCalendarDate } from './dates.ts';

/** A day (YYYY-MM-DD) means that day in Cà Mau; see fromEditorDate. */
export const editorDate = (field: string) =>
  z.unknown().transform((value, ctx) => {
    const date = fromEditorDate(value);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      message: `${field} phải là một ngày viết theo dạng YYYY-MM-DD (năm-tháng-ngày, ví dụ 2020-04-19), nhưng đang là ${JSON.stringify(value) ?? 'trống'}`,
    });
    return z.NEVER;
  });

const WITH_VIETNAM_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2})?\+07:00$/;

/**
 * A moment written with its offset, 2020-04-19T07:00:00+07:00. The offset is
 * required: without it the time would silently be read as UTC, seven hours off.
 */
export const vietnamTime = (field: string) =>
  z.unknown().transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : '';
    const parts = WITH_VIETNAM_OFFSET.exec(text);
    // Date() would roll 30 February over into March; the day must exist as written.
    const realDay = parts && parseCalendarDate(text.slice(0, 10)) && Number(parts[4]) < 24 && Number(parts[5]) < 60;
    if (realDay) return new Date(text);
    ctx.addIssue({
      code: 'custom',
      message: `${field} phải là ngày giờ ở Cà Mau viết theo dạng YYYY-MM-DDTHH:MM:00+07:00 (ví dụ 2020-04-19T07:00:00+07:00 là 7 giờ sáng 19/4/2020), nhưng đang là ${JSON.stringify(value) ?? 'trống'}`,
    });
    return z.NEVER;
  });

/** A Vietnamese phone number as people write it: "0290 3831 000", "+84 912 345 678". */
export const phoneNumber = (field: string) =>
  z
    .string()
    .regex(/^(0|\+84)[0-9 .]{8,13}$/, `${field} phải là số điện thoại Việt Nam, ví dụ 0290 3831 000 hoặc 0912 345 678`);
