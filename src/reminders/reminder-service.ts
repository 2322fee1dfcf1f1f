/**
 * What people do with their reminders on the site: see them and stop them
 * at /nhac-hen/ (confirmation or waitlist code + the phone, tries counted
 * with cancelling's in one budget, src/signup/guess-budget.ts), stop them with the link of a message (its token alone:
 * one click, RFC 8058), and take a place offered from the waitlist. A wrong
 * code and an unknown phone get the same answer. Nothing here writes
 * personal data to a log.
 */
import { withFreshCodeAsync } from '../signup/codes.ts';
import { addressKey, RateLimiter } from '../signup/rate-limit.ts';
import { GuessBudget } from '../signup/guess-budget.ts';
import { SignupStore, type SignupRecord } from '../signup/store.ts';
import { whenFree, type Database } from '../store/database.ts';
import { offerPlaces } from './planner.ts';
import { liveChannels, ReminderStore, type Contact } from './reminder-store.ts';
import type { Channel, MessageKind, PhoneChannel } from '../reminder-choice/reminder-types.ts';
import { WaitlistStore, type WaitEntry } from '../signup/waitlist-store.ts';
import type { Catalog } from './catalog.ts';
import { log } from '../shared/log.ts';

const TEN_MINUTES = 10 * 60_000;
/** One-click stops per client address per 10 minutes: mail providers post for many people from few addresses. */
export const STOP_LINK_LIMIT = 600;
/** Offers taken per client address per 10 minutes. */
export const ACCEPT_LIMIT = 60;

/** "ng…@gmail.com": enough for its owner to recognise, not enough to read someone else's address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '…';
  return `${email.slice(0, Math.min(2, at))}…${email.slice(at)}`;
}

export interface ContactView {
  channels: Channel[];
  /** The e-mail address, masked. */
  email: string | null;
  stopped: boolean;
}

export type ReminderView =
  | {
      kind: 'signup';
      code: string;
      drive: string;
      slot: string;
      slotEnd: string;
      cancelled: boolean;
      contact: ContactView | null;
      /** Messages not sent yet, soonest first. */
      upcoming: { kind: MessageKind; dueAt: string; channels: Channel[] }[];
    }
  | {
      kind: 'waiting';
      code: string;
      drive: string;
      slot: string;
      slotEnd: string;
      state: WaitEntry['state'];
      position: number;
      holdUntil: string | null;
      contact: ContactView | null;
    };

export type LookupOutcome =
  { kind: 'found'; view: ReminderView } | { kind: 'not-found' | 'rate-limited' | 'unavailable' };
export type StopOutcome = 'stopped' | 'already' | 'not-found' | 'rate-limited' | 'unavailable';
/** One channel stopped: the page shows what is left. */
export type StopChannelOutcome =
  { kind: 'channel-stopped' | 'channel-not-used'; view: ReminderView } | { kind: StopOutcome };

export interface ReminderServiceOptions {
  database: () => Database;
  catalog: () => Catalog | undefined;
  now?: () => Date;
  /** New messages are in the outbox: the sender of this process may send them now. */
  wake?: () => void;
  /** The code-and-phone tries allowed, shared with cancelling (a budget of its own when not given). */
  guesses?: GuessBudget;
  /** The phone channels this server has (offers go by the first of them the person has). */
  phoneChannels?: () => readonly PhoneChannel[];
}

function contactView(contact: Contact | undefined): ContactView | null {
  if (!contact) return null;
  return {
    channels: liveChannels(contact),
    email: contact.email ? maskEmail(contact.email) : null,
    stopped: contact.stoppedAt !== null,
  };
}

export class ReminderService {
  readonly #options: ReminderServiceOptions;
  readonly #guesses: GuessBudget;
  readonly #stopLinks = new RateLimiter(STOP_LINK_LIMIT, TEN_MINUTES);
  readonly #accepts = new RateLimiter(ACCEPT_LIMIT, TEN_MINUTES);

  constructor(options: ReminderServiceOptions) {
    this.#options = options;
    this.#guesses = options.guesses ?? new GuessBudget();
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  /** One try of the budget that cancelling uses too (guess-budget.ts). */
  #allowed(code: string, phone: string, clientAddress: string): boolean {
    return this.#guesses.allow(code, phone, clientAddress, this.#now().getTime());
  }

