import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CENSORED_FIELDS, createLogger, readableLine } from '../../src/shared/log.ts';
import { FormTokens } from '../../src/signup/form-token.ts';
import { SignupService } from '../../src/signup/service.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { twoPlaceForm, TWO_PLACE_DRIVE } from './helpers.ts';

/** An output like process.stdout, keeping what is written. */
function output(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(text) };
}

describe('the logger', () => {
  test('not on a terminal: one JSON line with level, time and msg; warnings and errors on standard error', () => {
    const out = output(false);
    const err = output(false);
    const log = createLogger({ out, err });
    log.info('Đang phục vụ trang web tại http://127.0.0.1:4321/');
    log.warn('nhắc hẹn: không đọc được lịch');
    log.error('không lưu được lượt đăng ký: database is locked');
    expect(out.lines).toHaveLength(1);
    expect(err.lines).toHaveLength(2);
    const info = JSON.parse(out.lines[0] ?? '') as Record<string, unknown>;
    expect(info).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: 'Đang phục vụ trang web tại http://127.0.0.1:4321/',
    });
    expect(out.lines[0]).toMatch(/\n$/);
    expect(err.lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual(['warn', 'error']);
    // The start script (scripts/start-site.mjs) finds the address in the JSON line too.
    expect(/Đang phục vụ trang web tại (http:\/\/[^\s"]+)/.exec(out.lines[0] ?? '')?.[1]).toBe(
      'http://127.0.0.1:4321/',
    );
  });

  test('on a terminal: a readable line, the time in Cà Mau, the level in Vietnamese', () => {
    const out = output(true);
    const err = output(true);
    const log = createLogger({ out, err });
    log.info('dọn dữ liệu: đã xoá 3 lượt đăng ký quá thời hạn lưu giữ');
    log.error('dọn dữ liệu thất bại: disk I/O error');
    expect(out.lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d dọn dữ liệu: đã xoá 3 lượt/)]);
    expect(err.lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d LỖI dọn dữ liệu thất bại: disk I\/O error\n$/)]);
    expect(readableLine('{"level":"warn","time":"2026-12-01T23:59:58.000Z","msg":"x"}')).toBe('06:59:58 CẢNH BÁO x\n');
  });

  test('an object with personal fields, should one be logged, keeps none of their values', () => {
    const out = output(false);
    const log = createLogger({ out, err: output(false) });
    const person = {
      fullName: 'Nguyễn Thị Hoa',
      phone: '+84912345678',
      email: 'hoa@example.vn',
      birthYear: 1990,
      code: 'K7P2M9QX4T',
      formToken: '1764500000000.abcdefghijkl.signaturesignature12',
      clientAddress: '198.51.100.7',
    };
    log.info({ signup: person, ...person }, 'không lưu được lượt đăng ký');
    const line = out.lines.join('');
    for (const value of Object.values(person)) expect(line).not.toContain(String(value));
    expect(Object.keys(person).every((key) => (CENSORED_FIELDS as readonly string[]).includes(key))).toBe(true);
    expect(JSON.parse(line)).toMatchObject({ msg: 'không lưu được lượt đăng ký', phone: '[đã ẩn]' });
  });
});

describe('what a failed sign-up logs', () => {
  let folder: string | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('one JSON error line, naming neither the person nor their phone, code, token or address', async () => {
    folder = mkdtempSync(join(tmpdir(), 'log-'));
    const store = new SignupStore(join(folder, 'signups.sqlite'));
    store.close(); // The disk went away: every write fails.
    const now = new Date('2026-11-26T10:00:00+07:00');
    const drive = TWO_PLACE_DRIVE;
    const tokens = new FormTokens('a test key of at least thirty-two characters');
    const service = new SignupService({
      store: () => store,
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => now,
    });
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const formToken = tokens.issue(new Date(now.getTime() - 60_000));
    const outcome = await service.signup(twoPlaceForm('0912000001'), { clientAddress: '203.0.113.9', formToken });
    vi.restoreAllMocks();
    expect(outcome.kind).toBe('unavailable');
    expect(written).toHaveLength(1);
    const line = JSON.parse(written[0] ?? '') as { level: string; time: string; msg: string };
    expect(line.level).toBe('error');
    expect(line.msg).toMatch(/^không lưu được lượt đăng ký: /);
    for (const personal of ['Trần Văn Bình', 'Bình', '0912000001', '912000001', '1985', '203.0.113.9', formToken]) {
      expect(written[0]).not.toContain(personal);
    }
  });
});
