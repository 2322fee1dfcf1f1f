/**
 * The gift recorded after the drive (`signups given`), and team codes counted by the ranking.
 */
export const migration = `ALTER TABLE signups ADD COLUMN donated_at TEXT;
   CREATE INDEX signups_by_team ON signups (team_code) WHERE team_code IS NOT NULL;`;
