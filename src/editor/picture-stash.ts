/**
 * A picture that passed its checks while another field of the article did not: kept, already
 * re-encoded, under PUBLISH_DIR/anh-cho/ (the service's state directory, which it may write),
 * so the editor fixes the field without choosing the photo again. The form carries only its
 * name, the digest of its bytes, which is checked again when it is taken: a name sent by hand
 * cannot reach another file, nor a file changed behind the form. Kept a day at most.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSettings } from '../settings.ts';
import type { PreparedPicture } from './picture-upload.ts';

const NAME = /^([0-9a-f]{10})\.(jpg|png|webp)$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export type KeptPicture = Pick<PreparedPicture, 'bytes' | 'digest' | 'extension'>;

export const defaultStashDir = () => join(resolve(readSettings().content.publishDir), 'anh-cho');

/** Keeps the picture; its name for the form's hidden field. Pictures older than a day go. */
export async function stashPicture(dir: string, picture: KeptPicture, now = Date.now()): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const old of await readdir(dir)) {
    const file = join(dir, old);
    if (now - (await stat(file)).mtimeMs > DAY_MS) await rm(file, { force: true });
  }
  const name = `${picture.digest}.${picture.extension}`;
  await writeFile(join(dir, name), picture.bytes);
  return name;
}

/** The picture the form names, when it is one kept here and its bytes are still its digest's. */
export async function takeStashed(dir: string, name: unknown): Promise<KeptPicture | undefined> {
  const match = typeof name === 'string' ? NAME.exec(name) : null;
  if (!match) return undefined;
  const [, digest = '', extension] = match;
  const bytes = await readFile(join(dir, name as string)).catch(() => undefined);
  if (!bytes || !createHash('sha256').update(bytes).digest('hex').startsWith(digest)) return undefined;
  return { bytes, digest, extension: extension as KeptPicture['extension'] };
}
