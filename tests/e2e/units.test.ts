/**
 * Units over HTTP, on a site of its own (database and loopback mail peer): an admin
 * reserves places for a unit, the public count sees them taken, the unit's focal account
 * previews and stores a pasted list (every problem named, the rows past the places told
 * they do not fit), and cannot reach another unit. Then the hostile posts of the new
 * routes as a table, a bounded fuzz, the body limit and the rate limit.
 */
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { runCommand } from '../../src/cli/main.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { UnitStore } from '../../src/units/unit-store.ts';
import { addAccount, newUsername, signIn, TEST_PASSWORD } from './console-accounts.ts';
import { postForm } from './forms.ts';
import { startReminderSite, type ReminderSite } from './reminder-site.ts';

const DRIVE = 'cong-an-phuong-an-xuyen';
const TEAM = 'CA-AN-XUYEN';
const OTHER = 'DOAN-TN';
const rs: ReminderSite = await startReminderSite();
afterAll(() => rs.stop());

const cli = async (...args: string[]) => {
  const lines: string[] = [];
  await runCommand(
    [...args, '--db', rs.db],
    (line) => lines.push(line),
    new Date(),
    () => Promise.resolve(TEST_PASSWORD),
  );
  return lines;
};
const admin = newUsername('qt');
const focal = newUsername('dm');
const otherFocal = newUsername('dm');
await addAccount(rs.db, admin, 'admin');
await cli('team', 'add', TEAM, 'Công an phường An Xuyên');
await cli('team', 'add', OTHER, 'Đoàn thanh niên phường');
await cli('user', 'add', focal, '--role', 'unit', '--team', TEAM);
await cli('user', 'add', otherFocal, '--role', 'unit', '--team', OTHER);
// Accounts of their own for the fuzz and the rate limit, whose posts count per account.
const fuzzer = newUsername('dm');
const hurried = newUsername('dm');
await cli('user', 'add', fuzzer, '--role', 'unit', '--team', TEAM);
await cli('user', 'add', hurried, '--role', 'unit', '--team', TEAM);

const adminCookie = await signIn(rs.url, admin);
const focalCookie = await signIn(rs.url, focal);
const otherCookie = await signIn(rs.url, otherFocal);
const fuzzCookie = await signIn(rs.url, fuzzer);
const hurriedCookie = await signIn(rs.url, hurried);
const post = (cookie: string, path: string, fields: Record<string, string>) =>
  postForm(rs.url, path, fields, { headers: { Cookie: cookie } });
