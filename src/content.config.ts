import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
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

/*
 * The schemas are the contract with the editors. Messages are written for a
 * person who edits YAML front matter, not for a programmer: each names the
 * field's purpose and the rule that was broken. Astro prefixes them with the
 * file and the field path.
 */

// Overridable so that tests can validate a fixture folder without touching the real content.
const contentRoot = readBuildSettings().contentDir;

const organisation = z.strictObject({
  name: z.string().min(3, 'name of the organisation is required'),
  shortName: z.string().min(2).optional(),
  url: z.url('url must be a full address starting with https://').optional(),
});

const campaign = defineCollection({
  loader: glob({ pattern: 'campaign.yaml', base: contentRoot }),
  schema: z.strictObject({
    name: z.string().min(5, 'name of the campaign is required'),
    slogan: z.literal(SLOGAN, {
      error: `slogan must be exactly "${SLOGAN}" (with the en dash –)`,
    }),
    organiser: organisation,
    partner: organisation,
    hotline: phoneNumber('hotline'),
    unitsTarget: z.number().int().positive('unitsTarget must be a whole number above 0'),
    unitsGiven: z.number().int().nonnegative('unitsGiven must be a whole number, 0 or more'),
    period: z
      .strictObject({ start: editorDate('period.start'), end: editorDate('period.end').optional() })
      .refine((p) => p.end === undefined || p.end >= p.start, {
        message: 'period.end must not be before period.start',
      }),
  }),
});

const news = defineCollection({
  // Bodies hold no code (docs/editors.md, "What a body may hold"): checked before MDX compiles them.
  loader: safeBodies(glob({ pattern: '**/*.{md,mdx}', base: `${contentRoot}/news` }), `${contentRoot}/news`),
  schema: ({ image }) =>
    z
      .strictObject({
        title: z
          .string()
          .min(10, 'title must be at least 10 characters')
          .max(90, 'title must be at most 90 characters so it fits in search results and shares'),
        description: z
          .string()
          .min(50, 'description must be at least 50 characters: it is the summary shown in lists and shares')
          .max(160, {
            error: (issue) =>
              `description must be at most 160 characters: it is the summary shown in search results (this one has ${typeof issue.input === 'string' ? issue.input.length : '?'})`,
          }),
        date: editorDate('date'),
        updated: editorDate('updated').optional(),
        author: z.string().min(2, 'author is required'),
        tags: z
          .array(z.string().min(2, 'each tag needs at least 2 characters').max(40))
          .min(1, 'tags needs at least one tag')
          .max(6, 'tags can have at most 6 tags'),
        image: z
          .strictObject({
            src: image(),
            alt: z.string().min(5, 'image.alt must describe the picture for people who cannot see it'),
          })
          .optional(),
        draft: z.boolean().default(false),
      })
      .refine((a) => a.updated === undefined || a.updated >= a.date, {
        message: 'updated must not be before date',
        path: ['updated'],
      }),
});

const pages = defineCollection({
  loader: safeBodies(glob({ pattern: '*.{md,mdx}', base: `${contentRoot}/pages` }), `${contentRoot}/pages`),
  schema: z.strictObject({
    title: z.string().min(3, 'title is required').max(70, 'title must be at most 70 characters'),
    description: z
      .string()
      .min(50, 'description must be at least 50 characters')
      .max(160, 'description must be at most 160 characters'),
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
  loader: file(`${contentRoot}/places.yaml`),
  schema: placeSchema,
});

export const collections = { campaign, news, pages, drives, places };
