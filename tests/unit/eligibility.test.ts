import { describe, expect, test } from 'vitest';
import { DONATION_TYPES, INTERVAL_RULES, nextDonationDate } from '../../src/eligibility/eligibility.ts';

describe('nextDonationDate', () => {
  test('whole blood: 12 weeks (84 days) later', () => {
    const result = nextDonationDate('2020-04-19', 'whole-blood', '2020-05-01');
    expect(result).toMatchObject({ ok: true, earliest: '2020-07-12', canGiveNow: false, daysToWait: 72 });
    expect(result.ok && result.rule).toContain('12 tuần');
  });

  test('red cells follow the whole-blood interval', () => {
    expect(nextDonationDate('2020-04-19', 'red-cells', '2020-04-19')).toMatchObject({ earliest: '2020-07-12' });
  });

  test('plasma and platelets by apheresis: 2 weeks', () => {
    for (const type of ['apheresis-plasma', 'apheresis-platelets']) {
      const result = nextDonationDate('2020-04-19', type, '2020-04-20');
      expect(result).toMatchObject({ ok: true, earliest: '2020-05-03', daysToWait: 13 });
      expect(result.ok && result.rule).toContain('2 tuần');
    }
  });

  test('on the earliest day itself the donor can give', () => {
    expect(nextDonationDate('2020-04-19', 'whole-blood', '2020-07-12')).toMatchObject({
      canGiveNow: true,
      daysToWait: 0,
    });
  });

  test('one day before the earliest day the donor must wait one day', () => {
    expect(nextDonationDate('2020-04-19', 'whole-blood', '2020-07-11')).toMatchObject({
      canGiveNow: false,
      daysToWait: 1,
    });
  });

  test('long ago: can give now', () => {
    expect(nextDonationDate('2019-01-01', 'whole-blood', '2026-11-26')).toMatchObject({ canGiveNow: true });
  });

  test('a donation today is allowed, the answer is 12 weeks on', () => {
    expect(nextDonationDate('2026-11-26', 'whole-blood', '2026-11-26')).toMatchObject({
      earliest: '2027-02-18',
      daysToWait: 84,
    });
  });

  test('crosses a leap day', () => {
    expect(nextDonationDate('2024-02-20', 'apheresis-platelets', '2024-02-20')).toMatchObject({
      earliest: '2024-03-05',
    });
  });

  test.each([
    ['', 'whole-blood', 'Vui lòng nhập ngày'],
    ['2023-02-29', 'whole-blood', 'không hợp lệ'],
    ['19/04/2020', 'whole-blood', 'không hợp lệ'],
    ['2026-11-27', 'whole-blood', 'không thể ở sau ngày hôm nay'],
    ['2020-04-19', 'blood', 'chọn loại máu'],
  ])('refuses %j / %j with a Vietnamese message', (date, type, message) => {
    const result = nextDonationDate(date, type, '2026-11-26');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  test('every type has a label and a rule', () => {
    for (const type of DONATION_TYPES) {
      expect(INTERVAL_RULES[type].label.length).toBeGreaterThan(3);
      expect(INTERVAL_RULES[type].rule).toContain('Thông tư 26/2013/TT-BYT');
    }
  });
});
