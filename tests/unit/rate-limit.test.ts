import { describe, expect, test } from 'vitest';
import { addressKey, RateLimiter } from '../../src/signup/rate-limit.ts';

const MINUTE = 60_000;

describe('RateLimiter', () => {
  test('allows the limit in a window, refuses the rest, and starts again after the window', () => {
    const limiter = new RateLimiter(3, 10 * MINUTE);
    expect([0, 1, 2, 3].map((i) => limiter.allow('a', i))).toEqual([true, true, true, false]);
    expect(limiter.allow('b', 4)).toBe(true);
    expect(limiter.allow('a', 10 * MINUTE)).toBe(true);
  });

  test('holds at most maxKeys keys however many distinct keys arrive', () => {
    const limiter = new RateLimiter(5, 10 * MINUTE, 1_000);
    for (let i = 0; i < 100_000; i += 1) limiter.allow(`10.0.${i >> 8}.${i & 255}`, i);
    expect(limiter.size).toBeLessThanOrEqual(1_000);
  });

  test('a key in use keeps its count while a flood of other keys passes', () => {
    const limiter = new RateLimiter(3, 10 * MINUTE, 100);
    for (let i = 0; i < 1_000; i += 1) {
      // The attacker's own key posts every 40 other keys: less than a generation apart.
      if (i % 40 === 0) limiter.allow('attacker', i);
      limiter.allow(`other-${i}`, i);
    }
    expect(limiter.allow('attacker', 1_000)).toBe(false);
  });
});

describe('addressKey', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s (an IPv6 client gets its /64)', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
