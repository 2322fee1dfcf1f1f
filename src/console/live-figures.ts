/**
 * What the desk's island polls: the figures of every slot and the total, and
 * which statuses changed since the audit entry it last saw. Small: a poll
 * with nothing new is a few hundred bytes.
 */
import type { DeskFigures, DeskStatus } from './desk-status.ts';
import type { Desk } from './desk-page.ts';
import { rosterBySlot, totalFigures } from './roster.ts';
import { consoleService } from './runtime.ts';

export interface LiveFigures {
  version: number;
  /** "<slot id>:<figure>" and "total:<figure>" → count, as the page's data-figure attributes name them. */
  figures: Record<string, number>;
  /** Code → status, for the roster lines and the person panel. */
  statuses: Record<string, DeskStatus>;
}

export function liveFigures(desk: Desk, since: number): LiveFigures {
  const store = consoleService.consoleStore();
  const slots = rosterBySlot(desk.option.slots, [], store.figures(desk.drive.slug));
  const figures: Record<string, number> = {};
  const put = (prefix: string, f: DeskFigures) => {
    for (const [name, value] of Object.entries<number>({ ...f })) figures[`${prefix}:${name}`] = value;
  };
  for (const slot of slots) put(slot.id, slot.figures);
  put('total', totalFigures(slots.map((s) => s.figures)));
  const changes = store.changesSince(desk.drive.slug, Number.isSafeInteger(since) && since >= 0 ? since : 0);
  const statuses: Record<string, DeskStatus> = Object.fromEntries<DeskStatus>(changes.statuses);
  return { version: changes.version, figures, statuses };
}
