import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { run, runCommand } from '../../src/cli/main.ts';
import { signupsCsv } from '../../src/console/signups-csv.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { verifyPassword } from '../../src/console/passwords.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { englishIn } from './english.ts';
import { resetSettings } from '../../src/settings.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
let folder: string;
let db: string;
let lines: string[];
const cli = (...args: string[]) => run([...args, '--db', db], (line) => lines.push(line), NOW);
/** purge and erase are awaited (they pause between batches): through runCommand. */
const cliAsync = (...args: string[]) => runCommand([...args, '--db', db], (line) => lines.push(line), NOW);

beforeEach(() => {
  folder = temporaryFolder('cli-');
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
afterEach(() => removeFolder(folder));

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
    expect(lines).toEqual([`Đã ghi 2 đăng ký vào ${out}`]);
  });

  test('list shows drives with counts, then the people of one drive', () => {
    cli('list');
    expect(lines).toEqual(['gia-rai-12-12-2026\t2', 'ly-van-lam-14-06-2025\t1']);
    lines = [];
    cli('list', '--drive', 'gia-rai-12-12-2026');
    expect(lines[0]).toBe('2 đăng ký cho gia-rai-12-12-2026');
    expect(lines[1]).toContain('7K3Q-9XWD-2P');
  });

  test('cancel frees a place; given records a donation for the team ranking', () => {
    cli('cancel', 'abcd-1234-ef');
    cli('given', '7K3Q-9XWD-2P');
    cli('team', 'add', 'CAT-PC06', 'Phòng PC06');
    expect(lines.slice(0, 2)).toEqual([
      'ABCD-1234-EF: đã hủy, chỗ đã được trả lại',
      '7K3Q-9XWD-2P: đã ghi nhận hiến máu',
    ]);
    const store = new SignupStore(db);
    expect(store.list('gia-rai-12-12-2026')).toHaveLength(1);
    expect(store.teams()).toEqual([{ teamCode: 'CAT-PC06', name: 'Phòng PC06', signups: 1, unitsGiven: 1 }]);
    store.close();
  });

  test('purge deletes drives that ended more than the given days ago', async () => {
    await cliAsync('purge', '--older-than', '365');
    expect(lines).toEqual([
      'Đã xóa 1 đăng ký: của các đợt đã kết thúc quá 365 ngày, và các đăng ký đã hủy khi ngày hiến đã qua.',
    ]);
  });

  test('backup copies the database, and refuses to overwrite', () => {
    const copy = join(folder, 'backups', 'copy.sqlite');
    cli('backup', copy);
    expect(existsSync(copy)).toBe(true);
    expect(() => cli('backup', copy)).toThrow(/đã có; hãy chọn tên tệp mới/);
  });

  test('erase --phone deletes that person everywhere and prints only a count', async () => {
    await cliAsync('erase', '--phone', '0912 345 678');
    expect(lines).toEqual(['Đã xóa 1 đăng ký làm bằng số điện thoại đó.']);
    const store = new SignupStore(db);
    expect(store.byCode('7K3Q9XWD2P')).toBeUndefined();
    expect(store.list()).toHaveLength(2);
    store.close();
  });

  test('team add, list and remove; only registered teams reach the ranking', () => {
    cli('team', 'add', 'cat-pc06', 'Phòng', 'PC06,', 'Công an tỉnh');
    cli('team', 'list');
    expect(lines).toEqual([
      'CAT-PC06: đã đăng ký với tên "Phòng PC06, Công an tỉnh"',
      'CAT-PC06\tPhòng PC06, Công an tỉnh',
    ]);
    const store = new SignupStore(db);
    expect(store.teams()).toEqual([
      { teamCode: 'CAT-PC06', name: 'Phòng PC06, Công an tỉnh', signups: 1, unitsGiven: 0 },
    ]);
    store.close();
    cli('team', 'remove', 'CAT-PC06');
    expect(lines.at(-1)).toBe('CAT-PC06: đã gỡ khỏi /doi-nhom/');
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
    // The settings are read once per process: read them again with this SITE_DIST, and after it.
    process.env['SITE_DIST'] = dist;
    resetSettings();
    try {
      cli('check');
    } finally {
      delete process.env['SITE_DIST'];
      resetSettings();
      process.exitCode = 0;
    }
    expect(lines[0]).toMatch(/^3 đăng ký không còn khớp/);
    expect(lines.join('\n')).toContain('ly-van-lam-14-06-2025');
    expect(lines.join('\n')).toContain('không còn đợt có tên này');
    expect(lines.join('\n')).toContain('không còn khung giờ này');
  });

  test.each([
    [['team', 'add', 'x'], /không phải mã đội/],
    [['team', 'add', 'CAT-PC06'], /cần tên đơn vị/],
    [['team', 'fly'], /team add <MÃ-ĐỘI>/],
    [['export'], /Cần ghi --drive <mã-đợt>/],
    [['export', '--drive', 'khong-co'], /Không có đợt "khong-co".*Các đợt có đăng ký: gia-rai-12-12-2026/],
    [['cancel', 'xyz'], /"xyz" không phải mã xác nhận/],
    [['frobnicate'], /Không có lệnh "frobnicate"/],
    [['list', '--bogus'], /Không có tùy chọn --bogus/],
    [['list', '--drive'], /--drive cần một giá trị/],
  ])('%j fails with a clear message', (args, message) => {
    expect(() => cli(...args)).toThrow(message);
  });

  test.each([
    [['erase'], /erase cần --phone/],
    [['erase', '--phone', '12345'], /erase cần --phone/],
    [['purge', '--older-than', 'a year'], /số ngày nguyên/],
  ])('%j fails with a clear message', async (args, message) => {
    await expect(cliAsync(...args)).rejects.toThrow(message);
  });

  test('a missing database is named, not created', () => {
    db = join(folder, 'missing.sqlite');
    expect(() => cli('list')).toThrow(/Không có cơ sở dữ liệu đăng ký ở .*missing\.sqlite/);
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
      return new ConsoleStore(store.db).listUsers();
    } finally {
      store.close();
    }
  };

  test('add, list, passwd and remove accounts; the password is hashed', async () => {
    await user('mật khẩu đủ dài 1', 'add', 'thu.ha', '--role', 'admin');
    await user('mật khẩu đủ dài 2', 'add', 'an', '--role', 'staff', '--drive', 'gia-rai-12-12-2026', '--drive', 'x');
    await user('', 'list');
    expect(lines).toEqual([
      'thu.ha: đã tạo tài khoản admin (mọi đợt)',
      'an: đã tạo tài khoản staff cho gia-rai-12-12-2026, x',
      'an\tstaff\tgia-rai-12-12-2026 x',
      'thu.ha\tadmin\t(mọi đợt)',
    ]);
    const store = new SignupStore(db);
    const stored = new ConsoleStore(store.db).findUser('an');
    store.close();
    expect(stored?.passwordHash).not.toContain('mật khẩu');
    expect(await verifyPassword('mật khẩu đủ dài 2', stored?.passwordHash ?? '')).toBe(true);
    await user('mật khẩu mới đủ dài', 'passwd', 'an');
    await user('', 'remove', 'thu.ha');
    expect(lines.slice(-2)).toEqual([
      'an: đã đổi mật khẩu, mọi phiên đăng nhập của tài khoản này đã kết thúc',
      'thu.ha: đã xóa tài khoản, các phiên đăng nhập của nó đã kết thúc',
    ]);
    expect(accounts().map((a) => a.username)).toEqual(['an']);
  });

  test.each([
    ['a short password', ['add', 'an', '--role', 'admin'], 'ngắn', /ít nhất 12 ký tự/],
    ['no role', ['add', 'an'], 'mật khẩu đủ dài 1', /Cần ghi --role admin/],
    ['staff without a drive', ['add', 'an', '--role', 'staff'], 'mật khẩu đủ dài 1', /ít nhất một --drive/],
    [
      'a name with capitals',
      ['add', 'Thu Ha', '--role', 'admin'],
      'mật khẩu đủ dài 1',
      /không dùng làm tên đăng nhập được/,
    ],
    ['a password for nobody', ['passwd', 'ghost'], 'mật khẩu đủ dài 1', /không có tài khoản này/],
    ['an unknown action', ['rename', 'an'], '', /user add <tên>/],
  ])('refuses %s and changes nothing', async (_name, args, password, message) => {
    await expect(user(password, ...args)).rejects.toThrow(message);
    expect(accounts()).toEqual([]);
  });

  test('a second account with a taken name is refused', async () => {
    await user('mật khẩu đủ dài 1', 'add', 'an', '--role', 'admin');
    await expect(user('mật khẩu đủ dài 2', 'add', 'an', '--role', 'admin')).rejects.toThrow(/Đã có tài khoản/);
  });

  test('the password comes from standard input of the real command', () => {
    const result = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'src/cli/main.ts',
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
    expect(result.stdout.trim()).toBe('tram: đã tạo tài khoản admin (mọi đợt)');
    const short = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'src/cli/main.ts',
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
    expect(lines[0]).toMatch(
      /^26\/11\/2026 10:00\tlệnh signups trên máy chủ\t7K3Q-9XWD-2P\tĐã hiến\tChưa đến → Đã hiến, đến lúc 26\/11\/2026 10:00, được hiến lại từ 06\/03\/2027$/,
    );
    expect(englishIn(lines.join('\n'))).toEqual([]);
    expect(lines.join('')).not.toContain('Nguyễn');
  });
});

