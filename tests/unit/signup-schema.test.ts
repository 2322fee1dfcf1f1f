import { describe, expect, test } from 'vitest';
import { fieldErrors, formValues } from '../../src/signup/form-fields.ts';
import { signupSchema, type DriveOption } from '../../src/signup/schema.ts';
import { normalizeMobile, formatMobile } from '../../src/signup/phone.ts';
import {
  formatCode,
  newConfirmationCode,
  normalizeCode,
  withFreshCode,
  withFreshCodeAsync,
} from '../../src/signup/codes.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const drive: DriveOption = {
  slug: 'gia-rai-12-12-2026',
  name: 'Ngày hội hiến máu phường Giá Rai',
  start: new Date('2026-12-12T07:00:00+07:00'),
  end: new Date('2026-12-12T09:00:00+07:00'),
  slots: [
    { id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T08:00:00+07:00', places: 20 },
    { id: '2026-12-12T08:00:00+07:00', end: '2026-12-12T09:00:00+07:00', places: 20 },
  ],
};
const schema = signupSchema({
  findDrive: (slug) => (slug === drive.slug ? drive : undefined),
  now: () => NOW,
  channels: () => [],
});

const valid = {
  fullName: 'Nguyễn Thị Hoa',
  phone: '0912 345 678',
  birthYear: '1990',
  sex: 'female',
  weightKg: '50',
  drive: drive.slug,
  slot: '2026-12-12T08:00:00+07:00',
  consent: 'yes',
};

async function errorsFor(change: Record<string, string | undefined>) {
  const values = Object.fromEntries(Object.entries({ ...valid, ...change }).filter(([, v]) => v !== undefined));
  const result = await schema.safeParseAsync(values);
  return result.success ? {} : fieldErrors(result.error.issues);
}

