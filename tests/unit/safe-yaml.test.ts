/**
 * The content files' YAML reader (src/shared/safe-yaml.ts) and the Vietnamese wording of the
 * schemas' checks (src/shared/zod-vietnamese.ts).
 */
import fc from 'fast-check';
import { z } from 'astro/zod';
import { describe, expect, test } from 'vitest';
import { ContentYamlError, parseContentYaml } from '../../src/shared/safe-yaml.ts';
import { useVietnameseErrors } from '../../src/shared/zod-vietnamese.ts';
import { englishIn } from './english.ts';

const laughs = (levels: number) =>
  [
    'a0: &a0 "lol"',
    ...Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  ].join('\n');

function refusal(text: string): string {
  try {
    parseContentYaml(text, 'drives/thu.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ContentYamlError);
    return (error as Error).message;
  }
  throw new Error('the file was read');
}

describe('content YAML', () => {
  test('values stay as written: a time keeps its +07:00, a phone stays text, a day stays text', () => {
    expect(
      parseContentYaml('start: 2026-12-12T07:00:00+07:00\nphone: 0290 3000 021\nday: 2026-12-12\nn: 12', 'x.yaml'),
    ).toEqual({
      start: '2026-12-12T07:00:00+07:00',
      phone: '0290 3000 021',
      day: '2026-12-12',
      n: 12,
    });
  });

  test('a billion laughs is refused at once, naming the first anchor', () => {
    const started = performance.now();
    expect(refusal(`name: x\n${laughs(9)}`)).toBe(
      'drives/thu.yaml, dòng 2: tệp nội dung không được dùng neo và bí danh YAML (&tên, *tên). Viết thẳng giá trị vào từng trường.',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test.each([
    ['one anchor and one alias', 'a: &x 1\nb: *x', 2 - 1],
    ['an alias before its anchor', 'a: *x\nb: &x 1', 1],
    ['an anchored key', '&k a: 1', 1],
    ['a merge key', 'base: &b {x: 1}\nother:\n  <<: *b', 1],
  ])('%s is refused', (_name, text, line) => {
    expect(refusal(text)).toContain(`dòng ${line}:`);
  });

  test('a key written twice is refused', () => {
    expect(refusal('name: a\nname: b')).toContain('một trường được ghi hai lần');
  });

  test('broken YAML names the line and column, in Vietnamese', () => {
    const message = refusal('name: a\nstatus: [scheduled\nphone: 1');
    expect(message).toMatch(/không đúng cú pháp YAML ở dòng \d+, cột \d+ \(\d+:\d+\)/);
    expect(englishIn(message)).toEqual([]);
  });

  test('a file over 2 MB is refused without being parsed', () => {
    expect(refusal(`a: "${'x'.repeat(2 * 1024 * 1024)}"`)).toContain('quá lớn');
  });

  test('bounded fuzz: any text is read or refused with a ContentYamlError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'a: ',
            '&x ',
            '*x',
            '[',
            ']',
            '{',
            '}',
            '\n',
            '  ',
            '- ',
            '"',
            "'",
            '1',
            'b',
            ':',
            '#',
            '<<: ',
          ),
          {
            maxLength: 30,
          },
        ),
        (parts) => {
          try {
            parseContentYaml(parts.join(''), 'x.yaml');
          } catch (error) {
            expect(error).toBeInstanceOf(ContentYamlError);
          }
        },
      ),
      { numRuns: 500, seed: 24 },
    );
  });
});

describe('Vietnamese wording of the checks', () => {
  useVietnameseErrors();
  const messages = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  test.each([
    ['a missing field', z.strictObject({ name: z.string() }), {}, 'bắt buộc phải có'],
    ['a number for text', z.strictObject({ name: z.string() }), { name: 12 }, 'phải là chữ, nhưng đang là số 12'],
    ['text for a number', z.number(), 'mười', 'phải là một số, nhưng đang là chữ "mười"'],
    ['a fraction for a whole number', z.number().int(), 1.5, 'phải là một số nguyên'],
    ['too short', z.string().min(3), 'ab', 'cần ít nhất 3 ký tự (hiện có 2)'],
    ['too long', z.string().max(3), 'abcd', 'tối đa 3 ký tự (hiện có 4)'],
    ['too many items', z.array(z.string()).max(1), ['a', 'b'], 'tối đa 1 mục'],
    ['a number too small', z.number().positive(), 0, 'phải lớn hơn 0'],
    ['a number too large', z.number().max(10), 11, 'không được lớn hơn 10'],
    [
      'an unknown field',
      z.strictObject({ name: z.string() }),
      { name: 'a', adress: 'x' },
      'trường không biết: "adress"',
    ],
    ['a value not in the list', z.enum(['a', 'b']), 'c', 'phải là một trong: "a", "b"'],
    ['not an address', z.url(), 'hienmau', 'https://'],
    ['true or false', z.boolean(), 'có', 'phải là true hoặc false'],
  ])('%s', (_name, schema, value, expected) => {
    const found = messages(schema, value);
    expect(found.join('\n')).toContain(expected);
    expect(englishIn(found.join(' '))).toEqual([]);
  });

  test("a schema's own message wins", () => {
    expect(messages(z.string().min(3, 'tên quá ngắn'), 'a')).toEqual(['tên quá ngắn']);
  });
});
