/**
 * The test site's drives as its content files say, read independently of the site
 * (js-yaml and the schema), so browser tests can work out what a page should
 * show at the moment they run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { driveSchema, type DriveData } from '../../src/drives/drive-schema.ts';
import { slugify } from '../../src/shared/vietnamese.ts';
import { FIXTURE_CONTENT } from '../../scripts/fixture-site.mjs';

export type TestDrive = DriveData & { slug: string };

// The test site's drives as built, their dates made relative to the day of the build.
const folder = resolve(FIXTURE_CONTENT, 'drives');

export async function readDrives(): Promise<TestDrive[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.yaml'));
  return Promise.all(
    names.map(async (name) => ({
      ...driveSchema.parse(yaml.load(await readFile(resolve(folder, name), 'utf8'), { schema: yaml.CORE_SCHEMA })),
      slug: slugify(name.replace(/\.yaml$/, '')),
    })),
  );
}
