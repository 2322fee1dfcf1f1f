/**
 * The schemas of articles, pages and campaign.yaml, in one home for the build
 * (src/content.config.ts) and the console's forms (src/editor/article-form.ts): the
 * form checks a save with the very rules, and the very Vietnamese messages, the build
 * would stop on. Messages are written for a person who edits the file, not for a
 * programmer: each names the field's purpose and the rule that was broken.
 */
import { z } from 'astro/zod';
import { editorDate, phoneNumber } from '../shared/content-fields.ts';
import { SLOGAN } from '../shared/site.ts';

/** Limits the form counts against as the editor types (the schema below says the same). */
export const ARTICLE_LIMITS = {
  title: { min: 10, max: 90 },
  description: { min: 50, max: 160 },
  tags: { min: 1, max: 6, each: { min: 2, max: 40 } },
  alt: { min: 5 },
} as const;
export const PAGE_LIMITS = { title: { min: 3, max: 70 }, description: { min: 50, max: 160 } } as const;

/**
 * An article's front matter. `picture` is the schema of `image.src`: the build's
 * `image()` (the file must exist and be a picture), or a plain path in the console,
 * where the picture is checked as it is uploaded.
 */
export function articleSchema<Picture extends z.ZodType>(picture: Picture) {
  const { title, description, tags, alt } = ARTICLE_LIMITS;
  return z
    .strictObject({
      title: z
        .string()
        .min(title.min, `title (tiêu đề) cần ít nhất ${title.min} ký tự`)
        .max(title.max, `title (tiêu đề) tối đa ${title.max} ký tự, để vừa kết quả tìm kiếm và khi chia sẻ`),
      description: z
        .string()
        .min(
          description.min,
          `description (phần tóm tắt) cần ít nhất ${description.min} ký tự: đây là đoạn hiện trong danh sách và khi chia sẻ`,
        )
        .max(description.max, {
          error: (issue) =>
            `description (phần tóm tắt) tối đa ${description.max} ký tự: đây là đoạn hiện trong kết quả tìm kiếm (phần này có ${typeof issue.input === 'string' ? issue.input.length : '?'} ký tự)`,
        }),
      date: editorDate('date'),
      updated: editorDate('updated').optional(),
      author: z.string().min(2, 'author (người viết) là bắt buộc'),
      tags: z
        .array(
          z
            .string()
            .min(tags.each.min, `mỗi chủ đề trong tags cần ít nhất ${tags.each.min} ký tự`)
            .max(tags.each.max, `mỗi chủ đề trong tags tối đa ${tags.each.max} ký tự`),
        )
        .min(tags.min, 'tags cần ít nhất một chủ đề')
        .max(tags.max, `tags tối đa ${tags.max} chủ đề`),
      image: z
        .strictObject({
          src: picture,
          alt: z
            .string()
            .min(alt.min, `image.alt phải tả bức ảnh cho người không nhìn thấy được (ít nhất ${alt.min} ký tự)`),
        })
        .optional(),
      draft: z.boolean().default(false),
    })
    .refine((a) => a.updated === undefined || a.updated >= a.date, {
      message: 'updated (ngày cập nhật) không được trước date (ngày đăng)',
      path: ['updated'],
    });
}

export const pageSchema = z.strictObject({
  title: z
    .string()
    .min(PAGE_LIMITS.title.min, 'title (tiêu đề) là bắt buộc')
    .max(PAGE_LIMITS.title.max, `title (tiêu đề) tối đa ${PAGE_LIMITS.title.max} ký tự`),
  description: z
    .string()
    .min(PAGE_LIMITS.description.min, `description (phần tóm tắt) cần ít nhất ${PAGE_LIMITS.description.min} ký tự`)
    .max(PAGE_LIMITS.description.max, `description (phần tóm tắt) tối đa ${PAGE_LIMITS.description.max} ký tự`),
  updated: editorDate('updated'),
});

const organisation = z.strictObject({
  name: z.string().min(3, 'name (tên tổ chức) là bắt buộc'),
  shortName: z.string().min(2).optional(),
  url: z.url('url phải là địa chỉ đầy đủ, bắt đầu bằng https://').optional(),
});

export const campaignSchema = z.strictObject({
  name: z.string().min(5, 'name (tên chiến dịch) là bắt buộc'),
  slogan: z.literal(SLOGAN, {
    error: `slogan phải đúng từng chữ "${SLOGAN}" (với dấu gạch ngang dài –)`,
  }),
  organiser: organisation,
  partner: organisation,
  hotline: phoneNumber('hotline'),
  unitsTarget: z.number().int().positive('unitsTarget (chỉ tiêu, số đơn vị máu) phải là số nguyên lớn hơn 0'),
  unitsGiven: z.number().int().nonnegative('unitsGiven (số đơn vị máu đã nhận) phải là số nguyên, từ 0 trở lên'),
  period: z
    .strictObject({ start: editorDate('period.start'), end: editorDate('period.end').optional() })
    .refine((p) => p.end === undefined || p.end >= p.start, {
      message: 'period.end (ngày kết thúc) không được trước period.start (ngày bắt đầu)',
    }),
});
