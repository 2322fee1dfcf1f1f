/**
 * "Gửi lời kêu gọi", pure: who of the candidates may give by the next drive's day (the
 * whole-blood interval of the eligibility rules, a desk's return date, never after a
 * permanent deferral), and what the appeal says. The site (src/site/blood-appeal.ts) finds
 * the candidates, the next drive and the channels, and sends.
 */
import { INTERVAL_RULES } from '../eligibility/eligibility.ts';
import { addDays, formatLongDate, parseCalendarDate, type CalendarDate } from '../shared/dates.ts';
import { aboOf, appealHref, type BloodGroup } from './blood.ts';
import type { AppealCandidate } from './needs-store.ts';

const WHOLE_BLOOD_DAYS = INTERVAL_RULES['whole-blood'].weeks * 7;

/** The first day this person may give again, or null when nothing says they gave before. */
export function earliestDay(candidate: AppealCandidate): CalendarDate | null {
  const days = [
    candidate.lastGave && parseCalendarDate(candidate.lastGave),
    candidate.lastDonation && parseCalendarDate(candidate.lastDonation),
  ]
    .filter((day): day is CalendarDate => typeof day === 'string')
    .map((day) => addDays(day, WHOLE_BLOOD_DAYS));
  const back = candidate.returnAfter ? parseCalendarDate(candidate.returnAfter) : null;
  if (back) days.push(back);
  return days.sort().at(-1) ?? null;
}

export function mayGiveBy(candidate: AppealCandidate, day: CalendarDate): boolean {
  if (candidate.permanentlyDeferred) return false;
  const earliest = earliestDay(candidate);
  return earliest === null || earliest <= day;
}

export interface NextDriveFacts {
  slug: string;
  name: string;
  address: string;
  start: Date;
}

export interface AppealText {
  subject: string;
  lines: string[];
  /** The appeal page, a path. */
  path: string;
}

export function appealText(group: BloodGroup, drive: NextDriveFacts | undefined): AppealText {
  return {
    subject: `Đang cần gấp máu nhóm ${group}`,
    lines: [
      `Ngân hàng máu của tỉnh đang rất thiếu máu nhóm ${group}, nhóm máu bạn đã cho chúng tôi biết.`,
      drive
        ? `Đợt hiến máu gần nhất: ${drive.name}, ${formatLongDate(drive.start)}, tại ${drive.address}. Mỗi đơn vị máu bạn hiến có thể cứu người bệnh đang chờ.`
        : 'Mời bạn xem các điểm hiến máu sắp tới và đến hiến khi có thể.',
      'Bạn nhận được tin này vì đã đồng ý nhận nhắc hẹn khi đăng ký hiến máu.',
    ],
    path: appealHref(aboOf(group)),
  };
}
