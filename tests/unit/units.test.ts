import { mkdirSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { run, runCommand } from '../../src/cli/main.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { turnoutCsv } from '../../src/units/turnout-csv.ts';
import { resetSettings } from '../../src/settings.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { parseDeadline } from '../../src/units/deadline.ts';
import { spreadPlaces, UnitStore, type UnitSlot } from '../../src/units/unit-store.ts';
import { englishIn } from './english.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-12-01T10:00:00+07:00');
const UNTIL = new Date('2026-12-10T17:00:00+07:00');
const AFTER = new Date('2026-12-10T17:00:01+07:00');
const DRIVE = 'an-xuyen-12-12-2026';
const SLOTS: UnitSlot[] = [
  { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T08:00:00+07:00', places: 30 },
  { id: '2026-12-12T08:00:00+07:00', end: '2026-12-12T09:00:00+07:00', places: 30 },
];
const TEAM = 'CA-AN-XUYEN';

let folder: string;
let signups: SignupStore;
let units: UnitStore;

beforeEach(() => {
  folder = temporaryFolder('units-');
  signups = new SignupStore(join(folder, 'signups.sqlite'));
  signups.addTeam({ code: TEAM, name: 'Công an phường An Xuyên' }, NOW);
  units = new UnitStore(signups.db);
});
afterEach(() => {
  signups.close();
  removeFolder(folder);
});

const publicTake = (n: number, slot = SLOTS[0] as UnitSlot, now = NOW) =>
  signups.takePlace({
    code: `PUB${String(n).padStart(7, '0')}`,
    drive: DRIVE,
    slot: slot.id,
    slotEnd: slot.end,
    capacity: slot.places,
    person: person(n),
    now,
    waitingGoFirst: true,
  });

const taken = (now = NOW) => [...signups.takenBySlot(DRIVE, SLOTS, now, { waitingGoFirst: true }).values()];

describe('spreadPlaces', () => {
  test('one at a time to the slot with most free places, earlier first on a tie', () => {
    expect(
      spreadPlaces(5, [
        { slot: 'a', free: 3 },
        { slot: 'b', free: 3 },
      ]),
    ).toEqual(
      new Map([
        ['a', 3],
        ['b', 2],
      ]),
    );
    expect(spreadPlaces(3, [{ slot: 'a', free: 2 }])).toBeNull();
  });
});

describe('parseDeadline', () => {
  test('dd/mm/yyyy hh:mm in Cà Mau time, a day alone to its end, ISO with offset; nonsense refused', () => {
    expect(parseDeadline('10/12/2026 17:00')?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    expect(parseDeadline('10/12/2026')?.toISOString()).toBe('2026-12-10T16:59:00.000Z');
    expect(parseDeadline('2026-12-10T17:00:00+07:00')?.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    for (const bad of ['31/02/2026', '10/13/2026', '10/12/2026 25:00', 'mai', '', '2026-12-10']) {
      expect(parseDeadline(bad), bad).toBeNull();
    }
  });
});

describe('UnitStore', () => {
  test('reserved places count as taken for the public until the deadline, then return by themselves', () => {
    const result = units.reserve({
      drive: DRIVE,
      teamCode: TEAM,
      slots: SLOTS,
      places: 50,
      until: UNTIL,
      createdBy: 'admin',
      now: NOW,
    });
    expect(result.status).toBe('reserved');
    if (result.status !== 'reserved') return;
    expect(result.reservations.map((r) => r.places)).toEqual([25, 25]);
    expect(taken()).toEqual([25, 25]);
    for (let n = 0; n < 5; n += 1) expect(publicTake(n).status).toBe('created');
    for (let n = 5; n < 10; n += 1) expect(publicTake(n).status).toBe('full');
    expect(taken()).toEqual([30, 25]);
    // After the deadline the unfilled places count no more, before any round marks them.
    expect(taken(AFTER)).toEqual([5, 0]);
    expect(publicTake(20, SLOTS[0], AFTER).status).toBe('created');
  });

  test('a reservation never takes a place already taken, nor one people wait for', () => {
    for (let n = 0; n < 25; n += 1) publicTake(n);
    const slot = SLOTS[0]?.id;
    const refused = units.reserve({
      drive: DRIVE,
      teamCode: TEAM,
      slots: SLOTS,
      slot,
      places: 6,
      until: UNTIL,
      createdBy: 'admin',
      now: NOW,
    });
    expect(refused).toEqual({ status: 'not-enough', free: 5 });
    expect(units.reservations()).toEqual([]);
  });

  test('members fill the reservation in one transaction; past its places they come back as no room', () => {
    units.reserve({
      drive: DRIVE,
      teamCode: TEAM,
      slots: SLOTS,
      places: 4,
      until: UNTIL,
      createdBy: 'admin',
      now: NOW,
    });
    const members = Array.from({ length: 6 }, (_, i) => ({ person: person(100 + i) }));
    const result = units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members,
      storedBy: 'dau-moi',
      consentBy: 'dau-moi',
      now: NOW,
    });
    expect(result.stored.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(result.noRoom).toEqual([4, 5]);
    expect(result.stored.every((s) => s.signup.teamCode === TEAM)).toBe(true);
    // Filled places are sign-ups now, not reserved on top of them: the count stays.
    expect(taken()).toEqual([2, 2]);
    expect(units.reservations().map((r) => r.filled)).toEqual([2, 2]);
    expect(units.members(TEAM, DRIVE)).toHaveLength(4);
  });

  test("a member chooses a slot; a slot without the unit's room leaves them out", () => {
    units.reserve({
      drive: DRIVE,
      teamCode: TEAM,
      slots: SLOTS,
      slot: SLOTS[1]?.id,
      places: 1,
      until: UNTIL,
      createdBy: 'admin',
      now: NOW,
    });
    const result = units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members: [
        { person: person(1), slot: SLOTS[0]?.id },
        { person: person(2), slot: SLOTS[1]?.id },
      ],
      storedBy: 'x',
      consentBy: 'x',
      now: NOW,
    });
    expect(result.noRoom).toEqual([0]);
    expect(result.stored[0]?.signup.slot).toBe(SLOTS[1]?.id);
  });

  test('returnExpired marks reservations past the deadline with the places they gave back, once', () => {
    units.reserve({ drive: DRIVE, teamCode: TEAM, slots: SLOTS, places: 10, until: UNTIL, createdBy: 'a', now: NOW });
    units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members: [{ person: person(1) }, { person: person(2) }, { person: person(3) }],
      storedBy: 'x',
      consentBy: 'x',
      now: NOW,
    });
    expect(units.returnExpired(NOW)).toEqual([]);
    const returned = units.returnExpired(AFTER);
    expect(returned.map((r) => r.places)).toEqual([3, 4]);
    expect(units.returnExpired(AFTER)).toEqual([]);
    // After the deadline nothing more is stored against it.
    const late = units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members: [{ person: person(9) }],
      storedBy: 'x',
      consentBy: 'x',
      now: AFTER,
    });
    expect(late.noRoom).toEqual([0]);
  });
});

