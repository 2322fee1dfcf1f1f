/**
 * An article's picture as the console stores it (docs/editors.md, "Ảnh của bài viết"): the
 * upload is checked by its own bytes and the pixels it claims (src/news/image-safety.ts),
 * then decoded and encoded again by sharp, turned upright by its EXIF orientation and
 * written without any of its metadata: no EXIF, no GPS position, no camera serial, no XMP.
 * sharp drops all metadata unless told to keep it; re-encoding also drops anything hidden
 * after the image data. SVG never gets this far (the gate refuses it).
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { checkUploadedImage, type PhotoKind } from '../news/image-safety.ts';
import { IMAGE_UNREADABLE } from '../news/body-words.ts';
import { ARTICLE_PICTURE_MAX_BYTES, ARTICLE_PICTURE_MAX_PIXELS, ARTICLE_PICTURE_MAX_WIDTH } from '../shared/limits.ts';

export interface PreparedPicture {
  bytes: Buffer;
  kind: PhotoKind;
  /** The file's extension in news/images/. */
  extension: 'jpg' | 'png' | 'webp';
  width: number;
  height: number;
  /** The first hex digits of the stored bytes' SHA-256: the same picture gets the same name. */
  digest: string;
}

export type PictureOutcome = ({ ok: true } & PreparedPicture) | { ok: false; message: string };

const EXTENSIONS = { jpeg: 'jpg', png: 'png', webp: 'webp' } as const;

export async function preparePicture(
  upload: Uint8Array,
  limits = {
    maxBytes: ARTICLE_PICTURE_MAX_BYTES,
    maxPixels: ARTICLE_PICTURE_MAX_PIXELS,
    maxWidth: ARTICLE_PICTURE_MAX_WIDTH,
  },
): Promise<PictureOutcome> {
  const verdict = await checkUploadedImage(upload, limits);
  if (!verdict.ok) return verdict;
  const pipeline = sharp(upload, { limitInputPixels: limits.maxPixels, failOn: 'error' })
    .rotate()
    .resize({ width: limits.maxWidth, withoutEnlargement: true });
  const encoded =
    verdict.kind === 'jpeg'
      ? pipeline.jpeg({ quality: 85, mozjpeg: true })
      : verdict.kind === 'png'
        ? pipeline.png({ compressionLevel: 9 })
        : pipeline.webp({ quality: 85 });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      bytes: data,
      kind: verdict.kind,
      extension: EXTENSIONS[verdict.kind],
      width: info.width,
      height: info.height,
      digest: createHash('sha256').update(data).digest('hex').slice(0, 10),
    };
  } catch {
    return { ok: false, message: IMAGE_UNREADABLE };
  }
}
