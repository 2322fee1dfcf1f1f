import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { checkZip, decodeCsv, readUpload, ZIP_BOMB } from '../../src/units/sheet-reading.ts';
import { readRows } from '../../src/units/rows.ts';

/** Vietnamese as Windows-1258 writes it: vowels with their marks precomposed, tones as combining marks after them. */
const toneSplit = (text: string) =>
  [...text.normalize('NFC')]
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

const HEADER = ['STT', 'Họ và tên', 'Năm sinh', 'Giới tính', 'Số điện thoại', 'Cân nặng'];

async function xlsx(rows: unknown[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('reading an uploaded list', () => {
  test('an .xlsx is read as values: numbers, dates, and a formula as its text, never its result', async () => {
    const bytes = await xlsx([
      HEADER,
      [1, 'Nguyễn Văn An', 1990, 'Nam', '0912345678', 60.5],
      [2, { formula: 'HYPERLINK("http://x.example","Bấm")', result: 'Bấm' }, 1991, 'Nữ', '0912345679', 50],
      [3, 'Lê Thị Cúc', new Date(Date.UTC(1992, 5, 15)), 'Nữ', 912345670, 48],
    ]);
    const read = await readUpload('danh-sach.xlsx', bytes);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.cells[1]).toEqual(['1', 'Nguyễn Văn An', '1990', 'Nam', '0912345678', '60,5']);
    expect(read.cells[2]?.[1]).toBe('=HYPERLINK("http://x.example","Bấm")');
    expect(read.cells[3]?.[2]).toBe('15/06/1992');
    const rows = readRows(read.cells);
    if (!rows.ok) throw new Error(rows.problem);
    expect(rows.rows[1]?.formulas).toEqual(['fullName']);
    expect(rows.rows[2]?.values).toMatchObject({ birthYear: '1992', phone: '0912345670' });
  });

  test('a zip bomb named .xlsx is refused before exceljs reads it', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(70 * 1024 * 1024) }, { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(checkZip(bomb)).toBe('bomb');
    expect(await readUpload('danh-sach.xlsx', bomb)).toEqual({ ok: false, problem: ZIP_BOMB });
    const many = Object.fromEntries(Array.from({ length: 2_500 }, (_, i) => [`a${i}.xml`, new Uint8Array(1)]));
    expect(checkZip(zipSync(many))).toBe('bomb');
  });

  test('not a spreadsheet: a broken zip, an old .xls, an empty file', async () => {
    expect((await readUpload('a.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).ok).toBe(false);
    expect(await readUpload('a.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]))).toMatchObject({ ok: false });
    expect(await readUpload('a.csv', new Uint8Array())).toEqual({ ok: false, problem: 'Tệp gửi lên trống.' });
  });

  test('a .csv in UTF-8, UTF-16 with its mark, and Windows-1258 reads the same names', async () => {
    const text = `${HEADER.join(';')}\r\n1;Trần Thị Hương;1990;Nữ;0912345678;50\r\n`;
    const encodings: [string, Uint8Array][] = [
      ['utf-8', new TextEncoder().encode(text)],
      ['utf-8 with BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])],
      ['utf-16le', new Uint8Array(iconv.encode(text, 'utf-16le', { addBOM: true }))],
      ['utf-16be', new Uint8Array(iconv.encode(text, 'utf-16be', { addBOM: true }))],
      ['windows-1258', new Uint8Array(iconv.encode(toneSplit(text), 'windows-1258'))],
    ];
    for (const [name, bytes] of encodings) {
      expect(decodeCsv(bytes).normalize('NFC'), name).toContain('Trần Thị Hương');
      const read = await readUpload('danh-sach.csv', bytes);
      expect(read.ok, name).toBe(true);
      if (read.ok) expect(read.cells[1]?.[1]?.normalize('NFC'), name).toBe('Trần Thị Hương');
    }
  });

  test('a sheet of 20,000 rows is read and listed; one more row is refused with a clear message', async () => {
    const rows: unknown[][] = [HEADER];
    for (let i = 0; i < 20_000; i += 1)
      rows.push([i + 1, 'Nguyễn Văn An', 1990, 'Nam', `09${String(i).padStart(8, '0')}`, 60]);
    const started = performance.now();
    const read = await readUpload('lon.xlsx', await xlsx(rows));
    if (!read.ok) throw new Error(read.problem);
    const listed = readRows(read.cells);
    expect(listed.ok && listed.rows.length).toBe(20_000);
    read.cells.push(['20001', 'Thêm Một', '1990', 'Nam', '0999999999', '60']);
    expect(readRows(read.cells)).toMatchObject({ ok: false, problem: expect.stringContaining('20.000') });
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
