import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { run, runCommand, signupsCsv } from '../../src/signup/cli.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { verifyPassword } from '../../src/console/passwords.ts';
import { SignupStore } from '../../src/signup/store.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
let folder: string;
let db: string;
let lines: string[];
const cli = (...args: string[]) => run([...args, '--db', db], (line) => lines.push(line), NOW);
/** purge and erase are awaited (they pause between batches): through runCommand. */
const cliAsync = (...args: string[]) => runCommand([...args, '--db', db], (line) => lines.push(line), NOW);

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'cli-'));
  db = join(folder, 'signups.sqlite');
  lines = [];
  const store = new SignupStore(db);
  const add = (code: string, name: string, phone: string, drive = 'gia-rai-12-12-2026', team?: string) =>
    store.takePlace({
      code,
      drive,
      slot: drive === 'gia-rai-12-12-2026' ? '2026-12-12T07:00:00+07:00' : '2025-06-14T07:00:00+07:00',
      slotEnd: drive === 'gia-rai-12-12-2026' ? '2026-12-12T08:00:00+07:00' : '2025-06-14T08:00:00+07:00',
      capacity: 10,
      person: { fullName: name, phone, birthYear: 1990, sex: 'female', weightKg: 48.5, teamCode: team },
      now: NOW,
    });
  add('7K3Q9XWD2P', 'Nguyễn Thị "Hoa", Út', '+84912345678', undefined, 'CAT-PC06');
  add('ABCD1234EF', '=cmd|calc', '+84912345679');
  add('OLD0000001', 'Lê Văn Cũ', '+84912345670', 'ly-van-lam-14-06-2025');
  store.close();
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('npm run signups', () => {
  test('export writes a CSV for Excel: BOM, Vietnamese headers, quoted cells, no formulas', () => {
    const out = join(folder, 'out.csv');
    cli('export', '--drive', 'gia-rai-12-12-2026', '--out', out);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFMã xác nhận,Đợt hiến máu,Ngày,Khung giờ,Họ và tên,Số điện thoại')).toBe(true);
    expect(csv).toContain(
      '7K3Q-9XWD-2P,gia-rai-12-12-2026,12/12/2026,07:00–08:00,"Nguyễn Thị ""Hoa"", Út",0912 345 678',
    );
    expect(csv).toContain("'=cmd|calc");
    expect(csv).toContain('48,5');
    expect(csv).toContain('CAT-PC06');
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(lines).toEqual([`Wrote 2 sign-up(s) to ${out}`]);
  });

  test('list shows drives with counts, then the people of one drive', () => {
    cli('list');
    expect(lines).toEqual(['gia-rai-12-12-2026\t2', 'ly-van-lam-14-06-2025\t1']);
    lines = [];
    cli('list', '--drive', 'gia-rai-12-12-2026');
    expect(lines[0]).toBe('2 sign-up(s) for gia-rai-12-12-2026');
    expect(lines[1]).toContain('7K3Q-9XWD-2P');
  });

  test('cancel frees a place; given records a donation for the team ranking', () => {
    cli('cancel', 'abcd-1234-ef');
    cli('given', '7K3Q-9XWD-2P');
    cli('team', 'add', 'CAT-PC06', 'Phòng PC06');
    expect(lines.slice(0, 2)).toEqual([
      'ABCD-1234-EF: cancelled, the place is free again',
      '7K3Q-9XWD-2P: recorded as given',
    ]);
    const store = new SignupStore(db);
    expect(store.list('gia-rai-12-12-2026')).toHaveLength(1);
    expect(store.teams()).toEqual([{ teamCode: 'CAT-PC06', name: 'Phòng PC06', signups: 1, unitsGiven: 1 }]);
    store.close();
  });

  test('purge deletes drives that ended more than the given days ago', async () => {
    await cliAsync('purge', '--older-than', '365');
    expect(lines).toEqual([
      'Deleted 1 sign-up(s): drives that ended more than 365 day(s) ago, and cancelled ones whose drive day is over.',
    ]);
  });

  test('backup copies the database, and refuses to overwrite', () => {
    const copy = join(folder, 'backups', 'copy.sqlite');
    cli('backup', copy);
    expect(existsSync(copy)).toBe(true);
    expect(() => cli('backup', copy)).toThrow(/already exists/);
  });

  test('erase --phone deletes that person everywhere and prints only a count', async () => {
    await cliAsync('erase', '--phone', '0912 345 678');
    expect(lines).toEqual(['Erased 1 sign-up(s) made with that phone number.']);
    const store = new SignupStore(db);
    expect(store.byCode('7K3Q9XWD2P')).toBeUndefined();
    expect(store.list()).toHaveLength(2);
    store.close();
  });

  test('team add, list and remove; only registered teams reach the ranking', () => {
    cli('team', 'add', 'cat-pc06', 'Phòng', 'PC06,', 'Công an tỉnh');
    cli('team', 'list');
    expect(lines).toEqual(['CAT-PC06: registered as "Phòng PC06, Công an tỉnh"', 'CAT-PC06\tPhòng PC06, Công an tỉnh']);
    const store = new SignupStore(db);
    expect(store.teams()).toEqual([
      { teamCode: 'CAT-PC06', name: 'Phòng PC06, Công an tỉnh', signups: 1, unitsGiven: 0 },
    ]);
    store.close();
    cli('team', 'remove', 'CAT-PC06');
    expect(lines.at(-1)).toBe('CAT-PC06: removed from /doi-nhom/');
  });

  test('check lists sign-ups whose drive or slot the build no longer has', () => {
    const dist = join(folder, 'dist');
    mkdirSync(join(dist, 'client', 'api', 'diem-hien-mau'), { recursive: true });
    writeFileSync(
      join(dist, 'client', 'api', 'diem-hien-mau', 'lich.json'),
      JSON.stringify([
        {
          slug: 'gia-rai-12-12-2026',
          status: 'scheduled',
          slots: [{ id: '2026-12-12T13:00:00+07:00', end: '2026-12-12T14:00:00+07:00', places: 10 }],
        },
      ]),
    );
    process.env['SITE_DIST'] = dist;
    try {
      cli('check');
    } finally {
      delete process.env['SITE_DIST'];
      process.exitCode = 0;
    }
    expect(lines[0]).toMatch(/^3 sign-up\(s\) no longer fit/);
    expect(lines.join('\n')).toContain('ly-van-lam-14-06-2025');
    expect(lines.join('\n')).toContain('no drive by this name');
    expect(lines.join('\n')).toContain('no slot at this time');
  });

  test.each([
    [['team', 'add', 'x'], /not a team code/],
    [['team', 'add', 'CAT-PC06'], /needs the unit's name/],
    [['team', 'fly'], /team add <CODE>/],
    [['export'], /--drive <slug> is required/],
    [['export', '--drive', 'khong-co'], /There is no drive "khong-co".*Drives with sign-ups: gia-rai-12-12-2026/],
    [['cancel', 'xyz'], /"xyz" is not a confirmation code/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('%j fails with a clear message', (args, message) => {
    expect(() => cli(...args)).toThrow(message);
  });

  test.each([
    [['erase'], /erase needs --phone/],
    [['erase', '--phone', '12345'], /erase needs --phone/],
    [['purge', '--older-than', 'a year'], /whole number of days/],
  ])('%j fails with a clear message', async (args, message) => {
    await expect(cliAsync(...args)).rejects.toThrow(message);
  });

  test('a missing database is named, not created', () => {
    db = join(folder, 'missing.sqlite');
    expect(() => cli('list')).toThrow(/No sign-up database at .*missing\.sqlite/);
    expect(existsSync(db)).toBe(false);
  });

  test('the CSV of no sign-ups is the header line', () => {
    expect(signupsCsv([])).toBe(
      '\uFEFFMã xác nhận,Đợt hiến máu,Ngày,Khung giờ,Họ và tên,Số điện thoại,Năm sinh,Giới tính,Cân nặng (kg),Ngày hiến gần nhất,Mã đội,Đăng ký lúc,Đã hiến,Tình trạng,Đến lúc,Lượng máu (ml),Lý do tạm hoãn,Loại tạm hoãn,Được hiến lại từ,Đăng ký tại chỗ,Vượt số chỗ\r\n',
    );
  });
});

describe('npm run signups -- user and audit', () => {
  const user = (password: string, ...args: string[]) =>
    runCommand(
      ['user', ...args, '--db', db],
      (line) => lines.push(line),
      NOW,
      () => Promise.resolve(password),
    );
  const accounts = () => {
    const store = new SignupStore(db);
    try {
      return new ConsoleStore(store).listUsers();
    } finally {
      store.close();
    }
  };

  test('add, list, passwd and remove accounts; the password is hashed', async () => {
    await user('mật khẩu đủ dài 1', 'add', 'thu.ha', '--role', 'admin');
    await user('mật khẩu đủ dài 2', 'add', 'an', '--role', 'staff', '--drive', 'gia-rai-12-12-2026', '--drive', 'x');
    await user('', 'list');
    expect(lines).toEqual([
      'thu.ha: admin account made',
      'an: staff account made for gia-rai-12-12-2026, x',
      'an\tstaff\tgia-rai-12-12-2026 x',
      'thu.ha\tadmin\t(every drive)',
    ]);
    const store = new SignupStore(db);
    const stored = new ConsoleStore(store).findUser('an');
    store.close();
    expect(stored?.passwordHash).not.toContain('mật khẩu');
    expect(await verifyPassword('mật khẩu đủ dài 2', stored?.passwordHash ?? '')).toBe(true);
    await user('mật khẩu mới đủ dài', 'passwd', 'an');
    await user('', 'remove', 'thu.ha');
    expect(lines.slice(-2)).toEqual([
      'an: password changed, every session of this account ended',
      'thu.ha: removed, its sessions ended',
    ]);
    expect(accounts().map((a) => a.username)).toEqual(['an']);
  });

  test.each([
    ['a short password', ['add', 'an', '--role', 'admin'], 'ngắn', /ít nhất 12 ký tự/],
    ['no role', ['add', 'an'], 'mật khẩu đủ dài 1', /--role must be admin or staff/],
    ['staff without a drive', ['add', 'an', '--role', 'staff'], 'mật khẩu đủ dài 1', /at least one --drive/],
    ['a name with capitals', ['add', 'Thu Ha', '--role', 'admin'], 'mật khẩu đủ dài 1', /not a user name/],
    ['a password for nobody', ['passwd', 'ghost'], 'mật khẩu đủ dài 1', /no such account/],
    ['an unknown action', ['rename', 'an'], '', /user add <name>/],
  ])('refuses %s and changes nothing', async (_name, args, password, message) => {
    await expect(user(password, ...args)).rejects.toThrow(message);
    expect(accounts()).toEqual([]);
  });

  test('a second account with a taken name is refused', async () => {
    await user('mật khẩu đủ dài 1', 'add', 'an', '--role', 'admin');
    await expect(user('mật khẩu đủ dài 2', 'add', 'an', '--role', 'admin')).rejects.toThrow(/already an account/);
  });

  test('the password comes from standard input of the real command', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'src/signup/cli.ts',
        'user',
        'add',
        'tram',
        '--role',
        'admin',
        '--db',
        db,
      ],
      { input: 'một mật khẩu dài\n', encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('tram: admin account made');
    const short = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'src/signup/cli.ts',
        'user',
        'add',
        'khoa',
        '--role',
        'admin',
        '--db',
        db,
      ],
      { input: 'ngắn\n', encoding: 'utf8' },
    );
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/ít nhất 12 ký tự/);
  });

  test('given and the console write the same records; audit prints them with no names', () => {
    cli('given', '7K3Q-9XWD-2P');
    cli('given', '7K3Q-9XWD-2P');
    const store = new SignupStore(db);
    expect(store.byCode('7K3Q9XWD2P')?.desk).toMatchObject({ outcome: 'gave', arrivedAt: NOW.toISOString() });
    store.close();
    lines = [];
    cli('audit', '--drive', 'gia-rai-12-12-2026');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^26\/11\/2026 10:00\tcli\t7K3Q-9XWD-2P\tgave\t/);
    expect(lines.join('')).not.toContain('Nguyễn');
  });
});
