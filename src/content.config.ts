import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { yamlFolder } from './drives/yaml-folder-loader.ts';
import { driveSchema } from './drives/drive-schema.ts';
import { placeSchema } from './drives/place-schema.ts';
import { readPublishedResults, withPublishedResult } from './console/published-results.ts';
import { readSettings } from './settings.ts';
import { editorDate, phoneNumber } from './shared/content-fields.ts';
import { SLOGAN } from './shared/site.ts';
import { readBuildSettings } from './build-settings.ts';
import { safeBodies } from './news/safe-body-loader.ts';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS } from './news/body-components.ts';
import { useVietnameseErrors } from './shared/zod-vietnamese.ts';
import { yamlFile } from './shared/yaml-file-loader.ts';

/*
 * The schemas are the contract with the editors. Messages are written, in Vietnamese, for a
 * person who edits YAML front matter, not for a programmer: each names the field's purpose
 * and the rule that was broken. Astro prefixes them with the file and the field path; checks
 * without a message of their own speak Vietnamese too (src/shared/zod-vietnamese.ts).
 */
useVietnameseErrors();

// Overridable so that tests can validate a fixture folder without touching the real content.
const contentRoot = readBuildSettings().contentDir;

const organisation = z.strictObject({
  name: z.string().min(3, 'name (tên tổ chức) là bắt buộc'),
  shortName: z.string().min(2).optional(),
  url: z.url('url phải là địa chỉ đầy đủ, bắt đầu bằng https://').optional(),
});

const campaign = defineCollection({
  // One entry, "campaign", read by the safe YAML reader (no aliases: src/shared/safe-yaml.ts).
  loader: yamlFile({ path: `${contentRoot}/campaign.yaml`, entries: 'one' }),
  schema: z.strictObject({
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
  }),
});

const news = defineCollection({
  // Bodies hold no code (docs/editors.md, "What a body may hold"): checked before MDX compiles them.
  loader: safeBodies(
    glob({ pattern: '**/*.{md,mdx}', base: `${contentRoot}/news` }),
    `${contentRoot}/news`,
    ARTICLE_COMPONENTS,
  ),
  schema: ({ image }) =>
    z
      .strictObject({
        title: z
          .string()
          .min(10, 'title (tiêu đề) cần ít nhất 10 ký tự')
          .max(90, 'title (tiêu đề) tối đa 90 ký tự, để vừa kết quả tìm kiếm và khi chia sẻ'),
        description: z
          .string()
          .min(50, 'description (phần tóm tắt) cần ít nhất 50 ký tự: đây là đoạn hiện trong danh sách và khi chia sẻ')
          .max(160, {
            error: (issue) =>
              `description (phần tóm tắt) tối đa 160 ký tự: đây là đoạn hiện trong kết quả tìm kiếm (phần này có ${typeof issue.input === 'string' ? issue.input.length : '?'} ký tự)`,
          }),
        date: editorDate('date'),
        updated: editorDate('updated').optional(),
        author: z.string().min(2, 'author (người viết) là bắt buộc'),
        tags: z
          .array(
            z
              .string()
              .min(2, 'mỗi chủ đề trong tags cần ít nhất 2 ký tự')
              .max(40, 'mỗi chủ đề trong tags tối đa 40 ký tự'),
          )
          .min(1, 'tags cần ít nhất một chủ đề')
          .max(6, 'tags tối đa 6 chủ đề'),
        image: z
          .strictObject({
            src: image(),
            alt: z.string().min(5, 'image.alt phải tả bức ảnh cho người không nhìn thấy được (ít nhất 5 ký tự)'),
          })
          .optional(),
        draft: z.boolean().default(false),
      })
      .refine((a) => a.updated === undefined || a.updated >= a.date, {
        message: 'updated (ngày cập nhật) không được trước date (ngày đăng)',
        path: ['updated'],
      }),
});

const pages = defineCollection({
  loader: safeBodies(
    glob({ pattern: '*.{md,mdx}', base: `${contentRoot}/pages` }),
    `${contentRoot}/pages`,
    PAGE_COMPONENTS,
  ),
  schema: z.strictObject({
    title: z.string().min(3, 'title (tiêu đề) là bắt buộc').max(70, 'title (tiêu đề) tối đa 70 ký tự'),
    description: z
      .string()
      .min(50, 'description (phần tóm tắt) cần ít nhất 50 ký tự')
      .max(160, 'description (phần tóm tắt) tối đa 160 ký tự'),
    updated: editorDate('updated'),
  }),
});

// One file per drive; the file name is the drive's address, /diem-hien-mau/<file name>/.
// Units given that an admin published from the organisers' console (docs/organisers.md) join a drive
// whose file does not yet say how it ended.
const published = readPublishedResults(readSettings().signupDb);
const drives = defineCollection({
  loader: yamlFolder({
    base: `${contentRoot}/drives`,
    overlay: (id, data) => withPublishedResult(id, data, published),
  }),
  schema: driveSchema,
});

// The province's communes and wards, their former units and old districts, for "where are you?"
// on the map page (docs/editors.md, "The place list"). One file; each entry's id is its address
// in the list and in error messages.
const places = defineCollection({
  loader: yamlFile({ path: `${contentRoot}/places.yaml`, entries: 'list' }),
  schema: placeSchema,
});

export const collections = { campaign, news, pages, drives, places };
