import { describe, expect, test } from 'vitest';
import { isPublishedAt, neighbours, paginate, relatedArticles, sortNewestFirst } from '../../src/news/news.ts';
import { campaignEnded, campaignProgress, formatNumber, yearResults } from '../../src/campaign/campaign.ts';
import { shareLinks } from '../../src/sharing/share-links.ts';
import { isCurrentSection, telHref } from '../../src/shared/site.ts';

const article = (id: string, date: string, tags: string[]) => ({ id, date: new Date(date), tags });

/** The element at `index`, failing the test if there is none. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item at ${index}`);
  return item;
}

const articles = [
  article('a', '2020-04-20', ['Công an tỉnh', 'Hiến máu tình nguyện']),
  article('b', '2020-05-01', ['Covid-19']),
  article('c', '2020-04-01', ['Công an tỉnh', 'Hiến máu tình nguyện', 'Tôn vinh']),
  article('d', '2020-06-01', ['Hiến máu tình nguyện']),
  article('e', '2020-03-01', ['An toàn']),
];

describe('sortNewestFirst', () => {
  test('orders by date, newest first, ties by id', () => {
    const sameDay = [article('z', '2020-01-01', []), article('y', '2020-01-01', [])];
    expect(sortNewestFirst(articles).map((a) => a.id)).toEqual(['d', 'b', 'a', 'c', 'e']);
    expect(sortNewestFirst(sameDay).map((a) => a.id)).toEqual(['y', 'z']);
  });

  test('does not change its input', () => {
    const copy = [...articles];
    sortNewestFirst(articles);
    expect(articles).toEqual(copy);
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 23 }, (_, i) => i);

  test('slices pages of the given size', () => {
    expect(paginate(items, 10, 1)).toEqual({ items: items.slice(0, 10), current: 1, total: 3 });
    expect(paginate(items, 10, 3).items).toEqual([20, 21, 22]);
  });

  test('an empty list is one empty page', () => {
    expect(paginate([], 10, 1)).toEqual({ items: [], current: 1, total: 1 });
  });

  test('refuses pages that do not exist', () => {
    expect(() => paginate(items, 10, 4)).toThrow(RangeError);
    expect(() => paginate(items, 10, 0)).toThrow(RangeError);
    expect(() => paginate(items, 0, 1)).toThrow(RangeError);
  });
});

describe('relatedArticles', () => {
  test('most shared tags first, then newer first', () => {
    expect(relatedArticles(at(articles, 0), articles, 2).map((a) => a.id)).toEqual(['c', 'd']);
  });

  test('fills with the latest articles when too few share a tag', () => {
    const lonely = at(articles, 4);
    expect(relatedArticles(lonely, articles, 3).map((a) => a.id)).toEqual(['d', 'b', 'a']);
  });

  test('never includes the article itself or repeats one', () => {
    const related = relatedArticles(at(articles, 0), articles, 10);
    expect(related.map((a) => a.id).sort()).toEqual(['b', 'c', 'd', 'e']);
  });
});

describe('neighbours', () => {
  const sorted = sortNewestFirst(articles);

  test('newer and older around an article', () => {
    expect(neighbours(sorted, 'a')).toEqual({ newer: sorted[1], older: sorted[3] });
  });

  test('the newest has no newer, the oldest no older', () => {
    expect(neighbours(sorted, 'd').newer).toBeUndefined();
    expect(neighbours(sorted, 'e').older).toBeUndefined();
  });
});

describe('campaignProgress', () => {
  test('above target: percent passes 100, the bar stops at 100', () => {
    expect(campaignProgress(667, 500)).toEqual({
      given: 667,
      target: 500,
      percent: 133,
      barPercent: 100,
      reached: true,
    });
  });

  test('below target', () => {
    expect(campaignProgress(120, 500)).toMatchObject({ percent: 24, barPercent: 24, reached: false });
  });

  test('refuses a target of 0 and negative units', () => {
    expect(() => campaignProgress(1, 0)).toThrow(RangeError);
    expect(() => campaignProgress(-1, 10)).toThrow(RangeError);
  });

  test('groups thousands the Vietnamese way', () => {
    expect(formatNumber(1250)).toBe('1.250');
  });
});

describe('shareLinks', () => {
  test('encodes Vietnamese titles and URLs', () => {
    const links = shareLinks('https://hienmau.camau.example/tin-tuc/bai-viet/', 'Hiến máu an toàn – Không ngại Covid');
    const facebook = at(links, 0);
    expect(new URL(facebook.href).searchParams.get('u')).toBe('https://hienmau.camau.example/tin-tuc/bai-viet/');
    const x = at(links, 1);
    expect(new URL(x.href).searchParams.get('text')).toBe('Hiến máu an toàn – Không ngại Covid');
    expect(links.map((l) => l.network)).toEqual(['facebook', 'x', 'telegram', 'email']);
  });
});

describe('site helpers', () => {
  test('the home link is current only on the home page', () => {
    expect(isCurrentSection('/', '/')).toBe(true);
    expect(isCurrentSection('/', '/tin-tuc/')).toBe(false);
    expect(isCurrentSection('/tin-tuc/', '/tin-tuc/trang/2/')).toBe(true);
  });

  test('tel: links keep only digits and +', () => {
    expect(telHref('0290 3000 000')).toBe('tel:02903000000');
    expect(telHref('+84 290 3000 000')).toBe('tel:+842903000000');
  });
});

describe('share links and titles', () => {
  test('encode Vietnamese titles and addresses', async () => {
    const { shareLinks } = await import('../../src/sharing/share-links.ts');
    const links = shareLinks(
      'https://hienmau.camau.example/tin-tuc/hiến-máu/?a=1&b=2',
      'Hiến máu an toàn – Không ngại Covid',
    );
    const x = new URL(links.find((l) => l.network === 'x')?.href ?? '');
    expect(x.searchParams.get('text')).toBe('Hiến máu an toàn – Không ngại Covid');
    expect(x.searchParams.get('url')).toBe('https://hienmau.camau.example/tin-tuc/hiến-máu/?a=1&b=2');
    const facebook = links.find((l) => l.network === 'facebook')?.href ?? '';
    expect(facebook).toContain(
      'u=https%3A%2F%2Fhienmau.camau.example%2Ftin-tuc%2Fhi%E1%BA%BFn-m%C3%A1u%2F%3Fa%3D1%26b%3D2',
    );
    expect(facebook).not.toMatch(/[^\x20-\x7e]/);
  });

  test('cut long titles between words for share cards', async () => {
    const { shareTitle } = await import('../../src/sharing/share-links.ts');
    expect(shareTitle('Ngắn gọn')).toBe('Ngắn gọn');
    const long = 'Ban công tác Mặt trận và các đoàn thể: cầu nối đưa người dân đến với hiến máu ở khắp tỉnh';
    const cut = shareTitle(long);
    expect(cut.length).toBeLessThanOrEqual(70);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });
});

describe("an ended campaign and this year's drives", () => {
  const day = (d: string) => new Date(`${d}T00:00:00+07:00`);
  test('a campaign has ended once the day after its end has begun in Cà Mau; without an end it goes on', () => {
    const period = { start: day('2020-04-19'), end: day('2020-04-19') };
    expect(campaignEnded(period, new Date('2020-04-19T23:59:00+07:00'))).toBe(false);
    expect(campaignEnded(period, new Date('2020-04-20T00:00:00+07:00'))).toBe(true);
    // 19/04 17:30 UTC is already 20/04 in Cà Mau.
    expect(campaignEnded(period, new Date('2020-04-19T17:30:00Z'))).toBe(true);
    expect(campaignEnded({ start: day('2020-04-19') }, new Date('2026-12-02T10:00:00+07:00'))).toBe(false);
  });

  test("this year's results count finished drives of the calendar year in Cà Mau only", () => {
    const drive = (start: string, status: string, unitsTarget: number, unitsGiven?: number) => ({
      start: new Date(start),
      status,
      unitsTarget,
      unitsGiven,
    });
    const drives = [
      drive('2026-01-01T07:00:00+07:00', 'finished', 100, 90),
      drive('2025-12-31T07:00:00+07:00', 'finished', 100, 80),
      drive('2026-06-01T07:00:00+07:00', 'finished', 50, 60),
      drive('2026-12-20T07:00:00+07:00', 'scheduled', 70),
      drive('2026-03-01T07:00:00+07:00', 'cancelled', 70),
    ];
    expect(yearResults(drives, new Date('2026-12-02T10:00:00+07:00'))).toEqual({
      year: 2026,
      drives: 2,
      given: 150,
      target: 150,
    });
    expect(yearResults([], new Date('2026-12-31T18:00:00Z'))).toEqual({ year: 2027, drives: 0, given: 0, target: 0 });
  });
});

describe('isPublishedAt', () => {
  // 2026-12-10 written by an editor: midnight of that day in Cà Mau.
  const day = new Date('2026-12-10T00:00:00+07:00');
  test.each([
    ['the evening before, in Cà Mau', '2026-12-09T23:59:59+07:00', false],
    ['its midnight', '2026-12-10T00:00:00+07:00', true],
    ['later that day', '2026-12-10T08:00:00+07:00', true],
  ])('a future article: %s → %s', (_, now, shown) => {
    expect(isPublishedAt({ date: day }, new Date(now))).toBe(shown);
  });
  test('a draft is never built, whatever its date', () => {
    expect(isPublishedAt({ date: new Date('2020-01-01'), draft: true }, new Date('2026-12-10'))).toBe(false);
  });
});
