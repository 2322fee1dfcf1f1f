/**
 * When a donor may give again, from the intervals of Circular 26/2013/TT-BYT
 * (article 6). Only the interval rule lives here; the doctor at the drive
 * makes the final decision after a health check.
 */
import { addDays, daysBetween, parseCalendarDate, type CalendarDate } from '../shared/dates.ts';

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

/** Age (by year of birth) allowed on the day of the drive, article 4. */
export const AGE_LIMITS = { min: 18, max: 60 } as const;
/** Least weight for whole blood, article 4: women 42 kg, men 45 kg. */
export const MIN_WEIGHT_KG = { female: 42, male: 45 } as const;
export type Sex = keyof typeof MIN_WEIGHT_KG;

export interface DonorFacts {
  birthYear: number;
  sex: Sex;
  weightKg: number;
  /** The day of the last whole-blood donation, if any. */
  lastDonation?: CalendarDate | undefined;
}

export interface DonorProblem {
  field: 'birthYear' | 'weightKg' | 'lastDonation';
  message: string;
}

/**
 * What the rules say against giving whole blood at a drive on `driveDay`.
 * Age counts by year of birth, as on Vietnamese forms. An empty list means
 * the rules allow it; the doctor at the drive still decides.
 */
export function donorProblems(facts: DonorFacts, driveDay: CalendarDate): DonorProblem[] {
  const problems: DonorProblem[] = [];
  const age = Number(driveDay.slice(0, 4)) - facts.birthYear;
  if (age < AGE_LIMITS.min) {
    problems.push({
      field: 'birthYear',
      message: `Người hiến máu cần đủ ${AGE_LIMITS.min} tuổi. Vào ngày hiến bạn mới ${age} tuổi: mời bạn quay lại khi đủ tuổi nhé.`,
    });
  } else if (age > AGE_LIMITS.max) {
    problems.push({
      field: 'birthYear',
      message: `Quy định cho phép hiến máu đến ${AGE_LIMITS.max} tuổi; vào ngày hiến bạn đã ${age} tuổi. Cảm ơn tấm lòng của bạn: bạn vẫn có thể vận động người thân cùng tham gia.`,
    });
  }
  const minWeight = MIN_WEIGHT_KG[facts.sex];
  if (facts.weightKg < minWeight) {
    problems.push({
      field: 'weightKg',
      message: `${facts.sex === 'female' ? 'Nữ' : 'Nam'} cần nặng ít nhất ${minWeight} kg để hiến máu toàn phần an toàn; bạn ghi ${facts.weightKg} kg.`,
    });
  }
  // Only a real calendar date counts: "2026-13-01" typed into a text box is the form's to refuse.
  if (facts.lastDonation && parseCalendarDate(facts.lastDonation)) {
    const earliest = addDays(facts.lastDonation, INTERVAL_RULES['whole-blood'].weeks * 7);
    if (daysBetween(driveDay, earliest) > 0) {
      const [y, m, d] = earliest.split('-');
      problems.push({
        field: 'lastDonation',
        message: `Cần cách lần hiến trước ít nhất 12 tuần. Bạn có thể hiến lại từ ngày ${d}/${m}/${y}: hãy chọn một đợt từ ngày đó trở đi.`,
      });
    }
  }
  return problems;
}
