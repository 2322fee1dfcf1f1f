/** Campaign progress: units of blood given against the target. */

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
