/**
 * Blood needs (src/needs/): the scale and the stale rule, the banner and the open JSON, the
 * 30-day chart, the console's form against hostile input (a table and a bounded fuzz), the
 * store's levels with their audit entries and replayed forms, the right to set them, and
 * who an appeal reaches (consent, group, may give again by the drive's day, never twice).
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  BLOOD_GROUPS,
  bannerOf,
  chartPath,
  dailyLevels,
  needsAt,
  needsJson,
  parseLevelForm,
  STALE_WORDS,
  type LevelEntry,
} from '../../src/needs/blood.ts';
import { NeedsStore } from '../../src/needs/needs-store.ts';
import { appealText, earliestDay, mayGiveBy } from '../../src/needs/appeal.ts';
import { appealChannels, appealMessage } from '../../src/site/blood-appeal.ts';
import { maySetLevels, postLevels, postRight } from '../../src/needs/needs-console.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { runCommand } from '../../src/cli/main.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { englishIn } from './english.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const NOW = new Date('2026-12-02T09:00:00+07:00');
const DAY = 86_400_000;
const entry = (group: LevelEntry['group'], level: LevelEntry['level'], daysAgo: number): LevelEntry => ({
  group,
  level,
  note: null,
  source: 'Bệnh viện tỉnh',
  setAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
  setBy: 'admin',
});
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe('levels, the stale rule and the banner', () => {
  test('a level older than the set number of days is "chưa có số liệu mới", never current, and puts up no banner', () => {
    const needs = needsAt([entry('O+', 1, 4), entry('A+', 2, 1)], NOW, 3);
    const o = needs.find((n) => n.group === 'O+');
    expect(o).toMatchObject({ level: null, stale: true, words: STALE_WORDS });
    expect(needs.find((n) => n.group === 'A+')).toMatchObject({ level: 2, words: 'thiếu', stale: false });
    expect(bannerOf(needs)).toBeNull();
  });

  test('the banner names every group at the lowest level and leads to the first one’s appeal', () => {
    const needs = needsAt([entry('O+', 1, 0), entry('AB-', 1, 1), entry('A+', 2, 0)], NOW, 3);
    expect(bannerOf(needs)).toEqual({
      text: 'Đang cần gấp máu nhóm O+ và AB- – tìm điểm hiến gần bạn',
      href: '/nhu-cau-mau/nhom-o/',
    });
  });

  test('the JSON holds every group, in order, and stays small', () => {
    const json = needsJson(needsAt([entry('O+', 1, 0)], NOW, 3), NOW, 3);
    expect(json.groups.map((g) => g.group)).toEqual([...BLOOD_GROUPS]);
    expect(JSON.stringify(json).length).toBeLessThan(1500);
    expect(json.groups.some((g) => 'note' in g)).toBe(false);
  });

  test('the 30 days of the chart: the level each day ended with, blank where none was current', () => {
    const days = dailyLevels([entry('O+', 3, 20), entry('O+', 1, 2)], 'O+', NOW, 3);
    expect(days).toHaveLength(30);
    expect(days.slice(0, 9).every((d) => d === null)).toBe(true);
    expect(days[10]).toBe(3);
    // Set 20 days ago and stale after 3: blank until the next figure.
    expect(days[20]).toBeNull();
    expect(days.at(-1)).toBe(1);
    const path = chartPath(days, 150, 40);
    expect(path.match(/M/g)).toHaveLength(2);
    expect(chartPath(Array(30).fill(null), 150, 40)).toBe('');
  });
});

describe('the console form, hostile', () => {
  const hostile: [string, Record<string, string>, RegExp][] = [
    ['a level outside the scale', { 'level-O+': '5', source: 'BV' }, /phải là một trong/],
    ['a level that is not a number', { 'level-O+': 'rất thiếu', source: 'BV' }, /phải là một trong/],
    ['a level of zero', { 'level-O+': '0', source: 'BV' }, /phải là một trong/],
    ['a note with markup', { 'level-O+': '1', 'note-O+': '<script>alert(1)</script>', source: 'BV' }, /thẻ HTML/],
    ['a note with an entity', { 'level-O+': '1', 'note-O+': 'a &lt;b', source: 'BV' }, /thẻ HTML/],
    ['a source with markup', { 'level-O+': '1', source: '<b>BV</b>' }, /thẻ HTML/],
    ['a note too long', { 'level-O+': '1', 'note-O+': 'x'.repeat(201), source: 'BV' }, /dài quá 200/],
    ['no source', { 'level-O+': '1' }, /nguồn số liệu/],
    ['a group that does not exist', { 'level-C+': '1', source: 'BV' }, /Không có nhóm máu/],
    ['nothing chosen', { source: 'BV' }, /Chưa chọn mức nào/],
  ];
  test.each(hostile)('%s is refused in Vietnamese', (_, fields, message) => {
    const result = parseLevelForm(form(fields));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join(' ')).toMatch(message);
    expect(englishIn(result.errors.join(' '))).toEqual([]);
  });

  test('a right form gives every level with the one source', () => {
    const result = parseLevelForm(
      form({ 'level-O+': '1', 'level-AB-': '4', 'note-O+': 'Cần cho ca mổ', source: 'BV tỉnh' }),
    );
    expect(result).toEqual({
      ok: true,
      entries: [
        { group: 'O+', level: 1, note: 'Cần cho ca mổ', source: 'BV tỉnh' },
        { group: 'AB-', level: 4, note: null, source: 'BV tỉnh' },
      ],
    });
  });

  test('a bounded fuzz: any fields give either levels on the scale with plain text, or Vietnamese errors', () => {
    const name = fc.oneof(
      fc.constantFrom(...BLOOD_GROUPS.flatMap((g) => [`level-${g}`, `note-${g}`]), 'source'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 300 })), { maxLength: 12 }), (pairs) => {
        const data = new FormData();
        for (const [k, v] of pairs) data.append(k, v);
        const result = parseLevelForm(data);
        if (result.ok) {
          for (const e of result.entries) {
            expect([1, 2, 3, 4]).toContain(e.level);
            expect(`${e.note ?? ''}${e.source}`).not.toMatch(/[<>]/);
          }
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the channels an appeal goes by', () => {
  const candidate = {
    contact: 1,
    email: 'a@example.vn',
    push: null,
    webhook: false,
    stopToken: 'abcdefghijklmnopqrstuvwxyz0123456789',
    phone: '+84912345678',
    zalo: true,
    sms: true,
    lastGave: null,
    lastDonation: null,
    returnAfter: null,
    permanentlyDeferred: false,
  };
  const all = ['email', 'push', 'webhook', 'zalo', 'sms'] as const;

  test('each address, and one phone channel only: Zalo with its appeal template, else SMS', () => {
    expect(appealChannels(candidate, all, true)).toEqual(['email', 'zalo']);
    expect(appealChannels(candidate, all, false)).toEqual(['email', 'sms']);
    expect(appealChannels(candidate, ['email', 'sms'], true)).toEqual(['email', 'sms']);
    expect(appealChannels({ ...candidate, zalo: false }, all, true)).toEqual(['email', 'sms']);
    expect(appealChannels({ ...candidate, zalo: false, sms: false }, all, true)).toEqual(['email']);
    expect(appealChannels({ ...candidate, email: null }, ['email', 'push'], true)).toEqual([]);
  });

  test('the text names the group, ends with the short stop link and the hotline, and uses the appeal template', () => {
    const message = appealMessage('O+', undefined, 'https://hienmau.example', candidate.stopToken, '0290 3831 234');
    expect(message.template).toBe('appeal');
    expect(message.words.bloodGroup).toBe('O+');
    expect(message.textFacts.subject).toContain('O+');
    expect(new URL(message.textFacts.stopUrl).pathname.length).toBeLessThanOrEqual(30);
    expect(message.textFacts.hotline).toBe('0290 3831 234');
  });
});

describe('the store', () => {
  let folder: string;
  let signups: SignupStore;
  let needs: NeedsStore;
  let accounts: ConsoleStore;
  beforeEach(() => {
    folder = temporaryFolder('needs-');
    signups = new SignupStore(join(folder, 'signups.sqlite'));
    needs = new NeedsStore(signups.db);
    accounts = new ConsoleStore(signups.db);
    accounts.addUser({ username: 'admin', passwordHash: 'x', role: 'admin', drives: [] }, NOW);
    accounts.addUser({ username: 'staff', passwordHash: 'x', role: 'staff', drives: ['d'] }, NOW);
  });
  afterEach(() => {
    signups.close();
    removeFolder(folder);
  });

  test('the schema is at the version the migrations give', () => {
    expect(signups.db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
  });

  test('each change is kept with who, when, before and after; a replayed form changes nothing', () => {
    expect(needs.setLevels([{ group: 'O+', level: 3, note: null, source: 'BV' }], 'admin', 'key-aaaa1', NOW)).toBe(1);
    const later = new Date(NOW.getTime() + 60_000);
    expect(needs.setLevels([{ group: 'O+', level: 1, note: 'Gấp', source: 'BV' }], 'admin', 'key-bbbb2', later)).toBe(
      1,
    );
    expect(needs.setLevels([{ group: 'O+', level: 2, note: null, source: 'BV' }], 'admin', 'key-bbbb2', later)).toBe(
      'replayed',
    );
    expect(needs.latest()).toEqual([expect.objectContaining({ group: 'O+', level: 1, note: 'Gấp', setBy: 'admin' })]);
    const [last, first] = needs.audit();
    expect(first).toMatchObject({ actor: 'admin', group: 'O+', action: 'blood-level', before: null });
    expect(JSON.parse(last?.before ?? '{}')).toMatchObject({ level: 3 });
    expect(JSON.parse(last?.after ?? '{}')).toMatchObject({ level: 1, note: 'Gấp' });
    expect(last?.at).toBe(later.toISOString());
    expect(needs.history(new Date(NOW.getTime() - DAY))).toHaveLength(2);
  });

  test('staff without the right cannot set levels; with it they can; only admins grant', async () => {
    const staff = accounts.findUser('staff');
    const admin = accounts.findUser('admin');
    if (!staff || !admin) throw new Error('accounts');
    const post = () =>
      postLevels(
        staff,
        needs,
        form({ key: `k-${Math.random()}`.replace('.', ''), 'level-O+': '1', source: 'BV' }),
        NOW,
      );
    expect(await post()).toMatchObject({ status: 403, ok: false });
    expect(needs.latest()).toEqual([]);
    expect(await postRight(staff, needs, form({ intent: 'grant', username: 'staff' }), NOW)).toMatchObject({
      status: 403,
    });
    expect(await postRight(admin, needs, form({ intent: 'grant', username: 'staff' }), NOW)).toMatchObject({
      ok: true,
    });
    expect(maySetLevels(staff, needs)).toBe(true);
    expect(await post()).toMatchObject({ status: 200, ok: true });
    expect(await postRight(admin, needs, form({ intent: 'revoke', username: 'staff' }), NOW)).toMatchObject({
      ok: true,
    });
    expect(await post()).toMatchObject({ status: 403 });
    expect(await postRight(admin, needs, form({ intent: 'grant', username: 'nobody' }), NOW)).toMatchObject({
      status: 404,
    });
    expect(needs.audit().map((e) => e.action)).toEqual(['revoke', 'blood-level', 'grant']);
  });

  test('a replayed or keyless post is refused in Vietnamese', async () => {
    const admin = accounts.findUser('admin');
    if (!admin) throw new Error('accounts');
    const fields = { key: 'same-key-123', 'level-O+': '1', source: 'BV' };
    expect(await postLevels(admin, needs, form(fields), NOW)).toMatchObject({ status: 200 });
    const again = await postLevels(admin, needs, form(fields), NOW);
    expect(again).toMatchObject({ status: 409 });
    expect(englishIn(again.lines.join(' '))).toEqual([]);
    expect(await postLevels(admin, needs, form({ 'level-O+': '1', source: 'BV' }), NOW)).toMatchObject({ status: 400 });
  });

  const slot = '2026-12-12T07:00:00+07:00';
  function signUp(n: number, extra: Parameters<typeof person>[1], reminders = true) {
    return signups.takePlace({
      code: `CODE${String(n).padStart(6, '0')}`,
      drive: 'd',
      slot,
      slotEnd: '2026-12-12T08:00:00+07:00',
      capacity: 50,
      person: person(n, extra),
      now: NOW,
      reminders: reminders ? { email: `nguoi${n}@example.vn` } : undefined,
    });
  }

  test('an appeal reaches those of the group who agreed to reminders and may give by the day, once', () => {
    signUp(1, { bloodGroup: 'O+' });
    signUp(2, { bloodGroup: 'O+' }, false);
    signUp(3, { bloodGroup: 'A+' });
    signUp(4, { bloodGroup: 'O+', lastDonation: '2026-11-20' });
    signUp(5, { bloodGroup: 'O+', lastDonation: '2026-08-01' });
    signUp(6, {});
    const quiet = new Date(NOW.getTime() - 14 * DAY);
    const byDay = '2026-12-12';
    const reached = needs
      .candidates('O+', null, quiet)
      .filter((c) => mayGiveBy(c, byDay))
      .map((c) => c.email);
    expect(reached).toEqual(['nguoi1@example.vn', 'nguoi5@example.vn']);
    const { appeal, created } = needs.openAppeal('O+', 'appeal-key-1', 'admin', NOW);
    expect(created).toBe(true);
    expect(needs.openAppeal('O+', 'appeal-key-1', 'admin', NOW)).toMatchObject({
      created: false,
      appeal: { id: appeal.id },
    });
    const first = needs.candidates('O+', appeal.id, quiet);
    const claims = first.map((c) => ({ contact: c.contact, channel: 'email' }));
    expect(needs.claim(appeal.id, claims, NOW)).toHaveLength(first.length);
    expect(needs.claim(appeal.id, claims, NOW)).toEqual([]);
    for (const c of claims) needs.settle(appeal.id, c.contact, c.channel, true);
    expect(needs.appeals()[0]?.reached).toBe(first.length);
    // A second press (another appeal) finds nobody new within the quiet days.
    const second = needs.openAppeal('O+', 'appeal-key-2', 'admin', NOW).appeal;
    expect(needs.candidates('O+', second.id, quiet)).toEqual([]);
    // After them, the same people may be asked again.
    const muchLater = new Date(NOW.getTime() + 15 * DAY);
    expect(needs.candidates('O+', null, new Date(muchLater.getTime() - 14 * DAY))).toHaveLength(first.length);
  });

  test('a desk’s gift, return date and permanent deferral decide the day one may give again', () => {
    const base = {
      contact: 1,
      email: null,
      push: null,
      webhook: false,
      stopToken: 't',
      phone: null,
      zalo: false,
      sms: false,
      lastGave: null,
      lastDonation: null,
      returnAfter: null,
      permanentlyDeferred: false,
    };
    expect(earliestDay(base)).toBeNull();
    expect(earliestDay({ ...base, lastGave: '2026-10-01' })).toBe('2026-12-24');
    expect(earliestDay({ ...base, lastGave: '2026-08-01', returnAfter: '2027-01-05' })).toBe('2027-01-05');
    expect(mayGiveBy({ ...base, permanentlyDeferred: true }, '2030-01-01')).toBe(false);
  });

  test('the appeal says the group and leads to its page, in Vietnamese', () => {
    const text = appealText('O+', { slug: 'd', name: 'Ngày hội', address: 'Hội trường', start: new Date(slot) });
    expect(text.subject).toBe('Đang cần gấp máu nhóm O+');
    expect(text.path).toBe('/nhu-cau-mau/nhom-o/');
    expect(englishIn([text.subject, ...text.lines].join(' '))).toEqual([]);
  });

  test('the command line grants and revokes the right, in Vietnamese', async () => {
    signups.close();
    const db = join(folder, 'signups.sqlite');
    const lines: string[] = [];
    const cli = (...args: string[]) => runCommand(['user', ...args, '--db', db], (l) => lines.push(l), NOW);
    await cli('grant', 'staff', 'blood-levels');
    await expect(cli('grant', 'staff', 'ban-do')).rejects.toThrow(/Quyền có thể cấp: blood-levels/);
    await expect(cli('revoke', 'nobody', 'blood-levels')).rejects.toThrow(/không có tài khoản này/);
    signups = new SignupStore(db);
    needs = new NeedsStore(signups.db);
    expect(needs.holders('blood-levels')).toEqual(['staff']);
    await (async () => {
      signups.close();
      await cli('revoke', 'staff', 'blood-levels');
      signups = new SignupStore(db);
    })();
    expect(new NeedsStore(signups.db).holders('blood-levels')).toEqual([]);
    expect(lines[0]).toBe('staff: đã cấp quyền blood-levels');
    expect(englishIn(lines.join('\n'))).toEqual([]);
  });
});
