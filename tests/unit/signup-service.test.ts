import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FormTokens } from '../../src/signup/form-token.ts';
import { CANCEL_LIMITS, PHONE_LIMIT, SignupService } from '../../src/signup/service.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { removeFolder, temporaryFolder, twoPlaceForm, TWO_PLACE_DRIVE } from './helpers.ts';

const NOW = new Date('2026-11-26T10:00:00+07:00');
const drive = TWO_PLACE_DRIVE;
const form = twoPlaceForm;
const tokens = new FormTokens('a test key of at least thirty-two characters');
const issueFormToken = (at: Date) => tokens.issue(at);
/** A form served a minute before NOW: a person's pace. */
const served = () => issueFormToken(new Date(NOW.getTime() - 60_000));
const meta = {
  clientAddress: '10.0.0.1',
  get formToken() {
    return served();
  },
};

let folder: string;
let store: SignupStore;
let service: SignupService;

beforeEach(() => {
  folder = temporaryFolder('service-');
  store = new SignupStore(join(folder, 'signups.sqlite'));
  service = new SignupService({
    store: () => store,
    formTokens: () => tokens,
    drives: () => Promise.resolve([drive]),
    now: () => NOW,
    addressLimit: 50,
  });
});
afterEach(() => {
  store.close();
  removeFolder(folder);
});

