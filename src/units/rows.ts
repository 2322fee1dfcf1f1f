/**
 * A unit's list as rows of cells (pasted from a spreadsheet, read from .csv or .xlsx by
 * sheet-reading.ts, or typed one by one) turned into the public form's fields: the header
 * row is matched in Vietnamese with or without diacritics ("Họ và tên", "ho ten", "SĐT"),
 * and each cell is read the way a spreadsheet writes it (a year as 1990.0, a phone that lost
 * its 0, "Nữ", 15/06/2026). Nothing here judges a value: the form's own schema does
 * (preview.ts).
 */
import { foldVietnamese } from '../shared/vietnamese.ts';

/** The public form's fields a unit's list may carry (src/signup/form-fields.ts names). */
export type MemberField =
  'fullName' | 'birthYear' | 'sex' | 'phone' | 'weightKg' | 'bloodGroup' | 'lastDonation' | 'slot' | 'email';

/** The longest list one upload or paste may carry; a drive never takes more. */
export const MAX_ROWS = 20_000;
/** A cell longer than this is not a name, a phone or a year. */
const MAX_CELL = 300;

/** Header words, folded (foldHeader), for each field; the first is how the page names it. */
const HEADERS: Record<MemberField, readonly string[]> = {
  fullName: ['ho va ten', 'ho ten', 'ten', 'ho va ten nguoi hien', 'ten nguoi hien', 'ho ten nguoi hien'],
  birthYear: ['nam sinh', 'ngay sinh', 'sinh nam', 'ngay thang nam sinh'],
  sex: ['gioi tinh', 'gioi', 'nam nu', 'nam/nu'],
  phone: ['so dien thoai', 'dien thoai', 'sdt', 'so dt', 'dt', 'di dong', 'so di dong'],
  weightKg: ['can nang', 'can nang kg', 'can nang (kg)', 'kg'],
  bloodGroup: ['nhom mau'],
  lastDonation: ['ngay hien lan truoc', 'lan hien truoc', 'hien lan truoc', 'ngay hien gan nhat'],
  slot: ['ca', 'khung gio', 'gio', 'ca hien', 'gio hien'],
  email: ['email', 'e mail', 'thu dien tu', 'dia chi email'],
};

/** What the page calls each column. */
export const FIELD_LABELS: Record<MemberField, string> = {
  fullName: 'Họ và tên',
  birthYear: 'Năm sinh',
  sex: 'Giới tính',
  phone: 'Số điện thoại',
  weightKg: 'Cân nặng',
  bloodGroup: 'Nhóm máu',
  lastDonation: 'Ngày hiến lần trước',
  slot: 'Ca',
  email: 'Thư điện tử',
};

export const REQUIRED_FIELDS: readonly MemberField[] = ['fullName', 'birthYear', 'sex', 'phone', 'weightKg'];

