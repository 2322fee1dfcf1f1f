/** Campaign progress: units of blood given against the target. */
import { calendarDateInVietnam } from '../shared/dates.ts';

export interface Progress {
  given: number;
  target: number;
  /** Share of the target reached, rounded down to a whole percent; may pass 100. */
  percent: number;
  /** Width of the bar, 0–100. */
  barPercent: number;
  reached: boolean;
}

export function campaignProgress(given: number, target: number): Progress {
  if (!(target > 0)) throw new RangeError(`target must be above 0, got ${target}`);
  if (!(given >= 0)) throw new RangeError(`given must be 0 or more, got ${given}`);
  const percent = Math.floor((given / target) * 100);
  return { given, target, percent, barPercent: Math.min(100, percent), reached: given >= target };
}

const vietnameseNumber = new Intl.NumberFormat('vi-VN');

/** 1.250 — Vietnamese groups thousands with a dot. */
export function formatNumber(value: number): string {
  return vietnameseNumber.format(value);
}

/**
 * Whether the campaign in campaign.yaml is over: it has `period.end` and that
 * day is before `now`'s day in Cà Mau. Its figures are then the past's, and
 * the home page says so (docs/editors.md, "The campaign's figures").
 */
export function campaignEnded(period: { start: Date; end?: Date | undefined }, now: Date): boolean {
  return period.end !== undefined && calendarDateInVietnam(period.end) < calendarDateInVietnam(now);
}

export interface YearResults {
  year: number;
  /** Finished drives of that year with their units given. */
  drives: number;
  given: number;
  /** The units those drives planned. */
  target: number;
}

/** The units given at the drives that finished in `now`'s calendar year in Cà Mau. */
export function yearResults(
  drives: readonly { start: Date; status: string; unitsTarget: number; unitsGiven?: number | undefined }[],
  now: Date,
): YearResults {
  const year = calendarDateInVietnam(now).slice(0, 4);
  const finished = drives.filter(
    (d) => d.status === 'finished' && d.unitsGiven !== undefined && calendarDateInVietnam(d.start).startsWith(year),
  );
  return {
    year: Number(year),
    drives: finished.length,
    given: finished.reduce((sum, d) => sum + (d.unitsGiven ?? 0), 0),
    target: finished.reduce((sum, d) => sum + d.unitsTarget, 0),
  };
}