describe('SignupService', () => {
  test('confirms with a code, then tells the third person the slot is full', async () => {
    const first = await service.signup(form('0912000001'), meta);
    const second = await service.signup(form('0912000002'), meta);
    const third = await service.signup(form('0912000003'), meta);
    expect(first.kind).toBe('confirmed');
    expect(second.kind).toBe('confirmed');
    expect(third).toEqual({ kind: 'full', errors: { slot: expect.stringContaining('hết chỗ') } });
    expect(store.list()).toHaveLength(2);
  });

  test('the same form sent twice gives its own confirmation back; another form with that phone reveals nothing', async () => {
    const token = served();
    const first = await service.signup(form('0912000001'), { ...meta, formToken: token });
    const again = await service.signup(form('+84 912 000 001'), { ...meta, formToken: token });
    if (first.kind !== 'confirmed' || again.kind !== 'confirmed') throw new Error(`${first.kind} ${again.kind}`);
    expect(again.again).toBe(true);
    expect(again.signup.code).toBe(first.signup.code);

    // A stranger with the same phone and another name: a place of their own, nothing of the first.
    const stranger = await service.signup(form('0912000001', { fullName: 'Kẻ Lạ Mặt' }), meta);
    if (stranger.kind !== 'confirmed') throw new Error(stranger.kind);
    expect(stranger.again).toBe(false);
    expect(stranger.signup.code).not.toBe(first.signup.code);
    expect(JSON.stringify(stranger)).not.toContain('Trần Văn Bình');
    expect(JSON.stringify(stranger)).not.toContain(first.signup.code);
  });

  test('a form signs up one person: the same token for someone else gets the form back, nothing stored', async () => {
    const token = served();
    expect((await service.signup(form('0912000001'), { ...meta, formToken: token })).kind).toBe('confirmed');
    const reused = await service.signup(form('0912000002', { fullName: 'Người Khác' }), { ...meta, formToken: token });
    expect(reused).toEqual({ kind: 'stale-form', message: expect.stringContaining('đã được dùng') });
    expect(store.list()).toHaveLength(1);
  });

  test('a missing, forged or day-old token sends the form back to be sent again, nothing stored', async () => {
    const forged = `${NOW.getTime() - 60_000}.AAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA`;
    const stale = issueFormToken(new Date(NOW.getTime() - 25 * 3_600_000));
    for (const formToken of [undefined, '', forged, stale, 'x'.repeat(5000)]) {
      const outcome = await service.signup(form('0912000001'), { clientAddress: '10.0.0.1', formToken });
      expect(outcome).toEqual({ kind: 'stale-form', message: expect.stringContaining('lần nữa') });
    }
    expect(store.list()).toHaveLength(0);
  });

  test('invalid answers come back per field and store nothing', async () => {
    const outcome = await service.signup(form('12345', { weightKg: '40' }), meta);
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') throw new Error();
    expect(Object.keys(outcome.errors)).toEqual(['phone']);
    expect(store.list()).toHaveLength(0);
  });

  test('the honeypot is refused quietly, nothing stored', async () => {
    expect(await service.signup(form('0912000001', { website: 'http://spam.example' }), meta)).toEqual({
      kind: 'quiet',
    });
    expect(store.list()).toHaveLength(0);
  });

  test('a post faster than 3 seconds keeps its answers and asks for one more tap, whose post is confirmed', async () => {
    const justServed = issueFormToken(new Date(NOW.getTime() - 1_000));
    const fast = await service.signup(form('0912000001'), { ...meta, formToken: justServed });
    if (fast.kind !== 'confirm-again') throw new Error(fast.kind);
    expect(fast.message).toContain('Xin bấm "Đăng ký hiến máu" lần nữa để xác nhận');
    expect(store.list()).toHaveLength(0);
    // The tap comes at once: the confirmation token is not timed.
    const tapped = await service.signup(form('0912000001'), { ...meta, formToken: fast.formToken });
    expect(tapped.kind).toBe('confirmed');
    expect(store.list()).toHaveLength(1);
    // A double tap on the second post gets the same confirmation back.
    const twice = await service.signup(form('0912000001'), { ...meta, formToken: fast.formToken });
    if (tapped.kind !== 'confirmed' || twice.kind !== 'confirmed') throw new Error(twice.kind);
    expect(twice.signup.code).toBe(tapped.signup.code);
    expect(twice.again).toBe(true);
    const servedEarlier = issueFormToken(new Date(NOW.getTime() - 30_000));
    expect((await service.signup(form('0912000002'), { ...meta, formToken: servedEarlier })).kind).toBe('confirmed');
  });

  test('invalid answers sent fast get their errors at once, not the extra tap', async () => {
    const justServed = issueFormToken(new Date(NOW.getTime() - 500));
    const outcome = await service.signup(form('12345'), { ...meta, formToken: justServed });
    expect(outcome.kind).toBe('invalid');
  });

  test('bots stay out of the fast path: honeypot, no token, a replayed or forged confirmation', async () => {
    const justServed = issueFormToken(new Date(NOW.getTime() - 200));
    const fast = await service.signup(form('0912000001'), { ...meta, formToken: justServed });
    if (fast.kind !== 'confirm-again') throw new Error(fast.kind);
    const [issuedAt = '', nonce = '', , signature = ''] = fast.formToken.split('.');
    const plainOf = justServed.split('.');
    const nasty: [string, Record<string, string>, string | undefined, string][] = [
      ['honeypot with a confirmation token', { website: 'x' }, fast.formToken, 'quiet'],
      ['no token at all', {}, undefined, 'stale-form'],
      ['the mark stripped off the confirmation', {}, `${issuedAt}.${nonce}.${signature}`, 'stale-form'],
      ['the mark added to a plain token', {}, `${plainOf[0]}.${plainOf[1]}.c.${plainOf[2]}`, 'stale-form'],
      ['a confirmation with a forged signature', {}, `${issuedAt}.${nonce}.c.${'A'.repeat(22)}`, 'stale-form'],
      ['the fast token again: asked again, nothing stored', {}, justServed, 'confirm-again'],
    ];
    for (const [why, extra, formToken, kind] of nasty) {
      expect((await service.signup(form('0912000003', extra), { ...meta, formToken })).kind, why).toBe(kind);
    }
    expect(store.list()).toHaveLength(0);
    // One confirmation signs up one person: replayed for someone else it is refused.
    expect((await service.signup(form('0912000001'), { ...meta, formToken: fast.formToken })).kind).toBe('confirmed');
    const replayed = await service.signup(form('0912000002', { fullName: 'Người Khác' }), {
      ...meta,
      formToken: fast.formToken,
    });
    expect(replayed).toEqual({ kind: 'stale-form', message: expect.stringContaining('đã được dùng') });
    expect(store.list()).toHaveLength(1);
  });

  test('the waitlist shares the fast path: one more tap on "Báo tôi khi có chỗ", then the person waits', async () => {
    const waitlistService = new SignupService({
      store: () => store,
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => NOW,
      addressLimit: 50,
      reminderChannels: () => ['email'],
    });
    for (const phone of ['0912000001', '0912000002']) {
      expect((await waitlistService.signup(form(phone), meta)).kind).toBe('confirmed');
    }
    const waiting = form('0912000003', { reminders: 'yes', email: 'cho@example.vn' });
    const justServed = issueFormToken(new Date(NOW.getTime() - 1_000));
    const fast = await waitlistService.joinWaitlist(waiting, { ...meta, formToken: justServed });
    if (fast.kind !== 'confirm-again') throw new Error(fast.kind);
    expect(fast.message).toContain('Xin bấm "Báo tôi khi có chỗ" lần nữa để xác nhận');
    const tapped = await waitlistService.joinWaitlist(waiting, { ...meta, formToken: fast.formToken });
    expect(tapped.kind).toBe('waiting');
  });

  test("asking again costs no try of the phone's limit; the address's limit still counts every post", async () => {
    let last;
    for (let i = 0; i <= PHONE_LIMIT; i += 1) {
      const fast = issueFormToken(new Date(NOW.getTime() - 100));
      last = await service.signup(form('0912000001'), { ...meta, formToken: fast });
      expect(last.kind).toBe('confirm-again');
    }
    if (last?.kind !== 'confirm-again') throw new Error('no confirmation token');
    expect((await service.signup(form('0912000001'), { ...meta, formToken: last.formToken })).kind).toBe('confirmed');
    const limited = new SignupService({
      store: () => store,
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => NOW,
      addressLimit: 2,
    });
    const kinds = [];
    for (let i = 0; i < 3; i += 1) {
      const fast = issueFormToken(new Date(NOW.getTime() - 100));
      kinds.push((await limited.signup(form('0912000009'), { ...meta, formToken: fast })).kind);
    }
    expect(kinds).toEqual(['confirm-again', 'confirm-again', 'rate-limited']);
  });

  test('a random token is never taken for a confirmation, and never throws (fuzz)', () => {
    const issued = tokens.issueConfirmation(NOW, 'AAAAAAAAAAAA');
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.nat({ max: issued.length }), (noise, at) => {
        const mutated = issued.slice(0, at) + noise + issued.slice(at + 1);
        const check = tokens.check(mutated, NOW);
        return check === null || mutated === issued;
      }),
      { numRuns: 2_000, seed: 21 },
    );
    expect(tokens.check(issued, NOW)).toEqual({ ageMs: 0, nonce: 'AAAAAAAAAAAA', confirmation: true });
  });

  test(`one phone is limited to ${PHONE_LIMIT} posts in 10 minutes`, async () => {
    const kinds = [];
    for (let i = 0; i <= PHONE_LIMIT; i += 1) kinds.push((await service.signup(form('0912000001'), meta)).kind);
    // Two places in the slot: the first two confirmed, then full, until the phone's limit.
    expect(kinds.slice(0, PHONE_LIMIT)).toEqual([
      'confirmed',
      'confirmed',
      ...Array<string>(PHONE_LIMIT - 2).fill('full'),
    ]);
    expect(kinds.at(-1)).toBe('rate-limited');
  });

  test('one client address is limited to its allowance, with a Vietnamese message', async () => {
    const strict = new SignupService({
      store: () => store,
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => NOW,
      addressLimit: 2,
    });
    await strict.signup(form('0912000001'), meta);
    await strict.signup(form('0912000002'), meta);
    const third = await strict.signup(form('0912000003'), meta);
    expect(third).toEqual({ kind: 'rate-limited', message: expect.stringContaining('10 phút') });
    expect((await strict.signup(form('0912000003'), { ...meta, clientAddress: '10.0.0.2' })).kind).toBe('full');
  });

  test('a store that cannot write answers "unavailable", never a confirmation', async () => {
    const broken = new SignupService({
      store: () => {
        throw new Error('disk I/O error');
      },
      formTokens: () => tokens,
      drives: () => Promise.resolve([drive]),
      now: () => NOW,
    });
    const outcome = await broken.signup(form('0912000001'), meta);
    expect(outcome).toEqual({ kind: 'unavailable', message: expect.stringContaining('chưa lưu được') });
  });

  test('cancel needs the right code and phone, and answers a wrong code and an unknown phone alike', async () => {
    const outcome = await service.signup(form('0912000001'), meta);
    if (outcome.kind !== 'confirmed') throw new Error();
    expect(await service.cancel(outcome.signup.code, '+84912000009', '10.0.0.1')).toBe('not-found');
    expect(await service.cancel('0000000000', '+84912000001', '10.0.0.1')).toBe('not-found');
    expect(await service.cancel(outcome.signup.code, '+84912000001', '10.0.0.1')).toBe('cancelled');
  });

  test('cancel tries are limited per code, per phone and per address', async () => {
    const codes = (n: number) => Array.from({ length: n }, (_, i) => `GUESS${String(i).padStart(5, '0')}`);
    const inOrder = async (tries: (() => Promise<string>)[]) => {
      const outcomes: string[] = [];
      for (const attempt of tries) outcomes.push(await attempt());
      return outcomes;
    };
    const perPhone = await inOrder(
      codes(CANCEL_LIMITS.phone + 1).map((code, i) => () => service.cancel(code, '+84912000001', `10.1.0.${i}`)),
    );
    expect(perPhone.at(-1)).toBe('rate-limited');
    expect(perPhone.slice(0, -1).every((r) => r === 'not-found')).toBe(true);
    const perCode = await inOrder(
      Array.from(
        { length: CANCEL_LIMITS.code + 1 },
        (_, i) => () => service.cancel('SAMECODE00', `+8497700${String(i).padStart(4, '0')}`, `10.2.0.${i}`),
      ),
    );
    expect(perCode.at(-1)).toBe('rate-limited');
    const perAddress = await inOrder(
      codes(CANCEL_LIMITS.address + 1).map(
        (code, i) => () => service.cancel(code, `+8498${String(i).padStart(7, '0')}`, '10.3.0.1'),
      ),
    );
    expect(perAddress.at(-1)).toBe('rate-limited');
    expect(perAddress.filter((r) => r === 'rate-limited')).toHaveLength(1);
    // Tries refused by address do not use up the allowance of the phone they named.
    for (let i = 0; i < 10; i += 1) await service.cancel(`XYZW00000${i}`, '+84912000077', '10.3.0.1');
    expect(await service.cancel('XYZW000099', '+84912000077', '10.4.0.1')).toBe('not-found');
  });
});
