import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ConsoleService, DESK_ACTION_LIMIT, PASSWORD_CHECKS_PER_ADDRESS } from '../../src/console/console-service.ts';
import { hashPassword, SCRYPT_WAITING } from '../../src/console/passwords.ts';
import { SignupStore } from '../../src/signup/store.ts';
import type { DriveOption } from '../../src/signup/schema.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

let folder: string;
let store: SignupStore;
let now = new Date('2026-12-05T08:00:00+07:00');
const PASSWORD = 'mật khẩu thử nghiệm dài';
const DRIVE: DriveOption = {
  slug: 'd',
  name: 'Đợt thử',
  start: new Date('2026-12-05T07:00:00+07:00'),
  end: new Date('2026-12-05T11:00:00+07:00'),
  slots: [{ id: '2026-12-05T07:00:00+07:00', end: '2026-12-05T07:30:00+07:00', places: 2 }],
};

// One scrypt hash for the file (about 0.4 s each, more on a busy machine): every test's fresh
// database stores the same one. The sign-in tests still derive a key for every try they make.
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});
beforeEach(() => {
  folder = temporaryFolder('console-service-');
  store = new SignupStore(join(folder, 's.sqlite'));
  const service = new ConsoleService({ database: () => store.db });
  service.consoleStore().addUser({ username: 'an', passwordHash, role: 'staff', drives: ['d'] }, now);
});
afterEach(() => {
  store.close();
  removeFolder(folder);
});

const service = (loginAddressLimit = 30) =>
  new ConsoleService({ database: () => store.db, now: () => now, loginAddressLimit });

test(
  'sign-in: a session for the right password, the same answer for a wrong one or an unknown name',
  { timeout: 30_000 },
  async () => {
    const console = service();
    const ok = await console.login('an', PASSWORD, '203.0.113.1');
    expect(ok).toMatchObject({ ok: true, account: { username: 'an', role: 'staff', drives: ['d'] } });
    expect(ok.ok && console.account(ok.sessionId)?.username).toBe('an');
    expect(await console.login('an', 'sai mật khẩu', '203.0.113.1')).toEqual({ ok: false, reason: 'wrong' });
    expect(await console.login('ai-do', PASSWORD, '203.0.113.1')).toEqual({ ok: false, reason: 'wrong' });
    expect(console.account('not-a-session')).toBeNull();
  },
);

test(
  'a lock lasts 15 minutes for that address, answers as a wrong password does, then the right password works again',
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    for (let i = 0; i < 10; i += 1) {
      expect(await console.login('an', `sai ${i}`, '203.0.113.1')).toEqual({ ok: false, reason: 'wrong' });
    }
    expect(await console.login('an', PASSWORD, '203.0.113.1')).toEqual({ ok: false, reason: 'wrong' });
    // The desk, from another address, is not locked out by that one.
    expect((await console.login('an', PASSWORD, '198.51.100.20')).ok).toBe(true);
    now = new Date(now.getTime() + 15 * 60_000 + 1000);
    expect((await console.login('an', PASSWORD, '203.0.113.1')).ok).toBe(true);
  },
);

test(
  'a right password sent while a tenth wrong one is being checked gets no session (tries counted first)',
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    for (let i = 0; i < 9; i += 1) await console.login('an', `sai ${i}`, '203.0.113.2');
    const [wrong, right] = await Promise.all([
      console.login('an', 'sai lần mười', '203.0.113.2'),
      console.login('an', PASSWORD, '203.0.113.2'),
    ]);
    expect(wrong).toEqual({ ok: false, reason: 'wrong' });
    expect(right).toEqual({ ok: false, reason: 'wrong' });
    // …and the lock stays.
    expect(await console.login('an', PASSWORD, '203.0.113.2')).toEqual({ ok: false, reason: 'wrong' });
  },
);

test(
  'a locked account, a wrong password and an unknown name take the time of one password check',
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    for (let i = 0; i < 11; i += 1) await console.login('an', `sai ${i}`, '203.0.113.3');
    const timed = async (name: string, password: string) => {
      const start = performance.now();
      expect(await console.login(name, password, '203.0.113.3')).toEqual({ ok: false, reason: 'wrong' });
      return performance.now() - start;
    };
    const check = await timed('chua-co-ai', 'bất kỳ');
    const locked = await timed('an', PASSWORD);
    const wrong = await timed('an', 'sai nữa');
    // On the base commit a locked account answered at once (under 5 ms); scrypt takes ~0.35 s.
    expect(locked).toBeGreaterThan(check / 3);
    expect(wrong).toBeGreaterThan(check / 3);
    expect(check).toBeGreaterThan(locked / 3);
  },
);

