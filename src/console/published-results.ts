/**
 * Units given that an admin published from the console, read by the build
 * so that the public drive page and the campaign figure show them: a drive
 * whose file does not say how it ended becomes `finished` with those units.
 * What the editor wrote in the file wins. The database is opened read-only;
 * a missing or older file means nothing was published.
 */
import { existsSync } from 'node:fs';
import { withReadOnlyDatabase } from '../store/database.ts';

export type PublishedResults = ReadonlyMap<string, number>;

export function readPublishedResults(databasePath: string): PublishedResults {
  if (!existsSync(databasePath)) return new Map();
  try {
    return withReadOnlyDatabase(databasePath, (db) => {
      const rows = db.prepare('SELECT drive, units FROM published_results').all() as { drive: string; units: number }[];
      return new Map(rows.map((row) => [row.drive, row.units]));
    });
  } catch (error) {
    // A file from before the console has no such table: nothing was published.
    if (/no such table/.test(String(error))) return new Map();
    throw new Error(`Cannot read published drive results from ${databasePath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A drive file's fields with the published result applied, when the file leaves it open. */
export function withPublishedResult(
  id: string,
  data: Record<string, unknown>,
  results: PublishedResults,
): Record<string, unknown> {
  const units = results.get(id);
  if (units === undefined || data['unitsGiven'] !== undefined || data['status'] === 'cancelled') return data;
  return { ...data, status: 'finished', unitsGiven: units };
}