describe('turnout', () => {
  test('reserved, filled, arrived, gave, deferred, no-show and units given per unit and drive', () => {
    units.reserve({ drive: DRIVE, teamCode: TEAM, slots: SLOTS, places: 6, until: UNTIL, createdBy: 'a', now: NOW });
    const { stored } = units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members: [1, 2, 3, 4].map((n) => ({ person: person(n) })),
      storedBy: 'x',
      consentBy: 'x',
      now: NOW,
    });
    const desk = new ConsoleStore(signups.db);
    const [a, b, c] = stored.map((s) => s.signup.code);
    const at = { actor: 'nv', now: new Date('2026-12-12T07:30:00+07:00') };
    for (const code of [a, b, c]) desk.apply({ kind: 'arrive', drive: DRIVE, code: code ?? '' }, at);
    desk.apply({ kind: 'gave', drive: DRIVE, code: a ?? '', volumeMl: 350, returnAfter: '2027-03-06' }, at);
    desk.apply({ kind: 'gave', drive: DRIVE, code: b ?? '', volumeMl: 250, returnAfter: '2027-03-06' }, at);
    desk.apply(
      {
        kind: 'defer',
        drive: DRIVE,
        code: c ?? '',
        reason: 'haemoglobin',
        deferralKind: 'temporary',
        returnAfter: null,
      },
      at,
    );
    expect(units.turnout({ teamCode: TEAM })).toEqual([
      {
        teamCode: TEAM,
        name: 'Công an phường An Xuyên',
        drive: DRIVE,
        reserved: 6,
        filled: 4,
        arrived: 3,
        gave: 2,
        deferred: 1,
        noShow: 0,
        unitsGiven: 2,
      },
    ]);
    expect(units.leadingUnits()).toEqual([
      { teamCode: TEAM, name: 'Công an phường An Xuyên', drives: 1, arrived: 3, unitsGiven: 2 },
    ]);
  });

  test('the CSV neutralises a unit named as a formula', () => {
    signups.addTeam({ code: 'XAU', name: '=HYPERLINK("http://x.example","bấm")' }, NOW);
    units.reserve({ drive: DRIVE, teamCode: 'XAU', slots: SLOTS, places: 1, until: UNTIL, createdBy: 'a', now: NOW });
    const csv = turnoutCsv(units.turnout({ teamCode: 'XAU' }));
    expect(csv.startsWith('\uFEFFMã đơn vị,Đơn vị,Đợt hiến máu')).toBe(true);
    expect(csv).toContain(`XAU,"'=HYPERLINK(""http://x.example"",""bấm"")",${DRIVE},1,0,0,0,0,0,0`);
  });
});

