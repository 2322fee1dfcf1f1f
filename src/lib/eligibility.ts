/**
 * When a donor may give again, from the intervals of Circular 26/2013/TT-BYT
 * (article 6). Only the interval rule lives here; the doctor at the drive
 * makes the final decision after a health check.
 */
import { addDays, daysBetween, parseCalendarDate, type CalendarDate } from './dates.ts';

export const DONATION_TYPES = ['whole-blood', 'red-cells', 'apheresis-plasma', 'apheresis-platelets'] as const;
export type DonationType = (typeof DONATION_TYPES)[number];

interface IntervalRule {
  /** What the donor gave last time, in Vietnamese, as shown in the form. */
  label: string;
  weeks: number;
  /** The rule in plain words, shown with every answer. */
  rule: string;
}

export const INTERVAL_RULES: Record<DonationType, IntervalRule> = {
  'whole-blood': {
    label: 'Máu toàn phần',
    weeks: 12,
    rule: 'Giữa hai lần hiến máu toàn phần cần cách nhau ít nhất 12 tuần (Thông tư 26/2013/TT-BYT).',
  },
  'red-cells': {
    label: 'Khối hồng cầu',
    weeks: 12,
    rule: 'Sau khi hiến hồng cầu cần chờ ít nhất 12 tuần, như với máu toàn phần (Thông tư 26/2013/TT-BYT).',
  },
  'apheresis-plasma': {
    label: 'Huyết tương (gạn tách)',
    weeks: 2,
    rule: 'Sau khi hiến huyết tương bằng gạn tách cần chờ ít nhất 2 tuần (Thông tư 26/2013/TT-BYT).',
  },
  'apheresis-platelets': {
    label: 'Tiểu cầu (gạn tách)',
    weeks: 2,
    rule: 'Sau khi hiến tiểu cầu bằng gạn tách cần chờ ít nhất 2 tuần (Thông tư 26/2013/TT-BYT).',
  },
};

export function isDonationType(value: string): value is DonationType {
  return (DONATION_TYPES as readonly string[]).includes(value);
}

export type NextDonationResult =
  | {
      ok: true;
      /** The first calendar day on which the interval has passed. */
      earliest: CalendarDate;
      /** True when `earliest` is today or already past. */
      canGiveNow: boolean;
      /** Days from today until `earliest`; 0 when the donor can give now. */
      daysToWait: number;
      rule: string;
    }
  | { ok: false; error: string };

/**
 * @param lastDonation the day of the last donation, `yyyy-mm-dd`
 * @param type what was given that day
 * @param today today's date in Cà Mau, `yyyy-mm-dd`
 */
export function nextDonationDate(lastDonation: string, type: string, today: CalendarDate): NextDonationResult {
  if (lastDonation.trim() === '') return { ok: false, error: 'Vui lòng nhập ngày bạn hiến máu lần gần nhất.' };
  const last = parseCalendarDate(lastDonation);
  if (last === null) {
    return { ok: false, error: 'Ngày hiến máu lần trước không hợp lệ. Hãy chọn một ngày có thật, ví dụ 19/04/2020.' };
  }
  if (!isDonationType(type)) return { ok: false, error: 'Vui lòng chọn loại máu bạn đã hiến lần trước.' };
  if (daysBetween(last, today) < 0) {
    return { ok: false, error: 'Ngày hiến máu lần trước không thể ở sau ngày hôm nay.' };
  }
  const { weeks, rule } = INTERVAL_RULES[type];
  const earliest = addDays(last, weeks * 7);
  const daysToWait = Math.max(0, daysBetween(today, earliest));
  return { ok: true, earliest, canGiveNow: daysToWait === 0, daysToWait, rule };
}
