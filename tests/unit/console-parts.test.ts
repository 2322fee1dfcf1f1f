import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allowedVolumes, parseDeskAction, type SimpleIntent } from '../../src/console/desk-actions.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/console/passwords.ts';
import {
  newSessionId,
  readSessionId,
  sessionCookieName,
  sessionCookieOptions,
  sessionIdHash,
} from '../../src/console/sessions.ts';
import { rosterBySlot, searchRoster, slotAtDesk } from '../../src/console/roster.ts';
import { isConsolePath, loginHref } from '../../src/console/console-paths.ts';
import { readPublishedResults, withPublishedResult } from '../../src/console/published-results.ts';
import { consoleDrives } from '../../src/console/console-drives.ts';
import { maskedPhone, NO_FIGURES } from '../../src/console/desk-status.ts';
import { actorWords, answerMessage, auditStateWords } from '../../src/console/words.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { SignupStore, type SignupRecord } from '../../src/signup/store.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const TODAY = '2026-12-05';

describe('desk actions from form fields', () => {
  const parse = (intent: SimpleIntent, fields: Record<string, string>) => parseDeskAction(intent, 'd', fields, TODAY);

  test.each([
    ['a code typed as people write it', 'arrive', { code: '7k3q 9xwd 2p' }, { kind: 'arrive', code: '7K3Q9XWD2P' }],
    ['O for 0 and I or L for 1', 'arrive', { code: 'O0I1-L000-00' }, { kind: 'arrive', code: '0011100000' }],
    [
      'gave with its volume',
      'gave',
      { code: '7K3Q9XWD2P', volume: '350' },
      { volumeMl: 350, returnAfter: '2027-02-27' },
    ],
    [
      'a temporary deferral with its date',
      'defer',
      { code: '7K3Q9XWD2P', reason: 'weight', deferralKind: 'temporary', returnAfter: '2027-01-05' },
      { reason: 'weight', deferralKind: 'temporary', returnAfter: '2027-01-05' },
    ],
    [
      'a permanent deferral ignores a date',
      'defer',
      { code: '7K3Q9XWD2P', reason: 'other', deferralKind: 'permanent', returnAfter: '2027-01-05' },
      { deferralKind: 'permanent', returnAfter: null },
    ],
    ['publish', 'publish', { units: '212' }, { kind: 'publish', units: 212 }],
    ['no-show for all', 'no-show-all', {}, { kind: 'no-show-all' }],
  ] as const)('%s', (_name, intent, fields, expected) => {
    const parsed = parse(intent, fields);
    expect(parsed).toMatchObject({ ok: true, action: expected });
  });

  test.each([
    ['no code', 'arrive', {}, 'code'],
    ['a code one character short', 'arrive', { code: '7K3Q9XWD2' }, 'code'],
    ['a code with U (not in the alphabet)', 'arrive', { code: '7K3Q9XWD2U' }, 'code'],
    ['markup in the code', 'arrive', { code: '<script>x</script>' }, 'code'],
    ['a volume not offered', 'gave', { code: '7K3Q9XWD2P', volume: '500' }, 'volume'],
    ['a volume as a word', 'gave', { code: '7K3Q9XWD2P', volume: 'nhiều' }, 'volume'],
    ['an unknown reason', 'defer', { code: '7K3Q9XWD2P', reason: 'x', deferralKind: 'temporary' }, 'reason'],
    ['an unknown kind', 'defer', { code: '7K3Q9XWD2P', reason: 'weight', deferralKind: 'x' }, 'deferralKind'],
    [
      'a return date in the past',
      'defer',
      { code: '7K3Q9XWD2P', reason: 'weight', deferralKind: 'temporary', returnAfter: '2026-01-01' },
      'returnAfter',
    ],
    [
      'a return date that is no date',
      'defer',
      { code: '7K3Q9XWD2P', reason: 'weight', deferralKind: 'temporary', returnAfter: '2027-02-30' },
      'returnAfter',
    ],
    ['negative units', 'publish', { units: '-5' }, 'units'],
    ['units in scientific notation', 'publish', { units: '1e3' }, 'units'],
  ] as const)('refuses %s, naming the field in Vietnamese', (_name, intent, fields, field) => {
    const parsed = parse(intent, fields);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[field]).toMatch(/\p{L}/u);
  });

  test('any text in any field parses or names what is wrong, never throws', () => {
    const intents: SimpleIntent[] = ['arrive', 'show-phone', 'gave', 'defer', 'no-show-all', 'undo', 'publish'];
    fc.assert(
      fc.property(
        fc.constantFrom(...intents),
        fc.dictionary(fc.constantFrom('code', 'volume', 'reason', 'deferralKind', 'returnAfter', 'units'), fc.string()),
        (intent, fields) => {
          const parsed = parse(intent, fields);
          if (!parsed.ok) expect(Object.keys(parsed.errors).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('volumes follow the weight: 250 ml under 45 kg, at most 9 ml per kg', () => {
    expect(allowedVolumes(43)).toEqual([250]);
    expect(allowedVolumes(45)).toEqual([250, 350]);
    expect(allowedVolumes(49.9)).toEqual([250, 350]);
    expect(allowedVolumes(50)).toEqual([250, 350, 450]);
  });
});

describe('passwords', () => {
  test('scrypt with the parameters in the hash; only the right password matches', async () => {
    const hash = await hashPassword('mật khẩu đủ dài 2026');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('mật khẩu đủ dài 2026', hash)).toBe(true);
    expect(await verifyPassword('mật khẩu đủ dài 2025', hash)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    // The same password twice gives two hashes (a salt each).
    expect(await hashPassword('mật khẩu đủ dài 2026')).not.toBe(hash);
  });

  test('at least 12 characters, counted as people see them', () => {
    expect(passwordProblem('ngắn quá')).toMatch(/ít nhất 12/);
    expect(passwordProblem('đủđủđủđủđủđủ')).toBeNull();
    expect(passwordProblem('x'.repeat(201))).toMatch(/dài quá/);
  });
});

describe('session cookies', () => {
  test('256-bit ids, kept only as a hash; __Host- and Secure behind HTTPS', () => {
    const id = newSessionId();
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(sessionIdHash(id)).not.toContain(id);
    expect(sessionCookieName(true)).toBe('__Host-hm_console');
    expect(sessionCookieOptions(true)).toEqual({ httpOnly: true, sameSite: 'strict', secure: true, path: '/' });
    expect(sessionCookieOptions(false).secure).toBe(false);
  });

  test.each([
    ['no header', null, false, null],
    ['the right cookie among others', `a=1; hm_console=${'A'.repeat(43)}; b=2`, false, 'A'.repeat(43)],
    ['the http name behind https', `hm_console=${'A'.repeat(43)}`, true, null],
    ['a short id', 'hm_console=abc', false, null],
    ['an id with a quote', `hm_console=${'A'.repeat(42)}"`, false, null],
    ['an id with a semicolon trick', `hm_console=${'A'.repeat(43)}=x`, false, 'A'.repeat(43)],
  ])('%s', (_name, header, secure, expected) => {
    expect(readSessionId(header, secure)).toBe(expected);
  });
});

describe('console paths', () => {
  test.each([
    ['/to-chuc/', true],
    ['/to-chuc/gia-rai-12-12-2026/', true],
    ['//evil.example/', false],
    ['/to-chuc//evil.example', false],
    ['/\\evil.example', false],
    ['https://evil.example/to-chuc/', false],
    ['/to-chuc/../dang-ky/', false],
    ['/tin-tuc/', false],
  ])('%s is a console path: %s', (path, expected) => {
    expect(isConsolePath(path)).toBe(expected);
  });

  test('the sign-in page comes back only to a console path', () => {
    expect(loginHref('/to-chuc/a/')).toBe('/to-chuc/dang-nhap/?tiep=%2Fto-chuc%2Fa%2F');
    expect(loginHref('//evil.example/')).toBe('/to-chuc/dang-nhap/');
  });
});

const record = (n: number, extra: Partial<SignupRecord> = {}): SignupRecord => ({
  code: `CDEF${String(n).padStart(6, '0')}`,
  drive: 'd',
  slot: '2026-12-05T07:00:00+07:00',
  slotEnd: '2026-12-05T07:30:00+07:00',
  fullName: `Người ${n}`,
  phone: `+8491234${String(n).padStart(4, '0')}`,
  birthYear: 1990,
  sex: 'female',
  weightKg: 50,
  createdAt: '2026-11-27T00:00:00.000Z',
  cancelledAt: null,
  donatedAt: null,
  desk: {
    arrivedAt: null,
    outcome: null,
    volumeMl: null,
    deferralReason: null,
    deferralKind: null,
    returnAfter: null,
    walkIn: false,
    overCapacity: false,
  },
  reminderContact: null,
  ...extra,
});

describe('the roster', () => {
  const people = [
    record(1, { fullName: 'Đặng Thị Hồng' }),
    record(2, { fullName: 'Nguyễn Văn Đức' }),
    record(3, { fullName: 'Trần Minh Dũng', slot: '2026-12-05T09:00:00+07:00', slotEnd: '2026-12-05T09:30:00+07:00' }),
  ];

  test.each([
    ['a name without accents', 'dang thi', ['Đặng Thị Hồng']],
    ['part of a name with accents', 'Đức', ['Nguyễn Văn Đức']],
    ['a code as written', 'cdef-0000-02', ['Nguyễn Văn Đức']],
    ['a whole phone number', '0912 340 003', ['Trần Minh Dũng']],
    ['the last digits of a phone', '0001', ['Đặng Thị Hồng']],
    ['nothing found', 'Lê', []],
  ])('search by %s', (_name, query, names) => {
    expect(searchRoster(people, query).map((p) => p.fullName)).toEqual(names);
  });

  test('slots in order; a sign-up whose slot the file no longer has still shows', () => {
    const slots = rosterBySlot(
      [{ id: '2026-12-05T07:00:00+07:00', end: '2026-12-05T07:30:00+07:00', places: 20 }],
      people,
      new Map(),
    );
    expect(slots.map((s) => [s.id.slice(11, 16), s.places, s.people.length])).toEqual([
      ['07:00', 20, 2],
      ['09:00', 0, 1],
    ]);
    expect(slots[0]?.figures).toEqual(NO_FIGURES);
  });

  test('the slot at the desk: the one running, or the next within half an hour', () => {
    const slots = [
      { id: '2026-12-05T07:00:00+07:00', end: '2026-12-05T07:30:00+07:00' },
      { id: '2026-12-05T07:30:00+07:00', end: '2026-12-05T08:00:00+07:00' },
    ];
    const at = (time: string) => slotAtDesk(slots, new Date(`2026-12-05T${time}:00+07:00`));
    expect(at('06:20')).toBeUndefined();
    expect(at('06:40')).toBe(slots[0]?.id);
    expect(at('07:10')).toBe(slots[0]?.id);
    expect(at('07:30')).toBe(slots[1]?.id);
    expect(at('08:00')).toBeUndefined();
  });

  test('a phone shows its last three digits until someone asks', () => {
    expect(maskedPhone('0912 345 678')).toBe('···· ··· 678');
  });
});

describe('drives in the console', () => {
  const drive = (slug: string, day: string) => ({
    slug,
    start: new Date(`${day}T07:00:00+07:00`),
    end: new Date(`${day}T11:00:00+07:00`),
  });
  const drives = [
    drive('past-1', '2026-11-01'),
    drive('later', '2026-12-20'),
    drive('today', '2026-12-05'),
    drive('soon', '2026-12-06'),
    drive('past-2', '2026-11-20'),
    { ...drive('called-off', '2026-12-07'), status: 'cancelled' },
    { ...drive('called-off-today', '2026-12-05'), status: 'cancelled' },
  ];
  const now = new Date('2026-12-05T12:00:00+07:00');

  test('today first, then to come, then cancelled, then past (latest first); staff see only their drives', () => {
    const admin = { id: 1, username: 'a', role: 'admin', drives: [] } as const;
    const listed = consoleDrives(drives, { ...admin, drives: [] }, now);
    expect(listed.map((d) => d.slug)).toEqual([
      'today',
      'soon',
      'later',
      'called-off-today',
      'called-off',
      'past-2',
      'past-1',
    ]);
    expect(listed.filter((d) => d.when === 'cancelled').map((d) => d.slug)).toEqual(['called-off-today', 'called-off']);
    const staff = { id: 2, username: 's', role: 'staff', drives: ['later', 'past-1'] } as const;
    expect(consoleDrives(drives, { ...staff, drives: [...staff.drives] }, now).map((d) => d.slug)).toEqual([
      'later',
      'past-1',
    ]);
  });
});

describe('published results', () => {
  test('a drive whose file leaves the result open takes the published units', () => {
    const results = new Map([['d', 212]]);
    expect(withPublishedResult('d', { status: 'upcoming' }, results)).toEqual({ status: 'finished', unitsGiven: 212 });
    expect(withPublishedResult('d', { status: 'finished', unitsGiven: 200 }, results)).toEqual({
      status: 'finished',
      unitsGiven: 200,
    });
    expect(withPublishedResult('d', { status: 'cancelled' }, results)).toEqual({ status: 'cancelled' });
    expect(withPublishedResult('e', { status: 'upcoming' }, results)).toEqual({ status: 'upcoming' });
  });

  test('read from the sign-up database, none when there is no file', () => {
    const folder = temporaryFolder('published-');
    try {
      const path = join(folder, 's.sqlite');
      expect(readPublishedResults(path)).toEqual(new Map());
      const store = new SignupStore(path);
      new ConsoleStore(store.db).apply({ kind: 'publish', drive: 'd', units: 7 }, { actor: 'a', now: new Date() });
      store.close();
      expect(readPublishedResults(path)).toEqual(new Map([['d', 7]]));
    } finally {
      removeFolder(folder);
    }
  });
});

describe('desk messages', () => {
  test('every answer has plain words; another drive is named', () => {
    expect(answerMessage({ ok: false, problem: 'other-drive', otherDrive: 'x' }, () => 'Đợt Giá Rai')).toMatch(
      /đợt hiến máu khác: Đợt Giá Rai/,
    );
    for (const problem of [
      'not-found',
      'cancelled',
      'full',
      'nothing-to-undo',
      'invalid',
      'forbidden',
      'rate-limited',
      'unavailable',
    ] as const) {
      expect(answerMessage({ ok: false, problem })).toMatch(/\p{L}{2,}/u);
    }
    expect(answerMessage({ ok: true, done: 'arrive', already: true })).toMatch(/từ trước/);
  });

  test('a change made by the command line is named in words, never as the raw actor "cli"', () => {
    const message = answerMessage({
      ok: false,
      problem: 'changed-since',
      changedBy: 'cli',
      changedTo: 'gave',
      changedAt: '2026-12-05T03:30:00Z',
    });
    // The base read: "cli đã ghi "Đã hiến" … xin trao đổi với cli."
    expect(message).toBe(
      'Không hoàn tác được: sau thao tác của bạn, lệnh signups trên máy chủ đã ghi "Đã hiến" cho người này lúc 10:30 ngày 05/12/2026. Không có gì thay đổi; nếu cần sửa, xin trao đổi với cán bộ đã chạy lệnh đó.',
    );
    expect(actorWords('cli')).toBe('lệnh signups trên máy chủ');
    expect(actorWords('chi-lan')).toBe('chi-lan');
    expect(answerMessage({ ok: false, problem: 'changed-since', changedBy: 'chi-lan', changedTo: 'defer' })).toMatch(
      /chi-lan đã ghi "Tạm hoãn" .* trao đổi với chi-lan\.$/,
    );
  });

  test('an audit side reads its status as the desk does (deskStatus)', () => {
    expect(auditStateWords(JSON.stringify({ outcome: null, arrived_at: null }))).toBe('Chưa đến');
    expect(
      auditStateWords(JSON.stringify({ outcome: 'gave', arrived_at: '2026-12-05T01:00:00Z', volume_ml: 350 })),
    ).toBe('Đã hiến, đến lúc 05/12/2026 08:00, 350 ml');
    expect(auditStateWords(JSON.stringify({ outcome: 'gave', cancelled_at: '2026-12-05T01:00:00Z' }))).toBe('Đã hủy');
    expect(auditStateWords(JSON.stringify({ outcome: 'odd', arrived_at: '2026-12-05T01:00:00Z' }))).toBe(
      'Đã đến, đến lúc 05/12/2026 08:00',
    );
  });
});
