/**
 * Blood needs of the running site, over the process's one database (src/store/shared.ts):
 * the levels as they may be shown now, read again at most every NEEDS_MEMO_MS so that a
 * crowd reading the JSON costs one query a second, not one a request.
 */
import { readSettings } from '../settings.ts';
import { sharedDatabase } from '../store/shared.ts';
import { needsAt, needsJson, type GroupNeed, type LevelEntry, type NeedsJson } from './blood.ts';
import { NeedsStore } from './needs-store.ts';

/** A change shows everywhere within a minute: this memo and the JSON's max-age (30 s) stay well inside it. */
export const NEEDS_MEMO_MS = 1_000;

let memo: { at: number; latest: LevelEntry[] } | undefined;

export function needsStore(): NeedsStore {
  return new NeedsStore(sharedDatabase());
}

export function forgetNeeds(): void {
  memo = undefined;
}

export function currentNeeds(now = new Date()): GroupNeed[] {
  if (!memo || now.getTime() - memo.at > NEEDS_MEMO_MS || now.getTime() < memo.at) {
    memo = { at: now.getTime(), latest: needsStore().latest() };
  }
  return needsAt(memo.latest, now, readSettings().needs.staleDays);
}

export function currentNeedsJson(now = new Date()): NeedsJson {
  return needsJson(currentNeeds(now), now, readSettings().needs.staleDays);
}
