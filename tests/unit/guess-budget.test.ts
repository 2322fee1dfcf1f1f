import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ReminderService } from '../../src/reminders/reminder-service.ts';
import { FormTokens } from '../../src/signup/form-token.ts';
import { GUESS_LIMITS, GuessBudget, sharedGuessBudget } from '../../src/signup/guess-budget.ts';
import { SignupService } from '../../src/signup/service.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
let folder: string;
let store: SignupStore;
let signups: SignupService;
let reminders: ReminderService;

beforeEach(() => {
  folder = temporaryFolder('guesses-');
  store = new SignupStore(join(folder, 's.sqlite'));
  const guesses = new GuessBudget();
  signups = new SignupService({
    store: () => store,
    formTokens: () => new FormTokens('a test key of at least thirty-two characters'),
    drives: () => Promise.resolve([]),
    now: () => NOW,
    guesses,
  });
  reminders = new ReminderService({ database: () => store.db, catalog: () => undefined, now: () => NOW, guesses });
});
afterEach(() => {
  store.close();
  removeFolder(folder);
});

const guess = (n: number) => `GUESS${String(n).padStart(5, '0')}`;

test(`one phone has ${GUESS_LIMITS.phone} tries in all across cancelling and the reminders page, not ${GUESS_LIMITS.phone} on each`, async () => {
  const phone = '+84912000001';
  // On the base commit each page counted on its own: 10 tries per phone per 10 minutes.
  expect(await signups.cancel(guess(1), phone, '10.0.0.1')).toBe('not-found');
  expect(await signups.cancel(guess(2), phone, '10.0.0.2')).toBe('not-found');
  expect(reminders.lookup(guess(3), phone, '10.0.0.3')).toEqual({ kind: 'not-found' });
  expect(await reminders.stop(guess(4), phone, '10.0.0.4')).toBe('not-found');
  expect(reminders.lookup(guess(5), phone, '10.0.0.5')).toEqual({ kind: 'not-found' });
  expect(await signups.cancel(guess(6), phone, '10.0.0.6')).toBe('rate-limited');
  expect(reminders.lookup(guess(7), phone, '10.0.0.7')).toEqual({ kind: 'rate-limited' });
  expect(await reminders.stop(guess(8), phone, '10.0.0.8')).toBe('rate-limited');
});

test(`one code has ${GUESS_LIMITS.code} tries in all across the pages, whatever the phone`, async () => {
  const code = 'SAMECODE00';
  const phone = (n: number) => `+8497700${String(n).padStart(4, '0')}`;
  for (let i = 0; i < 3; i += 1) expect(await signups.cancel(code, phone(i), `10.1.0.${i}`)).toBe('not-found');
  for (let i = 3; i < 5; i += 1) expect(reminders.lookup(code, phone(i), `10.1.0.${i}`).kind).toBe('not-found');
  expect(await reminders.stop(code, phone(5), '10.1.0.5')).toBe('rate-limited');
  expect(await signups.cancel(code, phone(6), '10.1.0.6')).toBe('rate-limited');
});

test('the running site’s pages share one budget, kept on globalThis', () => {
  expect(sharedGuessBudget()).toBe(sharedGuessBudget());
});
