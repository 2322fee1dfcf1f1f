/**
 * The schema, one file per version, in order: migration N takes a file from
 * PRAGMA user_version N-1 to N (Database#migrate, ../database.ts). A file
 * already migrated never runs one again, so a migration once released is
 * never edited: a change is a new file (../README.md, "Adding a migration").
 */
import { migration as signups } from './001-signups.ts';
import { migration as donationsAndTeams } from './002-donations-and-teams.ts';
import { migration as formTokensAndOverlaps } from './003-form-tokens-and-overlaps.ts';
import { migration as console } from './004-console.ts';
import { migration as reminders } from './005-reminders.ts';
import { migration as loginTries } from './006-login-tries.ts';
import { migration as rolesAndChannels } from './007-roles-and-channels.ts';
import { migration as bloodNeeds } from './008-blood-needs.ts';
import { migration as phoneChannels } from './009-phone-channels.ts';
import { migration as units } from './010-units.ts';
import { migration as zaloAuthorisations } from './011-zalo-authorisations.ts';
import { migration as placesTaken } from './012-places-taken.ts';

export const MIGRATIONS: readonly string[] = [
  signups,
  donationsAndTeams,
  formTokensAndOverlaps,
  console,
  reminders,
  loginTries,
  rolesAndChannels,
  bloodNeeds,
  phoneChannels,
  units,
  zaloAuthorisations,
  placesTaken,
];

/** The version a file is at once opened by this code; docs/deploy.md quotes it. */
export const SCHEMA_VERSION = MIGRATIONS.length;
