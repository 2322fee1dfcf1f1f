import { describe, expect, test } from 'vitest';
import {
  compareMatchQuality,
  excerptAround,
  foldForSearch,
  foldVietnamese,
  matchQuality,
  searchVariants,
  slugify,
} from '../../src/shared/vietnamese.ts';
import { countWords, readingMinutes, SYLLABLES_PER_MINUTE } from '../../src/news/reading-time.ts';

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

describe('foldForSearch', () => {
  test.each([
    ['Hiến Máu An Toàn', 'hien mau an toan'],
    ['ĐĂNG KÝ', 'dang ky'],
    ['Chữ thập đỏ', 'chu thap do'],
    ['đường', 'duong'],
    ['Dương', 'duong'],
    ['má mà mã mả mạ', 'ma ma ma ma ma'],
  ])('%j → %j', (text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});

describe('searchVariants', () => {
  test('a word typed with d is also tried with đ, the query as typed first', () => {
    expect(searchVariants('duong')).toEqual(['duong', 'đuong']);
    expect(searchVariants('Dang ky')).toEqual(['Dang ky', 'Đang ky']);
    expect(searchVariants('chu thap do')).toEqual(['chu thap do', 'chu thap đo']);
  });

  test('words without d, or typed with đ already, are left alone', () => {
    expect(searchVariants('hien mau an toan')).toEqual(['hien mau an toan']);
    expect(searchVariants('đường')).toEqual(['đường']);
    expect(searchVariants('  ')).toEqual([]);
  });

  test('several d words give every combination, up to the limit', () => {
    expect(searchVariants('doan dang')).toEqual(['doan dang', 'doan đang', 'đoan dang', 'đoan đang']);
    expect(searchVariants('do do do do', 8)).toHaveLength(8);
    expect(searchVariants('do do do do', 8)[0]).toBe('do do do do');
    expect(searchVariants('do do do do', 8).at(-1)).toBe('đo đo đo đo');
  });
});

describe('matchQuality', () => {
  const text = 'Hội Chữ thập đỏ tỉnh Cà Mau đó, đơn vị máu';

  test('counts whole words folded, the phrase, and exact diacritics', () => {
    expect(matchQuality('chu thap do', text)).toEqual({ words: 3, phrase: true, exact: 0 });
    expect(matchQuality('Chữ thập đỏ', text)).toEqual({ words: 3, phrase: true, exact: 3 });
    expect(matchQuality('đó', text)).toEqual({ words: 1, phrase: false, exact: 1 });
    expect(matchQuality('đơ', text)).toEqual({ words: 1, phrase: false, exact: 0 });
    expect(matchQuality('xe', text)).toEqual({ words: 0, phrase: false, exact: 0 });
  });

  test('orders whole words before word beginnings, and exact diacritics first among equals', () => {
    const pages = {
      exact: 'Quả ớt màu đỏ.',
      folded: 'Việc đó cần làm.',
      prefix: 'Một đơn vị máu.',
    };
    const ranked = Object.entries(pages)
      .map(([name, body]) => ({ name, quality: matchQuality('đỏ', body) }))
      .sort((a, b) => compareMatchQuality(a.quality, b.quality))
      .map((page) => page.name);
    expect(ranked).toEqual(['exact', 'folded', 'prefix']);
  });
});

describe('excerptAround', () => {
  const text = 'Sáng nay, cán bộ và chiến sĩ đã đến đăng ký hiến máu tại hội trường. Hội Chữ thập đỏ cảm ơn mọi người.';

  test('marks whole words that fold to the query, keeping the text as written', () => {
    const parts = excerptAround('dang ky', text, 8);
    expect(parts?.filter((p) => p.match).map((p) => p.text)).toEqual(['đăng', 'ký']);
    expect(parts?.map((p) => p.text).join('')).toContain('đến đăng ký hiến');
  });

  test('chooses the passage with the most query words, and exact diacritics among equals', () => {
    const long = `Thập niên trước ${'người dân đến hiến máu '.repeat(12)}cùng Hội Chữ thập đỏ tỉnh.`;
    expect(
      excerptAround('chu thap do', long, 10)
        ?.filter((p) => p.match)
        .map((p) => p.text),
    ).toEqual(['Chữ', 'thập', 'đỏ']);
    const twoForms = `Việc đó ${'rất tốt cho mọi người '.repeat(10)}màu đỏ.`;
    expect(
      excerptAround('đỏ', twoForms, 6)
        ?.filter((p) => p.match)
        .map((p) => p.text),
    ).toEqual(['đỏ.']);
  });

  test('does not mark a word that only begins like the query', () => {
    const parts = excerptAround('đỏ', 'Một đơn vị máu. Chữ thập đỏ.', 10);
    expect(parts?.filter((p) => p.match).map((p) => p.text)).toEqual(['đỏ.']);
  });

  test('says where the passage was cut, and gives null without a whole-word match', () => {
    const parts = excerptAround('đỏ', text, 4);
    expect(parts?.[0]?.text.startsWith('… ')).toBe(true);
    expect(parts?.at(-1)?.text.endsWith(' …')).toBe(true);
    expect(excerptAround('xyz', text)).toBeNull();
  });
});
