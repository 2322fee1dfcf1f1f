/**
 * The roster as the desk reads it: people grouped by slot with each slot's
 * figures, and the search by name, phone or code. Pure.
 */
import { normalizeCode } from '../signup/codes.ts';
import { normalizeMobile } from '../signup/phone.ts';
import type { SignupRecord } from '../signup/store.ts';
import { foldForSearch } from '../shared/vietnamese.ts';
import { NO_FIGURES, addFigures, type DeskFigures } from './desk-status.ts';

export interface RosterSlot {
  /** The slot's start as stored (+07:00). */
  id: string;
  end: string;
  places: number;
  figures: DeskFigures;
  people: SignupRecord[];
}

/**
 * The drive's slots in order with their people and figures. A sign-up whose
 * slot the drive's file no longer has still shows, under its own times.
 */
export function rosterBySlot(
  slots: readonly { id: string; end: string; places: number }[],
  people: readonly SignupRecord[],
  figures: ReadonlyMap<string, DeskFigures>,
): RosterSlot[] {
  const bySlot = new Map<string, RosterSlot>(
    slots.map((slot) => [slot.id, { ...slot, figures: figures.get(slot.id) ?? NO_FIGURES, people: [] }]),
  );
  for (const person of people) {
    let slot = bySlot.get(person.slot);
    if (!slot) {
      slot = {
        id: person.slot,
        end: person.slotEnd,
        places: 0,
        figures: figures.get(person.slot) ?? NO_FIGURES,
        people: [],
      };
      bySlot.set(person.slot, slot);
    }
    slot.people.push(person);
  }
  return [...bySlot.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export function totalFigures(figures: Iterable<DeskFigures>): DeskFigures {
  let total = NO_FIGURES;
  for (const f of figures) total = addFigures(total, f);
  return total;
}

/**
 * The people a desk search finds: a confirmation code (as people write it),
 * a phone number (whole, or its last digits from 3 on), or part of a name
 * with or without accents.
 */
export function searchRoster(people: readonly SignupRecord[], query: string): SignupRecord[] {
  const text = query.trim();
  if (!text) return [...people];
  const code = normalizeCode(text);
  if (code) {
    const byCode = people.filter((p) => p.code === code);
    if (byCode.length > 0) return byCode;
  }
  const phone = normalizeMobile(text);
  if (phone) return people.filter((p) => p.phone === phone);
  const digits = text.replace(/[\s.-]/g, '');
  if (/^\d{3,}$/.test(digits)) return people.filter((p) => p.phone.endsWith(digits));
  const folded = foldForSearch(text);
  return people.filter((p) => foldForSearch(p.fullName).includes(folded));
}

const SOON_MS = 30 * 60_000;

/** The slot running at `now`, or the next one starting within half an hour. */
export function slotAtDesk(slots: readonly { id: string; end: string }[], now: Date): string | undefined {
  const at = now.getTime();
  return (
    slots.find((s) => Date.parse(s.id) <= at && at < Date.parse(s.end)) ??
    slots.find((s) => Date.parse(s.id) > at && Date.parse(s.id) - at <= SOON_MS)
  )?.id;
}