  /** The sign-up or waitlist entry of this code, if it was made with this phone. */
  #find(code: string, phone: string): { signup?: SignupRecord; entry?: WaitEntry } | undefined {
    const db = this.#options.database();
    const signup = new SignupStore(db).byCode(code);
    if (signup) return signup.phone === phone ? { signup } : undefined;
    const entry = new WaitlistStore(db).byCode(code);
    return entry?.phone === phone ? { entry } : undefined;
  }

  lookup(code: string, phone: string, clientAddress: string): LookupOutcome {
    if (!this.#allowed(code, phone, clientAddress)) return { kind: 'rate-limited' };
    try {
      const found = this.#find(code, phone);
      if (!found) return { kind: 'not-found' };
      return { kind: 'found', view: this.#view(found) };
    } catch (error) {
      log.error(`nhắc hẹn: không hiển thị được: ${(error as Error).message}`);
      return { kind: 'unavailable' };
    }
  }

  #view(found: { signup?: SignupRecord; entry?: WaitEntry }): ReminderView {
    const db = this.#options.database();
    const reminders = new ReminderStore(db);
    const { signup, entry } = found;
    if (signup) {
      const pending = reminders.messagesOf({ signupCode: signup.code }).filter((m) => m.state === 'pending');
      const upcoming: { kind: MessageKind; dueAt: string; channels: Channel[] }[] = [];
      for (const message of pending) {
        const same = upcoming.find((u) => u.kind === message.kind && u.dueAt === message.dueAt);
        if (same) same.channels.push(message.channel);
        else upcoming.push({ kind: message.kind, dueAt: message.dueAt, channels: [message.channel] });
      }
      return {
        kind: 'signup',
        code: signup.code,
        drive: signup.drive,
        slot: signup.slot,
        slotEnd: signup.slotEnd,
        cancelled: signup.cancelledAt !== null,
        contact: contactView(signup.reminderContact === null ? undefined : reminders.contact(signup.reminderContact)),
        upcoming,
      };
    }
    const waiting = entry as WaitEntry;
    return {
      kind: 'waiting',
      code: waiting.code,
      drive: waiting.drive,
      slot: waiting.slot,
      slotEnd: waiting.slotEnd,
      state: waiting.state,
      position: waiting.state === 'waiting' ? new WaitlistStore(db).position(waiting) : 0,
      holdUntil: waiting.holdUntil,
      contact: contactView(reminders.contact(waiting.contact)),
    };
  }

  /** Stops every reminder of the sign-up or waitlist entry with this code and phone. */
  async stop(code: string, phone: string, clientAddress: string): Promise<StopOutcome> {
    if (!this.#allowed(code, phone, clientAddress)) return 'rate-limited';
    try {
      const found = this.#find(code, phone);
      const contact = found?.signup?.reminderContact ?? found?.entry?.contact ?? null;
      if (!found) return 'not-found';
      if (contact === null) return 'already';
      return await this.#stopContact(contact);
    } catch (error) {
      log.error(`nhắc hẹn: không dừng được: ${(error as Error).message}`);
      return 'unavailable';
    }
  }

  /**
   * Stops one channel of the sign-up or waitlist entry with this code and phone, the others
   * going on (Zalo stopped, a reminder goes by SMS; `endChannel`, as a channel that failed for
   * good). The last channel stopped is a whole stop, so a place waited for is not kept for
   * someone nobody can tell.
   */
  async stopChannel(code: string, phone: string, clientAddress: string, channel: Channel): Promise<StopChannelOutcome> {
    if (!this.#allowed(code, phone, clientAddress)) return { kind: 'rate-limited' };
    try {
      const found = this.#find(code, phone);
      if (!found) return { kind: 'not-found' };
      const contactId = found.signup?.reminderContact ?? found.entry?.contact ?? null;
      const db = this.#options.database();
      const contact = contactId === null ? undefined : new ReminderStore(db).contact(contactId);
      if (!contact || contactId === null) return { kind: 'already' };
      const live = liveChannels(contact);
      if (!live.includes(channel)) return { kind: 'channel-not-used', view: this.#view(found) };
      if (live.length === 1) return { kind: await this.#stopContact(contactId) };
      await whenFree(() => new ReminderStore(db).endChannel(contactId, channel, this.#now(), 'stopped by the person'));
      return { kind: 'channel-stopped', view: this.#view(found) };
    } catch (error) {
      log.error(`nhắc hẹn: không dừng được một kênh: ${(error as Error).message}`);
      return { kind: 'unavailable' };
    }
  }

  /** The contact a stop link names, for its page; undefined for a token nobody has. */
  contactOfToken(token: string): ContactView | undefined {
    if (!/^[\w-]{16,64}$/.test(token)) return undefined;
    return contactView(new ReminderStore(this.#options.database()).contactByStopToken(token)) ?? undefined;
  }

  /**
   * The whole stop token of a text's short stop link (/nhac-hen/d/<first 18 characters>), counted
   * with the one-click stops; undefined for a link nobody has or too many tries.
   */
  stopTokenOfShortLink(prefix: string, clientAddress: string): string | undefined {
    if (!/^[\w-]{18}$/.test(prefix)) return undefined;
    if (!this.#stopLinks.allow(addressKey(clientAddress), this.#now().getTime())) return undefined;
    return new ReminderStore(this.#options.database()).contactByStopPrefix(prefix)?.stopToken;
  }

  /** The one-click stop of a message's link: its token is the whole authority (RFC 8058). */
  async stopByToken(token: string, clientAddress: string): Promise<StopOutcome> {
    if (!this.#stopLinks.allow(addressKey(clientAddress), this.#now().getTime())) return 'rate-limited';
    if (!/^[\w-]{16,64}$/.test(token)) return 'not-found';
    try {
      const contact = new ReminderStore(this.#options.database()).contactByStopToken(token);
      if (!contact) return 'not-found';
      return await this.#stopContact(contact.id);
    } catch (error) {
      log.error(`nhắc hẹn: không dừng được: ${(error as Error).message}`);
      return 'unavailable';
    }
  }

  async #stopContact(contact: number): Promise<StopOutcome> {
    const db = this.#options.database();
    const held = new WaitlistStore(db).heldFor(contact);
    // A busy database (a purge's batch) is waited for from a timer, not on the serving thread.
    const stopped = await whenFree(() => new ReminderStore(db).stop(contact, this.#now()));
    // A place that was held for them goes to the next person at once. The stop is stored
    // whatever happens here: a busy database leaves the offer to the scheduler's next round.
    try {
      for (const slot of held) this.#offer(slot);
    } catch (error) {
      log.error(`chỗ vừa trống chưa được mời cho danh sách chờ (lượt gửi sau sẽ mời): ${(error as Error).message}`);
    }
    return stopped ? 'stopped' : 'already';
  }

  /** The offer a link names: the entry and whether it can still be taken. */
  offer(token: string): WaitEntry | undefined {
    if (!/^[\w-]{16,64}$/.test(token)) return undefined;
    return new WaitlistStore(this.#options.database()).byOfferToken(token);
  }

  /** Takes the place offered by the link's token: a sign-up with its code. */
  async accept(
    token: string,
    clientAddress: string,
  ): Promise<
    | { kind: 'accepted' | 'already'; signup: SignupRecord }
    | { kind: 'expired'; entry: WaitEntry }
    | { kind: 'not-found' | 'rate-limited' | 'unavailable' }
  > {
    if (!this.#accepts.allow(addressKey(clientAddress), this.#now().getTime())) return { kind: 'rate-limited' };
    if (!/^[\w-]{16,64}$/.test(token)) return { kind: 'not-found' };
    try {
      const waitlist = new WaitlistStore(this.#options.database());
      // A busy database (a purge's batch) is waited for from a timer, not on the serving thread.
      const result = await withFreshCodeAsync((code) =>
        whenFree(() => waitlist.accept({ token, code, now: this.#now() })),
      );
      if (result.status === 'unknown') return { kind: 'not-found' };
      if (result.status === 'expired') return { kind: 'expired', entry: result.entry };
      this.#options.wake?.();
      return { kind: result.status, signup: result.signup };
    } catch (error) {
      log.error(`không nhận được chỗ đã mời: ${(error as Error).message}`);
      return { kind: 'unavailable' };
    }
  }

  /** A place freed in this slot (a cancellation, a hold given up): offered to the waitlist now. */
  placeFreed(slot: { drive: string; slot: string }): void {
    this.#offer(slot);
  }

  #offer(slot: { drive: string; slot: string }): void {
    const catalog = this.#options.catalog();
    if (!catalog) return;
    const { queued } = offerPlaces(
      this.#options.database(),
      catalog,
      this.#now(),
      slot,
      this.#options.phoneChannels?.(),
    );
    if (queued > 0) this.#options.wake?.();
  }
}