describe('sign-up schema', () => {
  test('accepts a complete sign-up and stores the phone in one form', async () => {
    const result = await schema.parseAsync(valid);
    expect(result.phone).toBe('+84912345678');
    expect(result.birthYear).toBe(1990);
    expect(result.weightKg).toBe(50);
  });

  test.each([
    ['age 17 on the drive date', { birthYear: '2009' }, 'birthYear', 'cần đủ 18 tuổi'],
    ['age 61 on the drive date', { birthYear: '1965' }, 'birthYear', 'đến 60 tuổi'],
    ['a woman of 41 kg', { weightKg: '41' }, 'weightKg', 'ít nhất 42 kg'],
    ['a man of 44 kg', { sex: 'male', weightKg: '44' }, 'weightKg', 'ít nhất 45 kg'],
    ['a donation 11 weeks before the drive', { lastDonation: '2026-09-26' }, 'lastDonation', '19/12/2026'],
    ['a phone that is not a mobile', { phone: '0290 3831 000' }, 'phone', '03, 05, 07, 08 hoặc 09'],
    ['a phone with too few digits', { phone: '091234567' }, 'phone', '10 chữ số'],
    ['no consent', { consent: undefined }, 'consent', 'đánh dấu ô đồng ý'],
    ['an unknown drive', { drive: 'khong-co' }, 'drive', 'không còn nhận đăng ký'],
    ['a slot of another drive', { slot: '2026-12-05T07:00:00+07:00' }, 'slot', 'khung giờ của đợt'],
    ['an overlong name', { fullName: 'Nguyễn '.repeat(15) }, 'fullName', '80 ký tự'],
    ['a script in the name', { fullName: '<script>alert(1)</script>' }, 'fullName', 'chỉ gồm chữ cái'],
    ['a missing name', { fullName: undefined }, 'fullName', 'nhập họ và tên'],
    ['a birth year in words', { birthYear: 'mười chín' }, 'birthYear', '4 chữ số'],
    ['no sex', { sex: undefined }, 'sex', 'chọn giới tính'],
    ['a weight in words', { weightKg: 'năm mươi' }, 'weightKg', 'ki-lô-gam'],
    ['a last donation in the future', { lastDonation: '2026-12-01' }, 'lastDonation', 'sau hôm nay'],
    ['a last donation that is no date', { lastDonation: 'x' }, 'lastDonation', 'năm-tháng-ngày'],
    ['a last donation in the 13th month', { lastDonation: '2026-13-01' }, 'lastDonation', 'năm-tháng-ngày'],
    ['a last donation without leading zeros', { lastDonation: '2026-1-1' }, 'lastDonation', 'năm-tháng-ngày'],
    ['a last donation of day zero', { lastDonation: '0000-00-00' }, 'lastDonation', 'năm-tháng-ngày'],
    ['a team code with spaces inside words', { teamCode: 'đội số 1!' }, 'teamCode', 'Mã đội'],
  ])('refuses %s, on the right field', async (_, change, field, message) => {
    const errors = await errorsFor(change);
    expect(Object.keys(errors)).toContain(field);
    expect(errors[field as keyof typeof errors]).toContain(message);
  });

  test.each([
    ['+84 912 345 678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['0912.345.678', '+84912345678'],
    ['0356-123-456', '+84356123456'],
  ])('accepts the phone %s as %s', async (phone, stored) => {
    expect((await schema.parseAsync({ ...valid, phone })).phone).toBe(stored);
  });

  test('accepts the limits themselves: 18 and 60, 42 kg, 45 kg, 12 weeks to the day', async () => {
    expect(await errorsFor({ birthYear: '2008' })).toEqual({});
    expect(await errorsFor({ birthYear: '1966' })).toEqual({});
    expect(await errorsFor({ weightKg: '42' })).toEqual({});
    expect(await errorsFor({ sex: 'male', weightKg: '45,5' })).toEqual({});
    expect(await errorsFor({ lastDonation: '2026-09-19' })).toEqual({});
    expect(await errorsFor({ teamCode: 'cat-pc06' })).toEqual({});
  });

  test('formValues trims and leaves out empty fields and anything not in the form', () => {
    const form = new FormData();
    form.set('fullName', '  Lê Văn An ');
    form.set('lastDonation', '');
    form.set('admin', 'yes');
    expect(formValues(form)).toEqual({ fullName: 'Lê Văn An' });
  });
});

describe('phone numbers', () => {
  test('normalise Vietnamese mobiles and refuse the rest', () => {
    expect(normalizeMobile('0987 654 321')).toBe('+84987654321');
    expect(normalizeMobile('+84 0987 654 321')).toBeNull();
    expect(normalizeMobile('0123 456 789')).toBeNull();
    expect(formatMobile('+84987654321')).toBe('0987 654 321');
  });
});

describe('confirmation codes', () => {
  test('are 10 characters of Crockford base 32, different each time', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newConfirmationCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
  });

  test('read back leniently: case, dashes, spaces, O for 0, I and L for 1', () => {
    expect(formatCode('7K3Q9XWD2P')).toBe('7K3Q-9XWD-2P');
    expect(normalizeCode(' 7k3q-9xwd-2p ')).toBe('7K3Q9XWD2P');
    expect(normalizeCode('7K3Q 9XWD 2O')).toBe('7K3Q9XWD20');
    expect(normalizeCode('IL00000000')).toBe('1100000000');
    expect(normalizeCode('7K3Q9XWD2')).toBeNull();
    expect(normalizeCode('7K3Q9XWD2U')).toBeNull();
  });

  test('a sign-up whose code is taken is tried once more with another code, and only then fails', async () => {
    const taken = new Error('UNIQUE constraint failed: signups.code');
    const tried: string[] = [];
    const takeOnce = (code: string) => {
      tried.push(code);
      if (tried.length === 1) throw taken;
      return code;
    };
    expect(withFreshCode(takeOnce)).toBe(tried[1]);
    expect(tried[0]).not.toBe(tried[1]);
    tried.length = 0;
    expect(await withFreshCodeAsync((code) => Promise.resolve(takeOnce(code)))).toBe(tried[1]);
    expect(tried).toHaveLength(2);
    expect(() =>
      withFreshCode(() => {
        throw taken;
      }),
    ).toThrow(taken);
    const other = new Error('UNIQUE constraint failed: signups.form_nonce');
    let calls = 0;
    expect(() =>
      withFreshCode(() => {
        calls += 1;
        throw other;
      }),
    ).toThrow(other);
    expect(calls).toBe(1);
  });
});
