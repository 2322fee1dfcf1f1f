/**
 * What a unit's list would store, row by row, before anything is stored: each row checked
 * by the public form's own schema (src/signup/schema.ts: the name, a mobile number, under 18,
 * a weight too low, a donation too recent), then against the list and the unit's places (a
 * phone twice, a person already on the unit's list, a slot the drive does not have or the
 * unit has no place left in, more rows than places). Every problem is said in Vietnamese,
 * by row; the rows without one are what "Lưu" stores.
 */
import { fieldErrors } from '../signup/form-fields.ts';
import { signupSchema, type DriveOption } from '../signup/schema.ts';
import { nameKey, type Person } from '../signup/store.ts';
import { formatTime } from '../shared/dates.ts';
import { FIELD_LABELS, type ListRow, type MemberField } from './rows.ts';

export interface PreviewRow {
  line: number;
  cells: ListRow['cells'];
  problems: string[];
  /** The person to store, when the row has no problem. */
  person?: Person | undefined;
  email?: string | undefined;
  /** The slot the row asked for (its id), if it named one. */
  slot?: string | undefined;
  /** Valid, but past the unit's places: its one problem is that it does not fit. */
  noRoom: boolean;
}

export interface Preview {
  rows: PreviewRow[];
  /** Rows that will be stored. */
  valid: number;
  /** Valid rows past the unit's places. */
  noRoom: number;
  /** The unit's places left to fill, by slot id. */
  room: Map<string, number>;
}

export interface PreviewContext {
  drive: DriveOption;
  /** The unit's places left, by slot id (open reservations less their members). */
  room: ReadonlyMap<string, number>;
  /** People already on the unit's list for this drive: phone and name. */
  members: readonly { phone: string; fullName: string }[];
  now: Date;
}

const FIELD_WORD: Record<string, string> = { ...FIELD_LABELS, drive: 'Đợt', consent: 'Đồng ý' };

/** "07:30", "7h30", "7:30", or the slot's id → the slot's id; undefined if none matches. */
export function slotOf(drive: DriveOption, typed: string): string | undefined {
  const t = typed.trim().toLowerCase().replace('h', ':');
  const hm = /^(\d{1,2})(?::(\d{2}))?$/.exec(t.replace(/:$/, ''));
  const wanted = hm ? `${(hm[1] ?? '').padStart(2, '0')}:${hm[2] ?? '00'}` : undefined;
  return drive.slots.find(
    (s) => s.id === typed.trim() || (wanted !== undefined && formatTime(new Date(s.id)) === wanted),
  )?.id;
}

/**
 * One schema for the whole list (building it is the costly part), with no reminder channel:
 * the e-mail's own check still runs, and consent is the focal person's, given once for the list.
 */
function schemaFor(context: PreviewContext) {
  return signupSchema({
    findDrive: (slug) => (slug === context.drive.slug ? context.drive : undefined),
    now: () => context.now,
    channels: () => [],
  });
}

export async function previewList(rows: readonly ListRow[], context: PreviewContext): Promise<Preview> {
  const schema = schemaFor(context);
  const room = new Map(context.room);
  const firstSlot = context.drive.slots[0]?.id ?? '';
  const seenPhones = new Map<string, number>();
  const known = new Set(context.members.map((m) => `${m.phone}|${nameKey(m.fullName)}`));
  const out: PreviewRow[] = [];
  for (const [index, row] of rows.entries()) {
    // A long list is checked in turns of 50 rows, so the server answers others between them
    // (the drive's places left during a unit's 500-row preview: docs/benchmarks.md).
    if (index > 0 && index % 50 === 0) await new Promise((done) => setImmediate(done));
    const problems: string[] = [];
    if (row.formulas.length > 0) {
      problems.push(
        `Ô ${row.formulas.map((f) => `"${FIELD_LABELS[f]}"`).join(', ')} là công thức (bắt đầu bằng = + - @): hãy ghi giá trị, không ghi công thức.`,
      );
    }
    let slot: string | undefined;
    const typedSlot = row.values.slot ?? '';
    if (typedSlot !== '') {
      slot = slotOf(context.drive, typedSlot);
      if (!slot) problems.push(`Ca "${typedSlot}" không có trong đợt này.`);
    }
    const values: Record<string, string> = { drive: context.drive.slug, slot: slot ?? firstSlot, consent: 'yes' };
    for (const [field, value] of Object.entries(row.values) as [MemberField, string][]) {
      if (field === 'slot' || value === '') continue;
      values[field] = value;
    }
    if (values['sex']?.startsWith('?')) {
      problems.push(`Giới tính "${values['sex'].slice(1)}" không rõ: ghi Nam hoặc Nữ.`);
      delete values['sex'];
    }
    const parsed = await schema.safeParseAsync(values);
    if (!parsed.success) {
      for (const [field, message] of Object.entries(fieldErrors(parsed.error.issues))) {
        if (field === 'sex' && problems.some((p) => p.startsWith('Giới tính'))) continue;
        problems.push(field in FIELD_WORD ? `${FIELD_WORD[field]}: ${message}` : message);
      }
    }
    const person: Person | undefined = parsed.success
      ? {
          fullName: parsed.data.fullName,
          phone: parsed.data.phone,
          birthYear: parsed.data.birthYear,
          sex: parsed.data.sex,
          weightKg: parsed.data.weightKg,
          lastDonation: parsed.data.lastDonation,
          bloodGroup: parsed.data.bloodGroup,
        }
      : undefined;
    if (person) {
      const twice = seenPhones.get(person.phone);
      if (twice !== undefined) problems.push(`Số điện thoại trùng với dòng ${twice}.`);
      else seenPhones.set(person.phone, row.line);
      if (known.has(`${person.phone}|${nameKey(person.fullName)}`))
        problems.push('Người này đã có trong danh sách của đơn vị cho đợt này.');
    }
    let noRoom = false;
    if (problems.length === 0 && person) {
      // The slot asked for, or the one with the most of the unit's places left.
      let target = slot;
      if (target === undefined) {
        for (const [id, left] of room)
          if (left > 0 && (target === undefined || left > (room.get(target) ?? 0))) target = id;
      }
      const left = target === undefined ? 0 : (room.get(target) ?? 0);
      if (left <= 0) {
        noRoom = true;
        const total = [...room.values()].reduce((sum, n) => sum + Math.max(0, n), 0);
        problems.push(
          slot !== undefined && total > 0
            ? `Ca ${formatTime(new Date(slot))} đã hết chỗ giữ cho đơn vị: để trống cột Ca, hoặc chọn ca khác.`
            : 'Không còn chỗ giữ cho đơn vị: dòng này không lưu được (hãy nhờ Hội Chữ thập đỏ giữ thêm chỗ).',
        );
      } else if (target !== undefined) {
        room.set(target, left - 1);
      }
    }
    out.push({
      line: row.line,
      cells: row.cells,
      problems,
      person: problems.length === 0 ? person : undefined,
      email: problems.length === 0 && parsed.success ? parsed.data.email : undefined,
      slot,
      noRoom,
    });
  }
  const valid = out.filter((r) => r.problems.length === 0).length;
  const noRoom = out.filter((r) => r.noRoom).length;
  return { rows: out, valid, noRoom, room };
}
