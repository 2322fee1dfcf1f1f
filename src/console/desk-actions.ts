/**
 * What the desk can do, read from a posted form: one typed action or the
 * field that is wrong. Pure: the console's pages and its action endpoint
 * both parse with it, and the store (console-store.ts) only ever sees a valid action.
 */
import { normalizeCode } from '../signup/codes.ts';
import { addDays, calendarDateInVietnam, parseCalendarDate, type CalendarDate } from '../shared/dates.ts';
import type { Person } from '../signup/store.ts';

export const VOLUMES_ML = [250, 350, 450] as const;
export const DEFERRAL_REASONS = ['haemoglobin', 'blood-pressure', 'weight', 'illness-medicine', 'other'] as const;
export const DEFERRAL_KINDS = ['temporary', 'permanent'] as const;
/** Whole blood again after at least 12 weeks (Circular 26/2013/TT-BYT). */
export const DAYS_BETWEEN_GIFTS = 84;

export type VolumeMl = (typeof VOLUMES_ML)[number];
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];
export type DeferralKind = (typeof DEFERRAL_KINDS)[number];

export type DeskAction =
  | { kind: 'arrive' | 'show-phone'; drive: string; code: string }
  | { kind: 'gave'; drive: string; code: string; volumeMl: VolumeMl | null; returnAfter: string }
  | {
      kind: 'defer';
      drive: string;
      code: string;
      reason: DeferralReason;
      deferralKind: DeferralKind;
      returnAfter: string | null;
    }
  | { kind: 'no-show-all' | 'undo'; drive: string }
  | { kind: 'publish'; drive: string; units: number }
  | {
      kind: 'walk-in';
      drive: string;
      slot: string;
      slotEnd: string;
      capacity: number;
      person: Person;
      allowOver: boolean;
    };

export type DeskActionKind = DeskAction['kind'];

export type DeskProblem =
  | 'not-found'
  | 'other-drive'
  | 'cancelled'
  | 'full'
  | 'nothing-to-undo'
  /** Undo refused: someone changed the person after the change it would take back. */
  | 'changed-since'
  /** An idempotency key sent again with another action: nothing done. */
  | 'key-reused'
  | 'invalid'
  | 'forbidden'
  | 'rate-limited'
  | 'unavailable'
  | 'other-day';

export type DeskAnswer =
  | {
      ok: true;
      done: DeskActionKind;
      code?: string;
      /** Checked in before: nothing changed. */
      already?: boolean;
      count?: number;
      overCapacity?: boolean;
      undid?: string;
      replayed?: boolean;
    }
  | {
      ok: false;
      problem: DeskProblem;
      code?: string;
      otherDrive?: string;
      /** Field → what is wrong with it (Vietnamese), for `invalid`. */
      errors?: Record<string, string>;
      /** For `other-day`: the drive's day and today (yyyy-mm-dd in Cà Mau). */
      driveDay?: string;
      today?: string;
      replayed?: boolean;
      /** For `changed-since`: who changed the person since, to what, when (when the audit log knows). */
      changedBy?: string;
      changedTo?: string;
      changedAt?: string;
    };

/** An idempotency key as the desk's script makes them (crypto.randomUUID) or the page renders them. */
export const ACTION_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** The intents a form may post; walk-ins are parsed with the sign-up schema (console-service.ts). */
export type SimpleIntent = Exclude<DeskActionKind, 'walk-in'>;
const SIMPLE_INTENTS: readonly SimpleIntent[] = [
  'arrive',
  'show-phone',
  'gave',
  'defer',
  'no-show-all',
  'undo',
  'publish',
];

export function isSimpleIntent(value: string): value is SimpleIntent {
  return (SIMPLE_INTENTS as readonly string[]).includes(value);
}

export type ParsedAction = { ok: true; action: DeskAction } | { ok: false; errors: Record<string, string> };

/**
 * What happens to a person at the desk, and so belongs to the drive's day:
 * done on another day, it is refused until the organiser confirms that day
 * (docs/organisers.md, "Another day than the drive's").
 */
export const DAY_BOUND: readonly DeskActionKind[] = ['arrive', 'gave', 'defer', 'walk-in', 'no-show-all'];

/** The drive's days in Cà Mau, first to last (one for almost every drive). */
export function driveDays(drive: { start: Date; end: Date }): CalendarDate[] {
  const last = calendarDateInVietnam(new Date(drive.end.getTime() - 1));
  const days: CalendarDate[] = [];
  for (let day = calendarDateInVietnam(drive.start); day <= last && days.length < 31; day = addDays(day, 1)) {
    days.push(day);
  }
  return days.length > 0 ? days : [calendarDateInVietnam(drive.start)];
}

/**
 * Whether a day-bound action may be done now: on one of the drive's days,
 * or on another day when `confirmedDay` (the form's `otherDay`) names the
 * drive's day, which the desk page sends once the organiser said so.
 */
