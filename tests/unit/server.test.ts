/**
 * The server's pure parts: reading request targets and forwarded headers,
 * merging security policies, finding static files, and the settings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isLoopback, requestOrigin, requestPath, validHost } from '../../src/server/forwarded.ts';
import { HEADER_CSP, mergeCsp } from '../../src/server/headers.ts';
import { cacheControl, staticFilePath } from '../../src/server/static-files.ts';
import { readSettings, resetSettings } from '../../src/settings.ts';
import { actionBelongsTo } from '../../src/actions/pages.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

describe('requestPath', () => {
  test.each([
    ['/', '/'],
    ['/tin-tuc/?trang=2', '/tin-tuc/?trang=2'],
    ['http://evil.example/dang-ky/', '/dang-ky/'],
    ['https://evil.example', '/'],
    ['//', null],
    ['///', null],
    ['/\\', null],
    ['//a:b/', null],
    ['//evil.example/x', null],
    ['*', null],
    ['dang-ky', null],
    ['/a b', null],
    ['/a\u0000b', null],
    ['', null],
    [undefined, null],
    // Broken %-escapes: answered here in Vietnamese, not by Astro's "Bad request.".
    ['/tin-tuc/%ZZ/', null],
    ['/dang-ky/huy/?ma=%E0%A4%A', null],
    ['/nhac-hen/?x=%', null],
    ['/diem-hien-mau/%C0%AF/', null],
    ['/tim-kiem/?q=hi%E1%BA%BFn%20m%C3%A1u', '/tim-kiem/?q=hi%E1%BA%BFn%20m%C3%A1u'],
    ['/tim-kiem/?q=100%25', '/tim-kiem/?q=100%25'],
  ])('%j → %j', (target, path) => {
    expect(requestPath(target)).toBe(path);
  });
});

describe('requestOrigin', () => {
  const forwarded = {
    host: '127.0.0.1:4321',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'hienmau.example.vn',
    'x-forwarded-for': '10.0.0.9, 203.0.113.5',
  };

  test('without TRUST_PROXY the forwarded headers are ignored', () => {
    expect(requestOrigin({ trustProxy: false, peerAddress: '127.0.0.1', headers: forwarded })).toEqual({
      protocol: 'http',
      host: '127.0.0.1:4321',
      clientAddress: '127.0.0.1',
      forwarded: false,
    });
  });

  test('with TRUST_PROXY, a loopback peer is believed: the last X-Forwarded-For is the client', () => {
    expect(requestOrigin({ trustProxy: true, peerAddress: '::ffff:127.0.0.1', headers: forwarded })).toEqual({
      protocol: 'https',
      host: 'hienmau.example.vn',
      clientAddress: '203.0.113.5',
      forwarded: true,
    });
  });

  test('with TRUST_PROXY, a peer that is not on this machine is not', () => {
    expect(requestOrigin({ trustProxy: true, peerAddress: '198.51.100.7', headers: forwarded }).forwarded).toBe(false);
  });

  test('a forwarded address that is not an address, or a bad forwarded host, falls back', () => {
    const origin = requestOrigin({
      trustProxy: true,
      peerAddress: '127.0.0.1',
      headers: {
        host: 'a.example',
        'x-forwarded-for': 'unknown',
        'x-forwarded-host': 'evil/x',
        'x-forwarded-proto': 'gopher',
      },
    });
    expect(origin).toEqual({ protocol: 'http', host: 'a.example', clientAddress: '127.0.0.1', forwarded: true });
  });

  test.each([
    ['hienmau.example.vn', true],
    ['localhost:4321', true],
    ['[::1]:8443', true],
    ['a b', false],
    ['evil/x', false],
    ['a\\b', false],
    ['x'.repeat(300), false],
    ['', false],
  ])('host %j valid: %s', (host, valid) => {
    expect(validHost(host) !== undefined).toBe(valid);
  });

  test.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    [undefined, false],
  ])('%j is loopback: %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});

describe('mergeCsp', () => {
  test("adds only what the page's policy does not set, once", () => {
    const page = "default-src 'self';script-src 'self' 'sha256-abc';object-src 'none'";
    const merged = mergeCsp(page);
    expect(merged).toContain("script-src 'self' 'sha256-abc'");
    expect(merged).toContain("frame-ancestors 'none'");
    expect(merged.match(/object-src/g)).toHaveLength(1);
    expect(mergeCsp(merged)).toBe(merged);
  });

  test('the header policy alone merges into itself unchanged', () => {
    expect(mergeCsp(HEADER_CSP)).toBe(HEADER_CSP);
  });
});

describe('static files', () => {
  const root = temporaryFolder('static-');
  mkdirSync(join(root, 'tin-tuc'));
  writeFileSync(join(root, 'tin-tuc', 'index.html'), '<p>x</p>');
  afterAll(() => removeFolder(root));

  test.each([
    ['/tin-tuc/', join(root, 'tin-tuc', 'index.html')],
    ['/_astro/a.js', join(root, '_astro', 'a.js')],
    ['/%2e%2e/%2e%2e/etc/passwd', null],
    ['/../secret.html', null],
    ['/%2e%2e/%2e%2e/etc/x.html', null],
    ['/a%00.html', null],
    ['/%ff.html', null],
    ['/a\\b.html', null],
    ['/package.json.bak', null],
  ])('%s → %s', (path, file) => {
    expect(staticFilePath(root, path)?.file ?? null).toBe(file);
  });

  test('hashed assets are kept a year, pages revalidated, the rest an hour', () => {
    expect(cacheControl('/_astro/x.js')).toContain('immutable');
    expect(cacheControl('/index.html')).toBe('public, max-age=0, must-revalidate');
    expect(cacheControl('/og/x.png')).toBe('public, max-age=3600, must-revalidate');
  });
});

describe('readSettings', () => {
  test('defaults', () => {
    expect(readSettings({})).toEqual({
      port: 4321,
      host: '127.0.0.1',
      signupDb: 'data/signups.sqlite',
      signupRateLimit: 120,
      loginRateLimit: 30,
      trustProxy: false,
      signupSecret: undefined,
      siteDist: 'dist',
      reminders: {
        email: undefined,
        push: undefined,
        webhook: undefined,
        sms: undefined,
        zalo: undefined,
        phoneConfirmation: true,
        scheduler: true,
        siteUrl: undefined,
      },
      needs: { staleDays: 3, appealQuietDays: 14 },
      content: { repo: 'data/noi-dung', publishDir: 'data/ban-dung', checkMinutes: 10 },
    });
  });

  test.each([
    [{ PORT: 'abc' }, /PORT phải là số nguyên từ 0 đến 65535/],
    [{ PORT: '1.5' }, /PORT/],
    [{ SIGNUP_RATE_LIMIT: '0' }, /SIGNUP_RATE_LIMIT/],
    [{ LOGIN_RATE_LIMIT: 'nhiều' }, /LOGIN_RATE_LIMIT phải là số nguyên/],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY phải là 1 \(bật\) hoặc 0 \(tắt\)/],
    [{ SIGNUP_SECRET: 'short' }, /SIGNUP_SECRET phải dài ít nhất 32 ký tự/],
    [{ PUBLISH_CHECK_MINUTES: 'mỗi giờ' }, /PUBLISH_CHECK_MINUTES phải là số nguyên/],
  ])('%j is refused with a message naming it', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });

  test.each([
    ['1', true],
    ['true', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['', false],
  ])('TRUST_PROXY=%j → %s', (value, on) => {
    expect(readSettings({ TRUST_PROXY: value }).trustProxy).toBe(on);
  });

  test('the process environment is read and checked once, until resetSettings()', () => {
    const before = process.env['SIGNUP_RATE_LIMIT'];
    try {
      process.env['SIGNUP_RATE_LIMIT'] = '7';
      resetSettings();
      const first = readSettings();
      expect(first.signupRateLimit).toBe(7);
      // A value that would now be refused is not even looked at: nothing is read again.
      process.env['SIGNUP_RATE_LIMIT'] = 'nhiều';
      expect(readSettings()).toBe(first);
      resetSettings();
      expect(() => readSettings()).toThrow(/SIGNUP_RATE_LIMIT phải là số nguyên/);
    } finally {
      if (before === undefined) delete process.env['SIGNUP_RATE_LIMIT'];
      else process.env['SIGNUP_RATE_LIMIT'] = before;
      resetSettings();
    }
  });
});

describe('form actions', () => {
  test.each([
    ['signup', '/dang-ky/', true],
    ['cancelSignup', '/dang-ky/huy/', true],
    ['signup', '/doi-nhom/', false],
    ['__proto__', '/dang-ky/', false],
    ['toString', '/dang-ky/', false],
  ])('%s on %s: %s', (action, page, allowed) => {
    expect(actionBelongsTo(action, page)).toBe(allowed);
  });
});
