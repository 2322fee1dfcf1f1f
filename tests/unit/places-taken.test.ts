/**
 * The places each span has taken (migration 012's places_taken, kept by triggers) equal a
 * count of the sign-ups not cancelled, whatever writes the stores make: sign-ups, moves by
 * a form sent back, cancellations, the desk's walk-ins and undo, purge and erasure.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { erasePhone, purge } from '../../src/privacy/privacy.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { Database } from '../../src/store/database.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
/** Two drives; each has two slots and an old span overlapping both (slots changed since). */
const SPANS = [
  ['2026-12-12T07:00:00+07:00', '2026-12-12T08:00:00+07:00'],
  ['2026-12-12T08:00:00+07:00', '2026-12-12T09:00:00+07:00'],
  ['2026-12-12T07:30:00+07:00', '2026-12-12T08:30:00+07:00'],
] as const;
const DRIVES = ['gia-rai', 'an-xuyen'] as const;

let folder: string;
let db: Database;
beforeEach(() => {
  folder = temporaryFolder('places-taken-');
  db = new Database(join(folder, 'signups.sqlite'));
});
afterEach(() => {
  db.close();
  removeFolder(folder);
});

const kept = () =>
  db.connection.prepare('SELECT drive, slot, slot_end, taken FROM places_taken ORDER BY drive, slot, slot_end').all();
const counted = () =>
  db.connection
    .prepare(
      `SELECT drive, slot, slot_end, count(*) AS taken FROM signups WHERE cancelled_at IS NULL
       GROUP BY drive, slot, slot_end ORDER BY drive, slot, slot_end`,
    )
    .all();

type Step =
  | { kind: 'sign-up'; n: number; drive: number; span: number; nonce: number | null }
  | { kind: 'cancel'; n: number }
  | { kind: 'walk-in'; n: number; drive: number; span: number }
  | { kind: 'undo'; drive: number }
  | { kind: 'erase'; n: number }
  | { kind: 'purge' }
  /** A write no store makes today (a hand edit, a future path): the triggers hold for any SQL. */
  | { kind: 'toggle-cancelled' | 'move-span'; row: number; span: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sign-up' as const),
      n: fc.integer({ min: 1, max: 12 }),
      drive: fc.integer({ min: 0, max: 1 }),
      span: fc.integer({ min: 0, max: 2 }),
      nonce: fc.option(fc.integer({ min: 1, max: 4 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), n: fc.integer({ min: 1, max: 12 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('walk-in' as const),
      n: fc.integer({ min: 13, max: 16 }),
      drive: fc.integer({ min: 0, max: 1 }),
      span: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), drive: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('erase' as const), n: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('toggle-cancelled' as const, 'move-span' as const),
      row: fc.integer({ min: 1, max: 20 }),
      span: fc.integer({ min: 0, max: 2 }),
    }),
  },
);