const get = (cookie: string, path: string) =>
  fetch(`${rs.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
const drivePath = `/to-chuc/don-vi/${TEAM}/${DRIVE}/`;
const takenSum = async () => {
  const places = (await (await fetch(`${rs.url}/api/diem-hien-mau/${DRIVE}/cho-trong.json`)).json()) as {
    taken: number;
  }[];
  return places.reduce((n, p) => n + p.taken, 0);
};

const HEADER = 'STT\tHọ và tên\tNăm sinh\tGiới tính\tSố điện thoại\tCân nặng';
const LETTERS = 'ABCDEGHKLMNPQRSTUVXY';
/** Row i of the unit's list: a name of letters, a phone of its own. */
const row = (i: number, extra: { year?: string; weight?: string; phone?: string } = {}) =>
  [
    String(i + 1),
    `Nguyễn Văn ${LETTERS[Math.floor(i / 20) % 20]}${LETTERS[i % 20]?.toLowerCase()}`,
    extra.year ?? '1990',
    i % 2 ? 'Nữ' : 'Nam',
    extra.phone ?? `0912${String(500000 + i).padStart(6, '0')}`,
    extra.weight ?? '60',
  ].join('\t');

describe('a unit’s places and its list', () => {
  test('the admin reserves 50 places; the public count sees them taken', async () => {
    const before = await takenSum();
    const response = await post(adminCookie, '/to-chuc/don-vi/', {
      intent: 'reserve',
      team: TEAM,
      drive: DRIVE,
      places: '50',
      slot: '',
      until: new Date(Date.now() + 7 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 16),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/to-chuc\/don-vi\/\?da-giu=50/);
    expect(await takenSum()).toBe(before + 50);
    const page = await (await get(adminCookie, '/to-chuc/don-vi/?da-giu=50&don-vi=CA-AN-XUYEN')).text();
    expect(page).toContain('Đã giữ 50 chỗ');
    expect(page).toContain('Công an phường An Xuyên (CA-AN-XUYEN)');
  });

  test('the focal account goes to its own unit and cannot see or post to another', async () => {
    const home = await get(focalCookie, '/to-chuc/don-vi/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe(`/to-chuc/don-vi/${TEAM}/`);
    expect((await get(focalCookie, `/to-chuc/don-vi/${TEAM}/`)).status).toBe(200);
    expect((await get(otherCookie, `/to-chuc/don-vi/${TEAM}/`)).status).toBe(403);
    expect((await get(otherCookie, drivePath)).status).toBe(403);
    const attempt = await post(otherCookie, drivePath, {
      intent: 'store',
      rows: `${HEADER}\n${row(0)}`,
      consent: 'yes',
    });
    expect(attempt.status).toBe(403);
    expect(await attempt.text()).toContain('chỉ xem và lập danh sách cho đơn vị của mình');
    // Reserving is the admins'.
    const reserve = await post(focalCookie, '/to-chuc/don-vi/', { intent: 'reserve', team: TEAM, drive: DRIVE });
    expect(reserve.status).toBe(303);
    expect(reserve.headers.get('location')).toBe(`/to-chuc/don-vi/${TEAM}/`);
  });

  test('60 pasted rows with 4 mistakes: each named, 50 stored, the rest told they do not fit', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i));
    rows[3] = row(3, { year: '2012' });
    rows[10] = row(10, { weight: '38' });
    rows[20] = row(20, { phone: '0212345678' });
    rows[30] = row(30, { phone: `0912${String(500000 + 31).padStart(6, '0')}` });
    const text = [HEADER, ...rows].join('\n');
    const previewed = await post(focalCookie, drivePath, { intent: 'preview', rows: text });
    expect(previewed.status).toBe(200);
    const html = await previewed.text();
    expect(html).toContain('60 dòng: 50 dòng hợp lệ sẽ được lưu');
    expect(html).toContain('6 dòng hợp lệ không vừa số chỗ');
    expect(html).toMatch(/18 tuổi/);
    expect(html).toMatch(/Số điện thoại trùng với dòng 32/);
    expect(html).toContain('Lưu 50 người');
    const withoutConsent = await post(focalCookie, drivePath, { intent: 'store', rows: text });
    expect(withoutConsent.status).toBe(422);
    expect(await withoutConsent.text()).toContain('Hãy đánh dấu ô xác nhận');
    const stored = await post(focalCookie, drivePath, { intent: 'store', rows: text, consent: 'yes' });
    expect(stored.status).toBe(303);
    const after = await (await get(focalCookie, stored.headers.get('location') ?? '')).text();
    expect(after).toContain('Đã lưu 50 người vào danh sách của đơn vị.');
    expect(after).toContain('6 người không vừa số chỗ');
    expect(after).toContain('4 dòng có lỗi chưa được lưu');
    const store = new SignupStore(rs.db);
    try {
      expect(new UnitStore(store.db).members(TEAM, DRIVE)).toHaveLength(50);
      const reservations = new UnitStore(store.db).reservations({ teamCode: TEAM });
      expect(reservations.reduce((n, r) => n + r.filled, 0)).toBe(50);
    } finally {
      store.close();
    }
    // Sent again (a reload): everyone is on the list already, nothing more is stored.
    const again = await post(focalCookie, drivePath, { intent: 'store', rows: text, consent: 'yes' });
    expect(again.status).toBe(422);
  });
});

describe('each member’s code, and the printed list', () => {
  const email = `thanh-vien-${Date.now()}@example.vn`;
  test('a member added one by one with an e-mail gets their code and manage link by mail', async () => {
    const added = await post(focalCookie, drivePath, {
      intent: 'one',
      fullName: 'Phan Thị Mai',
      birthYear: '1993',
      sex: 'Nữ',
      phone: '0913777001',
      weightKg: '50',
      slot: '',
      email,
      consent: 'yes',
    });
    // The unit's 50 places are filled: one more does not fit and nothing is stored.
    expect(added.status).toBe(422);
    expect(await added.text()).toContain('1 dòng hợp lệ không vừa số chỗ đã giữ cho đơn vị');
    const reserve = await post(adminCookie, '/to-chuc/don-vi/', {
      intent: 'reserve',
      team: TEAM,
      drive: DRIVE,
      places: '2',
      slot: '',
      until: new Date(Date.now() + 7 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 16),
    });
    expect(reserve.status).toBe(303);
    const again = await post(focalCookie, drivePath, {
      intent: 'one',
      fullName: 'Phan Thị Mai',
      birthYear: '1993',
      sex: 'Nữ',
      phone: '0913777001',
      weightKg: '50',
      email,
      consent: 'yes',
    });
    expect(again.headers.get('location')).toContain('da-luu=1&khong-vua=0');
    const run = await rs.cli(['reminders', 'send']);
    expect(run.code).toBe(0);
    const mail = rs.smtp.received.find((m) => m.to.includes(email))?.mail as { text?: string } | undefined;
    const store = new SignupStore(rs.db);
    const member = new UnitStore(store.db).members(TEAM, DRIVE).find((m) => m.fullName === 'Phan Thị Mai');
    store.close();
    expect(member).toBeDefined();
    const code = member?.code ?? '';
    expect(mail?.text).toContain(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    expect(mail?.text).toContain(`${rs.url}/dang-ky/huy/?ma=`);
    // The phone numbers went to the gateway, each with its own code.
    expect(rs.hook.received.filter((h) => h.data.kind === 'confirm').length).toBeGreaterThanOrEqual(51);
  });

  test('the A4 list carries every member’s code and QR; another unit gets 403', async () => {
    const page = await get(focalCookie, `${drivePath}in/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.match(/data-print-member=/g)).toHaveLength(51);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(51);
    expect(html).toContain('@page');
    expect((await get(otherCookie, `${drivePath}in/`)).status).toBe(403);
  });
});

