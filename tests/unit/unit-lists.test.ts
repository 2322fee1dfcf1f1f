import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { previewList, slotOf } from '../../src/units/preview.ts';
import { findHeader, foldHeader, MAX_ROWS, readRows, splitPasted } from '../../src/units/rows.ts';
import type { DriveOption } from '../../src/signup/schema.ts';

const NOW = new Date('2026-12-01T10:00:00+07:00');
const DRIVE: DriveOption = {
  slug: 'an-xuyen-12-12-2026',
  name: 'Hiến máu phường An Xuyên',
  start: new Date('2026-12-12T07:00:00+07:00'),
  end: new Date('2026-12-12T09:00:00+07:00'),
  slots: [
    { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T08:00:00+07:00', places: 30 },
    { id: '2026-12-12T08:00:00+07:00', end: '2026-12-12T09:00:00+07:00', places: 30 },
  ],
};
const room = (a: number, b = 0) =>
  new Map([
    ['2026-12-12T07:00:00+07:00', a],
    ['2026-12-12T08:00:00+07:00', b],
  ]);
const HEADER = 'STT\tHọ và tên\tNăm sinh\tGiới tính\tSố điện thoại\tCân nặng\tNhóm máu\tCa';

const preview = async (text: string, places = room(10, 10)) => {
  const list = readRows(splitPasted(text));
  if (!list.ok) throw new Error(list.problem);
  return previewList(list.rows, { drive: DRIVE, room: places, members: [], now: NOW });
};

describe('the list’s header', () => {
  test('matched with or without diacritics, in any order, after title rows', () => {
    expect(foldHeader('Họ và Tên (*)')).toBe('ho va ten');
    const rows = [
      ['DANH SÁCH ĐĂNG KÝ HIẾN MÁU', '', ''],
      ['ho ten', 'SDT', 'nam sinh', 'gioi tinh', 'can nang (kg)'],
    ];
    expect(findHeader(rows)).toEqual({ row: 1, columns: { fullName: 0, phone: 1, birthYear: 2, sex: 3, weightKg: 4 } });
  });

  test('a list without a header or a required column says what is missing', () => {
    expect(readRows([['a', 'b']])).toMatchObject({ ok: false, problem: expect.stringContaining('dòng tiêu đề') });
    expect(readRows([['Họ và tên', 'Năm sinh', 'Giới tính']])).toMatchObject({
      ok: false,
      problem: 'Danh sách thiếu cột: Số điện thoại, Cân nặng.',
    });
  });

  test(`more than ${MAX_ROWS} rows is refused with a clear message`, () => {
    const rows = [['Họ và tên', 'Năm sinh', 'Giới tính', 'SĐT', 'Cân nặng']];
    for (let i = 0; i <= MAX_ROWS; i += 1) rows.push(['A', '1990', 'Nam', '0912345678', '60']);
    const read = readRows(rows);
    expect(read).toMatchObject({ ok: false, problem: expect.stringContaining('quá 20.000 dòng') });
  });
});

describe('previewList', () => {
  test('every problem named in Vietnamese by row; the rest will be stored', async () => {
    const text = [
      HEADER,
      '1\tNguyễn Văn An\t1990\tNam\t0912345001\t60\tO+\t07:00',
      '2\tTrần Thị Bé\t2012\tNữ\t0912345002\t50\t\t',
      '3\tLê Văn Cường\t1985\tNam\t0912345003\t38\t\t',
      '4\tPhạm Thị Dung\t1992\tNữ\t0912345001\t48\t\t',
      '5\t=HYPERLINK("http://x","bấm")\t1990\tNam\t0912345005\t60\t\t',
      '6\tHồ Văn Em\t1990.0\tnam\t912345006\t55,0\t\t7h',
      '7\tVõ Thị Gấm\t1991\tkhông rõ\t0912345007\t50\t\t13:00',
    ].join('\n');
    const result = await preview(text);
    const problems = result.rows.map((r) => r.problems.join(' | '));
    expect(problems[0]).toBe('');
    expect(problems[1]).toMatch(/18/);
    expect(problems[2]).toMatch(/kg/);
    expect(problems[3]).toBe('Số điện thoại trùng với dòng 2.');
    expect(problems[4]).toMatch(/công thức/);
    expect(problems[5]).toBe('');
    expect(problems[6]).toMatch(/Giới tính "không rõ"/);
    expect(problems[6]).toMatch(/Ca "13:00" không có/);
    expect(result.valid).toBe(2);
    expect(result.rows[5]?.person).toMatchObject({ birthYear: 1990, weightKg: 55, phone: '+84912345006' });
    expect(result.rows[5]?.slot).toBe('2026-12-12T07:00:00+07:00');
  });

  test('rows past the unit’s places are told they do not fit; a full slot asked for is named', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 5; i += 1) rows.push(`${i}\tNgười Số ${'ABCDE'[i]}\t1990\tNam\t091234510${i}\t60\t\t`);
    rows.push('9\tNgười Cuối\t1990\tNam\t0912345199\t60\t\t08:00');
    const result = await preview(rows.join('\n'), room(3, 0));
    expect(result.valid).toBe(3);
    expect(result.noRoom).toBe(3);
    expect(result.rows[3]?.problems[0]).toMatch(/^Không còn chỗ giữ/);
    expect(result.rows[5]?.problems[0]).toMatch(/^Không còn chỗ giữ|hết chỗ giữ/);
  });

  test('slotOf reads 07:00, 7h, 7:00 and the id', () => {
    for (const typed of ['07:00', '7h', '7:00', '2026-12-12T07:00:00+07:00']) {
      expect(slotOf(DRIVE, typed), typed).toBe('2026-12-12T07:00:00+07:00');
    }
    expect(slotOf(DRIVE, '25:00')).toBeUndefined();
  });

  test('any pasted text gives a list or a message, never a throw (bounded fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ maxLength: 30 }), { maxLength: 8 }), { maxLength: 12 }),
        async (cells) => {
          const text = [HEADER, ...cells.map((row) => row.join('\t'))].join('\n');
          const list = readRows(splitPasted(text));
          expect(list.ok).toBe(true);
          if (!list.ok) return;
          const result = await previewList(list.rows, { drive: DRIVE, room: room(5, 5), members: [], now: NOW });
          for (const row of result.rows) {
            expect(row.problems.length === 0).toBe(row.person !== undefined);
          }
          expect(result.valid).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 60 },
    );
  });
});
