/** What many unit test files need alike: a person to sign up, a drive, and a folder of their own for a database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriveOption } from '../../src/signup/schema.ts';
import type { Person } from '../../src/signup/store.ts';

/** Person number `n`: a name and a phone of their own (+8491 and n on seven digits), the rest alike. */
export function person(n: number, extra: Partial<Person> = {}): Person {
  return {
    fullName: `Người Thứ ${n}`,
    phone: `+8491${String(n).padStart(7, '0')}`,
    birthYear: 1990,
    sex: 'female',
    weightKg: 52,
    ...extra,
  };
}

/** A new empty folder under the system's temporary folder, its name starting with `prefix`. */
export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder made by temporaryFolder, with whatever the test left in it. */
export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}

/** A drive of one hour-long slot with two places, on 12/12/2026. */
export const TWO_PLACE_DRIVE: DriveOption = {
  slug: 'gia-rai-12-12-2026',
  name: 'Ngày hội hiến máu phường Giá Rai',
  start: new Date('2026-12-12T07:00:00+07:00'),
  end: new Date('2026-12-12T08:00:00+07:00'),
  slots: [{ id: '2026-12-12T07:00:00+07:00', end: '2026-12-12T08:00:00+07:00', places: 2 }],
};

/** The sign-up form for TWO_PLACE_DRIVE's slot, filled in as a person would, from `phone`; `extra` adds or replaces fields. */
export function twoPlaceForm(phone: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    fullName: 'Trần Văn Bình',
    phone,
    birthYear: '1985',
    sex: 'male',
    weightKg: '60',
    drive: TWO_PLACE_DRIVE.slug,
    slot: TWO_PLACE_DRIVE.slots[0]?.id ?? '',
    consent: 'yes',
    ...extra,
  };
}
