import { expect, test } from 'vitest';
import { CONFIRM_DAY_PARAM, dayOfTap } from '../../src/console/console-paths.ts';

test('a desk form carries the day of the tap in Cà Mau, or the day the page confirmed', () => {
  // 23:50 on 5/12 in Cà Mau is still 5/12 when the queue is sent the next morning.
  expect(dayOfTap('', new Date('2026-12-05T23:50:00+07:00'))).toBe('2026-12-05');
  // 00:10 on 6/12 in Cà Mau, still 5/12 in UTC.
  expect(dayOfTap('?ma=7K3Q9XWD2P', new Date('2026-12-05T17:10:00Z'))).toBe('2026-12-06');
  expect(dayOfTap(`?${CONFIRM_DAY_PARAM}=2026-12-05&ma=X`, new Date('2026-12-09T09:00:00+07:00'))).toBe('2026-12-05');
  expect(dayOfTap(`?${CONFIRM_DAY_PARAM}=`, new Date('2026-12-05T09:00:00+07:00'))).toBe('2026-12-05');
});
