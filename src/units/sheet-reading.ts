/**
 * A unit's uploaded list read into rows of cells for rows.ts, with maintained libraries and
 * never trusting the file: an .xlsx is a zip, checked with fflate first (entries and their
 * real uncompressed size counted as they inflate: a zip bomb stops at UNZIPPED_MAX_BYTES
 * before exceljs sees it), then read by exceljs as values only (a formula is never
 * evaluated: its text comes back starting with "=", which the preview refuses); a .csv is
 * decoded by its byte-order mark (UTF-8, UTF-16) or as UTF-8 when it is valid, else as
 * Windows-1258 (iconv-lite), the code page of Vietnamese Excel's "CSV", and parsed by
 * csv-parse.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Unzip, UnzipInflate } from 'fflate';
import iconv from 'iconv-lite';

/** A sheet of 20,000 rows unzips to a few tens of MB; far more is a bomb, not a list. */
export const UNZIPPED_MAX_BYTES = 64 * 1024 * 1024;
const ZIP_ENTRIES_MAX = 2_000;

export type ReadUpload = { ok: true; cells: string[][] } | { ok: false; problem: string };

const NOT_A_LIST =
  'Tệp này không đọc được như một bảng tính: hãy lưu danh sách thành .xlsx (Excel) hoặc .csv rồi gửi lại.';
export const ZIP_BOMB =
  'Tệp .xlsx này khi giải nén lớn bất thường (quá 64 MB): không đọc. Hãy lưu lại bảng tính rồi gửi lại.';

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The zip's entries inflated and counted, none kept: 'bomb' past the limits, 'broken' if it cannot be read. */
export function checkZip(bytes: Uint8Array): 'ok' | 'bomb' | 'broken' {
  let total = 0;
  let entries = 0;
  // Held in an object: the callbacks set it, which TypeScript's narrowing of a local cannot see.
  const state: { verdict: 'ok' | 'bomb' | 'broken' } = { verdict: 'ok' };
  try {
    const unzip = new Unzip((file) => {
      entries += 1;
      if (entries > ZIP_ENTRIES_MAX) state.verdict = 'bomb';
      if (state.verdict !== 'ok') return;
      file.ondata = (error, chunk) => {
        if (error) state.verdict = 'broken';
        total += chunk.length;
        if (total > UNZIPPED_MAX_BYTES && state.verdict === 'ok') {
          state.verdict = 'bomb';
          file.terminate();
        }
      };
      file.start();
    });
    unzip.register(UnzipInflate);
    unzip.push(bytes, true);
  } catch {
    return state.verdict === 'bomb' ? 'bomb' : 'broken';
  }
  return state.verdict;
}

/** A cell's value as text, formulas as their formula ("=…"), never their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const d = value;
    return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value ? value.formula : (value as { sharedFormula: string }).sharedFormula;
    return `=${formula}`;
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : '';
  if ('error' in value) return '';
  return '';
}

async function readXlsx(bytes: Uint8Array): Promise<ReadUpload> {
  const zip = checkZip(bytes);
  if (zip === 'bomb') return { ok: false, problem: ZIP_BOMB };
  if (zip === 'broken') return { ok: false, problem: NOT_A_LIST };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return { ok: false, problem: NOT_A_LIST };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, problem: 'Tệp .xlsx không có trang tính nào.' };
  const cells: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      values[column - 1] = cellText(cell.value);
    });
    cells[number - 1] = Array.from(values, (v) => v ?? '');
  });
  return { ok: true, cells: Array.from(cells, (row) => row ?? []) };
}

/** The text of a .csv by its byte-order mark, or UTF-8 when valid, else Windows-1258. */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Windows-1258 writes tones as combining marks after the letter: composed as people type them.
    return iconv.decode(Buffer.from(bytes), 'windows-1258').normalize('NFC');
  }
}

function readCsv(bytes: Uint8Array): ReadUpload {
  const text = decodeCsv(bytes);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t')
    ? '\t'
    : firstLine.split(';').length > firstLine.split(',').length
      ? ';'
      : ',';
  try {
    const rows: string[][] = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    });
    return { ok: true, cells: rows };
  } catch {
    return { ok: false, problem: NOT_A_LIST };
  }
}

/** An uploaded list: .xlsx by its zip signature, else read as .csv; a file of another kind is refused. */
export async function readUpload(name: string, bytes: Uint8Array): Promise<ReadUpload> {
  if (bytes.length === 0) return { ok: false, problem: 'Tệp gửi lên trống.' };
  const lower = name.toLowerCase();
  if (isZip(bytes)) {
    if (!lower.endsWith('.xlsx')) return { ok: false, problem: NOT_A_LIST };
    return readXlsx(bytes);
  }
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls')) {
    return {
      ok: false,
      problem: 'Tệp .xlsx này không đúng định dạng (hoặc là .xls cũ): hãy lưu thành .xlsx hoặc .csv.',
    };
  }
  return readCsv(bytes);
}
