/**
 * The console's drive form (docs/editors.md, "A drive in the form"), its pure pieces:
 * the fields as typed, the drive they make (as a drive file holds it, for the build's own
 * schema to check), the file name proposed from the name and day, the slots, and what a change
 * does to the sign-ups already taken. Both the server (drive-console.ts) and the island
 * (drive-form-island.ts) use these, so this module holds nothing of Node nor of the schema's
 * library.
 */
import { driveSlots, DRIVE_STATUSES, type Slot } from '../drives/drives.ts';
import { formatTime, formatTimeRange, parseCalendarDate, UTC_OFFSET } from '../shared/dates.ts';
import { slugify } from '../shared/vietnamese.ts';
import { checkContentPath } from './content-path.ts';
import { DRIVE_WORDS } from './words.ts';

/** Every field as the person typed it: the form is redrawn with these, whatever was wrong. */
export interface DriveFormValues {
  name: string;
  organiser: string;
  address: string;
  commune: string;
  /** One former name per line. */
  oldNames: string;
  latitude: string;
  longitude: string;
  /** yyyy-mm-dd, from <input type=date>. */
  day: string;
  /** HH:MM, from <input type=time>. */
  startTime: string;
  endTime: string;
  slotMinutes: string;
  places: string;
  status: string;
  unitsTarget: string;
  unitsGiven: string;
  phone: string;
  notes: string;
  /** The file name without drives/ and .yaml: the drive's address on the site. */
  slug: string;
}

export type DriveField = keyof DriveFormValues;

/** The names the form posts (Vietnamese without marks, as the console's other forms). */
export const FORM_NAMES: Record<DriveField, string> = {
  name: 'ten',
  organiser: 'don-vi',
  address: 'dia-chi',
  commune: 'xa',
  oldNames: 'ten-cu',
  latitude: 'vi-do',
  longitude: 'kinh-do',
  day: 'ngay',
  startTime: 'bat-dau',
  endTime: 'ket-thuc',
  slotMinutes: 'phut',
  places: 'cho',
  status: 'trang-thai',
  unitsTarget: 'chi-tieu',
  unitsGiven: 'da-nhan',
  phone: 'dien-thoai',
  notes: 'ghi-chu',
  slug: 'ten-tep',
};

export const DRIVE_FIELDS = Object.keys(FORM_NAMES) as DriveField[];

/** Longest text a field takes: above the schema's own limits, below anything a body limit sees. */
export const FIELD_MAX_LENGTH: Record<DriveField, number> = {
  name: 200,
  organiser: 300,
  address: 300,
  commune: 120,
  oldNames: 1000,
  latitude: 30,
  longitude: 30,
  day: 10,
  startTime: 8,
  endTime: 8,
  slotMinutes: 6,
  places: 6,
  status: 20,
  unitsTarget: 8,
  unitsGiven: 8,
  phone: 30,
  notes: 1200,
  slug: 100,
};

/** Places per slot and the target stay where a drive can be: a typing slip of extra zeros is refused. */
export const MAX_PLACES = 1000;
export const MAX_UNITS = 100_000;

export type FieldErrors = Partial<Record<DriveField, string[]>>;

