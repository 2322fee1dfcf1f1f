/**
 * Signing up for a drive: the rules in order — the limit per client address,
 * the honeypot (refused quietly, nothing stored), the form token (missing or
 * stale: the form again), the form's schema, the too-fast check (the form
 * again, every answer kept, asking for one more tap), the limit per phone,
 * then the place taken in the store. Every outcome is a value the
 * pages and actions turn into an answer; nothing here writes personal data
 * to a log. Whether a phone number has signed up never changes an answer:
 * see SignupStore.takePlace.
 */
import { newConfirmationCode, withFreshCodeAsync } from './codes.ts';
import { SIGNUP_TITLE, WAITLIST_BUTTON } from './words.ts';
import type { FormTokens } from './form-token.ts';
import { addressKey, RateLimiter } from './rate-limit.ts';
import { GUESS_LIMITS, GuessBudget } from './guess-budget.ts';
import { DEFAULT_SIGNUP_RATE_LIMIT } from '../settings.ts';
import { fieldErrors, type SignupField } from './form-fields.ts';
import { personOf, signupSchema, type DriveOption } from './schema.ts';
import { whenFree } from '../store/database.ts';
import type { SignupRecord, SignupStore, TakePlaceResult } from './store.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { reminderChoiceOf } from '../reminder-choice/reminder-schema.ts';
import type { Channel } from '../reminder-choice/reminder-types.ts';
import { WaitlistStore, type WaitEntry } from './waitlist-store.ts';
import { log } from '../shared/log.ts';

const TEN_MINUTES = 10 * 60_000;
/** Sign-up posts per phone number per 10 minutes: a person retrying, not a script. */
export const PHONE_LIMIT = 6;
/**
 * Sent sooner than this after the form was served, a form is a bot's or a
 * phone's autofill: it comes back once, every answer kept, with a
 * confirmation token, and the next tap on the button sends it.
 */
export const MIN_FILL_MS = 3_000;
/** Cancellation tries per client address, per phone and per code per 10 minutes, shared with /nhac-hen/ (guess-budget.ts). */
export const CANCEL_LIMITS = GUESS_LIMITS;

export type SignupOutcome =
  | { kind: 'confirmed'; signup: SignupRecord; drive: DriveOption; again: boolean }
  | { kind: 'waiting'; entry: WaitEntry; position: number; drive: DriveOption; again: boolean }
  | { kind: 'invalid'; errors: Partial<Record<SignupField, string>> }
  | { kind: 'stale-form'; message: string }
  | { kind: 'confirm-again'; formToken: string; message: string }
  | { kind: 'full'; errors: Partial<Record<SignupField, string>> }
  | { kind: 'quiet' }
  | { kind: 'rate-limited'; message: string }
  | { kind: 'unavailable'; message: string };

export type CancelOutcome = 'cancelled' | 'not-found' | 'rate-limited' | 'unavailable';

export interface SignupServiceOptions {
  store: () => SignupStore;
  formTokens: () => FormTokens;
  drives: () => Promise<readonly DriveOption[]>;
  addressLimit?: number;
  now?: () => Date;
  /** The reminder channels configured now (none: the form offers no reminders, the waitlist is closed). */
  reminderChannels?: () => readonly Channel[];
  /** Whether the server may post to a browser's push service (PUSH_SERVICES). */
  pushEndpointAllowed?: (endpoint: URL) => boolean;
  /** A cancellation freed a place: the waitlist may offer it (src/signup/waitlist-store.ts). */
  onPlaceFreed?: (signup: SignupRecord) => void | Promise<void>;
  /** A sign-up with reminders was taken: the reminders' sender may send its confirmation by phone now. */
  onSignedUp?: (signup: SignupRecord) => void;
  /** The code-and-phone tries allowed, shared with the reminders page (a budget of its own when not given). */
  guesses?: GuessBudget;
}

const STALE_FORM =
  'Trang đăng ký đã mở quá lâu hoặc chưa tải xong nên chưa gửi được. Các thông tin bạn điền vẫn còn đây: xin xem lại rồi bấm "Đăng ký hiến máu" lần nữa.';

const USED_FORM =
  'Mẫu đăng ký này đã được dùng để đăng ký cho một người. Để đăng ký cho người khác, xin xem lại các thông tin dưới đây rồi bấm "Đăng ký hiến máu" lần nữa.';

/** The too-fast check's answer; `button` is the words on the button that sent the form. */
const confirmAgain = (button: string) => `Các thông tin bạn điền vẫn còn đây. Xin bấm "${button}" lần nữa để xác nhận.`;

const UNAVAILABLE =
  'Hệ thống đăng ký đang gặp sự cố nên chưa lưu được đăng ký của bạn. Xin thử lại sau ít phút, hoặc gọi đường dây nóng để đăng ký.';

