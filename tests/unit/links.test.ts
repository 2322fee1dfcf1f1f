/** Addresses, share-image keys, JSON-LD builders and answer statuses: the modules routes hand data from. */
import { describe, expect, test } from 'vitest';
import {
  articleHref,
  cancelHref,
  driveCalendarHref,
  driveHref,
  drivePosterHref,
  newsPageHref,
  placesLeftHref,
  shareImageKey,
  signupHref,
  staticPageHref,
  tagHref,
} from '../../src/shared/links.ts';
import { driveEvent } from '../../src/drives/drive-event.ts';
import { newsArticle } from '../../src/news/news-article.ts';
import { answerStatus } from '../../src/actions/answer-status.ts';

describe('links', () => {
  test.each([
    [articleHref('hien-mau-o-gia-rai'), '/tin-tuc/hien-mau-o-gia-rai/'],
    [newsPageHref(1), '/tin-tuc/'],
    [newsPageHref(3), '/tin-tuc/trang/3/'],
    [tagHref('Công an tỉnh'), '/tin-tuc/chu-de/cong-an-tinh/'],
    [driveHref('gia-rai'), '/diem-hien-mau/gia-rai/'],
    [driveCalendarHref('gia-rai'), '/diem-hien-mau/gia-rai.ics'],
    [drivePosterHref('gia-rai'), '/diem-hien-mau/gia-rai/in/'],
    [signupHref(), '/dang-ky/'],
    [signupHref('gia-rai'), '/dang-ky/?diem=gia-rai'],
    [cancelHref(), '/dang-ky/huy/'],
    [cancelHref('7K3Q-9XWD-2P'), '/dang-ky/huy/?ma=7K3Q-9XWD-2P'],
    [placesLeftHref('gia-rai'), '/api/diem-hien-mau/gia-rai/cho-trong.json'],
    [staticPageHref('dieu-kien'), '/dieu-kien/'],
  ])('%s', (href, expected) => {
    expect(href).toBe(expected);
  });

  test('share image keys, one per kind of page', () => {
    expect([shareImageKey.home, shareImageKey.article('a'), shareImageKey.drive('b'), shareImageKey.page('c')]).toEqual(
      ['trang-chu', 'tin-tuc/a', 'diem-hien-mau/b', 'trang/c'],
    );
  });
});

describe('structured data', () => {
  const drive = {
    name: 'Ngày hội hiến máu phường Giá Rai',
    start: new Date('2026-12-12T00:00:00Z'),
    end: new Date('2026-12-12T04:00:00Z'),
    status: 'scheduled',
    address: 'Nhà văn hóa phường Giá Rai',
    commune: 'Phường Giá Rai',
    latitude: 9.24,
    longitude: 105.46,
    organiser: 'Hội Chữ thập đỏ tỉnh Cà Mau',
    phone: '0290 3000 012',
  };
  const page = { url: 'https://x.vn/diem-hien-mau/gia-rai/', image: 'https://x.vn/og/a.png', description: 'Mô tả' };

  test('a drive is an Event with +07:00 times, its place and coordinates', () => {
    expect(driveEvent(drive, page)).toMatchObject({
      '@type': 'Event',
      startDate: '2026-12-12T07:00:00+07:00',
      endDate: '2026-12-12T11:00:00+07:00',
      description: 'Mô tả',
      eventStatus: 'https://schema.org/EventScheduled',
      location: { geo: { latitude: 9.24, longitude: 105.46 }, address: { addressLocality: 'Phường Giá Rai' } },
      image: ['https://x.vn/og/a.png'],
    });
    expect(driveEvent({ ...drive, status: 'cancelled', notes: 'Hoãn' }, page)).toMatchObject({
      eventStatus: 'https://schema.org/EventCancelled',
      description: 'Hoãn',
    });
  });

  test('an article is a NewsArticle; without an update its modified date is its date', () => {
    const article = {
      title: 'Công an tỉnh hiến 667 đơn vị máu',
      description: 'Mô tả',
      date: new Date('2020-04-19T00:00:00+07:00'),
      tags: ['Công an', 'Hiến máu'],
      author: 'Như Tân',
    };
    expect(newsArticle(article, { url: 'u', image: 'i', publisher: 'Hội CTĐ tỉnh Cà Mau' })).toMatchObject({
      '@type': 'NewsArticle',
      datePublished: '2020-04-19T00:00:00+07:00',
      dateModified: '2020-04-19T00:00:00+07:00',
      keywords: 'Công an, Hiến máu',
      publisher: { name: 'Hội CTĐ tỉnh Cà Mau' },
    });
  });
});

describe('answerStatus', () => {
  test.each([
    [{ error: { status: 429 } }, 429],
    [{ error: { status: 503 }, outcome: 'invalid' }, 503],
    [{ outcome: 'invalid' }, 400],
    [{ outcome: 'full' }, 409],
    [{ outcome: 'not-found' }, 404],
    [{ outcome: 'confirmed' }, 200],
    [{ outcome: 'toString' }, 200],
    [{}, 200],
  ])('%j → %i', (result, status) => {
    expect(answerStatus(result)).toBe(status);
  });
});
