/**
 * What /to-chuc/tai-khoan/ does with a post, in this order: the admins' right
 * (canManageAccounts), the account's rate limit, the fields, then the form's one-time key
 * (a replayed post does nothing), then the change with its audit entry (accounts-store.ts).
 * The origin of every post is checked before this by Astro (`security.checkOrigin`), the
 * session by src/middleware.ts. Answers are Vietnamese, with the status the page sends.
 * `npm run signups -- user|team` does the same changes with the same checks.
 */
import { randomInt } from 'node:crypto';
import { RateLimiter } from '../signup/rate-limit.ts';
import { TEAM_CODE } from '../signup/form-fields.ts';
import { whenFree } from '../store/database.ts';
import { canManageAccounts } from './access.ts';
import type { AccountsStore } from './accounts-store.ts';
import { ROLES, type Role, type StaffAccount } from './console-store.ts';
import { hashPassword, PasswordsBusy } from './passwords.ts';
import { ACCOUNT_WORDS as W } from './account-words.ts';

export const ACCOUNT_INTENTS = [
  'add',
  'disable',
  'enable',
  'remove',
  'reset',
  'drives',
  'team-add',
  'team-remove',
] as const;
export type AccountIntent = (typeof ACCOUNT_INTENTS)[number];

/** The same rule as `user add`: what a person types at the sign-in page. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const FORM_KEY = /^[A-Za-z0-9_-]{16,64}$/;
const DRIVE_SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;
const MAX_DRIVES = 50;
/** Posts per admin per ten minutes: a busy afternoon of changes, not a script's. */
export const ACCOUNT_POST_LIMIT = 60;
const TEN_MINUTES = 600_000;

export interface AccountAnswer {
  status: number;
  ok: boolean;
  lines: string[];
  /** A password made by the site, shown once on the answer and never stored in clear. */
  password?: { username: string; value: string };
}

const PASSWORD_LETTERS = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Sixteen letters and digits in four groups (80 bits), none that reads as another (l, 1, o, 0). */
export function newPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g += 1) {
    let group = '';
    for (let i = 0; i < 4; i += 1) group += PASSWORD_LETTERS[randomInt(PASSWORD_LETTERS.length)] ?? 'a';
    groups.push(group);
  }
  return groups.join('-');
}

type Fields = { get(name: string): unknown; getAll(name: string): unknown[] };