test(
  'password checks run one at a time; past the waiting ones a try is refused as busy, uncounted',
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    // Each from an address of its own: one address has PASSWORD_CHECKS_PER_ADDRESS places at most.
    const from = (i: number) => `203.0.113.${100 + i}`;
    const answers = await Promise.all(
      Array.from({ length: 1 + SCRYPT_WAITING + 2 }, (_, i) => console.login(`khong-co-${i}`, 'sai', from(i))),
    );
    const reasons = answers.map((a) => (a.ok ? 'ok' : a.reason));
    expect(reasons.filter((r) => r === 'wrong')).toHaveLength(1 + SCRYPT_WAITING);
    expect(reasons.filter((r) => r === 'busy')).toHaveLength(2);
    // Busy tries for a real name were not counted: the right password still works.
    const more = await Promise.all(
      Array.from({ length: 1 + SCRYPT_WAITING + 2 }, (_, i) => console.login('an', `sai ${i}`, from(i))),
    );
    expect(more.filter((a) => !a.ok && a.reason === 'busy')).toHaveLength(2);
    expect((await console.login('an', PASSWORD, from(0))).ok).toBe(true);
  },
);

test(
  `one address holds ${PASSWORD_CHECKS_PER_ADDRESS} places in the password checks' queue at most: another address still gets in`,
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    // On the base commit all five from one address were queued (reason 'wrong'), with room for nine.
    const flood = Array.from({ length: 5 }, (_, i) => console.login(`khong-co-${i}`, 'sai', '2001:db8:1:2::1'));
    // Another host of the same IPv6 /64 is the same address.
    const sameNetwork = console.login('khong-co', 'sai', '2001:db8:1:2::ffff');
    const desk = console.login('an', PASSWORD, '198.51.100.30');
    const reasons = (await Promise.all([...flood, sameNetwork])).map((a) => (a.ok ? 'ok' : a.reason));
    expect(reasons.filter((r) => r === 'wrong')).toHaveLength(PASSWORD_CHECKS_PER_ADDRESS);
    expect(reasons.filter((r) => r === 'busy')).toHaveLength(6 - PASSWORD_CHECKS_PER_ADDRESS);
    expect((await desk).ok).toBe(true);
    // Once answered, the address has its places back.
    expect(await console.login('an', PASSWORD, '2001:db8:1:2::1')).toMatchObject({ ok: true });
  },
);

test(
  'a try refused because the queue is full does not count against the address’s sign-in limit',
  { timeout: 60_000 },
  async () => {
    const console = service(3);
    // Nine other addresses fill the queue (one checked, eight waiting)…
    const filling = Array.from({ length: 1 + SCRYPT_WAITING }, (_, i) =>
      console.login(`khong-co-${i}`, 'sai', `192.0.2.${10 + i}`),
    );
    // …and the office's staff, behind one address, are told the queue is busy, five times.
    const office = '198.51.100.40';
    const refused = await Promise.all(Array.from({ length: 5 }, () => console.login('an', PASSWORD, office)));
    expect(refused.map((a) => (a.ok ? 'ok' : a.reason))).toEqual(Array<string>(5).fill('busy'));
    await Promise.all(filling);
    // On the base commit the five busy answers used up the office's three tries: 'rate-limited'.
    expect((await console.login('an', PASSWORD, office)).ok).toBe(true);
  },
);

test(
  'a try counted while the database was busy keeps its place in the queue: it is never then refused as busy',
  { timeout: 60_000 },
  async () => {
    const console = service(1000);
    // A real name's try is counted in the database (whenFree) before its check is queued; ten at
    // once from ten addresses. Without a kept place the tenth found the queue full after its try
    // was counted.
    const answers = await Promise.all(
      Array.from({ length: 2 + SCRYPT_WAITING }, (_, i) => console.login('an', `sai ${i}`, `192.0.2.${50 + i}`)),
    );
    const reasons = answers.map((a) => (a.ok ? 'ok' : a.reason));
    expect(reasons.slice(0, 1 + SCRYPT_WAITING)).toEqual(Array<string>(1 + SCRYPT_WAITING).fill('wrong'));
    expect(reasons.at(-1)).toBe('busy');
    const reader = new DatabaseSync(join(folder, 's.sqlite'), { readOnly: true });
    const counted = reader.prepare('SELECT address FROM login_tries').all() as { address: string }[];
    reader.close();
    expect(counted).toHaveLength(1 + SCRYPT_WAITING);
    expect(counted.map((t) => t.address)).not.toContain(`192.0.2.${51 + SCRYPT_WAITING}`);
  },
);

