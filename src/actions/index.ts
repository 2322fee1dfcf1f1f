/**
 * The sign-up endpoints and the reminders'. Each takes the form as it is
 * posted, with or without JavaScript: its page renders the outcome
 * (/dang-ky/: the confirmation, the waitlist's answer, or the form again with
 * each field's error and the values kept; /nhac-hen/: a person's reminders;
 * /nhac-hen/nhan-cho/: the place offered, taken). Request-level refusals are
 * errors with their HTTP status: 429 for rate limits, 503 when the database
 * cannot take the answer.
 */
import { ActionError, defineAction } from 'astro:actions';
import { normalizeCode } from '../signup/codes.ts';
import { formValues } from '../signup/form-fields.ts';
import { signupService } from '../site/signup-runtime.ts';
import { normalizeMobile } from '../signup/phone.ts';
import { reminderService } from '../reminders/runtime.ts';
import { CHANNELS } from '../reminder-choice/reminder-types.ts';

/** A form field's text; a file sent in its place counts as nothing. */
const textOf = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');

/** What the sign-up service needs of the request besides the answers. */
const postMeta = (form: FormData, context: { clientAddress: string }) => {
  const token = form.get('formToken');
  return { clientAddress: context.clientAddress, formToken: typeof token === 'string' ? token : undefined };
};

const REFUSAL_CODES = {
  'rate-limited': 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
  'stale-form': 'BAD_REQUEST',
} as const;

/** A sign-up or waitlist post refused as a whole: an error with its HTTP status and message. */
const refusal = (outcome: { kind: keyof typeof REFUSAL_CODES; message: string }) =>
  new ActionError({ code: REFUSAL_CODES[outcome.kind], message: outcome.message });