async function apply(s: Step, signups: SignupStore, desk: ConsoleStore, codes: Map<number, string>): Promise<void> {
  const code = () => `CODE${String(codes.size + 1).padStart(6, '0')}`;
  switch (s.kind) {
    case 'sign-up': {
      const [slot, slotEnd] = SPANS[s.span] ?? SPANS[0];
      const answer = signups.takePlace({
        code: code(),
        drive: DRIVES[s.drive] ?? 'gia-rai',
        slot,
        slotEnd,
        capacity: 5,
        person: person(s.n),
        now: NOW,
        formNonce: s.nonce === null ? undefined : `nonce-${s.nonce}-${s.n}`,
      });
      if (answer.status === 'created') codes.set(codes.size + 1, answer.signup.code);
      return;
    }
    case 'cancel': {
      const own = [...codes.values()].find((c) => signups.byCode(c)?.phone === person(s.n).phone);
      if (own) signups.cancel(own, person(s.n).phone, NOW);
      return;
    }
    case 'walk-in': {
      const [slot, slotEnd] = SPANS[s.span] ?? SPANS[0];
      desk.apply(
        {
          kind: 'walk-in',
          drive: DRIVES[s.drive] ?? 'gia-rai',
          slot,
          slotEnd,
          capacity: 5,
          allowOver: true,
          person: person(s.n),
        },
        { actor: 'test', now: NOW },
      );
      return;
    }
    case 'undo':
      desk.apply({ kind: 'undo', drive: DRIVES[s.drive] ?? 'gia-rai' }, { actor: 'test', now: NOW });
      return;
    case 'erase':
      await erasePhone(db, person(s.n).phone);
      return;
    case 'toggle-cancelled':
      db.connection
        .prepare(
          'UPDATE signups SET cancelled_at = CASE WHEN cancelled_at IS NULL THEN ? END WHERE id = (SELECT id FROM signups ORDER BY id LIMIT 1 OFFSET ?)',
        )
        .run(NOW.toISOString(), s.row % 8);
      return;
    case 'move-span': {
      const [slot, slotEnd] = SPANS[s.span] ?? SPANS[0];
      db.connection
        .prepare(
          'UPDATE signups SET slot = ?, slot_end = ? WHERE id = (SELECT id FROM signups ORDER BY id LIMIT 1 OFFSET ?)',
        )
        .run(slot, slotEnd, s.row % 8);
      return;
    }
    case 'purge':
      // Every drive of these tests is past by a year from here: all of it goes.
      await purge(db, new Date('2028-01-01T00:00:00+07:00'), new Date('2028-01-01T00:00:00+07:00'));
      return;
  }
}

describe('places_taken', () => {
  test('equals a count of the sign-ups not cancelled after any sequence of the stores’ writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        db.connection.exec('DELETE FROM audit_log; DELETE FROM signups;');
        expect(kept()).toEqual([]);
        const signups = new SignupStore(db);
        const desk = new ConsoleStore(db);
        const codes = new Map<number, string>();
        for (const s of steps) {
          await apply(s, signups, desk, codes);
          expect(kept()).toEqual(counted());
        }
      }),
      { numRuns: 60 },
    );
  });

  test('a slot counts the spans that overlap it, and a full slot stays full', () => {
    const signups = new SignupStore(db);
    const take = (n: number, span: number, capacity: number) => {
      const [slot, slotEnd] = SPANS[span] ?? SPANS[0];
      return signups.takePlace({
        code: `CODE${n}`,
        drive: 'gia-rai',
        slot,
        slotEnd,
        capacity,
        person: person(n),
        now: NOW,
      }).status;
    };
    // One old span overlapping both slots, then each slot filled to 2.
    expect(take(1, 2, 2)).toBe('created');
    expect(take(2, 0, 2)).toBe('created');
    expect(take(3, 0, 2)).toBe('full');
    expect(take(4, 1, 2)).toBe('created');
    expect(take(5, 1, 2)).toBe('full');
    const [first, second] = SPANS;
    expect(
      signups.takenBySlot('gia-rai', [
        { id: first[0], end: first[1] },
        { id: second[0], end: second[1] },
      ]),
    ).toEqual(
      new Map([
        [first[0], 2],
        [second[0], 2],
      ]),
    );
    signups.cancel('CODE1', person(1).phone, NOW);
    expect(take(6, 0, 2)).toBe('created');
    expect(kept()).toEqual(counted());
  });

  test('a count that would fall below nought fails the write and keeps the rows', () => {
    const signups = new SignupStore(db);
    const [slot, slotEnd] = SPANS[0];
    signups.takePlace({ code: 'CODE1', drive: 'gia-rai', slot, slotEnd, capacity: 5, person: person(1), now: NOW });
    // A hand edit that bypassed the count (as no code here does) is caught, not hidden.
    db.connection.exec('UPDATE places_taken SET taken = 0');
    expect(() => signups.cancel('CODE1', person(1).phone, NOW)).toThrow(/CHECK constraint/);
    expect(signups.byCode('CODE1')?.cancelledAt).toBeNull();
  });
});