test('sign-ins per address are limited whatever the name; another address is not', { timeout: 60_000 }, async () => {
  const console = service(2);
  await console.login('x', 'y', '203.0.113.7');
  await console.login('z', 'y', '203.0.113.7');
  expect(await console.login('an', PASSWORD, '203.0.113.7')).toEqual({ ok: false, reason: 'rate-limited' });
  expect((await console.login('an', PASSWORD, '203.0.113.8')).ok).toBe(true);
});

test(`desk actions: another drive is forbidden; ${DESK_ACTION_LIMIT} per account per 10 minutes`, async () => {
  const console = service();
  const account = { id: 1, username: 'an', role: 'staff' as const, drives: ['d'] };
  expect(await console.act(account, { slug: 'e', option: { ...DRIVE, slug: 'e' } }, { intent: 'undo' })).toEqual({
    ok: false,
    problem: 'forbidden',
  });
  expect(await console.act(account, { slug: 'd', option: DRIVE }, { intent: 'publish', units: '3' })).toEqual({
    ok: false,
    problem: 'forbidden',
  });
  for (let i = 2; i < DESK_ACTION_LIMIT; i += 1) {
    await console.act(account, { slug: 'd', option: DRIVE }, { intent: 'arrive', code: '7K3Q9XWD2P' });
  }
  expect(await console.act(account, { slug: 'd', option: DRIVE }, { intent: 'undo' })).toMatchObject({
    problem: 'nothing-to-undo',
  });
  expect(await console.act(account, { slug: 'd', option: DRIVE }, { intent: 'undo' })).toEqual({
    ok: false,
    problem: 'rate-limited',
  });
});

test('a walk-in is checked by the public form’s schema and its capacity', async () => {
  const console = service();
  const account = { id: 1, username: 'an', role: 'staff' as const, drives: ['d'] };
  const walkIn = (extra: Record<string, string>) =>
    console.act(
      account,
      { slug: 'd', option: DRIVE },
      {
        intent: 'walk-in',
        fullName: 'Lê Văn Tới',
        phone: '0912345678',
        birthYear: '1990',
        sex: 'male',
        weightKg: '60',
        slot: DRIVE.slots[0]?.id ?? '',
        consent: 'yes',
        ...extra,
      },
    );
  expect(await walkIn({ weightKg: '40' })).toMatchObject({
    ok: false,
    problem: 'invalid',
    errors: { weightKg: expect.any(String) as unknown },
  });
  expect(await walkIn({ consent: '' })).toMatchObject({
    ok: false,
    errors: { consent: expect.any(String) as unknown },
  });
  expect(await walkIn({})).toMatchObject({ ok: true, overCapacity: false });
  expect(await walkIn({})).toMatchObject({ ok: true, overCapacity: false });
  expect(await walkIn({})).toEqual({ ok: false, problem: 'full' });
  expect(await walkIn({ allowOver: 'yes' })).toMatchObject({ ok: true, overCapacity: true });
});

