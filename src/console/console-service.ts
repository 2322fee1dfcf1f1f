/**
 * The organisers' console as the running site uses it: signing in (with its
 * limits), finding the account of a session, and doing things at the desk
 * with the account's rights checked. Pages, endpoints and the middleware go
 * through this; the store (console-store.ts) holds the data.
 */
import { canUseDesk } from './access.ts';
import { addressKey, RateLimiter } from '../signup/rate-limit.ts';
import { fieldErrors } from '../signup/form-fields.ts';
import { personOf, signupSchema, type DriveOption } from '../signup/schema.ts';
import { whenFree, type Database } from '../store/database.ts';
import { calendarDateInVietnam } from '../shared/dates.ts';
import { DEFAULT_LOGIN_RATE_LIMIT } from '../settings.ts';
import { ConsoleStore, type StaffAccount, type StoredAccount } from './console-store.ts';
import {
  ACTION_KEY,
  DAY_BOUND,
  dayCheck,
  isSimpleIntent,
  parseDeskAction,
  recordedDay,
  type DeskAction,
  type DeskAnswer,
} from './desk-actions.ts';
import {
  keepPasswordCheckPlace,
  PasswordsBusy,
  verifyNothing,
  verifyPassword,
  type PasswordCheckPlace,
} from './passwords.ts';
import { newSessionId, sessionIdHash } from './sessions.ts';
import { log } from '../shared/log.ts';

const TEN_MINUTES = 10 * 60_000;
/**
 * Desk actions per account per 10 minutes: a busy desk checks in a person every
 * few seconds; a stolen session trying codes by the thousand is stopped.
 */
export const DESK_ACTION_LIMIT = 600;
/**
 * Sign-ins of one client address (an IPv6 /64, addressKey) waiting for or in
 * their password check at once: no one address can fill the shared queue
 * (passwords.ts), and a desk's staff behind one office address still sign in
 * two at a time.
 */
export const PASSWORD_CHECKS_PER_ADDRESS = 2;

/**
 * 'wrong' is also the answer for an unknown name and for an account locked
 * for this address, after the time of one password check: which names exist,
 * and which are locked, shows in neither the answer nor its time. 'busy': the
 * password checks' queue is full (passwords.ts), or this address has
 * PASSWORD_CHECKS_PER_ADDRESS sign-ins in it already, whatever the name.
 */
export type LoginResult =
  | { ok: true; sessionId: string; account: StaffAccount }
  | { ok: false; reason: 'wrong' | 'rate-limited' | 'busy' | 'unavailable' };

export interface ConsoleServiceOptions {
  database: () => Database;
  /** Sign-in tries per client address per 10 minutes, whatever the name (LOGIN_RATE_LIMIT). */
  loginAddressLimit?: number;
  now?: () => Date;
}

export function canSeeDrive(account: StaffAccount, drive: string): boolean {
  return canUseDesk(account, drive);
}

export class ConsoleService {
  readonly #options: ConsoleServiceOptions;
  readonly #loginsByAddress: RateLimiter;
  readonly #actionsByAccount = new RateLimiter(DESK_ACTION_LIMIT, TEN_MINUTES);
  /** Sign-ins of each address between their room check and their answer. */
  readonly #checksByAddress = new Map<string, number>();