export function dayCheck(
  drive: { start: Date; end: Date },
  now: Date,
  confirmedDay: string | undefined,
): { ok: true } | { ok: false; driveDay: CalendarDate; today: CalendarDate } {
  const days = driveDays(drive);
  const today = calendarDateInVietnam(now);
  if (days.includes(today)) return { ok: true };
  const driveDay = days[0] ?? today;
  if (confirmedDay !== undefined && (days as string[]).includes(confirmedDay)) return { ok: true };
  return { ok: false, driveDay, today };
}

/**
 * The drive's day an action at `now` is recorded for: today when it is one
 * of the drive's days, else the confirmed day when that is one, else the
 * first. A gift's date to come back counts from it (docs/organisers.md).
 */
export function recordedDay(
  drive: { start: Date; end: Date },
  now: Date,
  confirmedDay: string | undefined,
): CalendarDate {
  const days = driveDays(drive);
  const today = calendarDateInVietnam(now);
  if (days.includes(today)) return today;
  const confirmed = days.find((day) => day === confirmedDay);
  return confirmed ?? days[0] ?? today;
}

/**
 * A desk action from a form's fields. `today` (yyyy-mm-dd in Cà Mau) is the
 * earliest return date a deferral can name; `driveDay`, the drive's day,
 * sets when a donor may give again after a gift, however late it is recorded.
 */
export function parseDeskAction(
  intent: SimpleIntent,
  drive: string,
  fields: Readonly<Record<string, string>>,
  today: CalendarDate,
  driveDay: CalendarDate = today,
): ParsedAction {
  const errors: Record<string, string> = {};
  if (intent === 'no-show-all' || intent === 'undo') return { ok: true, action: { kind: intent, drive } };
  if (intent === 'publish') {
    const units = Number(fields['units']);
    if (!/^\d{1,5}$/.test(fields['units'] ?? '') || !Number.isInteger(units)) {
      return { ok: false, errors: { units: 'Số đơn vị máu là một số nguyên từ 0 trở lên, ví dụ 212.' } };
    }
    return { ok: true, action: { kind: 'publish', drive, units } };
  }
  const code = normalizeCode(fields['code'] ?? '');
  if (!code) {
    return {
      ok: false,
      errors: { code: 'Mã xác nhận gồm 10 chữ cái và chữ số, ví dụ 7K3Q-9XWD-2P. Xin kiểm tra lại.' },
    };
  }
  if (intent === 'arrive' || intent === 'show-phone') return { ok: true, action: { kind: intent, drive, code } };
  if (intent === 'gave') {
    const volumeMl = VOLUMES_ML.find((v) => String(v) === fields['volume']);
    if (!volumeMl) return { ok: false, errors: { volume: 'Chọn lượng máu đã hiến: 250, 350 hoặc 450 ml.' } };
    return {
      ok: true,
      action: { kind: 'gave', drive, code, volumeMl, returnAfter: addDays(driveDay, DAYS_BETWEEN_GIFTS) },
    };
  }
  const reason = DEFERRAL_REASONS.find((r) => r === fields['reason']);
  if (!reason) errors['reason'] = 'Chọn lý do tạm hoãn.';
  const deferralKind = DEFERRAL_KINDS.find((k) => k === fields['deferralKind']);
  if (!deferralKind) errors['deferralKind'] = 'Chọn tạm thời hay vĩnh viễn.';
  const typedDate = (fields['returnAfter'] ?? '').trim();
  let returnAfter: string | null = null;
  if (deferralKind === 'temporary' && typedDate) {
    const date = parseCalendarDate(typedDate);
    if (!date || date <= today) errors['returnAfter'] = 'Ngày được hiến lại phải sau hôm nay, dạng năm-tháng-ngày.';
    else returnAfter = date;
  }
  if (!reason || !deferralKind || errors['returnAfter']) return { ok: false, errors };
  return { ok: true, action: { kind: 'defer', drive, code, reason, deferralKind, returnAfter } };
}

/**
 * The volumes a donor of this weight may give (Circular 26/2013/TT-BYT):
 * under 45 kg at most 250 ml; from 45 kg at most 9 ml per kg and 500 ml.
 */
export function allowedVolumes(weightKg: number): VolumeMl[] {
  const most = weightKg < 45 ? 250 : Math.min(500, 9 * weightKg);
  return VOLUMES_ML.filter((ml) => ml <= most);
}

/**
 * What is wrong with a gift's volume for the person as they are stored (their
 * weight): checked by the console's store inside the action's transaction,
 * where the row is read, so that a weight changed meanwhile is the one judged.
 * Null when the action may be done.
 */
export function volumeProblem(action: DeskAction, weightKg: number): Record<string, string> | null {
  if (action.kind !== 'gave' || action.volumeMl === null) return null;
  const allowed = allowedVolumes(weightKg);
  if (allowed.includes(action.volumeMl)) return null;
  return { volume: `Người nặng ${weightKg} kg chỉ được hiến tối đa ${Math.max(...allowed)} ml.` };
}