/** "Họ và Tên (*)" → "ho va ten": folded, lower case, marks and punctuation gone. */
export function foldHeader(text: string): string {
  return foldVietnamese(text)
    .toLowerCase()
    .replace(/\(\*\)|\*/g, ' ')
    .replace(/[^a-z0-9/()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const FIELD_OF = new Map<string, MemberField>(
  (Object.entries(HEADERS) as [MemberField, readonly string[]][]).flatMap(([field, words]) =>
    words.map((word) => [word, field] as const),
  ),
);

/** The field a header cell names, if any ("STT" and notes are none). */
export function fieldOfHeader(cell: string): MemberField | undefined {
  const folded = foldHeader(cell);
  return FIELD_OF.get(folded) ?? FIELD_OF.get(folded.replace(/\s*\(.*\)$/, ''));
}

export interface HeaderMatch {
  /** The row the header is on (0-based), and the column of each field found. */
  row: number;
  columns: Partial<Record<MemberField, number>>;
}

/** The first of the first 10 rows that names a name column and at least two others. */
export function findHeader(rows: readonly (readonly string[])[]): HeaderMatch | undefined {
  for (let row = 0; row < Math.min(rows.length, 10); row += 1) {
    const columns: Partial<Record<MemberField, number>> = {};
    (rows[row] ?? []).forEach((cell, column) => {
      const field = fieldOfHeader(cell);
      if (field && columns[field] === undefined) columns[field] = column;
    });
    if (columns.fullName !== undefined && Object.keys(columns).length >= 3) return { row, columns };
  }
  return undefined;
}

/** A formula cell as text ("=HYPERLINK(…)", "+1", "@SUM"): never a value of this list. */
export function looksLikeFormula(text: string): boolean {
  return /^[=+@]/.test(text.trim()) || /^-[^\d]/.test(text.trim());
}

/** A year from 1990, "1990.0", 15/06/1990 or 1990-06-15. */
function yearOf(text: string): string {
  const t = text.trim();
  const date = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (date) return date[3] ?? t;
  const iso = /^(\d{4})-\d{2}-\d{2}/.exec(t);
  if (iso) return iso[1] ?? t;
  const decimal = /^(\d{4})[.,]0+$/.exec(t);
  return decimal ? (decimal[1] ?? t) : t;
}

function sexOf(text: string): string {
  const folded = foldHeader(text);
  if (['nu', 'f', 'female', 'n'].includes(folded)) return 'female';
  if (['nam', 'm', 'male'].includes(folded)) return 'male';
  return folded === '' ? '' : `?${text}`;
}

/** A number that lost its 0 in a spreadsheet ("912345678", "912345678.0") gets it back. */
function phoneOf(text: string): string {
  const t = text.trim().replace(/\.0+$/, '');
  return /^[35789]\d{8}$/.test(t) ? `0${t}` : t;
}

/** 15/06/2026 → 2026-06-15; what the form's schema reads. */
function dayOf(text: string): string {
  const t = text.trim();
  const date = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (date) return `${date[3]}-${(date[2] ?? '').padStart(2, '0')}-${(date[1] ?? '').padStart(2, '0')}`;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(t);
  return iso ? (iso[1] ?? t) : t;
}

function bloodGroupOf(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/^0/, 'O')
    .replace(/RH\+?$|DƯƠNG$/, '+');
}

function weightOf(text: string): string {
  return text
    .trim()
    .replace(/\s*kg$/i, '')
    .replace(/^(\d{2,3})[.,]0+$/, '$1');
}

const NORMALISE: Record<MemberField, (text: string) => string> = {
  fullName: (t) => t.replace(/\s+/g, ' ').trim(),
  birthYear: yearOf,
  sex: sexOf,
  phone: phoneOf,
  weightKg: weightOf,
  bloodGroup: bloodGroupOf,
  lastDonation: dayOf,
  slot: (t) => t.trim(),
  email: (t) => t.trim(),
};

export interface ListRow {
  /** The row's number as the spreadsheet shows it (1-based, header counted). */
  line: number;
  /** The cells as the list had them, by field (for the page to show and to fix). */
  cells: Partial<Record<MemberField, string>>;
  /** The same, read as the form's fields. */
  values: Partial<Record<MemberField, string>>;
  /** Cells that were formulas: shown as text, never run, and the row is refused. */
  formulas: MemberField[];
}

export type ReadList = { ok: true; rows: ListRow[]; columns: MemberField[] } | { ok: false; problem: string };

/** Rows of cells (a header row first) → the list's rows; empty rows are skipped. */
export function readRows(cells: readonly (readonly string[])[]): ReadList {
  const header = findHeader(cells);
  if (!header) {
    return {
      ok: false,
      problem:
        'Không thấy dòng tiêu đề: dòng đầu của danh sách cần có các cột "Họ và tên", "Năm sinh", "Giới tính", "Số điện thoại", "Cân nặng" (có dấu hay không dấu đều được).',
    };
  }
  const missing = REQUIRED_FIELDS.filter((field) => header.columns[field] === undefined);
  if (missing.length > 0) {
    return { ok: false, problem: `Danh sách thiếu cột: ${missing.map((f) => FIELD_LABELS[f]).join(', ')}.` };
  }
  const body = cells.slice(header.row + 1);
  const filled = body.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (filled.length > MAX_ROWS) {
    return {
      ok: false,
      problem: `Danh sách có ${filled.length.toLocaleString('vi-VN')} dòng, quá ${MAX_ROWS.toLocaleString('vi-VN')} dòng một lần: hãy chia thành nhiều tệp nhỏ hơn.`,
    };
  }
  const fields = Object.keys(header.columns) as MemberField[];
  const rows: ListRow[] = [];
  body.forEach((row, index) => {
    if (!row.some((cell) => cell.trim() !== '')) return;
    const cellsOf: ListRow['cells'] = {};
    const values: ListRow['values'] = {};
    const formulas: MemberField[] = [];
    for (const field of fields) {
      const raw = (row[header.columns[field] as number] ?? '').slice(0, MAX_CELL);
      cellsOf[field] = raw;
      if (looksLikeFormula(raw) && !(field === 'phone' && /^\+84/.test(raw.trim()))) formulas.push(field);
      values[field] = NORMALISE[field](raw);
    }
    rows.push({ line: header.row + index + 2, cells: cellsOf, values, formulas });
  });
  return { ok: true, rows, columns: fields };
}

/** Text pasted from a spreadsheet: rows by line, cells by tab (or ; and , when there is no tab). */
export function splitPasted(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const separator = lines.some((line) => line.includes('\t')) ? '\t' : lines[0]?.includes(';') ? ';' : ',';
  return lines.map((line) => line.split(separator));
}

/** Rows back to tab-separated text with the page's header, for the box of rows to fix. */
export function joinRows(columns: readonly MemberField[], rows: readonly ListRow[]): string {
  const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ');
  return [
    columns.map((c) => FIELD_LABELS[c]).join('\t'),
    ...rows.map((row) => columns.map((c) => clean(row.cells[c] ?? '')).join('\t')),
  ].join('\n');
}
