/**
 * The sign-up endpoints. Both take the form as it is posted, with or without
 * JavaScript: the page /dang-ky/ renders the outcome (confirmation, or the
 * form again with each field's error and the values kept). Request-level
 * refusals are errors with their HTTP status: 429 for rate limits, 503 when
 * the database cannot take the sign-up.
 */
import { ActionError, defineAction } from 'astro:actions';
import { normalizeCode } from '../signup/codes.ts';
import { formValues } from '../signup/form-fields.ts';
import { signupService } from '../signup/runtime.ts';
import { normalizeMobile } from '../signup/phone.ts';

/** A form field's text; a file sent in its place counts as nothing. */
const textOf = (value: FormDataEntryValue | null) => (typeof value === 'string' ? value : '');

export const server = {
  signup: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const token = form.get('formToken');
      const outcome = await signupService.signup(formValues(form), {
        clientAddress: context.clientAddress,
        formToken: typeof token === 'string' ? token : undefined,
      });
      switch (outcome.kind) {
        case 'rate-limited':
          throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: outcome.message });
        case 'unavailable':
          throw new ActionError({ code: 'SERVICE_UNAVAILABLE', message: outcome.message });
        case 'stale-form':
          throw new ActionError({ code: 'BAD_REQUEST', message: outcome.message });
        case 'confirmed':
          // What the confirmation shows; the person's own details stay in the database.
          return {
            kind: 'confirmed',
            code: outcome.signup.code,
            drive: outcome.drive.slug,
            slot: outcome.signup.slot,
            slotEnd: outcome.signup.slotEnd,
            again: outcome.again,
          } as const;
        default:
          return outcome;
      }
    },
  }),

  cancelSignup: defineAction({
    accept: 'form',
    handler: (form: FormData, context) => {
      const code = normalizeCode(textOf(form.get('code')));
      const phone = normalizeMobile(textOf(form.get('phone')));
      if (!code || !phone) {
        return {
          kind: 'invalid',
          errors: {
            ...(code ? {} : { code: 'Mã xác nhận gồm 10 chữ và số, ví dụ 7K3Q-9XWD-2P.' }),
            ...(phone ? {} : { phone: 'Hãy nhập số điện thoại di động bạn đã dùng khi đăng ký.' }),
          },
        } as const;
      }
      const result = signupService.cancel(code, phone, context.clientAddress);
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
};