describe('npm run signups -- units', () => {
  let lines: string[];
  const cli = (...args: string[]) => runCommand([...args, '--db', signups.path], (line) => lines.push(line), NOW);
  let dist = '';
  beforeEach(() => {
    lines = [];
    dist = join(folder, 'dist');
    mkdirSync(join(dist, 'client', 'api', 'diem-hien-mau'), { recursive: true });
    writeFileSync(
      join(dist, 'client', 'api', 'diem-hien-mau', 'lich.json'),
      JSON.stringify([{ slug: DRIVE, status: 'scheduled', slots: SLOTS }]),
    );
    process.env['SITE_DIST'] = dist;
    resetSettings();
  });
  afterEach(() => {
    delete process.env['SITE_DIST'];
    resetSettings();
  });

  test('reserve, list and return, in Vietnamese', async () => {
    await cli(
      'units',
      'reserve',
      '--drive',
      DRIVE,
      '--team',
      'ca-an-xuyen',
      '--places',
      '50',
      '--until',
      '10/12/2026 17:00',
    );
    expect(lines).toEqual([
      'Đã giữ 50 chỗ cho Công an phường An Xuyên (CA-AN-XUYEN) đến 10/12/2026 17:00.',
      '  25 chỗ, khung 07:00–08:00',
      '  25 chỗ, khung 08:00–09:00',
    ]);
    lines = [];
    await cli('units', 'list', '--team', TEAM);
    expect(lines[1]).toBe(`${TEAM}\t${DRIVE}\t12/12/2026\t07:00–08:00\t25\t0\t10/12/2026 17:00\tđang giữ`);
    lines = [];
    await runCommand(['units', 'return', '--db', signups.path], (line) => lines.push(line), AFTER);
    expect(lines[0]).toContain('25 chỗ chưa có người');
    for (const line of lines) expect(englishIn(line), line).toEqual([]);
  });

  test('turnout prints the figures, and --out writes them as CSV', async () => {
    await cli('units', 'reserve', '--drive', DRIVE, '--team', TEAM, '--places', '4', '--until', '10/12/2026 17:00');
    lines = [];
    await cli('units', 'turnout');
    expect(lines).toEqual([
      'Mã đơn vị\tĐơn vị\tĐợt hiến máu\tChỗ giữ\tĐã điền\tĐã đến\tĐã hiến\tTạm hoãn\tKhông đến\tĐơn vị máu',
      `${TEAM}\tCông an phường An Xuyên\t${DRIVE}\t4\t0\t0\t0\t0\t0\t0`,
    ]);
    const file = join(folder, 'ket-qua.csv');
    lines = [];
    await cli('units', 'turnout', '--out', file);
    expect(lines).toEqual([`Đã ghi kết quả của 1 dòng đơn vị theo đợt vào ${file}`]);
    expect(readFileSync(file, 'utf8')).toContain(`${TEAM},Công an phường An Xuyên,${DRIVE},4,0`);
    for (const line of lines) expect(englishIn(line), line).toEqual([]);
  });

  test('fill stores a list from a file as the page does, naming each row’s problem; --dry-run stores nothing', async () => {
    writeFileSync(
      join(dist, 'client', 'api', 'diem-hien-mau', 'lich.json'),
      JSON.stringify([
        { slug: DRIVE, status: 'scheduled', name: 'An Xuyên', start: SLOTS[0]?.id, end: SLOTS[1]?.end, slots: SLOTS },
      ]),
    );
    await cli('units', 'reserve', '--drive', DRIVE, '--team', TEAM, '--places', '2', '--until', '10/12/2026 17:00');
    const file = join(folder, 'danh-sach.csv');
    writeFileSync(
      file,
      'Họ và tên,Năm sinh,Giới tính,SĐT,Cân nặng\nLê Văn Một,1990,Nam,0912000001,60\nLê Thị Hai,2015,Nữ,0912000002,50\nLê Văn Ba,1991,Nam,0912000003,62\nLê Văn Bốn,1992,Nam,0912000004,63\n',
    );
    lines = [];
    await cli('units', 'fill', '--drive', DRIVE, '--team', TEAM, '--file', file, '--dry-run');
    expect(lines).toEqual([
      expect.stringMatching(/^Dòng 3 \(Lê Thị Hai\): Năm sinh: .*18 tuổi/),
      expect.stringMatching(/^Dòng 5 \(Lê Văn Bốn\): Không còn chỗ giữ/),
      '4 dòng: 2 dòng hợp lệ, 1 dòng không vừa số chỗ.',
    ]);
    expect(units.members(TEAM, DRIVE)).toEqual([]);
    await expect(cli('units', 'fill', '--drive', DRIVE, '--team', TEAM, '--file', file)).rejects.toThrow(/--consent/);
    lines = [];
    await cli('units', 'fill', '--drive', DRIVE, '--team', TEAM, '--file', file, '--consent', 'Nguyễn Văn Đầu Mối');
    expect(lines.at(-3)).toBe(
      `Đã lưu 2 người vào danh sách của đơn vị ${TEAM}; máy chủ chưa cài kênh nhắc hẹn nào nên không ai được nhắn: hãy báo mã cho từng người hoặc in danh sách A4. Mã của từng người:`,
    );
    expect(units.members(TEAM, DRIVE).map((m) => m.fullName)).toEqual(['Lê Văn Một', 'Lê Văn Ba']);
    for (const line of lines) expect(englishIn(line), line).toEqual([]);
  });

  test('fill tells each member their code by the channels the settings have, as the page does', async () => {
    process.env['REMINDER_WEBHOOK_URL'] = 'https://sms-gateway.example.vn/hien-mau';
    process.env['REMINDER_WEBHOOK_SECRET'] = 'x'.repeat(40);
    resetSettings();
    writeFileSync(
      join(dist, 'client', 'api', 'diem-hien-mau', 'lich.json'),
      JSON.stringify([
        { slug: DRIVE, status: 'scheduled', name: 'An Xuyên', start: SLOTS[0]?.id, end: SLOTS[1]?.end, slots: SLOTS },
      ]),
    );
    try {
      await cli('units', 'reserve', '--drive', DRIVE, '--team', TEAM, '--places', '2', '--until', '10/12/2026 17:00');
      const file = join(folder, 'danh-sach.csv');
      writeFileSync(file, 'Họ và tên,Năm sinh,Giới tính,SĐT,Cân nặng\nLê Văn Một,1990,Nam,0912000001,60\n');
      lines = [];
      await cli('units', 'fill', '--drive', DRIVE, '--team', TEAM, '--file', file, '--consent', 'Nguyễn Văn Đầu Mối');
      expect(lines.at(-2)).toMatch(/máy chủ sẽ gửi mã và đường dẫn cho 1 người/);
      // The member's choice is kept with the sign-up, as from the page; the server's sender plans
      // the confirmation from it at its next round (the reminders' planner, tested there).
      const contacts = signups.db
        .prepare(
          'SELECT c.webhook FROM signups s JOIN reminder_contacts c ON c.id = s.reminder_contact WHERE s.team_code = ?',
        )
        .all(TEAM) as { webhook: number }[];
      expect(contacts).toEqual([{ webhook: 1 }]);
    } finally {
      delete process.env['REMINDER_WEBHOOK_URL'];
      delete process.env['REMINDER_WEBHOOK_SECRET'];
      resetSettings();
    }
  });

  test('bad input is named: unknown unit, places, deadline, slot, too many', async () => {
    const refusals: [string[], RegExp][] = [
      [['--team', 'KHONG-CO', '--places', '5', '--until', '10/12/2026 17:00'], /Chưa có đơn vị mã KHONG-CO/],
      [['--team', TEAM, '--places', 'năm', '--until', '10/12/2026 17:00'], /Số chỗ giữ/],
      [['--team', TEAM, '--places', '5', '--until', '01/01/2020 17:00'], /Hạn giữ chỗ/],
      [['--team', TEAM, '--places', '5', '--until', '10/12/2026 17:00', '--slot', '13:00'], /không có khung giờ/],
      [['--team', TEAM, '--places', '61', '--until', '10/12/2026 17:00'], /Chỉ còn 60 chỗ trống/],
    ];
    for (const [args, message] of refusals) {
      await expect(cli('units', 'reserve', '--drive', DRIVE, ...args), args.join(' ')).rejects.toThrow(message);
    }
    let help = '';
    run(['units', '--help'], (line) => (help = line));
    expect(englishIn(help)).toEqual([]);
  });
});

describe('retention', () => {
  test('the purge takes a drive’s reservations and consent records with its sign-ups', async () => {
    const { purge } = await import('../../src/privacy/privacy.ts');
    units.reserve({ drive: DRIVE, teamCode: TEAM, slots: SLOTS, places: 2, until: UNTIL, createdBy: 'a', now: NOW });
    units.storeMembers({
      teamCode: TEAM,
      drive: DRIVE,
      members: [{ person: person(1) }],
      storedBy: 'x',
      consentBy: 'x',
      now: NOW,
    });
    await purge(signups.db, new Date('2026-12-01T00:00:00+07:00'), NOW);
    expect(units.reservations()).toHaveLength(2);
    await purge(signups.db, new Date('2027-12-13T00:00:00+07:00'), new Date('2027-12-13T00:00:00+07:00'));
    expect(units.reservations()).toEqual([]);
    expect(units.members(TEAM)).toEqual([]);
    expect(signups.db.prepare('SELECT count(*) AS n FROM unit_batches').get()).toEqual({ n: 0 });
  });
});
