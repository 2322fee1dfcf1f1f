/**
 * A sign-up database of half a million people made fast with direct SQL (one
 * INSERT … SELECT over a recursive count), for the purge test and
 * `npm run bench:purge`: most of them from a drive long over, the rest from
 * one still to come; one in ten with a reminder address.
 */
import { SignupStore } from '../../src/signup/store.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import type { FormTokens } from '../../src/signup/form-token.ts';
import { readDrives } from './drive-data.ts';
import { startSite } from '../../scripts/start-site.mjs';
import { FIXTURE_DIST } from '../../scripts/fixture-site.mjs';
import { codeOf, postForm } from './forms.ts';

export interface BigDatabase {
  /** Sign-ups of the drive that is over (purged by `purge --older-than 7`). */
  old: number;
  /** Sign-ups of the drive to come (kept). */
  kept: number;
  /** A phone of a kept sign-up, for `erase`. */
  keptPhone: string;
}

const DAY_MS = 86_400_000;

export function fillBigDatabase(path: string, total = 500_000, keptShare = 0.1, now = new Date()): BigDatabase {
  const kept = Math.round(total * keptShare);
  const old = total - kept;
  const store = new SignupStore(path);
  try {
    const db = store.db;
    const oldStart = toIsoWithOffset(new Date(now.getTime() - 30 * DAY_MS));
    const oldEnd = toIsoWithOffset(new Date(now.getTime() - 30 * DAY_MS + 3_600_000));
    const newStart = toIsoWithOffset(new Date(now.getTime() + 30 * DAY_MS));
    const newEnd = toIsoWithOffset(new Date(now.getTime() + 30 * DAY_MS + 3_600_000));
    const created = new Date(now.getTime() - 40 * DAY_MS).toISOString();
    store.db.transaction(() => {
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :contacts)
         INSERT INTO reminder_contacts (id, consent_at, email, stop_token)
           SELECT i, :created, 'nguoi' || i || '@example.vn', 'stop-' || i FROM n`,
      ).run({ contacts: Math.floor(total / 10), created });
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :total)
         INSERT INTO signups (code, drive, slot, slot_end, full_name, phone, birth_year, sex, weight_kg,
             created_at, reminder_contact)
           SELECT printf('P%09d', i),
             CASE WHEN i <= :old THEN 'da-qua' ELSE 'sap-toi' END,
             CASE WHEN i <= :old THEN :oldStart ELSE :newStart END,
             CASE WHEN i <= :old THEN :oldEnd ELSE :newEnd END,
             'Người Hiến Thứ ' || i, printf('+849%08d', i), 1990, 'female', 55, :created,
             CASE WHEN i % 10 = 0 THEN i / 10 END
           FROM n`,
      ).run({ total, old, oldStart, oldEnd, newStart, newEnd, created });
    });
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
  return { old, kept, keptPhone: `+849${String(total).padStart(8, '0')}` };
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * Posts sign-ups the way the form does, one person after another, each into
 * the next place of the test site's open drives that has room: the stream
 * beside purge and erase in the purge test and `npm run bench:purge`.
 */
export async function signUpStream(baseUrl: string, tokens: FormTokens) {
  const places = (await readDrives())
    .filter((drive) => nextOpenDrives([drive], new Date(), 50).length > 0)
    .flatMap((drive) => driveSlots(drive).map((slot) => ({ drive: drive.slug, slot: slot.id, left: slot.places })));
  let phones = 0;
  /** One sign-up; undefined when the test site has no place left. */
  return async (): Promise<{ status: number; code: string | undefined } | undefined> => {
    const place = places.find((p) => p.left > 0);
    if (!place) return undefined;
    place.left -= 1;
    phones += 1;
    const response = await postForm(baseUrl, '/dang-ky/?_action=signup', {
      formToken: tokens.issue(new Date(Date.now() - 60_000)),
      drive: place.drive,
      slot: place.slot,
      fullName: 'Người Đăng Ký Lúc Xóa',
      phone: `08${String(phones).padStart(8, '0')}`,
      birthYear: '1991',
      sex: 'male',
      weightKg: '60',
      consent: 'yes',
    });
    return { status: response.status, code: codeOf(await response.text()) };
  };
}

/**
 * `npm start` on the test site over a database of `total` sign-ups. Filled once the server
 * runs: at start it checks every active sign-up against the drives, which on half a million
 * takes longer than startSite waits; and after its first daily maintenance (1 s after start),
 * which would otherwise wait on the filling's long transaction.
 */
export async function startSiteOnBigDatabase(db: string, secret: string, total = 500_000) {
  const site = await startSite({
    SIGNUP_DB: db,
    SIGNUP_SECRET: secret,
    SIGNUP_RATE_LIMIT: '1000000',
    SITE_DIST: FIXTURE_DIST,
  });
  await new Promise((done) => setTimeout(done, 2_500));
  const filling = performance.now();
  const big = fillBigDatabase(db, total);
  return { site, big, fillSeconds: (performance.now() - filling) / 1000 };
}