/** A new drive's form: the usual morning of half-hour slots. */
export function emptyDriveForm(): DriveFormValues {
  return {
    name: '',
    organiser: '',
    address: '',
    commune: '',
    oldNames: '',
    latitude: '',
    longitude: '',
    day: '',
    startTime: '07:00',
    endTime: '11:00',
    slotMinutes: '30',
    places: '10',
    status: 'scheduled',
    unitsTarget: '',
    unitsGiven: '',
    phone: '',
    notes: '',
    slug: '',
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** The form's fields from a post (anything missing or not text is empty). */
export function valuesFromForm(read: (name: string) => unknown): DriveFormValues {
  const values = emptyDriveForm();
  for (const field of DRIVE_FIELDS) values[field] = text(read(FORM_NAMES[field])).replace(/\r\n/g, '\n');
  return values;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;

/** The form's fields from a drive file as read (unknown shapes give empty fields, for the schema to name). */
export function valuesFromDrive(raw: unknown, slug: string): DriveFormValues {
  const data = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const slots =
    data['slots'] !== null && typeof data['slots'] === 'object' ? (data['slots'] as Record<string, unknown>) : {};
  const start = text(data['start']);
  const end = text(data['end']);
  return {
    name: text(data['name']),
    organiser: text(data['organiser']),
    address: text(data['address']),
    commune: text(data['commune']),
    oldNames: Array.isArray(data['oldNames']) ? data['oldNames'].map(text).join('\n') : '',
    latitude: text(data['latitude']),
    longitude: text(data['longitude']),
    day: start.slice(0, 10),
    startTime: start.slice(11, 16),
    endTime: end.slice(11, 16),
    slotMinutes: text(slots['minutes']),
    places: text(slots['places']),
    status: text(data['status']) || 'scheduled',
    unitsTarget: text(data['unitsTarget']),
    unitsGiven: text(data['unitsGiven']),
    phone: text(data['phone']),
    notes: text(data['notes']),
    slug,
  };
}

/** A typed number as a number (a decimal comma taken as a point); other text stays text, for the schema to refuse. */
function asNumber(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const dotted = trimmed.replace(',', '.');
  return /^-?\d{1,12}(?:\.\d{1,12})?$/.test(dotted) ? Number(dotted) : trimmed;
}

/** The day and time as a drive file writes them, or what was typed when it is not one. */
export function momentOf(day: string, time: string): string | undefined {
  if (day.trim() === '' && time.trim() === '') return undefined;
  const clock = TIME_OF_DAY.exec(time.trim());
  if (parseCalendarDate(day.trim()) && clock) return `${day.trim()}T${clock[1]}:${clock[2]}:00${UTC_OFFSET}`;
  return `${day.trim()}T${time.trim()}`;
}

/**
 * The drive as its file holds it, from the form, in the schema's order. Empty optional
 * fields are left out; what is not a number stays as typed, so the build's schema names it.
 */
export function driveFromForm(values: DriveFormValues): Record<string, unknown> {
  const drive: Record<string, unknown> = {
    name: values.name.trim(),
    organiser: values.organiser.trim(),
    address: values.address.trim(),
    commune: values.commune.trim(),
    oldNames: values.oldNames
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    latitude: asNumber(values.latitude),
    longitude: asNumber(values.longitude),
    start: momentOf(values.day, values.startTime),
    end: momentOf(values.day, values.endTime),
    slots: { minutes: asNumber(values.slotMinutes), places: asNumber(values.places) },
    status: values.status.trim(),
    unitsTarget: asNumber(values.unitsTarget),
    unitsGiven: asNumber(values.unitsGiven),
    phone: values.phone.trim(),
    notes: values.notes.trim() || undefined,
  };
  if ((drive['oldNames'] as string[]).length === 0) drive['oldNames'] = undefined;
  return Object.fromEntries(Object.entries(drive).filter(([, value]) => value !== undefined));
}

/** Checks the form makes before the build's schema: sizes, the day and times as pickers give them, sane numbers. */
export function formErrors(values: DriveFormValues): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: DriveField, message: string) => (errors[field] ??= []).push(message);
  for (const field of DRIVE_FIELDS) {
    if (values[field].length > FIELD_MAX_LENGTH[field])
      add(field, DRIVE_FORM_MESSAGES.tooLong(FIELD_MAX_LENGTH[field]));
  }
  if (!parseCalendarDate(values.day.trim())) add('day', DRIVE_FORM_MESSAGES.day);
  if (!TIME_OF_DAY.test(values.startTime.trim())) add('startTime', DRIVE_FORM_MESSAGES.time('bắt đầu'));
  if (!TIME_OF_DAY.test(values.endTime.trim())) add('endTime', DRIVE_FORM_MESSAGES.time('kết thúc'));
  const places = Number(values.places);
  if (Number.isFinite(places) && places > MAX_PLACES) add('places', DRIVE_FORM_MESSAGES.tooMany(MAX_PLACES));
  for (const field of ['unitsTarget', 'unitsGiven'] as const) {
    const units = Number(values[field]);
    if (Number.isFinite(units) && units > MAX_UNITS) add(field, DRIVE_FORM_MESSAGES.tooMany(MAX_UNITS));
  }
  if (values.status && !(DRIVE_STATUSES as readonly string[]).includes(values.status)) {
    add('status', DRIVE_FORM_MESSAGES.status);
  }
  const slug = checkContentPath(`drives/${values.slug}.yaml`);
  if (!slug.ok) add('slug', DRIVE_FORM_MESSAGES.slug);
  return errors;
}

/** The form's own messages (the schema's are in src/drives/drive-schema.ts). */
export const DRIVE_FORM_MESSAGES = {
  tooLong: (max: number) => `Dài quá: tối đa ${max} ký tự.`,
  tooMany: (max: number) => `Số này quá lớn: tối đa ${max.toLocaleString('vi-VN')}.`,
  day: 'Chọn ngày của buổi hiến máu (ngày/tháng/năm).',
  time: (which: string) => `Chọn giờ ${which} (giờ:phút, ví dụ 07:00).`,
  status: 'Chọn một trạng thái trong danh sách.',
  slug: 'Tên tệp chỉ gồm chữ thường không dấu, chữ số và gạch nối (ví dụ hien-mau-phuong-9-05-12-2026), tối đa 100 ký tự.',
} as const;

/** Keeps whole words of a slug within `max` characters. */
function cut(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cutAt = slug.lastIndexOf('-', max);
  return (cutAt > 0 ? slug.slice(0, cutAt) : slug.slice(0, max)).replace(/-+$/, '');
}

/**
 * The file name proposed for a new drive: its name without diacritics and its day,
 * "Hiến máu phường 9" on 2026-12-05 → "hien-mau-phuong-9-05-12-2026" (the day as Vietnamese
 * write it, as the shipped drives are named). Empty when nothing usable was typed.
 */
export function proposeDriveSlug(name: string, day: string): string {
  const date = parseCalendarDate(day.trim());
  const suffix = date ? `-${date.slice(8, 10)}-${date.slice(5, 7)}-${date.slice(0, 4)}` : '';
  const stem = cut(slugify(name), 100 - suffix.length);
  const slug = (stem ? stem + suffix : suffix.slice(1)).replace(/^-+/, '');
  return checkContentPath(`drives/${slug}.yaml`).ok ? slug : '';
}

export interface SlotShape {
  start: Date;
  end: Date;
  minutes: number;
  places: number;
  /** As typed: the schema refuses one that is not a DriveStatus. */
  status: string;
}

/** The drive's times and slots from the form, when the day, times and numbers are all there. */
export function slotShapeOf(
  values: Pick<DriveFormValues, 'day' | 'startTime' | 'endTime' | 'slotMinutes' | 'places' | 'status'>,
): SlotShape | undefined {
  const start = momentOf(values.day, values.startTime);
  const end = momentOf(values.day, values.endTime);
  const minutes = Number(values.slotMinutes);
  const places = Number(values.places);
  if (!start?.endsWith(UTC_OFFSET) || !end?.endsWith(UTC_OFFSET)) return undefined;
  if (!Number.isInteger(minutes) || minutes < 10 || !Number.isInteger(places) || places < 0) return undefined;
  return { start: new Date(start), end: new Date(end), minutes, places, status: values.status };
}

/** The slots a shape gives (none when the times are backwards), at most a day's worth. */
export function slotsOf(shape: SlotShape | undefined): Slot[] {
  if (!shape || shape.end <= shape.start || shape.end.getTime() - shape.start.getTime() > 24 * 3_600_000) return [];
  return driveSlots({ start: shape.start, end: shape.end, slots: { minutes: shape.minutes, places: shape.places } });
}

/** Sign-ups taken, by slot id ("2026-12-05T07:30:00+07:00"). */
export type TakenBySlot = Record<string, number>;

export interface ChangeImpact {
  /** Sign-ups on the drive now. */
  total: number;
  /** Slots with sign-ups that the new times or slot length no longer have. */
  gone: { slot: string; count: number }[];
  goneCount: number;
  /** Slots kept whose new places are fewer than their sign-ups: how many are over. */
  over: { slot: string; count: number }[];
  overCount: number;
  /** The change calls the drive off. */
  cancelling: boolean;
}

/** What saving `after` does to the sign-ups already taken (`before` is the drive as its file says now). */
export function changeImpact(
  before: Pick<SlotShape, 'status'> | undefined,
  after: SlotShape | undefined,
  taken: TakenBySlot,
): ChangeImpact {
  const total = Object.values(taken).reduce((sum, count) => sum + count, 0);
  const kept = new Map(slotsOf(after).map((slot) => [slot.id, slot]));
  const gone: ChangeImpact['gone'] = [];
  const over: ChangeImpact['over'] = [];
  for (const [slot, count] of Object.entries(taken).sort(([a], [b]) => a.localeCompare(b))) {
    if (count <= 0 || !after) continue;
    const now = kept.get(slot);
    if (!now) gone.push({ slot, count });
    else if (count > now.places) over.push({ slot, count: count - now.places });
  }
  const sum = (list: { count: number }[]) => list.reduce((s, item) => s + item.count, 0);
  return {
    total,
    gone,
    goneCount: sum(gone),
    over,
    overCount: sum(over),
    cancelling: after?.status === 'cancelled' && before !== undefined && before.status !== 'cancelled',
  };
}

/** The slots as the form lists them: "07:00–07:30: 10 chỗ (3 đã đăng ký)", and the line above them. */
export function slotLines(
  slots: readonly Slot[],
  taken: TakenBySlot,
  fits = true,
): { summary: string; lines: string[] } {
  // Slots of a length that does not divide the drive would list a last one cut short: none are listed.
  if (!fits) return { summary: DRIVE_WORDS.slotsDoNotFit, lines: [] };
  if (slots.length === 0) return { summary: DRIVE_WORDS.slotsNone, lines: [] };
  const places = slots.reduce((sum, slot) => sum + slot.places, 0);
  return {
    summary: DRIVE_WORDS.slotsCount(slots.length, places),
    lines: slots.map((slot) => {
      const count = taken[slot.id] ?? 0;
      return `${formatTimeRange(slot.start, slot.end)}: ${slot.places} chỗ${count ? ` (${count} đã đăng ký)` : ''}`;
    }),
  };
}

const slotTimes = (list: { slot: string }[]) => list.map((item) => formatTime(new Date(item.slot))).join(', ');

/** What a change does to the sign-ups, in words (none when the drive has none). */
export function impactLines(impact: ChangeImpact): string[] {
  if (impact.total === 0) return [];
  const lines = [DRIVE_WORDS.signupsNow(impact.total)];
  if (impact.goneCount) lines.push(DRIVE_WORDS.slotsGone(impact.goneCount, slotTimes(impact.gone)));
  if (impact.overCount) lines.push(DRIVE_WORDS.slotsOver(impact.overCount, slotTimes(impact.over)));
  if (!impact.goneCount && !impact.overCount && !impact.cancelling) lines.push(DRIVE_WORDS.noImpact);
  return lines;
}
