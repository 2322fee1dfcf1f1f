import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, test } from 'vitest';
import ProgressFigure from '../../src/campaign/ProgressFigure.astro';
import Pagination from '../../src/news/Pagination.astro';
import FormattedDate from '../../src/shared/FormattedDate.astro';
import JsonLd from '../../src/shared/JsonLd.astro';
import ShareBar from '../../src/sharing/ShareBar.astro';
import EligibilityCalculator from '../../src/eligibility/EligibilityCalculator.astro';
import NewsCard from '../../src/news/NewsCard.astro';
import DriveCard from '../../src/drives/DriveCard.astro';

let astro: AstroContainer;

beforeAll(async () => {
  astro = await AstroContainer.create();
});

/** Renders without the source-location attributes that dev mode adds to every element. */
const container = {
  async renderToString(...args: Parameters<AstroContainer['renderToString']>): Promise<string> {
    const html = await astro.renderToString(...args);
    return html.replace(/ data-astro-source-(?:file|loc)="[^"]*"/g, '');
  },
};

describe('ProgressFigure', () => {
  test('shows units given against the target, with an accessible progress bar', async () => {
    const html = await container.renderToString(ProgressFigure, { props: { given: 667, target: 500 } });
    expect(html).toContain('<figure');
    expect(html).toMatch(/<progress[^>]*max="500"[^>]*value="500"/);
    expect(html).toMatch(/aria-labelledby="tien-do-tieu-de"/);
    expect(html).toContain('Đã tiếp nhận 667 đơn vị máu, đạt 133% chỉ tiêu 500 đơn vị.');
  });

  test('below target says how far along', async () => {
    const html = await container.renderToString(ProgressFigure, { props: { given: 1200, target: 2000 } });
    expect(html).toContain('Đã tiếp nhận 1.200 trên 2.000 đơn vị máu, đạt 60% chỉ tiêu.');
    expect(html).toMatch(/value="1200"/);
  });
});

describe('Pagination', () => {
  const hrefFor = (n: number) => (n === 1 ? '/tin-tuc/' : `/tin-tuc/trang/${n}/`);

  test('renders nothing for a single page', async () => {
    const html = await container.renderToString(Pagination, { props: { current: 1, total: 1, hrefFor } });
    expect(html).not.toContain('<nav');
  });

  test('marks the current page and links the others', async () => {
    const html = await container.renderToString(Pagination, { props: { current: 2, total: 3, hrefFor } });
    expect(html).toContain('aria-label="Phân trang"');
    expect(html).toMatch(/<span aria-current="page"[^>]*><span class="sr-only">Trang <\/span>2<\/span>/);
    expect(html).toContain('href="/tin-tuc/" rel="prev"');
    expect(html).toContain('href="/tin-tuc/trang/3/" rel="next"');
  });
});

describe('FormattedDate', () => {
  test('dd/mm/yyyy with a machine-readable +07:00 time', async () => {
    const html = await container.renderToString(FormattedDate, { props: { date: new Date('2020-04-18T18:30:00Z') } });
    expect(html).toBe('<time datetime="2020-04-19T01:30:00+07:00">19/04/2020</time>');
  });
});

describe('JsonLd', () => {
  test('adds the schema.org context and escapes < so text cannot end the script', async () => {
    const html = await container.renderToString(JsonLd, {
      props: { data: { '@type': 'NewsArticle', headline: '</script><b>x' } },
    });
    expect(html).toContain('type="application/ld+json"');
    expect(html).not.toContain('</script><b>');
    const json = html.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
    expect(JSON.parse(json)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: '</script><b>x',
    });
  });
});