describe('the drive’s day', () => {
  const seed = (code: string) =>
    store.takePlace({
      code,
      drive: 'd',
      slot: DRIVE.slots[0]?.id ?? '',
      slotEnd: DRIVE.slots[0]?.end ?? '',
      capacity: 10,
      person: { fullName: 'Lê Thị Muộn', phone: '+84912000222', birthYear: 1990, sex: 'female', weightKg: 55 },
      now,
    });
  const act = (fields: Record<string, string>) =>
    service().act({ id: 1, username: 'an', role: 'staff', drives: ['d'] }, { slug: 'd', option: DRIVE }, fields);

  test.each([
    ['the day after', '2026-12-06T09:00:00+07:00', '2026-12-06'],
    ['a week before', '2026-11-28T09:00:00+07:00', '2026-11-28'],
    ['just after midnight in Cà Mau (still 5/12 in UTC)', '2026-12-06T00:05:00+07:00', '2026-12-06'],
  ])(
    '%s: check-in, gift, deferral, walk-in and no-show are refused until that day is confirmed',
    async (_n, at, today) => {
      now = new Date(at);
      seed('7K3Q9XWD2P');
      for (const fields of [
        { intent: 'arrive', code: '7K3Q9XWD2P' },
        { intent: 'gave', code: '7K3Q9XWD2P', volume: '250' },
        { intent: 'defer', code: '7K3Q9XWD2P', reason: 'weight', deferralKind: 'permanent' },
        { intent: 'no-show-all' },
        { intent: 'arrive', code: '7K3Q9XWD2P', otherDay: '2026-12-07' },
        { intent: 'arrive', code: '7K3Q9XWD2P', otherDay: 'yes' },
      ]) {
        expect(await act(fields), JSON.stringify(fields)).toMatchObject({
          ok: false,
          problem: 'other-day',
          driveDay: '2026-12-05',
          today,
        });
      }
      expect(store.byCode('7K3Q9XWD2P')?.desk).toMatchObject({ arrivedAt: null, outcome: null });
      // Undo, the phone and publishing are not the day's.
      expect(await act({ intent: 'show-phone', code: '7K3Q9XWD2P' })).toMatchObject({ ok: true });
    },
  );

  test('recorded late on purpose, a gift counts its 84 days from the drive’s day', async () => {
    now = new Date('2026-12-08T20:00:00+07:00');
    seed('7K3Q9XWD2P');
    expect(await act({ intent: 'gave', code: '7K3Q9XWD2P', volume: '250', otherDay: '2026-12-05' })).toMatchObject({
      ok: true,
      done: 'gave',
    });
    // 5/12/2026 + 84 days, not 8/12 + 84 (2/3/2027).
    expect(store.byCode('7K3Q9XWD2P')?.desk).toMatchObject({
      outcome: 'gave',
      volumeMl: 250,
      returnAfter: '2027-02-27',
    });
  });

  test('a gift on the second day of a two-day drive counts its 84 days from that day', async () => {
    const twoDays: DriveOption = { ...DRIVE, end: new Date('2026-12-06T11:00:00+07:00') };
    const actOn = (fields: Record<string, string>) =>
      service().act({ id: 1, username: 'an', role: 'staff', drives: ['d'] }, { slug: 'd', option: twoDays }, fields);
    now = new Date('2026-12-06T09:00:00+07:00');
    seed('7K3Q9XWD2P');
    seed('ABCD1234EF');
    expect(await actOn({ intent: 'gave', code: '7K3Q9XWD2P', volume: '350' })).toMatchObject({ ok: true });
    // 6/12/2026 + 84 days; the base gave 5/12 + 84 (27/02/2027).
    expect(store.byCode('7K3Q9XWD2P')?.desk.returnAfter).toBe('2027-02-28');
    // Recorded a day late for the second day, confirmed as such: that day, too.
    now = new Date('2026-12-07T08:00:00+07:00');
    expect(await actOn({ intent: 'gave', code: 'ABCD1234EF', volume: '350', otherDay: '2026-12-06' })).toMatchObject({
      ok: true,
    });
    expect(store.byCode('ABCD1234EF')?.desk.returnAfter).toBe('2027-02-28');
  });

  test('a queue recorded offline on the drive’s day and sent after midnight is stored for that day', async () => {
    now = new Date('2026-12-05T10:30:00+07:00');
    seed('7K3Q9XWD2P');
    // desk-console.ts puts the day of the tap in every queued form (queuedDay, console-paths.ts).
    now = new Date('2026-12-06T07:10:00+07:00');
    const key = 'offline-gift-0001';
    expect(await act({ intent: 'gave', code: '7K3Q9XWD2P', volume: '250', otherDay: '2026-12-05', key })).toMatchObject(
      { ok: true, done: 'gave' },
    );
    expect(store.byCode('7K3Q9XWD2P')?.desk).toMatchObject({ outcome: 'gave', returnAfter: '2027-02-27' });
  });

  test('an action stored on the drive’s day whose answer was lost gets that answer when sent after midnight', async () => {
    now = new Date('2026-12-05T10:30:00+07:00');
    seed('7K3Q9XWD2P');
    const fields = { intent: 'gave', code: '7K3Q9XWD2P', volume: '250', key: 'lost-answer-0001' };
    expect(await act(fields)).toMatchObject({ ok: true, done: 'gave' });
    now = new Date('2026-12-06T07:10:00+07:00');
    // The base answered other-day: the day was checked before the stored answer was looked up.
    expect(await act(fields)).toMatchObject({ ok: true, done: 'gave', replayed: true });
    // A deferral's typed date is read as of its first day, so the replay is not "invalid" either.
    seed('ABCD1234EF');
    now = new Date('2026-12-05T10:40:00+07:00');
    const defer = {
      intent: 'defer',
      code: 'ABCD1234EF',
      reason: 'illness-medicine',
      deferralKind: 'temporary',
      returnAfter: '2026-12-06',
      key: 'lost-answer-0002',
    };
    expect(await act(defer)).toMatchObject({ ok: true, done: 'defer' });
    now = new Date('2026-12-06T07:10:00+07:00');
    expect(await act(defer)).toMatchObject({ ok: true, done: 'defer', replayed: true });
    // The same key with another action is still refused, and a new key still needs the day confirmed.
    expect(await act({ ...fields, volume: '350' })).toMatchObject({ ok: false, problem: 'key-reused' });
    expect(await act({ ...fields, key: 'lost-answer-0003' })).toMatchObject({ ok: false, problem: 'other-day' });
  });

  test('on the drive’s day nothing needs confirming', async () => {
    now = new Date('2026-12-05T10:00:00+07:00');
    seed('7K3Q9XWD2P');
    expect(await act({ intent: 'arrive', code: '7K3Q9XWD2P' })).toMatchObject({ ok: true, done: 'arrive' });
  });

  test('a wrong field is named before the day', async () => {
    now = new Date('2026-12-06T09:00:00+07:00');
    expect(await act({ intent: 'gave', code: '7K3Q9XWD2P', volume: '300' })).toMatchObject({
      ok: false,
      problem: 'invalid',
    });
  });
});