  constructor(options: ConsoleServiceOptions) {
    this.#options = options;
    this.#loginsByAddress = new RateLimiter(options.loginAddressLimit ?? DEFAULT_LOGIN_RATE_LIMIT, TEN_MINUTES);
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  /** The store of the console; opened on first use like the sign-up store. */
  consoleStore(): ConsoleStore {
    return new ConsoleStore(this.#options.database());
  }

  /**
   * Signs in, in this order: room in the password checks' queue, for
   * everyone and for this address (a try refused for want of room is no
   * guess, so nothing is counted for it); the address's allowance; the try
   * counted for the account and this address before the password is checked
   * (tries in flight at once cannot pass the lock); one check of a password,
   * the account's or a decoy's; and the lock read again when the session
   * starts. See docs/organisers.md, "Signing in".
   */
  async login(username: string, password: string, clientAddress: string): Promise<LoginResult> {
    const now = this.#now();
    const address = addressKey(clientAddress);
    const inFlight = this.#checksByAddress.get(address) ?? 0;
    if (inFlight >= PASSWORD_CHECKS_PER_ADDRESS) return { ok: false, reason: 'busy' };
    const place = keepPasswordCheckPlace();
    if (!place) return { ok: false, reason: 'busy' };
    if (!this.#loginsByAddress.allow(address, now.getTime())) {
      place.release();
      return { ok: false, reason: 'rate-limited' };
    }
    this.#checksByAddress.set(address, inFlight + 1);
    try {
      return await this.#checkedLogin(username, password, address, now, place);
    } finally {
      place.release();
      const left = (this.#checksByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#checksByAddress.set(address, left);
      else this.#checksByAddress.delete(address);
    }
  }

  async #checkedLogin(
    username: string,
    password: string,
    address: string,
    now: Date,
    place: PasswordCheckPlace,
  ): Promise<LoginResult> {
    let store: ConsoleStore;
    let account: StoredAccount | undefined;
    let locked: boolean;
    try {
      store = this.consoleStore();
      // A disabled account is answered as a wrong password, after a decoy check of the same cost.
      const user = store.findUser(username);
      account = user?.disabledAt === null ? user : undefined;
      const found = account;
      // A busy database (a purge's batch) is waited for from a timer, not on the serving thread.
      locked = found ? (await whenFree(() => store.loginTry(found.id, address, now))) !== null : false;
    } catch (error) {
      log.error(`không dùng được dữ liệu trang tổ chức: ${(error as Error).message}`);
      return { ok: false, reason: 'unavailable' };
    }
    let right: boolean;
    try {
      right =
        account && !locked
          ? await verifyPassword(password, account.passwordHash, place)
          : await verifyNothing(password, place);
    } catch (error) {
      if (error instanceof PasswordsBusy) return { ok: false, reason: 'busy' };
      throw error;
    }
    if (!account || !right) return { ok: false, reason: 'wrong' };
    // A new id at every sign-in: an id planted before it opens nothing.
    const sessionId = newSessionId();
    const { id, role, drives, teamCode } = account;
    try {
      if (!(await whenFree(() => store.loginSucceeded(id, address, sessionIdHash(sessionId), this.#now())))) {
        return { ok: false, reason: 'wrong' };
      }
    } catch (error) {
      log.error(`không bắt đầu được phiên đăng nhập: ${(error as Error).message}`);
      return { ok: false, reason: 'unavailable' };
    }
    return { ok: true, sessionId, account: { id, username: account.username, role, drives, teamCode } };
  }

  account(sessionId: string | null): StaffAccount | null {
    if (!sessionId) return null;
    return this.consoleStore().sessionAccount(sessionIdHash(sessionId), this.#now());
  }

  async logout(sessionId: string | null, account: StaffAccount | null): Promise<void> {
    const store = this.consoleStore();
    // Signing out ends every session of the account: the phone left on the desk too. A busy
    // database (a purge's batch) is waited for from a timer, not on the serving thread.
    if (account) await whenFree(() => store.endSessions(account.id));
    else if (sessionId) await whenFree(() => store.endSession(sessionIdHash(sessionId)));
  }

  /**
   * Does what a desk form asks (`intent` and its fields) on `drive` for
   * `account`, once per idempotency `key`.
   */
  async act(
    account: StaffAccount,
    drive: { slug: string; option: DriveOption },
    fields: Readonly<Record<string, string>>,
  ): Promise<DeskAnswer> {
    if (!canSeeDrive(account, drive.slug)) return { ok: false, problem: 'forbidden' };
    const intent = fields['intent'] ?? '';
    const key = fields['key'] && ACTION_KEY.test(fields['key']) ? fields['key'] : undefined;
    const now = this.#now();
    if (!this.#actionsByAccount.allow(account.username, now.getTime())) return { ok: false, problem: 'rate-limited' };
    let store: ConsoleStore;
    let keptAt: Date | undefined;
    try {
      store = this.consoleStore();
      keptAt = key ? store.keptAt(account.username, key) : undefined;
    } catch (error) {
      log.error(`không lưu được thao tác tại bàn tiếp đón: ${(error as Error).message}`);
      return { ok: false, problem: 'unavailable' };
    }
    // A key already stored is a replay (a queue sent late, an answer lost): its fields are read
    // as of when it was first done and it gets its stored answer, whatever the day is now.
    const asOf = keptAt ?? now;
    let action: DeskAction;
    if (intent === 'walk-in') {
      const parsed = await this.#walkIn(drive.option, fields, asOf);
      if (!parsed.ok) return { ok: false, problem: 'invalid', errors: parsed.errors };
      action = parsed.action;
    } else if (isSimpleIntent(intent)) {
      if (intent === 'publish' && account.role !== 'admin') {
        return { ok: false, problem: 'forbidden' };
      }
      // The drive's day the gift was recorded for, not always the first of a drive of several days.
      const driveDay = recordedDay(drive.option, asOf, fields['otherDay']);
      const parsed = parseDeskAction(intent, drive.slug, fields, calendarDateInVietnam(asOf), driveDay);
      if (!parsed.ok) return { ok: false, problem: 'invalid', errors: parsed.errors };
      action = parsed.action;
    } else {
      return { ok: false, problem: 'invalid', errors: { intent: 'Thao tác không rõ.' } };
    }
    // Checked after the fields, so that a wrong field is named first; before anything is stored.
    if (!keptAt && DAY_BOUND.includes(action.kind)) {
      const day = dayCheck(drive.option, now, fields['otherDay']);
      if (!day.ok) {
        const code = 'code' in action ? { code: action.code } : {};
        return { ok: false, problem: 'other-day', driveDay: day.driveDay, today: day.today, ...code };
      }
    }
    try {
      // A busy database (a purge's batch) is waited for from a timer, not on the serving thread.
      return await whenFree(() => store.apply(action, { actor: account.username, now, key }));
    } catch (error) {
      // SQLite names tables and constraints, never values.
      log.error(`không lưu được thao tác tại bàn tiếp đón: ${(error as Error).message}`);
      return { ok: false, problem: 'unavailable' };
    }
  }

  /** A walk-in is checked by the public form's own schema: same fields, same rules. */
  async #walkIn(
    option: DriveOption,
    fields: Readonly<Record<string, string>>,
    now: Date,
  ): Promise<{ ok: true; action: DeskAction } | { ok: false; errors: Record<string, string> }> {
    // The desk registers no reminders: a walk-in is there already.
    const schema = signupSchema({
      findDrive: (slug) => (slug === option.slug ? option : undefined),
      now: () => now,
      channels: () => [],
    });
    const { allowOver, ...values } = fields;
    // The schema takes only its own fields; intent and key are the desk's. A field left
    // empty is one not given, as the public form sends them (formValues): the browser
    // posts the optional "last donation" and "team" boxes empty.
    const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
    const parsed = await schema.safeParseAsync({ ...given, drive: option.slug });
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
    const input = parsed.data;
    const slot = option.slots.find((s) => s.id === input.slot) as DriveOption['slots'][number];
    return {
      ok: true,
      action: {
        kind: 'walk-in',
        drive: option.slug,
        slot: slot.id,
        slotEnd: slot.end,
        capacity: slot.places,
        allowOver: allowOver === 'yes',
        person: personOf(parsed.data),
      },
    };
  }
}
