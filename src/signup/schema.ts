/**
 * The sign-up form's rules: one zod schema that the island runs as people
 * type and the server runs on every post. Messages are Vietnamese, addressed
 * to the person filling the form, and tied to the field they are about.
 */
import { z } from 'astro/zod';
import { calendarDateInVietnam, daysBetween, parseCalendarDate } from '../shared/dates.ts';
import { donorProblems } from '../eligibility/eligibility.ts';
import { normalizeMobile } from './phone.ts';
import { TEAM_CODE } from './form-fields.ts';
import { BLOOD_GROUPS } from '../needs/blood.ts';
import type { Person } from './store.ts';
import { checkReminders, reminderFields, type ReminderRules } from '../reminder-choice/reminder-schema.ts';

/** A drive that takes sign-ups: not cancelled, not over. */
export interface DriveOption {
  slug: string;
  name: string;
  start: Date;
  end: Date;
  /** Each slot by its start and end with +07:00, and its number of places. */
  slots: readonly { id: string; end: string; places: number }[];
}

/**
 * What the schema asks of its surroundings at each parse, so that one schema
 * can be built once and serve every request (building it is the costly part).
 */
export interface SignupRules extends ReminderRules {
  findDrive(slug: string): DriveOption | undefined;
  now(): Date;
}

// Letters of any script with their marks, spaces, and . ' - between them; nothing a browser could run.
const NAME = /^\p{L}[\p{L}\p{M} .'-]*$/u;

const required = (message: string) => z.string({ error: message }).trim().min(1, message);

/**
 * The form's schema; `waitlist` for "Báo tôi khi có chỗ" on a full slot, the
 * same answers and checks with a way to reach the person required.
 */
export function signupSchema(rules: SignupRules, options: { waitlist?: boolean } = {}) {
  const today = () => calendarDateInVietnam(rules.now());
  return z
    .object({
      fullName: required('Vui lòng nhập họ và tên.')
        .max(80, 'Họ và tên dài quá 80 ký tự; hãy viết gọn lại.')
        .regex(NAME, 'Họ và tên chỉ gồm chữ cái, dấu cách, dấu chấm, dấu gạch nối hoặc dấu nháy.'),
      phone: required('Vui lòng nhập số điện thoại di động.').transform((value, ctx) => {
        const phone = normalizeMobile(value);
        if (phone) return phone;
        ctx.addIssue({
          code: 'custom',
          message: 'Số điện thoại di động gồm 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (hoặc +84 thay cho số 0).',
        });
        return z.NEVER;
      }),
      birthYear: required('Vui lòng nhập năm sinh.')
        .regex(/^\d{4}$/, 'Năm sinh gồm 4 chữ số, ví dụ 1990.')
        .transform(Number)
        .superRefine((year, ctx) => {
          const thisYear = Number(today().slice(0, 4));
          if (year < 1900 || year > thisYear) {
            ctx.addIssue({ code: 'custom', message: `Năm sinh phải từ 1900 đến ${thisYear}.` });
          }
        }),
      sex: z.enum(['female', 'male'], { error: 'Vui lòng chọn giới tính: quy định cân nặng tối thiểu khác nhau.' }),
      weightKg: required('Vui lòng nhập cân nặng.')
        .regex(/^\d{2,3}([.,]\d)?$/, 'Cân nặng ghi bằng số ki-lô-gam, ví dụ 52.')
        .transform((value) => Number(value.replace(',', '.')))
        .refine((kg) => kg >= 20 && kg <= 250, 'Cân nặng phải từ 20 đến 250 kg.'),
      lastDonation: z
        .string()
        .optional()
        .refine((value) => value === undefined || parseCalendarDate(value) !== null, {
          error: 'Ngày hiến lần trước ghi theo dạng năm-tháng-ngày, ví dụ 2026-06-15.',
          // The checks after this one count from the date: without one they stop here.
          abort: true,
        })
        .refine(
          (value) => value === undefined || daysBetween(value as `${number}-${number}-${number}`, today()) >= 0,
          'Ngày hiến lần trước không thể sau hôm nay.',
        ),
      bloodGroup: z
        .enum(BLOOD_GROUPS, { error: 'Hãy chọn nhóm máu trong danh sách, hoặc để trống nếu chưa biết.' })
        .optional(),
      drive: required('Vui lòng chọn đợt hiến máu.'),
      slot: required('Vui lòng chọn khung giờ.'),
      teamCode: z
        .string()
        .optional()
        .transform((value) => value?.toUpperCase().replace(/\s+/g, ''))
        .refine(
          (value) => value === undefined || TEAM_CODE.test(value),
          'Mã đội gồm 2 đến 20 chữ cái không dấu, chữ số hoặc gạch nối, ví dụ CAT-PC06.',
        ),
      consent: z.enum(['yes', 'on', 'true'], {
        error: 'Bạn cần đánh dấu ô đồng ý thì chúng tôi mới được giữ thông tin để sắp xếp chỗ cho bạn.',
      }),
      ...reminderFields,
      // The honeypot: hidden from people, filled by bots. The service refuses it quietly.
      website: z.string().optional(),
    })
    .superRefine((values, ctx) => {
      checkReminders(values, rules, ctx, options.waitlist === true);
      const drive = rules.findDrive(values.drive);
      if (!drive) {
        ctx.addIssue({
          code: 'custom',
          path: ['drive'],
          message: 'Đợt hiến máu này không còn nhận đăng ký (đã qua hoặc bị hủy). Hãy chọn đợt khác.',
        });
        return;
      }
      if (!drive.slots.some((slot) => slot.id === values.slot)) {
        ctx.addIssue({ code: 'custom', path: ['slot'], message: 'Hãy chọn một khung giờ của đợt hiến máu này.' });
      }
      const facts = {
        birthYear: values.birthYear,
        sex: values.sex,
        weightKg: values.weightKg,
        // A date the field's own check refused is not a date to count from.
        lastDonation: parseCalendarDate(values.lastDonation ?? '') ?? undefined,
      };
      for (const problem of donorProblems(facts, calendarDateInVietnam(drive.start))) {
        ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
      }
    });
}

export type SignupInput = z.output<ReturnType<typeof signupSchema>>;

/** The person a checked form describes, as the store keeps them. */
export function personOf(input: SignupInput): Person {
  return {
    fullName: input.fullName,
    phone: input.phone,
    birthYear: input.birthYear,
    sex: input.sex,
    weightKg: input.weightKg,
    lastDonation: input.lastDonation,
    teamCode: input.teamCode,
    bloodGroup: input.bloodGroup,
  };
}