describe('the day confirmation against hostile input', () => {
  const act = (fields: Record<string, string>) =>
    service().act({ id: 1, username: 'an', role: 'staff', drives: ['d'] }, { slug: 'd', option: DRIVE }, fields);
  const seed = () =>
    store.takePlace({
      code: '7K3Q9XWD2P',
      drive: 'd',
      slot: DRIVE.slots[0]?.id ?? '',
      slotEnd: DRIVE.slots[0]?.end ?? '',
      capacity: 10,
      person: { fullName: 'Lê Văn Thử', phone: '+84912000333', birthYear: 1990, sex: 'male', weightKg: 60 },
      now,
    });

  test.each([
    ['the day with a NUL after it', '2026-12-05\u0000'],
    ['the day with spaces', ' 2026-12-05 '],
    ['the day written 5/12/2026', '05/12/2026'],
    ['the day without its zero', '2026-12-5'],
    ['the day and a time', '2026-12-05T07:00:00+07:00'],
    ['another day', '2026-12-06'],
    ['__proto__', '__proto__'],
    ['markup', '<script>alert(1)</script>'],
    ['SQL', "2026-12-05' OR '1'='1"],
    ['10,000 characters', '2'.repeat(10_000)],
    ['empty', ''],
  ])('%s confirms nothing and stores nothing', async (_name, otherDay) => {
    now = new Date('2026-12-09T09:00:00+07:00');
    seed();
    expect(await act({ intent: 'arrive', code: '7K3Q9XWD2P', otherDay })).toMatchObject({
      ok: false,
      problem: 'other-day',
      driveDay: '2026-12-05',
    });
    expect(store.byCode('7K3Q9XWD2P')?.desk.arrivedAt).toBeNull();
  });

  test('a fuzz of confirmations and days: only the drive’s day itself lets a day-bound action through', async () => {
    seed();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('2026-12-05', '2026-12-04', '2026-12-06')),
        fc.integer({ min: -30, max: 30 }),
        async (otherDay, offset) => {
          now = new Date(Date.parse('2026-12-05T09:00:00+07:00') + offset * 86_400_000);
          // The phone and undo are not the day's: never refused for it.
          expect((await act({ intent: 'show-phone', code: '7K3Q9XWD2P', otherDay })).ok).toBe(true);
          const undo = await act({ intent: 'undo', otherDay });
          expect(undo.ok || undo.problem !== 'other-day').toBe(true);
          const noShow = await act({ intent: 'no-show-all', otherDay });
          const allowed = offset === 0 || otherDay === '2026-12-05';
          expect(noShow.ok, `${offset} ${JSON.stringify(otherDay)}`).toBe(allowed);
          if (!noShow.ok) expect(noShow.problem).toBe('other-day');
        },
      ),
      { numRuns: 150 },
    );
  });
});