export const server = {
  signup: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const outcome = await signupService.signup(formValues(form), postMeta(form, context));
      switch (outcome.kind) {
        case 'rate-limited':
        case 'unavailable':
        case 'stale-form':
          throw refusal(outcome);
        case 'confirmed':
          // What the confirmation shows; the person's own details stay in the database.
          return {
            kind: 'confirmed',
            code: outcome.signup.code,
            drive: outcome.drive.slug,
            slot: outcome.signup.slot,
            slotEnd: outcome.signup.slotEnd,
            again: outcome.again,
            reminders: outcome.signup.reminderContact !== null,
          } as const;
        default:
          return outcome;
      }
    },
  }),

  joinWaitlist: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const outcome = await signupService.joinWaitlist(formValues(form), postMeta(form, context));
      switch (outcome.kind) {
        case 'rate-limited':
        case 'unavailable':
        case 'stale-form':
          throw refusal(outcome);
        case 'waiting':
          return {
            kind: 'waiting',
            code: outcome.entry.code,
            drive: outcome.drive.slug,
            slot: outcome.entry.slot,
            slotEnd: outcome.entry.slotEnd,
            position: outcome.position,
            again: outcome.again,
          } as const;
        default:
          return outcome;
      }
    },
  }),

  cancelSignup: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const asked = codeAndPhone(form, 'Mã xác nhận gồm 10 chữ và số, ví dụ 7K3Q-9XWD-2P.');
      if (asked.kind === 'invalid') return asked;
      const result = await signupService.cancel(asked.code, asked.phone, context.clientAddress);
      if (result === 'rate-limited') {
        throw new ActionError({
          code: 'TOO_MANY_REQUESTS',
          message:
            'Bạn đã thử hủy nhiều lần trong ít phút. Xin đợi khoảng 10 phút rồi thử lại, hoặc gọi đường dây nóng.',
        });
      }
      if (result === 'unavailable') {
        throw new ActionError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'Hệ thống chưa hủy được đăng ký. Xin thử lại sau ít phút, hoặc gọi đường dây nóng.',
        });
      }
      return { kind: result } as const;
    },
  }),

  reminderLookup: defineAction({
    accept: 'form',
    handler: (form: FormData, context) => {
      const asked = codeAndPhone(form);
      if (asked.kind === 'invalid') return asked;
      const result = reminderService.lookup(asked.code, asked.phone, context.clientAddress);
      refuseReminderFailure(result.kind);
      return result.kind === 'found'
        ? ({ kind: 'found', view: result.view, code: asked.code } as const)
        : ({ kind: 'not-found' } as const);
    },
  }),

  stopReminders: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const asked = codeAndPhone(form);
      if (asked.kind === 'invalid') return asked;
      // One channel (a button beside each), or all of them.
      const named = form.get('channel');
      if (named !== null) {
        const channel = CHANNELS.find((c) => c === named);
        if (!channel) {
          throw new ActionError({
            code: 'BAD_REQUEST',
            message: 'Không rõ kênh nhắc hẹn cần dừng. Hãy mở lại trang Nhắc hẹn và bấm nút của kênh đó.',
          });
        }
        const result = await reminderService.stopChannel(asked.code, asked.phone, context.clientAddress, channel);
        refuseReminderFailure(result.kind);
        if (result.kind === 'channel-stopped')
          return { kind: 'found', view: result.view, code: asked.code, stoppedChannel: channel } as const;
        // A channel they do not have: their reminders as they are.
        if (result.kind === 'channel-not-used') return { kind: 'found', view: result.view, code: asked.code } as const;
        return { kind: result.kind === 'not-found' ? 'not-found' : 'stopped' } as const;
      }
      const result = await reminderService.stop(asked.code, asked.phone, context.clientAddress);
      refuseReminderFailure(result);
      return { kind: result === 'not-found' ? 'not-found' : 'stopped' } as const;
    },
  }),

  acceptOffer: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const result = await reminderService.accept(textOf(form.get('offer')), context.clientAddress);
      if (result.kind === 'rate-limited') {
        throw new ActionError({
          code: 'TOO_MANY_REQUESTS',
          message:
            'Có quá nhiều lượt nhận chỗ từ cùng một mạng. Xin đợi vài phút rồi thử lại, hoặc gọi đường dây nóng.',
        });
      }
      if (result.kind === 'unavailable') {
        throw new ActionError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'Hệ thống chưa nhận được chỗ cho bạn. Xin thử lại sau ít phút, hoặc gọi đường dây nóng.',
        });
      }
      if (result.kind === 'accepted' || result.kind === 'already') {
        return {
          kind: 'confirmed',
          code: result.signup.code,
          drive: result.signup.drive,
          slot: result.signup.slot,
          slotEnd: result.signup.slotEnd,
          again: result.kind === 'already',
        } as const;
      }
      return { kind: result.kind } as const;
    },
  }),
};

/**
 * The code and phone of the cancel and reminders forms, or each one's error
 * (`codeError`: the cancel page asks for a confirmation code, the reminders
 * page takes a waitlist code too).
 */
function codeAndPhone(form: FormData, codeError = 'Mã gồm 10 chữ và số, ví dụ 7K3Q-9XWD-2P.') {
  const code = normalizeCode(textOf(form.get('code')));
  const phone = normalizeMobile(textOf(form.get('phone')));
  if (!code || !phone) {
    return {
      kind: 'invalid',
      errors: {
        ...(code ? {} : { code: codeError }),
        ...(phone ? {} : { phone: 'Hãy nhập số điện thoại di động bạn đã dùng khi đăng ký.' }),
      },
    } as const;
  }
  return { kind: 'ok', code, phone } as const;
}

function refuseReminderFailure(kind: string): void {
  if (kind === 'rate-limited') {
    throw new ActionError({
      code: 'TOO_MANY_REQUESTS',
      message: 'Bạn đã thử nhiều lần trong ít phút. Xin đợi khoảng 10 phút rồi thử lại, hoặc gọi đường dây nóng.',
    });
  }
  if (kind === 'unavailable') {
    throw new ActionError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'Hệ thống đang gặp sự cố. Xin thử lại sau ít phút, hoặc gọi đường dây nóng.',
    });
  }
}