describe('turnout', () => {
  test('a gift shows in the unit’s console, its CSV, /doi-nhom/ (counts only) and the honour page', async () => {
    const store = new SignupStore(rs.db);
    const [first] = new UnitStore(store.db).members(TEAM, DRIVE);
    store.close();
    const gift = await cli('given', first?.code ?? '');
    expect(gift.join(' ')).not.toMatch(/không/i);
    const consolePage = await (await get(focalCookie, drivePath)).text();
    expect(consolePage).toMatch(/data-turnout-row="CA-AN-XUYEN:cong-an-phuong-an-xuyen"/);
    const csv = await get(focalCookie, `/to-chuc/don-vi/ket-qua.csv?don-vi=${TEAM}`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toMatch(new RegExp(`${TEAM},Công an phường An Xuyên,${DRIVE},52,51,\\d+,1,0,0,1`));
    expect((await get(otherCookie, `/to-chuc/don-vi/ket-qua.csv?don-vi=${TEAM}`)).status).toBe(403);
    const teams = await (await fetch(`${rs.url}/doi-nhom/`)).text();
    expect(teams).toContain('data-unit-count="CA-AN-XUYEN"');
    expect(teams).not.toContain(first?.fullName ?? 'x');
    const honour = await fetch(`${rs.url}/don-vi-dien-hinh/`);
    expect(honour.status).toBe(200);
    const html = await honour.text();
    expect(html).toContain('data-honour-unit="CA-AN-XUYEN"');
    expect(html).toContain('Công an phường An Xuyên');
    expect(html).not.toContain(first?.fullName ?? 'x');
  });
});

describe('after the deadline', () => {
  test('the unused places return to the public, and the focal person is told how many', async () => {
    const before = await takenSum();
    // The deadline passes: moved into the past in the file, as time would.
    const store = new SignupStore(rs.db);
    const unused = new UnitStore(store.db)
      .reservations({ teamCode: TEAM })
      .reduce((n, r) => n + Math.max(0, r.places - r.filled), 0);
    store.db
      .prepare('UPDATE unit_reservations SET until = ? WHERE team_code = ?')
      .run('2020-01-01T00:00:00.000Z', TEAM);
    store.close();
    expect(unused).toBeGreaterThan(0);
    expect(await takenSum()).toBe(before - unused);
    const returned = await cli('units', 'return');
    expect(returned.join('\n')).toContain(`${unused} chỗ chưa có người`);
    const page = await (await get(focalCookie, `/to-chuc/don-vi/${TEAM}/`)).text();
    expect(page).toContain('data-returned-notice');
    expect(page).toContain('đã trả lại cho mọi người');
    const drivePage = await (await get(focalCookie, drivePath)).text();
    expect(drivePage).toContain('Đã qua hạn giữ chỗ');
  });
});

/** Posts a file as the upload form does (multipart), with the page's origin. */
const upload = (cookie: string, path: string, name: string, bytes: Uint8Array) => {
  const form = new FormData();
  form.set('intent', 'preview');
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${rs.url}${path}`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: rs.url },
    body: form,
    redirect: 'manual',
  });
};
const sheet = async (rows: unknown[][]) => {
  const workbook = new ExcelJS.Workbook();
  const page = workbook.addWorksheet('Danh sách');
  for (const r of rows) page.addRow(r);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
};
const HEADER_CELLS = HEADER.split('\t');

describe('uploaded lists', () => {
  const uploader = `/to-chuc/don-vi/${TEAM}/${DRIVE}/`;
  test('an .xlsx with a formula in a name: the row is refused, the formula never run', async () => {
    const bytes = await sheet([
      HEADER_CELLS,
      [1, { formula: 'HYPERLINK("http://x.example","Bấm vào")', result: 'Bấm vào' }, 1990, 'Nam', '0913000001', 60],
      [2, 'Trần Văn Tâm', 1991, 'Nam', '0913000002', 61],
    ]);
    const response = await upload(adminCookie, uploader, 'danh-sach.xlsx', bytes);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('là công thức');
    expect(html).toContain('=HYPERLINK(&quot;http://x.example&quot;');
    expect(html).not.toContain('href="http://x.example"');
  });

  test('a zip bomb named .xlsx is refused with a message', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(70 * 1024 * 1024) }, { level: 1 });
    const response = await upload(adminCookie, uploader, 'danh-sach.xlsx', bomb);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('giải nén lớn bất thường');
  });

  test('CSV files in Windows-1258 and UTF-16 read their Vietnamese names', async () => {
    const text = `${HEADER_CELLS.join(',')}\r\n1,Đỗ Thị Hường,1990,Nữ,0913000003,50\r\n`;
    const split = [...text]
      .map((c) => {
        const parts = [...c.normalize('NFD')];
        const tones = parts.filter((p) => /[\u0300\u0301\u0303\u0309\u0323]/.test(p));
        return (
          parts
            .filter((p) => !tones.includes(p))
            .join('')
            .normalize('NFC') + tones.join('')
        );
      })
      .join('');
    for (const bytes of [iconv.encode(split, 'windows-1258'), iconv.encode(text, 'utf-16le', { addBOM: true })]) {
      const response = await upload(adminCookie, uploader, 'danh-sach.csv', new Uint8Array(bytes));
      expect(response.status).toBe(200);
      expect((await response.text()).normalize('NFC')).toContain('Đỗ Thị Hường');
    }
  });

  test('a sheet of 20,000 rows is previewed; one more is refused with a clear message', async () => {
    const rows: unknown[][] = [HEADER_CELLS];
    for (let i = 0; i < 20_001; i += 1)
      rows.push([i + 1, 'Nguyễn Văn An', 1990, 'Nam', `09${String(i).padStart(8, '0')}`, 60]);
    const started = performance.now();
    const previewed = await upload(adminCookie, uploader, 'lon.xlsx', await sheet(rows.slice(0, 20_001)));
    expect(previewed.status).toBe(200);
    const html = await previewed.text();
    expect(html).toContain('20000 dòng: ');
    expect(html).toContain('dòng hợp lệ không vừa số chỗ');
    console.log(`20.000 dòng .xlsx: xem trước sau ${Math.round(performance.now() - started)} ms`);
    const refused = await upload(adminCookie, uploader, 'lon.xlsx', await sheet(rows));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('quá 20.000 dòng');
  }, 120_000);
});

describe('hostile posts to the unit pages', () => {
  const cases: [string, () => Promise<Response>, number, string?][] = [
    ['unknown intent', () => post(focalCookie, drivePath, { intent: 'xoa-het', rows: HEADER }), 400],
    ['no rows', () => post(focalCookie, drivePath, { intent: 'preview', rows: '' }), 422, 'Chưa có dòng nào'],
    ['no header', () => post(focalCookie, drivePath, { intent: 'preview', rows: 'a\tb\tc' }), 422, 'dòng tiêu đề'],
    [
      'script in a name',
      () =>
        post(focalCookie, drivePath, {
          intent: 'preview',
          rows: `${HEADER}\n1\t<script>alert(1)</script>\t1990\tNam\t0912000001\t60`,
        }),
      200,
    ],
    ['unknown unit', () => get(adminCookie, '/to-chuc/don-vi/KHONG-CO/'), 404],
    ['unit not reserved on the drive', () => get(adminCookie, `/to-chuc/don-vi/${OTHER}/${DRIVE}/`), 404],
    ['unknown drive', () => get(adminCookie, `/to-chuc/don-vi/${TEAM}/khong-co-dot/`), 404],
    [
      'reserve for an unknown unit',
      () =>
        post(adminCookie, '/to-chuc/don-vi/', {
          intent: 'reserve',
          team: 'KHONG',
          drive: DRIVE,
          places: '5',
          until: '2099-01-01T00:00',
        }),
      422,
    ],
    [
      'reserve 0 places',
      () =>
        post(adminCookie, '/to-chuc/don-vi/', {
          intent: 'reserve',
          team: TEAM,
          drive: DRIVE,
          places: '0',
          until: '2099-01-01T00:00',
        }),
      422,
    ],
    [
      'reserve past deadline',
      () =>
        post(adminCookie, '/to-chuc/don-vi/', {
          intent: 'reserve',
          team: TEAM,
          drive: DRIVE,
          places: '5',
          until: '2020-01-01T00:00',
        }),
      422,
    ],
    [
      'reserve more than free',
      () =>
        post(adminCookie, '/to-chuc/don-vi/', {
          intent: 'reserve',
          team: OTHER,
          drive: DRIVE,
          places: '2000',
          until: '2099-01-01T00:00',
        }),
      409,
    ],
    ['signed out', () => postForm(rs.url, drivePath, { intent: 'preview', rows: HEADER }), 401],
    [
      'another origin',
      () =>
        postForm(
          rs.url,
          drivePath,
          { intent: 'preview' },
          { origin: 'https://evil.example', headers: { Cookie: focalCookie } },
        ),
      403,
    ],
  ];
  test.each(cases)('%s', async (_, send, status, words) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = await response.text();
    if (words) expect(body).toContain(words);
    expect(body).not.toContain('<script>alert(1)</script>');
  });

  test('a body over 5 MB is refused before it is read; elsewhere the 16 kB limit stays', async () => {
    // Refused by its length before it is read: the answer is 413, or the connection closes
    // while the client still writes (EPIPE), which is the server not reading it too.
    const big = await fetch(`${rs.url}${drivePath}`, {
      method: 'POST',
      headers: { Cookie: focalCookie, Origin: rs.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `intent=preview&rows=${'a'.repeat(5 * 1024 * 1024 + 10)}`,
    }).then(
      (response) => response.status,
      (error: unknown) => String((error as { cause?: { code?: string } }).cause?.code),
    );
    expect(['413', 'EPIPE', 'ECONNRESET']).toContain(String(big));
    const mid = await post(focalCookie, drivePath, { intent: 'preview', rows: `${HEADER}\n${'x'.repeat(100_000)}` });
    expect(mid.status).toBe(200);
    const elsewhere = await postForm(rs.url, '/dang-ky/?_action=signup', { fullName: 'x'.repeat(100_000) });
    expect(elsewhere.status).toBe(413);
  });

  test('any pasted text gets a page or a message, never a failure (bounded fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 400 }),
        fc.constantFrom('preview', 'store', 'one', ''),
        async (text, intent) => {
          const response = await post(fuzzCookie, drivePath, {
            intent,
            rows: `${HEADER}\n${text}`,
            consent: 'yes',
            fullName: text,
          });
          expect([200, 303, 400, 422]).toContain(response.status);
        },
      ),
      { numRuns: 25 },
    );
  });

  test('more than 30 posts a minute from one account are refused (429), in Vietnamese', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      statuses.push((await post(hurriedCookie, drivePath, { intent: 'preview', rows: HEADER })).status);
    }
    expect(statuses).not.toContain(429);
    const refused = await post(hurriedCookie, drivePath, { intent: 'preview', rows: HEADER });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Bạn gửi quá nhiều lần trong một phút');
  });
});