describe('everything the command line prints is Vietnamese', () => {
  const commands = ['list', 'export', 'cancel', 'given', 'purge', 'erase', 'backup', 'check', 'team', 'user'];
  const more = ['audit', 'reminders', 'needs', 'vapid'];

  test('the detector finds the English this file used to print', () => {
    expect(englishIn('Mật khẩu cần ít nhất 12 ký tự. (the password was not set)')).toEqual([
      'the',
      'password',
      'was',
      'not',
    ]);
    expect(englishIn('Usage: npm run signups -- <command>')).toEqual(['usage']);
  });

  test('--help, and --help of each command, name every command and hold no English sentence', () => {
    cli('--help');
    const overview = lines.join('\n');
    expect(overview).toMatch(/^Cách dùng: npm run signups -- <lệnh>/);
    for (const command of [...commands, ...more]) expect(overview).toContain(`  ${command}`);
    expect(englishIn(overview)).toEqual([]);
    for (const command of [...commands, ...more]) {
      lines = [];
      cli(command, '--help');
      const help = lines.join('\n');
      expect(help, command).toMatch(new RegExp(`^Cách dùng: npm run signups -- ${command}`));
      expect(help, command).not.toBe(overview);
      expect(englishIn(help), help).toEqual([]);
    }
  });

  const failures: string[][] = [
    ['erase'],
    ['team', 'add', 'x'],
    ['team', 'add', 'CAT-PC06'],
    ['team', 'fly'],
    ['export'],
    ['export', '--drive', 'khong-co'],
    ['list', '--drive', 'a', '--drive', 'b'],
    ['cancel'],
    ['cancel', 'xyz'],
    ['cancel', '7K3Q-9XWD-2P', 'ABCD-1234-EF'],
    ['frobnicate'],
    ['purge', '--older-than', 'a year'],
    ['backup'],
    ['list', '--bogus'],
    ['list', '--drive'],
  ];
  // Through runCommand, as `npm run signups` runs them: purge and erase only run there.
  test.each(failures)('the error of %j is Vietnamese', async (...args) => {
    let message = '';
    try {
      await cliAsync(...args);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(englishIn(message), message).toEqual([]);
  });

  test('what the commands print when they work is Vietnamese', async () => {
    const out = join(folder, 'out.csv');
    cli('list');
    cli('list', '--drive', 'gia-rai-12-12-2026');
    cli('export', '--drive', 'gia-rai-12-12-2026', '--out', out);
    cli('cancel', 'abcd-1234-ef');
    cli('cancel', 'abcd-1234-ef');
    cli('given', '7K3Q-9XWD-2P');
    cli('given', '7K3Q-9XWD-2P');
    cli('team', 'list');
    cli('team', 'add', 'CAT-PC06', 'Phòng PC06');
    cli('team', 'remove', 'CAT-PC06');
    cli('team', 'remove', 'CAT-PC06');
    cli('audit', '--drive', 'gia-rai-12-12-2026');
    await cliAsync('erase', '--phone', '0900000000');
    cli('backup', join(folder, 'copy.sqlite'));
    await cliAsync('purge');
    const say = (line: string) => lines.push(line);
    const secret = (password: string) => () => Promise.resolve(password);
    await runCommand(['user', 'list', '--db', db], say, NOW, secret(''));
    await runCommand(
      ['user', 'add', 'an', '--role', 'staff', '--drive', 'x', '--db', db],
      say,
      NOW,
      secret('mật khẩu đủ dài 1'),
    );
    await runCommand(['user', 'passwd', 'an', '--db', db], say, NOW, secret('mật khẩu đủ dài 2'));
    await runCommand(['user', 'remove', 'an', '--db', db], say, NOW, secret(''));
    await runCommand(['user', 'remove', 'an', '--db', db], say, NOW, secret(''));
    await runCommand(['reminders', 'status', '--db', db], say, NOW, secret(''));
    await runCommand(['vapid'], say, NOW, secret(''));
    expect(lines.length).toBeGreaterThan(20);
    expect(englishIn(lines.join('\n')), lines.join('\n')).toEqual([]);
  });

  test.each([
    [['user', 'add', 'an', '--role', 'admin'], 'ngắn'],
    [['user', 'passwd', 'ghost'], 'mật khẩu đủ dài 1'],
    [['user', 'add', 'an'], 'mật khẩu đủ dài 1'],
    [['user', 'add', 'an', '--role', 'staff'], 'mật khẩu đủ dài 1'],
    [['user', 'add', 'Thu Ha', '--role', 'admin'], 'mật khẩu đủ dài 1'],
    [['user', 'rename', 'an'], ''],
    [['reminders', 'fly'], ''],
    [['reminders', 'send', '--at', 'tomorrow'], ''],
  ])('the error of %j is Vietnamese, the short password one too', async (args, password) => {
    const error = await runCommand(
      [...args, '--db', db],
      () => {},
      NOW,
      () => Promise.resolve(password),
    ).then(
      () => new Error(''),
      (thrown: unknown) => thrown as Error,
    );
    expect(error.message).not.toBe('');
    expect(englishIn(error.message), error.message).toEqual([]);
  });
});

describe('content history|revert|audit', () => {
  const FILE = 'drives/cai-nuoc.yaml';
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    process.env['CONTENT_REPO'] = join(folder, 'noi-dung');
    process.env['PUBLISH_DIR'] = join(folder, 'ban-dung');
    process.env['CONTENT_DIR'] = join(import.meta.dirname, '../fixtures/site');
  });
  afterEach(() => {
    process.env = saved;
  });

  test('the repository is made from the content; a revert is a new version in the audit log; words are Vietnamese', async () => {
    await cliAsync('content', 'history', FILE);
    expect(lines).toHaveLength(1);
    const [first] = lines[0]?.split('\t').slice(2, 3) ?? [];
    const file = join(folder, 'noi-dung', FILE);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# sửa tay\n`);
    const git = spawnSync('git', ['-c', 'user.name=IT', '-c', 'user.email=it@x.vn', 'commit', '-qam', 'Sửa tay'], {
      cwd: join(folder, 'noi-dung'),
    });
    expect(git.status).toBe(0);
    lines = [];
    await cliAsync('content', 'revert', FILE, first ?? '');
    expect(lines[0]).toMatch(/^Đã đưa drives\/cai-nuoc\.yaml về phiên bản/);
    expect(readFileSync(file, 'utf8')).not.toContain('# sửa tay');
    lines = [];
    await cliAsync('content', 'history', FILE);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('\tcli\t');
    lines = [];
    await cliAsync('content', 'audit');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/lệnh signups trên máy chủ\tQuay lại phiên bản cũ\tdrives\/cai-nuoc\.yaml\t[0-9a-f]{12}$/);
    expect(englishIn(lines.join('\n'))).toEqual([]);
  });

  test('a path outside content/ or a bad version is a usage error (exit status 2), git never runs on it', async () => {
    await expect(cliAsync('content', 'history', '../../etc/passwd')).rejects.toThrow(/Tên tệp không hợp lệ/);
    await expect(cliAsync('content', 'revert', FILE, 'HEAD~1')).rejects.toThrow(/mã phiên bản/);
    await expect(cliAsync('content', 'lam-gi')).rejects.toThrow(/Lệnh content có các dạng/);
    expect(existsSync(join(folder, 'etc'))).toBe(false);
  });
});
