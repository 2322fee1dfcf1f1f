/**
 * Whether a slot length divides a drive evenly, and the message when it does not: the drive
 * schema (drive-schema.ts) says it in the build and the console, and the console's drive form
 * says the same words as the times change (src/editor/drive-form-island.ts), without the
 * schema's library in the browser.
 */
import { formatTime } from '../shared/dates.ts';

/** Slot lengths between 10 minutes and the whole drive that divide it evenly, as a hint. */
export function slotLengthsThatFit(minutes: number): number[] {
  return [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240].filter((m) => m <= minutes && minutes % m === 0);
}

/** The message for a slot length that does not divide the drive, or undefined when it does. */
export function slotFitMessage(start: Date, end: Date, slotMinutes: number): string | undefined {
  const minutes = (end.getTime() - start.getTime()) / 60_000;
  if (minutes <= 0 || minutes % slotMinutes === 0) return undefined;
  const fits = slotLengthsThatFit(minutes);
  return `slots.minutes (${slotMinutes} phút mỗi lượt) phải chia đều thời gian của buổi: buổi kéo dài ${minutes} phút, từ ${formatTime(start)} đến ${formatTime(end)}${fits.length ? `; thử ${fits.join(', ')}` : ''}`;
}