const text = (fields: Fields, name: string): string => {
  const value = fields.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

const refused = (status: number, line: string): AccountAnswer => ({ status, ok: false, lines: [line] });

export interface AccountAdminOptions {
  store: () => AccountsStore;
  now?: () => Date;
  limit?: number;
}

type Checked =
  | { intent: 'add'; username: string; role: Role; drives: string[]; teamCode?: string }
  | { intent: 'disable' | 'enable' | 'reset'; username: string }
  | { intent: 'remove'; username: string }
  | { intent: 'drives'; username: string; drives: string[] }
  | { intent: 'team-add'; code: string; name: string }
  | { intent: 'team-remove'; code: string };

export class AccountAdmin {
  readonly #options: AccountAdminOptions;
  readonly #posts: RateLimiter;

  constructor(options: AccountAdminOptions) {
    this.#options = options;
    this.#posts = new RateLimiter(options.limit ?? ACCOUNT_POST_LIMIT, TEN_MINUTES);
  }

  #drives(fields: Fields, knownDrive: (slug: string) => boolean): string[] | string {
    const drives = [
      ...new Set(
        fields
          .getAll('drive')
          .flatMap((v) => (typeof v === 'string' ? v.split(/[\s,]+/) : []))
          .filter(Boolean),
      ),
    ];
    if (drives.length > MAX_DRIVES) return W.tooManyDrives(MAX_DRIVES);
    const unknown = drives.filter((d) => !DRIVE_SLUG.test(d) || !knownDrive(d));
    if (unknown.length > 0) return W.unknownDrives(unknown.map((d) => d.slice(0, 60)));
    return drives.sort();
  }

  /** The fields of a post, checked against the database as it is; a refusal names what is wrong. */
  #check(
    actor: StaffAccount,
    intent: AccountIntent,
    fields: Fields,
    store: AccountsStore,
    knownDrive: (slug: string) => boolean,
  ): Checked | AccountAnswer {
    if (intent === 'team-add' || intent === 'team-remove') {
      const code = text(fields, 'code').toUpperCase().replace(/\s+/g, '');
      if (!TEAM_CODE.test(code)) return refused(422, W.badTeamCode);
      if (intent === 'team-remove') return { intent, code };
      const name = text(fields, 'name');
      if ([...name].length < 2 || [...name].length > 120 || /[<>\p{Cc}]/u.test(name))
        return refused(422, W.badTeamName);
      return { intent, code, name };
    }
    const username = text(fields, 'username').toLowerCase();
    if (!USERNAME.test(username)) return refused(422, W.badUsername);
    const existing = store.find(username);
    if (intent === 'add') {
      if (existing) return refused(409, W.exists(username));
      const role = text(fields, 'role');
      if (!ROLES.includes(role as Role)) return refused(422, W.badRole);
      const drives = role === 'staff' || role === 'editor' ? this.#drives(fields, knownDrive) : [];
      if (typeof drives === 'string') return refused(422, drives);
      if (role === 'staff' && drives.length === 0) return refused(422, W.staffNeedsDrive);
      if (role === 'unit') {
        const teamCode = text(fields, 'team').toUpperCase();
        if (!store.teams().some((team) => team.code === teamCode)) return refused(422, W.unknownTeam(teamCode));
        return { intent, username, role, drives: [], teamCode };
      }
      return { intent, username, role: role as Role, drives };
    }
    if (!existing) return refused(404, W.noAccount(username));
    if ((intent === 'disable' || intent === 'remove') && username === actor.username) {
      return refused(422, W.notYourself);
    }
    if (intent === 'remove' && text(fields, 'confirm') !== 'yes') return refused(422, W.confirmRemove(username));
    if (intent === 'drives') {
      if (existing.role !== 'staff' && existing.role !== 'editor') return refused(422, W.drivesOnlyStaff);
      const drives = this.#drives(fields, knownDrive);
      if (typeof drives === 'string') return refused(422, drives);
      if (existing.role === 'staff' && drives.length === 0) return refused(422, W.staffNeedsDrive);
      return { intent, username, drives };
    }
    return { intent, username };
  }

  /** `knownDrive`: whether a drive exists (its content file, or sign-ups), for the drives given to staff. */
  async post(actor: StaffAccount, fields: Fields, knownDrive: (slug: string) => boolean): Promise<AccountAnswer> {
    if (!canManageAccounts(actor)) return refused(403, W.forbidden);
    const now = this.#options.now?.() ?? new Date();
    if (!this.#posts.allow(actor.username, now.getTime())) return refused(429, W.rateLimited);
    const intent = text(fields, 'intent');
    if (!ACCOUNT_INTENTS.includes(intent as AccountIntent)) return refused(400, W.unknownIntent);
    const key = text(fields, 'key');
    if (!FORM_KEY.test(key)) return refused(400, W.badKey);
    const store = this.#options.store();
    const checked = this.#check(actor, intent as AccountIntent, fields, store, knownDrive);
    if ('status' in checked) return checked;
    let password: string | undefined;
    let passwordHash: string | undefined;
    if (checked.intent === 'add' || checked.intent === 'reset') {
      password = newPassword();
      try {
        passwordHash = await hashPassword(password);
      } catch (error) {
        if (error instanceof PasswordsBusy) return refused(429, W.busy);
        throw error;
      }
    }
    const who = actor.username;
    return whenFree(() => store.atomically(() => this.#apply(store, checked, key, who, now, password, passwordHash)));
  }

  #apply(
    store: AccountsStore,
    checked: Checked,
    key: string,
    who: string,
    now: Date,
    password: string | undefined,
    passwordHash: string | undefined,
  ): AccountAnswer {
    {
      if (!store.claimFormKey(who, key, now)) return refused(409, W.replayed);
      // Checked again inside the transaction: two admins adding the same name at once.
      if (checked.intent === 'add' && store.find(checked.username)) return refused(409, W.exists(checked.username));
      switch (checked.intent) {
        case 'add': {
          const { username, role, drives, teamCode } = checked;
          store.add(
            { username, role, drives, passwordHash: passwordHash ?? '', ...(teamCode && { teamCode }) },
            who,
            now,
          );
          return {
            status: 200,
            ok: true,
            lines: [W.added(username, role, drives, teamCode)],
            password: { username, value: password ?? '' },
          };
        }
        case 'reset':
          store.setPassword(checked.username, passwordHash ?? '', who, now, 'reset');
          return {
            status: 200,
            ok: true,
            lines: [W.reset(checked.username)],
            password: { username: checked.username, value: password ?? '' },
          };
        case 'disable':
        case 'enable': {
          const done = store.setDisabled(checked.username, checked.intent === 'disable', who, now);
          const line =
            done === 'unchanged'
              ? W.alreadyDone(checked.username, checked.intent)
              : checked.intent === 'disable'
                ? W.disabled(checked.username)
                : W.enabled(checked.username);
          return { status: 200, ok: true, lines: [line] };
        }
        case 'remove':
          store.remove(checked.username, who, now);
          return { status: 200, ok: true, lines: [W.removed(checked.username)] };
        case 'drives':
          store.setDrives(checked.username, checked.drives, who, now);
          return { status: 200, ok: true, lines: [W.drivesSet(checked.username, checked.drives)] };
        case 'team-add':
          store.addTeam({ code: checked.code, name: checked.name }, who, now);
          return { status: 200, ok: true, lines: [W.teamAdded(checked.code, checked.name)] };
        case 'team-remove':
          return store.removeTeam(checked.code, who, now)
            ? { status: 200, ok: true, lines: [W.teamRemoved(checked.code)] }
            : refused(404, W.noTeam(checked.code));
      }
    }
  }
}