describe('ShareBar', () => {
  test('plain links, new windows announced, e-mail opens in place; the buttons that need the island hide where scripts cannot run', async () => {
    const html = await container.renderToString(ShareBar, {
      props: { url: 'https://hienmau.camau.example/', title: 'Hiến máu an toàn – Không ngại Covid' },
    });
    expect(html).toContain('<share-bar');
    expect(html).toMatch(/<li hidden data-native-item>/);
    expect(html).toMatch(/<li class="noscript:hidden" data-copy-item>/);
    // Zalo with no account: the island's button (share sheet or copy), never Zalo's script without its ID.
    expect(html).toMatch(
      /<li class="noscript:hidden" data-zalo-item>\s*<button type="button" class="button-secondary" data-zalo-share>/,
    );
    expect(html).not.toMatch(/data-zalo=/);
    expect(html).toContain('https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fhienmau.camau.example%2F');
    expect(html.match(/mở cửa sổ mới/g)).toHaveLength(3);
    expect(html).toMatch(/<a href="mailto:[^"]*" class="button-secondary">/);
  });
});

describe('EligibilityCalculator', () => {
  test('shows the rule where scripts cannot run, and the form where they can', async () => {
    const html = await container.renderToString(EligibilityCalculator);
    expect(html).toContain('<eligibility-calculator');
    expect(html).toMatch(/<p data-fallback class="[^"]*scripting:hidden"[^>]*>[^<]*<strong>12 tuần<\/strong>/);
    expect(html).toMatch(/<form novalidate class="[^"]*noscript:hidden/);
    expect(html).toContain('<label for="ngay-hien-truoc"');
    expect(html).toContain('<option value="whole-blood">Máu toàn phần</option>');
    expect(html).toContain('aria-live="polite"');
  });
});

describe('NewsCard', () => {
  test('links the title and uses the heading level asked for', async () => {
    const html = await container.renderToString(NewsCard, {
      props: {
        href: '/tin-tuc/bai/',
        title: 'Tiêu đề bài',
        description: 'Mô tả',
        date: new Date('2020-04-20'),
        headingLevel: 3,
      },
    });
    expect(html).toMatch(/<h3[^>]*><a href="\/tin-tuc\/bai\/"[^>]*>Tiêu đề bài<\/a><\/h3>/);
    expect(html).toContain('20/04/2020');
  });
});

describe('DriveCard', () => {
  const drive = {
    slug: 'gia-rai-12-12-2026',
    name: 'Ngày hội hiến máu phường Giá Rai',
    organiser: 'Hội Chữ thập đỏ tỉnh Cà Mau',
    address: 'Nhà văn hóa phường Giá Rai, Quốc lộ 1',
    commune: 'Phường Giá Rai',
    oldNames: [],
    latitude: 9.2449,
    longitude: 105.4561,
    start: new Date('2026-12-12T07:00:00+07:00'),
    end: new Date('2026-12-12T11:00:00+07:00'),
    slots: { minutes: 60, places: 30 },
    status: 'scheduled' as const,
    unitsTarget: 120,
    phone: '0290 3000 021',
  };

  test('shows phase, weekday, date and hours in Cà Mau, place and a link to the drive', async () => {
    const html = await container.renderToString(DriveCard, {
      props: { drive, now: new Date('2026-11-26T12:00:00+07:00') },
    });
    expect(html).toContain('data-phase="upcoming"');
    expect(html).toContain('Sắp diễn ra');
    expect(html).toContain('<time datetime="2026-12-12T07:00:00+07:00">Thứ Bảy, 12/12/2026</time>, 07:00–11:00');
    expect(html).toContain('href="/diem-hien-mau/gia-rai-12-12-2026/"');
    expect(html).toContain('Nhà văn hóa phường Giá Rai, Quốc lộ 1');
    expect(html).toMatch(/<h3[^>]*>/);
  });

  test('a cancelled drive says so, and a past one is over', async () => {
    const now = new Date('2026-11-26T12:00:00+07:00');
    const cancelled = await container.renderToString(DriveCard, {
      props: { drive: { ...drive, status: 'cancelled' as const }, now },
    });
    expect(cancelled).toContain('Đã hủy');
    const later = await container.renderToString(DriveCard, {
      props: { drive, now: new Date('2026-12-13T00:00:00+07:00') },
    });
    expect(later).toContain('Đã kết thúc');
    // Every list of drives sits under an h2: the card's name is an h3.
    expect(later).toMatch(/<h3[^>]*><a href="\/diem-hien-mau\/gia-rai-12-12-2026\/"/);
  });
});