export class SignupService {
  readonly #options: SignupServiceOptions;
  readonly #byAddress: RateLimiter;
  readonly #byPhone = new RateLimiter(PHONE_LIMIT, TEN_MINUTES);
  readonly #guesses: GuessBudget;
  readonly #commits: GroupCommit<TakePlaceResult>;
  // Built once; each parse reads the drives open at that moment from #openDrives.
  #openDrives = new Map<string, DriveOption>();
  readonly #rules = {
    findDrive: (slug: string) => this.#openDrives.get(slug),
    now: () => this.#now(),
    channels: () => this.#channels(),
    pushEndpointAllowed: (endpoint: URL) => this.#options.pushEndpointAllowed?.(endpoint) ?? false,
  };
  readonly #schema = signupSchema(this.#rules);
  readonly #waitlistSchema = signupSchema(this.#rules, { waitlist: true });

  constructor(options: SignupServiceOptions) {
    this.#options = options;
    this.#byAddress = new RateLimiter(options.addressLimit ?? DEFAULT_SIGNUP_RATE_LIMIT, TEN_MINUTES);
    this.#guesses = options.guesses ?? new GuessBudget();
    this.#commits = new GroupCommit(() => options.store().db);
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #channels(): readonly Channel[] {
    return this.#options.reminderChannels?.() ?? [];
  }

  /** The checks every post of the form passes before its answers are read: the address's limit, honeypot, token. */
  #admit(values: Record<string, string>, meta: { clientAddress: string; formToken?: string | undefined }, now: Date) {
    if (!this.#byAddress.allow(addressKey(meta.clientAddress), now.getTime())) {
      return rateLimited(
        'Có quá nhiều lượt đăng ký từ cùng một mạng trong ít phút. Xin đợi khoảng 10 phút rồi thử lại.',
      );
    }
    let token;
    try {
      token = this.#options.formTokens().check(meta.formToken, now);
    } catch (error) {
      log.error(`không có khoá mã biểu mẫu: ${(error as Error).message}`);
      return { kind: 'unavailable', message: UNAVAILABLE } as const;
    }
    if (values['website']) return { kind: 'quiet' } as const;
    if (token === null) return { kind: 'stale-form', message: STALE_FORM } as const;
    return { kind: 'admitted', token } as const;
  }

  /**
   * What a sign-up and a waitlist post both go through before the store:
   * #admit, the answers parsed with `schema` against the drives open now,
   * the too-fast check, the phone's limit, and the drive and slot chosen
   * (the schema checked both). `button` names the button that sent the form.
   */
  async #accept(
    values: Record<string, string>,
    meta: { clientAddress: string; formToken?: string | undefined },
    schema: ReturnType<typeof signupSchema>,
    button: string,
  ) {
    const now = this.#now();
    const admitted = this.#admit(values, meta, now);
    if (admitted.kind !== 'admitted') return admitted;
    const bySlug = new Map((await this.#options.drives()).map((d) => [d.slug, d]));
    this.#openDrives = bySlug;
    const parsed = await schema.safeParseAsync(values);
    if (!parsed.success) return { kind: 'invalid', errors: fieldErrors(parsed.error.issues) } as const;
    const input = parsed.data;
    const { token } = admitted;
    // Too fast for a person typing, but a phone's autofill is as fast: the answers come back
    // with a token of the same form that the next tap may send at once. Before the phone's
    // limit, so that the extra tap costs a fast person none of their tries.
    if (!token.confirmation && token.ageMs < MIN_FILL_MS) {
      const formToken = this.#options.formTokens().issueConfirmation(now, token.nonce);
      return { kind: 'confirm-again', formToken, message: confirmAgain(button) } as const;
    }
    if (!this.#byPhone.allow(input.phone, now.getTime())) {
      return rateLimited(
        'Số điện thoại này đã gửi đăng ký nhiều lần trong ít phút. Xin đợi khoảng 10 phút rồi thử lại.',
      );
    }
    const drive = bySlug.get(input.drive) as DriveOption;
    const slot = drive.slots.find((s) => s.id === input.slot) as DriveOption['slots'][number];
    return { kind: 'accepted', now, token, input, drive, slot } as const;
  }

  /**
   * "Báo tôi khi có chỗ": the same answers and checks as a sign-up, with a
   * way to reach the person, for a slot that is full. They wait in order; a
   * freed place is offered to the first (src/signup/waitlist-store.ts).
   */
  async joinWaitlist(values: Record<string, string>, meta: { clientAddress: string; formToken?: string | undefined }) {
    const accepted = await this.#accept(values, meta, this.#waitlistSchema, WAITLIST_BUTTON);
    if (accepted.kind !== 'accepted') return accepted;
    const { now, token, input, drive, slot } = accepted;
    const reminders = reminderChoiceOf(input, this.#channels());
    if (!reminders) return { kind: 'invalid', errors: { reminders: 'Hãy chọn một cách nhận tin báo.' } } as const;
    try {
      const waitlist = new WaitlistStore(this.#options.store().db);
      // A busy database (a purge's batch) is waited for from a timer, not on the serving thread.
      const result = await whenFree(() =>
        waitlist.join({
          code: newConfirmationCode(),
          slot: { drive: drive.slug, slot: slot.id, slotEnd: slot.end, capacity: slot.places },
          person: personOf(input),
          reminders,
          now,
          formNonce: token.nonce,
        }),
      );
      if (result.status === 'used-form') return { kind: 'stale-form', message: USED_FORM } as const;
      if (result.status === 'has-places') {
        return {
          kind: 'invalid',
          errors: { slot: 'Khung giờ này đang còn chỗ: hãy bấm "Đăng ký hiến máu" để giữ chỗ ngay.' },
        } as const;
      }
      return {
        kind: 'waiting',
        entry: result.entry,
        position: result.position,
        drive,
        again: result.status === 'replayed',
      } as const;
    } catch (error) {
      log.error(`không lưu được lượt vào danh sách chờ: ${(error as Error).message}`);
      return { kind: 'unavailable', message: UNAVAILABLE } as const;
    }
  }

  async signup(values: Record<string, string>, meta: { clientAddress: string; formToken?: string | undefined }) {
    const accepted = await this.#accept(values, meta, this.#schema, SIGNUP_TITLE);
    if (accepted.kind !== 'accepted') return accepted;
    const { now, token, input, drive, slot } = accepted;
    try {
      const store = this.#options.store();
      // With the other sign-ups of this turn, in one transaction (src/store/group-commit.ts); a busy
      // database (a purge's batch) is waited for from a timer, not on the serving thread.
      const result = await withFreshCodeAsync((code) =>
        this.#commits.run(() =>
          store.takePlace({
            code,
            drive: drive.slug,
            slot: slot.id,
            slotEnd: slot.end,
            capacity: slot.places,
            person: personOf(input),
            now,
            formNonce: token.nonce,
            reminders: reminderChoiceOf(input, this.#channels()),
            waitingGoFirst: true,
          }),
        ),
      );
      if (result.status === 'used-form') return { kind: 'stale-form', message: USED_FORM } as const;
      if (result.status === 'full') {
        return {
          kind: 'full',
          errors: {
            slot:
              this.#channels().length > 0
                ? 'Khung giờ này vừa hết chỗ. Hãy chọn khung giờ khác, hoặc bấm "Báo tôi khi có chỗ" để được báo khi có người hủy.'
                : 'Khung giờ này vừa hết chỗ. Hãy chọn khung giờ khác hoặc đợt khác.',
          },
        } as const;
      }
      if (result.status === 'created' && result.signup.reminderContact !== null)
        this.#options.onSignedUp?.(result.signup);
      return { kind: 'confirmed', signup: result.signup, drive, again: result.status === 'replayed' } as const;
    } catch (error) {
      // SQLite's messages name tables and constraints, never the values: safe to log.
      log.error(`không lưu được lượt đăng ký: ${(error as Error).message}`);
      return { kind: 'unavailable', message: UNAVAILABLE } as const;
    }
  }

  /**
   * Frees a place given its code and the phone it was made with. A wrong
   * code and an unknown phone get the same answer; tries are limited per
   * address, per phone and per code, together with the reminders page's
   * (guess-budget.ts), so that codes cannot be guessed.
   */
  async cancel(code: string, phone: string, clientAddress: string): Promise<CancelOutcome> {
    if (!this.#guesses.allow(code, phone, clientAddress, this.#now().getTime())) return 'rate-limited';
    let cancelled: SignupRecord | undefined;
    try {
      const store = this.#options.store();
      if (!(await whenFree(() => store.cancel(code, phone, this.#now())))) return 'not-found';
      cancelled = store.byCode(code);
    } catch (error) {
      log.error(`không lưu được lượt huỷ đăng ký: ${(error as Error).message}`);
      return 'unavailable';
    }
    // The place is free whatever happens next; offering it to the waitlist may also wait for the scheduler.
    if (cancelled && this.#options.onPlaceFreed) {
      const freed = cancelled;
      void Promise.resolve()
        .then(() => this.#options.onPlaceFreed?.(freed))
        .catch((error: unknown) =>
          log.error(`chưa mời được người trong danh sách chờ vào chỗ vừa trống: ${(error as Error).message}`),
        );
    }
    return 'cancelled';
  }
}

function rateLimited(message: string) {
  return { kind: 'rate-limited', message } as const;
}
