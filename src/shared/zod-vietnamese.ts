/**
 * Vietnamese for the checks a schema states without a message of its own (a field missing, a
 * number where text was expected, a field the schema does not know), written for an editor
 * who corrects a content file or a form, not for a programmer (docs/editors.md, "When the
 * build stops"). Schemas' own messages win over these; Astro puts the file and the field in
 * front. Installed once by src/content.config.ts, so `npm run build`, `astro sync` and the
 * console that checks a file with the same schema say the same words.
 */
import { z } from 'astro/zod';

type Issue = Parameters<NonNullable<z.core.$ZodConfig['customError']>>[0];

const TYPE_NAMES: Record<string, string> = {
  string: 'chữ',
  number: 'một số',
  int: 'một số nguyên',
  boolean: 'true hoặc false',
  array: 'một danh sách (mỗi mục một dòng bắt đầu bằng "- ")',
  object: 'các dòng "tên: giá trị"',
  date: 'một ngày',
  undefined: 'không có gì',
  null: 'để trống',
};

function whatWasWritten(input: unknown): string {
  if (input === undefined) return 'bị thiếu';
  if (input === null) return 'đang để trống';
  if (Array.isArray(input)) return 'đang là một danh sách';
  if (typeof input === 'string') return `đang là chữ "${input.slice(0, 40)}"`;
  if (typeof input === 'number') return `đang là số ${input}`;
  if (typeof input === 'boolean') return `đang là ${input}`;
  if (typeof input === 'object') return 'đang là các dòng "tên: giá trị"';
  return 'không đúng kiểu';
}

const UNITS: Record<string, string> = { string: 'ký tự', array: 'mục', set: 'mục', file: 'byte' };

function sizeMessage(issue: Issue & { origin?: string; inclusive?: boolean }, bound: number, more: boolean): string {
  const unit = UNITS[issue.origin ?? ''];
  const input: unknown = issue.input;
  if (unit) {
    const length = typeof input === 'string' || Array.isArray(input) ? ` (hiện có ${input.length})` : '';
    return more ? `cần ít nhất ${bound} ${unit}${length}` : `tối đa ${bound} ${unit}${length}`;
  }
  const exclusive = issue.inclusive === false;
  if (more) return exclusive ? `phải lớn hơn ${bound}` : `phải từ ${bound} trở lên`;
  return exclusive ? `phải nhỏ hơn ${bound}` : `không được lớn hơn ${bound}`;
}

/** The Vietnamese message of an issue that carries none of its own. */
export function vietnameseMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'bắt buộc phải có, nhưng tệp không ghi';
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `phải là ${expected}, nhưng ${whatWasWritten(issue.input)}`;
    }
    case 'too_small':
      return sizeMessage(issue, Number(issue.minimum), true);
    case 'too_big':
      return sizeMessage(issue, Number(issue.maximum), false);
    case 'unrecognized_keys':
      return `có ${issue.keys.length > 1 ? 'các trường' : 'trường'} không biết: ${issue.keys.map((k) => `"${k}"`).join(', ')} (gõ nhầm tên trường, hoặc trường này không dùng ở đây?)`;
    case 'invalid_value':
      return `phải là một trong: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'url') return 'phải là địa chỉ đầy đủ, bắt đầu bằng https://';
      if (issue.format === 'email') return 'phải là địa chỉ thư điện tử, ví dụ ten@example.org';
      return 'viết chưa đúng dạng';
    case 'not_multiple_of':
      return `phải chia hết cho ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'không khớp với cách viết nào được nhận';
    case 'invalid_key':
      return 'có tên trường không hợp lệ';
    case 'invalid_element':
      return 'có một mục không hợp lệ';
    case 'custom':
      return 'không hợp lệ';
    default:
      return 'không hợp lệ';
  }
}

let installed = false;

/** Makes Vietnamese the default wording of every zod check in this process (once). */
export function useVietnameseErrors(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: (issue) => vietnameseMessage(issue) });
}
