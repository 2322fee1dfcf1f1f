import { describe, expect, test } from 'vitest';
import { foldVietnamese, slugify } from '../../src/lib/vietnamese.ts';
import { countWords, readingMinutes, SYLLABLES_PER_MINUTE } from '../../src/lib/reading-time.ts';

describe('foldVietnamese', () => {
  test('removes tones and vowel marks', () => {
    expect(foldVietnamese('Hiến máu an toàn')).toBe('Hien mau an toan');
    expect(foldVietnamese('Chữ thập đỏ')).toBe('Chu thap do');
    expect(foldVietnamese('ưởng ợ ỹ')).toBe('uong o y');
  });

  test('maps đ and Đ, which Unicode does not decompose', () => {
    expect(foldVietnamese('đường Đoàn')).toBe('duong Doan');
  });

  test('handles decomposed input the same as composed', () => {
    expect(foldVietnamese('Hiến'.normalize('NFD'))).toBe('Hien');
  });
});

describe('slugify', () => {
  test.each([
    ['Hiến máu tình nguyện', 'hien-mau-tinh-nguyen'],
    ['Covid-19', 'covid-19'],
    ['Điều kiện hiến máu', 'dieu-kien-hien-mau'],
    ['  Công an tỉnh!  ', 'cong-an-tinh'],
    ['Hội Chữ thập đỏ', 'hoi-chu-thap-do'],
  ])('%j → %j', (input, slug) => {
    expect(slugify(input)).toBe(slug);
  });
});

describe('reading time', () => {
  test('counts visible words only', () => {
    const source = [
      '## Vì sao cần máu',
      'Một [đơn vị máu](/tin-tuc/) có thể **cứu sống** người bệnh.',
      '<EligibilityCalculator />',
      '- Ngủ đủ giấc',
    ].join('\n');
    expect(countWords(source)).toBe(4 + 10 + 3);
  });

  test('is at least one minute', () => {
    expect(readingMinutes('Ngắn.')).toBe(1);
    expect(readingMinutes('')).toBe(1);
  });

  test('rounds to whole minutes at the reading rate', () => {
    const words = (n: number) => Array.from({ length: n }, () => 'máu').join(' ');
    expect(readingMinutes(words(SYLLABLES_PER_MINUTE * 3))).toBe(3);
    expect(readingMinutes(words(Math.round(SYLLABLES_PER_MINUTE * 2.6)))).toBe(3);
  });
});
