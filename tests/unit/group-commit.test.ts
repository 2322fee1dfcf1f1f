import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FormTokens } from '../../src/signup/form-token.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';
import { SignupService } from '../../src/signup/service.ts';
import { SignupStore, type TakePlaceResult } from '../../src/signup/store.ts';
import type { DriveOption } from '../../src/signup/schema.ts';
import { person, twoPlaceForm, TWO_PLACE_DRIVE } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const drive = TWO_PLACE_DRIVE;
const slot = drive.slots[0] as DriveOption['slots'][number];
const tokens = new FormTokens('a test key of at least thirty-two characters');
const form = (n: number) => twoPlaceForm(`09120000${String(n).padStart(2, '0')}`);

let folder: string;
let store: SignupStore;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'group-commit-'));
  store = new SignupStore(join(folder, 'signups.sqlite'));
});
afterEach(() => {
  vi.restoreAllMocks();
  store.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('sign-ups sent together', () => {
  test('wait for the disk once: one transaction for the turn, and the slot’s capacity holds', async () => {
    const service = new SignupService({
      store: () => store,
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => NOW,
    });
    // Transactions begun, not joined: a store's own transaction inside the group's joins it.
    const transaction = store.db.transaction.bind(store.db);
    let depth = 0;
    let begun = 0;
    vi.spyOn(store.db, 'transaction').mockImplementation((work) => {
      if (depth === 0) begun += 1;
      depth += 1;
      try {
        return transaction(work);
      } finally {
        depth -= 1;
      }
    });
    const meta = () => ({ clientAddress: '10.0.0.1', formToken: tokens.issue(new Date(NOW.getTime() - 60_000)) });
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => service.signup(form(n), meta())));
    expect(outcomes.map((o) => o.kind)).toEqual(['confirmed', 'confirmed', 'full', 'full', 'full']);
    expect(begun).toBe(1);
    expect(store.list().map((s) => s.phone)).toEqual(['+84912000001', '+84912000002']);
  });
});

describe('GroupCommit', () => {
  const take = (n: number, capacity = 10) =>
    store.takePlace({
      code: `CODE${String(n).padStart(6, '0')}`,
      drive: drive.slug,
      slot: slot.id,
      slotEnd: slot.end,
      capacity,
      person: person(n),
      now: NOW,
    });

  test('one that fails fails alone: the others are kept, nothing of it is', async () => {
    const commits = new GroupCommit<TakePlaceResult>(() => store.db);
    const results = await Promise.allSettled([
      commits.run(() => take(1)),
      commits.run(() => {
        take(2);
        throw new Error('hỏng giữa chừng');
      }),
      commits.run(() => take(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('hỏng giữa chừng'));
    expect(store.list().map((s) => s.code)).toEqual(['CODE000001', 'CODE000003']);
  });

  test('a sign-up of the next turn waits for no group but its own', async () => {
    const commits = new GroupCommit<TakePlaceResult>(() => store.db);
    const first = await commits.run(() => take(1));
    const second = await commits.run(() => take(2));
    expect([first.status, second.status]).toEqual(['created', 'created']);
    expect(store.list()).toHaveLength(2);
  });
});
