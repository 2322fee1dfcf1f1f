/**
 * Two organisers at one desk, over the console's HTTP routes with a session
 * each, against `npm start`: undo never takes back a colleague's work, an
 * idempotency key names one action, and the server's daily maintenance
 * deletes keys past their 7 days. Hostile variations as a table and a fuzz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { newConfirmationCode } from '../../src/signup/codes.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { calendarDateInVietnam, toIsoWithOffset } from '../../src/shared/dates.ts';
import { readDrives } from './drive-data.ts';
import { postForm } from './forms.ts';
import { addAccount, newUsername, signIn } from './console-accounts.ts';

const folder = mkdtempSync(join(tmpdir(), 'desk-pressure-'));
const signupDb = join(folder, 'signups.sqlite');
// A key kept 8 days ago, before the server starts: its first daily maintenance (1 s after start) deletes it.
{
  const store = new SignupStore(signupDb);
  store.db
    .prepare('INSERT INTO console_actions (key, at, answer) VALUES (?, ?, ?)')
    .run('cu:khoa-cu-000001', new Date(Date.now() - 8 * 86_400_000).toISOString(), '{"ok":true,"done":"arrive"}');
  store.db
    .prepare('INSERT INTO console_actions (key, at, answer) VALUES (?, ?, ?)')
    .run('moi:khoa-moi-00001', new Date(Date.now() - 6 * 86_400_000).toISOString(), '{"ok":true,"done":"arrive"}');
  store.close();
}
const site = await startSite({
  SIGNUP_DB: signupDb,
  SIGNUP_RATE_LIMIT: '100000',
  LOGIN_RATE_LIMIT: '100000',
  SITE_DIST: FIXTURE_DIST,
});
afterAll(async () => {
  await site.stop();
  rmSync(folder, { recursive: true, force: true });
});
const [drive] = nextOpenDrives(await readDrives(), new Date(), 1);
if (!drive) throw new Error('the test site needs an upcoming drive');
const slot = driveSlots(drive)[0];
if (!slot) throw new Error('the drive has no slots');
const action = `/to-chuc/${drive.slug}/thao-tac.json`;

let counter = 0;
function signUpPerson(): string {
  const store = new SignupStore(signupDb);
  try {
    counter += 1;
    const code = newConfirmationCode();
    store.takePlace({
      code,
      drive: drive?.slug ?? '',
      slot: slot?.id ?? '',
      slotEnd: toIsoWithOffset(slot?.end ?? new Date()),
      capacity: 100_000,
      person: {
        fullName: `Người Hiến Thứ ${counter}`,
        phone: `+8496${String(counter).padStart(7, '0')}`,
        birthYear: 1990,
        sex: 'female',
        weightKg: 55,
      },
      now: new Date(),
    });
    return code;
  } finally {
    store.close();
  }
}
const deskOf = (code: string) => {
  const store = new SignupStore(signupDb);
  try {
    return store.byCode(code)?.desk;
  } finally {
    store.close();
  }
};

let staffA: string;
let staffB: string;
let cookieA: string;
let cookieB: string;
beforeAll(async () => {
  staffA = newUsername('nva');
  staffB = newUsername('nvb');
  await addAccount(signupDb, staffA, 'staff', [drive.slug]);
  await addAccount(signupDb, staffB, 'staff', [drive.slug]);
  cookieA = await signIn(site.url, staffA);
  cookieB = await signIn(site.url, staffB);
});

// The test drive is days ahead: the desk takes its day-bound actions once that day is confirmed.
const driveDay = calendarDateInVietnam(drive.start);
const act = async (cookie: string, fields: Record<string, string>) => {
  const confirmed = 'intent' in fields && !('otherDay' in fields) ? { otherDay: driveDay } : {};
  const response = await postForm(site.url, action, { ...fields, ...confirmed }, { headers: { Cookie: cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
let keys = 0;
const newKey = () => `khoa-${Date.now()}-${(keys += 1)}`;

describe('undo with two organisers', () => {
  test('A checks in, B records 350 ml, A presses undo: the gift stays and A is told who changed it', async () => {
    const code = signUpPerson();
    expect((await act(cookieA, { intent: 'arrive', code, key: newKey() })).status).toBe(200);
    expect((await act(cookieB, { intent: 'gave', code, volume: '350', key: newKey() })).status).toBe(200);
    const undo = await act(cookieA, { intent: 'undo', key: newKey() });
    expect(undo.status).toBe(409);
    expect(undo.body).toMatchObject({ ok: false, problem: 'changed-since', changedBy: staffB, changedTo: 'gave' });
    expect(undo.body['message']).toMatch(
      new RegExp(`^Không hoàn tác được: sau thao tác của bạn, ${staffB} đã ghi "Đã hiến"`),
    );
    expect(deskOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 350 });
  });

  test('a walk-in A registered and B recorded a gift for stays when A presses undo', async () => {
    const walkIn = await act(cookieA, {
      intent: 'walk-in',
      key: newKey(),
      slot: slot.id,
      fullName: 'Người Đến Trực Tiếp',
      phone: '0977000111',
      birthYear: '1988',
      sex: 'male',
      weightKg: '62',
      consent: 'yes',
    });
    expect(walkIn.status).toBe(200);
    const code = String(walkIn.body['code']);
    expect((await act(cookieB, { intent: 'gave', code, volume: '450', key: newKey() })).status).toBe(200);
    const undo = await act(cookieA, { intent: 'undo', key: newKey() });
    expect(undo).toMatchObject({ status: 409, body: { problem: 'changed-since', changedBy: staffB } });
    expect(deskOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 450 });
  });
});

describe('idempotency keys', () => {
  test('the same key with the same form is answered again and changes nothing; with another form it is 409', async () => {
    const code = signUpPerson();
    const other = signUpPerson();
    const key = newKey();
    const first = await act(cookieA, { intent: 'gave', code, volume: '350', key });
    expect(first.status).toBe(200);
    expect(await act(cookieA, { intent: 'gave', code, volume: '350', key })).toMatchObject({
      status: 200,
      body: { ok: true, replayed: true },
    });
    const reused = await act(cookieA, { intent: 'arrive', code: other, key });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ ok: false, problem: 'key-reused' });
    expect(String(reused.body['message'])).toContain('không được ghi');
    expect(deskOf(other)).toMatchObject({ arrivedAt: null });
    // Another organiser's same key is theirs: it does its own action.
    expect((await act(cookieB, { intent: 'arrive', code: other, key })).status).toBe(200);
  });

  // [what is sent again under the first action's key, what it does: key-reused, or another key's own action]
  const HOSTILE: [string, (code: string, key: string) => Record<string, string>, 'key-reused' | 'own-key'][] = [
    ['another volume', (code, key) => ({ intent: 'gave', code, volume: '450', key }), 'key-reused'],
    [
      'another intent on the same code',
      (code, key) => ({ intent: 'defer', code, reason: 'weight', deferralKind: 'temporary', key }),
      'key-reused',
    ],
    ['an undo', (_code, key) => ({ intent: 'undo', key }), 'key-reused'],
    ['no-show for all', (_code, key) => ({ intent: 'no-show-all', key }), 'key-reused'],
    [
      'the key in capitals (another key)',
      (code, key) => ({ intent: 'arrive', code, key: key.toUpperCase() }),
      'own-key',
    ],
  ];
  test.each(HOSTILE)('the first action’s key sent with %s', async (_name, fields, expected) => {
    const code = signUpPerson();
    const key = newKey();
    expect((await act(cookieA, { intent: 'gave', code, volume: '350', key })).status).toBe(200);
    const again = await act(cookieA, fields(code, key));
    if (expected === 'key-reused') expect(again).toMatchObject({ status: 409, body: { problem: 'key-reused' } });
    else expect(again.status).toBe(200);
    expect(deskOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 350 });
  });

  test('random second bodies under one key never fail the server and never undo the first (bounded fuzz)', async () => {
    const code = signUpPerson();
    const key = newKey();
    expect((await act(cookieA, { intent: 'gave', code, volume: '350', key })).status).toBe(200);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('arrive', 'gave', 'defer', 'undo', 'no-show-all', 'show-phone', 'walk-in', 'publish'),
        fc.constantFrom('250', '350', '450', '', 'x'),
        async (intent, volume) => {
          const answer = await act(cookieA, { intent, code, volume, key });
          expect(answer.status).toBeLessThan(500);
          expect(deskOf(code)).toMatchObject({ outcome: 'gave', volumeMl: 350 });
        },
      ),
      { numRuns: 25, seed: Number(process.env['FUZZ_SEED'] ?? 2222) },
    );
  });

  test('the server’s daily maintenance deletes keys kept more than 7 days', async () => {
    const kept = () => {
      const store = new SignupStore(signupDb);
      try {
        return (
          store.db
            .prepare(
              "SELECT key FROM console_actions WHERE key IN ('cu:khoa-cu-000001', 'moi:khoa-moi-00001') ORDER BY key",
            )
            .all() as {
            key: string;
          }[]
        ).map((row) => row.key);
      } finally {
        store.close();
      }
    };
    for (let i = 0; i < 50 && kept().includes('cu:khoa-cu-000001'); i += 1) {
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(kept()).toEqual(['moi:khoa-moi-00001']);
  });
});
