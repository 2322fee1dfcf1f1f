/**
 * The deadline of a reservation as an organiser types it: "10/12/2026 17:00" in Cà Mau's
 * time (the console's and the command line's way of writing a moment), or ISO 8601 with
 * its offset for scripts.
 */
import { fromEditorDate } from '../shared/dates.ts';

const TYPED = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*$/;

/** The instant typed, or null when it is not one; a day alone is its end (23:59). */
export function parseDeadline(text: string): Date | null {
  const typed = TYPED.exec(text);
  if (typed) {
    const [, d, m, y, hh, mm] = typed;
    const day = Number(d);
    const month = Number(m);
    const hour = hh === undefined ? 23 : Number(hh);
    const minute = mm === undefined ? 59 : Number(mm);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
    const iso = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+07:00`;
    const instant = new Date(iso);
    // 31/02 would roll over into March: refused instead.
    if (Number.isNaN(instant.getTime()) || new Date(instant.getTime() + 7 * 3_600_000).getUTCDate() !== day)
      return null;
    return instant;
  }
  if (!/T/.test(text)) return null;
  return fromEditorDate(text.trim());
}

/** The datetime-local value ("2026-12-10T17:00") of the console's form, in Cà Mau's time. */
export function parseLocalInput(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return parseDeadline(text);
  const instant = new Date(`${text.trim()}:00+07:00`);
  return Number.isNaN(instant.getTime()) ? null : instant;
}
