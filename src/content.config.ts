import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { yamlFolder } from './drives/yaml-folder-loader.ts';
import { driveSchema } from './drives/drive-schema.ts';
import { placeSchema } from './drives/place-schema.ts';
import { readPublishedResults, withPublishedResult } from './console/published-results.ts';
import { readSettings } from './settings.ts';
import { articleSchema, campaignSchema, pageSchema } from './news/content-schemas.ts';
import { readBuildSettings } from './build-settings.ts';
import { safeBodies } from './news/safe-body-loader.ts';
import { ARTICLE_COMPONENTS, PAGE_COMPONENTS } from './news/body-components.ts';
import { useVietnameseErrors } from './shared/zod-vietnamese.ts';
import { yamlFile } from './shared/yaml-file-loader.ts';

/*
 * The schemas are the contract with the editors (articles, pages and the campaign in
 * src/news/content-schemas.ts, which the console's forms check with too). Astro prefixes
 * their messages with the file and the field path; checks without a message of their own
 * speak Vietnamese too (src/shared/zod-vietnamese.ts).
 */
useVietnameseErrors();

// Overridable so that tests can validate a fixture folder without touching the real content.
const contentRoot = readBuildSettings().contentDir;

const campaign = defineCollection({
  // One entry, "campaign", read by the safe YAML reader (no aliases: src/shared/safe-yaml.ts).
  loader: yamlFile({ path: `${contentRoot}/campaign.yaml`, entries: 'one' }),
  schema: campaignSchema,
});

const news = defineCollection({
  // Bodies hold no code (docs/editors.md, "What a body may hold"): checked before MDX compiles them.
  loader: safeBodies(
    glob({ pattern: '**/*.{md,mdx}', base: `${contentRoot}/news` }),
    `${contentRoot}/news`,
    ARTICLE_COMPONENTS,
  ),
  schema: ({ image }) => articleSchema(image()),
});

const pages = defineCollection({
  loader: safeBodies(
    glob({ pattern: '*.{md,mdx}', base: `${contentRoot}/pages` }),
    `${contentRoot}/pages`,
    PAGE_COMPONENTS,
  ),
  schema: pageSchema,
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
