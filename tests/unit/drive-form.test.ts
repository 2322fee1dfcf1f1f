/**
 * The console's drive form (src/editor/drive-form.ts, drive-console.ts, drive-signups.ts):
 * the file name proposed, the form made into a drive file the build's schema reads, each
 * message beside its field, what a change does to the sign-ups taken, and a cancellation
 * saved from the form that the reminders' planner then tells the people signed up of.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCommand } from '../../src/cli/main.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { driveSchema } from '../../src/drives/drive-schema.ts';
import { ContentAudit } from '../../src/editor/content-audit.ts';
import { ContentRepo } from '../../src/editor/content-repo.ts';
import {
  checkDriveForm,
  driveYaml,
  openDriveForm,
  postDriveForm,
  schemaErrors,
} from '../../src/editor/drive-console.ts';
import {
  changeImpact,
  driveFromForm,
  emptyDriveForm,
  FORM_NAMES,
  proposeDriveSlug,
  slotShapeOf,
  slotsOf,
  valuesFromDrive,
  type DriveFormValues,
} from '../../src/editor/drive-form.ts';
import { DriveSignups } from '../../src/editor/drive-signups.ts';
import { resetEditorLimits } from '../../src/editor/editor-console.ts';
import { catalogOf } from '../../src/reminders/catalog.ts';
import { planCancelledDrives } from '../../src/reminders/planner.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { parseContentYaml } from '../../src/shared/safe-yaml.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { person, removeFolder, temporaryFolder } from './helpers.ts';

const filled = (extra: Partial<DriveFormValues> = {}): DriveFormValues => ({
  ...emptyDriveForm(),
  name: 'Ngày hội hiến máu phường Tân Thành',
  organiser: 'Hội Chữ thập đỏ phường Tân Thành',
  address: 'Nhà văn hóa khóm 3, đường Ngô Quyền, phường Tân Thành',
  commune: 'Phường Tân Thành',
  oldNames: 'phường 6\nxã Tân Thành\n',
  latitude: '9,1769',
  longitude: '105.1524',
  day: '2026-12-12',
  startTime: '07:00',
  endTime: '11:00',
  slotMinutes: '30',
  places: '10',
  status: 'scheduled',
  unitsTarget: '120',
  phone: '0290 3831 000',
  notes: 'Mang theo căn cước công dân.',
  slug: 'ngay-hoi-tan-thanh-12-12-2026',
  ...extra,
});

describe('the file name proposed from the name and day', () => {
  test.each([
    ['Hiến máu phường 9', '2026-12-05', 'hien-mau-phuong-9-05-12-2026'],
    ['Ngày hội Đất Mũi – Đồn Biên phòng', '2027-01-20', 'ngay-hoi-dat-mui-don-bien-phong-20-01-2027'],
    ['  ', '2026-12-05', '05-12-2026'],
    ['Hiến máu phường 9', '', 'hien-mau-phuong-9'],
    ['Hiến máu phường 9', '2026-02-30', 'hien-mau-phuong-9'],
    ['CON', '', ''],
    ['Тест кириллица', '', ''],
    ['', '', ''],
  ])('%j on %j → %j', (name, day, slug) => {
    expect(proposeDriveSlug(name, day)).toBe(slug);
  });

  test('a long name is cut at a word, the day kept, within 100 characters', () => {
    const slug = proposeDriveSlug('Hiến máu tình nguyện '.repeat(12), '2026-12-05');
    expect(slug.length).toBeLessThanOrEqual(100);
    expect(slug).toMatch(/^hien-mau-tinh-nguyen-.*[a-z]-05-12-2026$/);
  });
});

describe('the form as a drive file', () => {
  test('the build reads the file the form writes, with +07:00, as the form said', () => {
    const values = filled();
    const drive = driveFromForm(values);
    const text = driveYaml(drive);
    expect(text).toContain('start: 2026-12-12T07:00:00+07:00');
    expect(text).toContain('end: 2026-12-12T11:00:00+07:00');
    const read = parseContentYaml(text, 'drives/x.yaml');
    expect(read).toEqual(drive);
    const parsed = driveSchema.parse(read);
    expect(parsed.latitude).toBe(9.1769);
    expect(parsed.oldNames).toEqual(['phường 6', 'xã Tân Thành']);
    expect(driveSlots(parsed)).toHaveLength(8);
    // And the form opens it again as it was typed (the comma of 9,1769 as a point).
    expect(valuesFromDrive(read, values.slug)).toEqual({
      ...values,
      latitude: '9.1769',
      oldNames: 'phường 6\nxã Tân Thành',
    });
  });

  test('a phone of digits only stays text, and a name like a number or a date stays a string', () => {
    const drive = driveFromForm(filled({ phone: '0912345678', name: '2026-12-12', notes: 'yes' }));
    const read = parseContentYaml(driveYaml(drive), 'x') as Record<string, unknown>;
    expect(read['phone']).toBe('0912345678');
    expect(read['name']).toBe('2026-12-12');
    expect(read['notes']).toBe('yes');
  });

  test('saved over a file, its comments, order and untouched values stay as written', () => {
    const before = [
      '# DỮ LIỆU MẪU: đợt hiến máu giả định.',
      driveYaml(driveFromForm(filled())).replace(/^notes: .*$/m, 'notes: >-\n  Mang theo căn cước\n  công dân.'),
    ].join('\n');
    const read = parseContentYaml(before, 'x') as Record<string, unknown>;
    const changed: Record<string, unknown> = {
      ...read,
      phone: '0912345678',
      slots: { minutes: 60, places: 12 },
      unitsTarget: 90,
    };
    delete changed['oldNames'];
    const after = driveYaml(changed, before);
    expect(after.startsWith('# DỮ LIỆU MẪU: đợt hiến máu giả định.\n')).toBe(true);
    expect(after).toMatch(/^notes: >-\n {2}Mang theo căn cước/m);
    expect(after).not.toContain('oldNames');
    expect(parseContentYaml(after, 'x')).toEqual(changed);
    expect(Object.keys(parseContentYaml(after, 'x') as object)).toEqual(Object.keys(changed));
  });

  test('empty optional fields are left out of the file', () => {
    const drive = driveFromForm(filled({ oldNames: '', notes: '  ', unitsGiven: '' }));
    expect(Object.keys(drive)).not.toContain('oldNames');
    expect(Object.keys(drive)).not.toContain('notes');
    expect(Object.keys(drive)).not.toContain('unitsGiven');
  });
});

describe('each message beside its field', () => {
  test('a slot length that does not fit gets the build’s Vietnamese message, beside the slot length', () => {
    const { errors } = checkDriveForm(filled({ slotMinutes: '45' }));
    expect(Object.keys(errors)).toEqual(['slotMinutes']);
    expect(errors.slotMinutes?.[0]).toContain('phải chia đều thời gian của buổi');
    expect(errors.slotMinutes?.[0]).toContain('thử 10, 15, 20, 30, 40, 60, 120, 240');
  });

  test.each<[Partial<DriveFormValues>, keyof DriveFormValues, string]>([
    [{ name: 'Ngắn' }, 'name', 'ít nhất 10 ký tự'],
    [{ latitude: '21.5', longitude: '95' }, 'latitude', 'nằm ngoài Việt Nam'],
    [{ latitude: 'chín độ' }, 'latitude', 'vĩ độ'],
    [{ endTime: '06:00' }, 'endTime', 'phải sau start'],
    [{ day: '' }, 'day', 'Chọn ngày'],
    [{ startTime: '7h' }, 'startTime', 'Chọn giờ bắt đầu'],
    [{ places: '0' }, 'places', 'ít nhất là 1'],
    [{ places: '999999' }, 'places', 'quá lớn'],
    [{ places: '2.5' }, 'places', 'số nguyên'],
    [{ status: 'maybe' }, 'status', 'trạng thái'],
    [{ status: 'finished' }, 'unitsGiven', 'bắt buộc khi status là finished'],
    [{ phone: '123' }, 'phone', 'số điện thoại Việt Nam'],
    [{ notes: 'x'.repeat(700) }, 'notes', 'tối đa 600 ký tự'],
    [{ organiser: 'x'.repeat(5000) }, 'organiser', 'Dài quá'],
    [{ slug: '../../etc' }, 'slug', 'Tên tệp chỉ gồm'],
    [{ slug: 'nul' }, 'slug', 'Tên tệp chỉ gồm'],
  ])('%j → %s', (change, field, words) => {
    const { errors } = checkDriveForm(filled(change));
    expect(errors[field]?.join(' ')).toContain(words);
  });

  test('schema issues of a file’s every field map to a form field', () => {
    const errors = schemaErrors({});
    expect(Object.keys(errors).sort()).toEqual(
      [
        'address',
        'commune',
        'endTime',
        'latitude',
        'longitude',
        'name',
        'organiser',
        'phone',
        'slotMinutes',
        'startTime',
        'status',
        'unitsTarget',
      ].sort(),
    );
  });
});

describe('what a change does to the sign-ups taken', () => {
  const taken = { '2026-12-12T07:00:00+07:00': 3, '2026-12-12T07:30:00+07:00': 10, '2026-12-12T10:30:00+07:00': 2 };
  const shape = (extra: Partial<DriveFormValues>) => slotShapeOf(filled(extra));

  test('the same times: nothing touched', () => {
    expect(changeImpact({ status: 'scheduled' }, shape({}), taken)).toMatchObject({
      total: 15,
      goneCount: 0,
      overCount: 0,
      cancelling: false,
    });
  });

  test('an hour-long slot: the half-hour slots with sign-ups are gone', () => {
    const impact = changeImpact({ status: 'scheduled' }, shape({ slotMinutes: '60' }), taken);
    expect(impact.gone).toEqual([
      { slot: '2026-12-12T07:30:00+07:00', count: 10 },
      { slot: '2026-12-12T10:30:00+07:00', count: 2 },
    ]);
    expect(impact.goneCount).toBe(12);
  });

  test('ending at 10:00 and four places a slot: two gone, six over', () => {
    const impact = changeImpact({ status: 'scheduled' }, shape({ endTime: '10:00', places: '4' }), taken);
    expect(impact.goneCount).toBe(2);
    expect(impact.over).toEqual([{ slot: '2026-12-12T07:30:00+07:00', count: 6 }]);
  });

  test('cancelling is a change only from a drive not cancelled yet', () => {
    expect(changeImpact({ status: 'scheduled' }, shape({ status: 'cancelled' }), taken).cancelling).toBe(true);
    expect(changeImpact({ status: 'cancelled' }, shape({ status: 'cancelled' }), taken).cancelling).toBe(false);
    expect(changeImpact(undefined, shape({ status: 'cancelled' }), {}).cancelling).toBe(false);
  });

  test('times that do not make a drive give no slots and touch nothing', () => {
    expect(slotsOf(shape({ day: '' }))).toEqual([]);
    expect(slotsOf(shape({ endTime: '06:00' }))).toEqual([]);
    expect(changeImpact({ status: 'scheduled' }, shape({ day: '' }), taken).goneCount).toBe(0);
  });
});

describe('posts to the form: save, sign-ups, cancelling, and the planner', () => {
  let folder: string;
  let store: SignupStore;
  let repo: ContentRepo;
  const editor = { username: 'bientap', role: 'editor' as const, drives: [] };
  const NOW = new Date('2026-11-26T10:00:00+07:00');
  const deps = () => ({ repo, audit: new ContentAudit(store.db), signups: new DriveSignups(store.db), now: NOW });
  const formOf = (values: DriveFormValues, extra: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [field, name] of Object.entries(FORM_NAMES)) form.set(name, values[field as keyof DriveFormValues]);
    for (const [name, value] of Object.entries(extra)) form.set(name, value);
    return form;
  };

  beforeEach(async () => {
    resetEditorLimits();
    folder = temporaryFolder('drive-form-');
    store = new SignupStore(join(folder, 'signups.sqlite'));
    repo = await ContentRepo.open(join(folder, 'noi-dung'));
  });
  afterEach(() => {
    store.close();
    removeFolder(folder);
  });

  test('a new drive is saved as a commit by the editor; the same post again is refused, nothing changed', async () => {
    const values = filled({ slug: '' });
    const saved = await postDriveForm(editor, formOf(values), deps());
    expect(saved.status).toBe(200);
    expect(saved.path).toBe('drives/ngay-hoi-hien-mau-phuong-tan-thanh-12-12-2026.yaml');
    expect((await repo.history(saved.path ?? ''))[0]?.author).toBe('bientap');
    const again = await postDriveForm(editor, formOf(values), deps());
    expect(again.status).toBe(422);
    expect(again.errors.slug?.[0]).toContain('đã có');
    expect(await repo.history(saved.path ?? '')).toHaveLength(1);
  });

  test('a wrong slot length: nothing saved, the typed values back with the message', async () => {
    const state = await postDriveForm(editor, formOf(filled({ slotMinutes: '45' })), deps());
    expect(state.status).toBe(422);
    expect(state.values.slotMinutes).toBe('45');
    expect(state.values.name).toBe(filled().name);
    expect(state.errors.slotMinutes?.[0]).toContain('chia đều');
    expect(await repo.read('drives/ngay-hoi-tan-thanh-12-12-2026.yaml')).toBeUndefined();
  });

  test('staff may not; a path that is not a drive is refused', async () => {
    const staff = { username: 'nv', role: 'staff' as const, drives: [] };
    expect((await postDriveForm(staff, formOf(filled()), deps())).status).toBe(403);
    expect((await openDriveForm(staff, null, deps())).status).toBe(403);
    expect((await openDriveForm(editor, 'news/a.mdx', deps())).status).toBe(422);
    expect((await openDriveForm(editor, '../x.yaml', deps())).status).toBe(422);
    expect((await openDriveForm(editor, 'drives/khong-co.yaml', deps())).status).toBe(404);
  });

  test('with sign-ups: no renaming, the impact counted, cancelling asks once more, then the planner tells them', async () => {
    const values = filled();
    const created = await postDriveForm(editor, formOf(values), deps());
    const slug = values.slug;
    const slots = driveSlots(driveSchema.parse(driveFromForm(values)));
    for (let n = 1; n <= 3; n++) {
      const slot = slots[n === 3 ? 1 : 0];
      store.takePlace({
        code: `CODE${String(n).padStart(6, '0')}`,
        drive: slug,
        slot: slot?.id ?? '',
        slotEnd: toIsoWithOffset(slot?.end ?? NOW),
        capacity: 10,
        person: person(n),
        now: NOW,
        reminders: n === 3 ? undefined : { email: `n${n}@example.vn` },
      });
    }
    const opened = await openDriveForm(editor, `drives/${slug}.yaml`, deps());
    expect(opened.taken).toEqual({ [slots[0]?.id ?? '']: 2, [slots[1]?.id ?? '']: 1 });
    const base = created.base ?? '';

    const renamed = await postDriveForm(
      editor,
      formOf({ ...values, slug: 'ten-moi' }, { tep: `drives/${slug}.yaml`, goc: base }),
      deps(),
    );
    expect(renamed.status).toBe(422);
    expect(renamed.errors.slug?.[0]).toContain('đã có 3 người đăng ký');

    const hourly = await postDriveForm(
      editor,
      formOf({ ...values, slotMinutes: '60', places: '1' }, { tep: `drives/${slug}.yaml`, goc: '' }),
      deps(),
    );
    expect(hourly.impact).toMatchObject({ goneCount: 1, overCount: 1 });
    // A change that strands sign-ups asks once more before anything is saved…
    const stranding = await postDriveForm(
      editor,
      formOf({ ...values, slotMinutes: '60', places: '1' }, { tep: `drives/${slug}.yaml`, goc: base }),
      deps(),
    );
    expect(stranding.status).toBe(200);
    expect(stranding.confirmSlots).toBe(2);
    expect((await repo.read(`drives/${slug}.yaml`))?.version).toBe(base);
    // …and, confirmed, goes on to the save (here from a stale version, so told of the conflict).
    const strandingConfirmed = await postDriveForm(
      editor,
      formOf(
        { ...values, slotMinutes: '60', places: '1' },
        { tep: `drives/${slug}.yaml`, goc: '', 'xac-nhan': 'doi-luot' },
      ),
      deps(),
    );
    expect(strandingConfirmed.confirmSlots).toBeUndefined();
    expect(strandingConfirmed.status).toBe(409);

    const cancel = { ...values, status: 'cancelled' };
    const asked = await postDriveForm(editor, formOf(cancel, { tep: `drives/${slug}.yaml`, goc: base }), deps());
    expect(asked.status).toBe(200);
    expect(asked.confirmCancel).toBe(2);
    expect((await repo.read(`drives/${slug}.yaml`))?.version).toBe(base);

    const confirmed = await postDriveForm(
      editor,
      formOf(cancel, { tep: `drives/${slug}.yaml`, goc: base, 'xac-nhan': 'huy' }),
      deps(),
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.notice?.lines[0]).toContain('Đã lưu');
    // The same confirmed post again started from the old version: told, nothing saved.
    const replayed = await postDriveForm(
      editor,
      formOf(cancel, { tep: `drives/${slug}.yaml`, goc: base, 'xac-nhan': 'huy' }),
      deps(),
    );
    expect(replayed.status).toBe(409);
    expect(replayed.values.status).toBe('cancelled');

    // Published, the build's schedule says cancelled: the planner tells the two with reminders.
    const file = driveSchema.parse(parseContentYaml((await repo.read(`drives/${slug}.yaml`))?.text ?? '', 'x'));
    expect(file.status).toBe('cancelled');
    const schedule = [
      {
        slug,
        status: file.status,
        slots: driveSlots(file).map((s) => ({ id: s.id, end: toIsoWithOffset(s.end), places: s.places })),
        name: file.name,
        start: toIsoWithOffset(file.start),
        end: toIsoWithOffset(file.end),
      },
    ];
    expect(planCancelledDrives(store.db, catalogOf(schedule), NOW)).toBe(2);
    const told = new ReminderStore(store.db).counts().filter((row) => row.kind === 'cancelled');
    expect(told.reduce((sum, row) => sum + row.count, 0)).toBe(2);
  });
});

describe('npm run signups -- content dot: the drive form on the command line', () => {
  let folder: string;
  let saved: NodeJS.ProcessEnv;
  let lines: string[];
  const db = () => join(folder, 'signups.sqlite');
  const cli = (...args: string[]) => runCommand([...args, '--db', db()], (line) => lines.push(line), new Date());
  const file = (values: DriveFormValues) => {
    const path = join(folder, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, driveYaml(driveFromForm(values)));
    return path;
  };

  beforeEach(() => {
    resetEditorLimits();
    saved = { ...process.env };
    folder = temporaryFolder('drive-cli-');
    mkdirSync(join(folder, 'seed'));
    process.env['CONTENT_REPO'] = join(folder, 'noi-dung');
    process.env['CONTENT_DIR'] = join(folder, 'seed');
    lines = [];
  });
  afterEach(() => {
    process.env = saved;
    removeFolder(folder);
  });

  test('checked as the form checks, each message named by its field; saved; a cancellation needs --xac-nhan-huy', async () => {
    const path = 'drives/ngay-hoi-tan-thanh.yaml';
    await expect(cli('content', 'dot', path, '--file', file(filled({ slotMinutes: '45' })))).rejects.toThrow(
      /phut: slots\.minutes \(45 phút mỗi lượt\) phải chia đều/,
    );
    await cli('content', 'dot', path, '--file', file(filled()));
    expect(lines.join('\n')).toContain(`Đã lưu ${path}`);
    const store = new SignupStore(db());
    const slot = driveSlots(driveSchema.parse(driveFromForm(filled())))[0];
    store.takePlace({
      code: 'CODE000001',
      drive: 'ngay-hoi-tan-thanh',
      slot: slot?.id ?? '',
      slotEnd: toIsoWithOffset(slot?.end ?? new Date()),
      capacity: 10,
      person: person(1),
      now: new Date('2026-11-26T10:00:00+07:00'),
      reminders: { email: 'n1@example.vn' },
    });
    store.close();
    const cancel = file(filled({ status: 'cancelled' }));
    await expect(cli('content', 'dot', path, '--file', cancel)).rejects.toThrow(
      /1 người sẽ nhận tin báo.*--xac-nhan-huy/s,
    );
    lines = [];
    await cli('content', 'dot', path, '--file', cancel, '--xac-nhan-huy');
    expect(lines.join('\n')).toMatch(/Đợt này đang có 1 người đăng ký\.[\s\S]*Đã lưu drives\/ngay-hoi-tan-thanh\.yaml/);
    await expect(cli('content', 'dot', 'news/a.mdx', '--file', cancel)).rejects.toThrow(/chỉ sửa tệp đợt hiến máu/);
    await expect(cli('content', 'dot', path)).rejects.toThrow(/cần --file/);
  });
});
