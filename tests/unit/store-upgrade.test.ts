/**
 * A database made by the code before src/store/ (commit 0e2f0d5, the script in
 * tests/fixtures/old-databases/make.mjs) opens under today's code with every
 * row as it was: the migrations moved into one file per version, not changed.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { ConsoleStore } from '../../src/console/console-store.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { WaitlistStore } from '../../src/signup/waitlist-store.ts';
import { removeFolder, temporaryFolder } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/old-databases');
const NOW = new Date('2026-11-20T09:00:00+07:00');

let folder: string;
beforeEach(() => {
  folder = temporaryFolder('store-upgrade-');
});
afterEach(() => {
  removeFolder(folder);
});

/** A copy of the fixture: opening migrates it, and the committed file must stay as it was made. */
function copyOf(name: string): string {
  const file = join(folder, name);
  copyFileSync(join(FIXTURES, name), file);
  return file;
}

type Rows = Record<string, Record<string, unknown>[]>;

/** Every row of every table, read without the code under test. */
function everyRow(file: string): Rows {
  const raw = new DatabaseSync(file, { readOnly: true });
  try {
    const tables = raw
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    // In the order of their first columns (login_tries has no rowid to order by).
    return Object.fromEntries(
      tables.map(({ name }) => [name, raw.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]),
    );
  } finally {
    raw.close();
  }
}

function schemaOf(file: string): { type: string; name: string; sql: string | null }[] {
  const raw = new DatabaseSync(file, { readOnly: true });
  try {
    return raw.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all() as {
      type: string;
      name: string;
      sql: string | null;
    }[];
  } finally {
    raw.close();
  }
}

/** Each old row is still there with its old values; columns added since have their defaults. */
function expectRowsKept(before: Rows, after: Rows): void {
  for (const [table, rows] of Object.entries(before)) {
    expect(after[table], table).toHaveLength(rows.length);
    expect(
      after[table]?.map((row, i) => ({ ...row, ...rows[i] })),
      table,
    ).toEqual(after[table]);
  }
}

/** A new file made by today's code: the schema an upgraded file must end with. */
function freshFile(): string {
  const file = join(folder, 'fresh.sqlite');
  new Database(file).close();
  return file;
}

describe('a database made before src/store/', () => {
  test('at schema 6, with a row in every table, opens with every row intact', () => {
    const file = copyOf('schema-6.sqlite');
    const before = everyRow(file);
    for (const table of Object.keys(before)) expect(before[table]?.length, table).toBeGreaterThan(0);

    const db = new Database(file);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    expect(db.integrityCheck()).toBe('ok');
    // Migration 012 counted the file's sign-ups into places_taken, span by span.
    const placesCounted = db.connection
      .prepare(
        `SELECT drive, slot, slot_end, count(*) AS taken FROM signups WHERE cancelled_at IS NULL
         GROUP BY drive, slot, slot_end ORDER BY 1, 2, 3`,
      )
      .all();
    expect(placesCounted.length).toBeGreaterThan(0);
    expect(db.connection.prepare('SELECT * FROM places_taken ORDER BY 1, 2, 3').all()).toEqual(placesCounted);
    // Read through today's stores too: the rows mean what they meant.
    const signups = new SignupStore(db);
    expect(signups.byCode('CODE000001')?.desk).toMatchObject({ outcome: 'gave', volumeMl: 350 });
    expect(signups.byCode('CODE000004')?.cancelledAt).not.toBeNull();
    expect(signups.listTeams()).toEqual([{ code: 'DOAN-KHOI', name: 'Đoàn khối' }]);
    const desk = new ConsoleStore(db);
    expect(desk.findUser('thu.ha')?.drives).toEqual(['phuong-an-xuyen']);
    expect(desk.sessionAccount('session-hash', NOW)?.username).toBe('thu.ha');
    expect(desk.auditOf('phuong-an-xuyen').map((e) => e.action)).toEqual([
      'publish',
      'walk-in',
      'defer',
      'gave',
      'arrive',
    ]);
    expect(desk.publishedResults()).toEqual([{ drive: 'phuong-an-xuyen', units: 12 }]);
    expect(new WaitlistStore(db).byCode('WAIT000001')?.state).toBe('offered');
    expect(new ReminderStore(db).leaseHolder()?.holder).toBe('fixture:1');
    db.close();

    expectRowsKept(before, everyRow(file));
    expect(schemaOf(file)).toEqual(schemaOf(freshFile()));
  });

  test('at schema 3 (before the console), upgrades to the schema of a file made at 6, every old row kept', () => {
    const file = copyOf('schema-3.sqlite');
    const before = everyRow(file);
    expect(Object.keys(before)).toEqual(['settings', 'signups', 'teams']);
    expect(before['signups']).toHaveLength(3);

    const db = new Database(file);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    expect(db.integrityCheck()).toBe('ok');
    db.close();

    expectRowsKept(before, everyRow(file));
    const upgraded = new SignupStore(file);
    expect(upgraded.byCode('OLD0000001')?.desk).toMatchObject({ outcome: 'gave', walkIn: false });
    upgraded.close();
    // The tables, columns and indexes are those of a file made by today's code, and of one made
    // at 6 by the old code and upgraded (above).
    expect(schemaOf(file)).toEqual(schemaOf(freshFile()));
  });
});
