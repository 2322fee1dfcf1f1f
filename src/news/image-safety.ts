/**
 * Which uploaded pictures an article may take: JPEG, PNG or WebP, told by the file's own first
 * bytes, never by its name or the type the browser claims. SVG is refused: it is a document
 * that can carry scripts and links (docs/editors.md, "Pictures"), and no photo needs it. The
 * upload re-encodes what passes with sharp; this is the gate before that.
 */
import { IMAGE_NOT_A_PHOTO, IMAGE_TOO_LARGE, IMAGE_TOO_MANY_PIXELS, IMAGE_UNREADABLE } from './body-words.ts';

export type PhotoKind = 'jpeg' | 'png' | 'webp';

export type ImageVerdict = { ok: true; kind: PhotoKind } | { ok: false; message: string };

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** The photo format the bytes are, or undefined for anything else (SVG, HTML, GIF, empty…). */
export function imageKindOf(bytes: Uint8Array): PhotoKind | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return undefined;
}

/** Whether an upload may go on to be re-encoded, with the Vietnamese message when not. */
export function isImageAllowed(bytes: Uint8Array): ImageVerdict {
  const kind = imageKindOf(bytes);
  return kind ? { ok: true, kind } : { ok: false, message: IMAGE_NOT_A_PHOTO };
}

/** What an upload may be: its size in bytes and the pixels it claims (a small file can claim a huge picture). */
export interface UploadLimits {
  maxBytes: number;
  maxPixels: number;
}

/** 10 MB and 40 megapixels: more than any phone's photo, far less than a decompression bomb. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 };

/**
 * The whole gate before re-encoding: a photo format by its bytes, within the size, and a
 * width × height read from the file's header (sharp reads it without decoding the pixels)
 * within the pixel limit, so "20,000 × 20,000 in 50 kB" is refused before anything is decoded.
 */
export async function checkUploadedImage(
  bytes: Uint8Array,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): Promise<ImageVerdict & { width?: number; height?: number }> {
  const verdict = isImageAllowed(bytes);
  if (!verdict.ok) return verdict;
  if (bytes.length > limits.maxBytes) {
    return { ok: false, message: IMAGE_TOO_LARGE(Math.round(limits.maxBytes / 1024 / 1024)) };
  }
  const { default: sharp } = await import('sharp');
  const size = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .then(
      (metadata) => ({ width: metadata.width, height: metadata.height }),
      () => ({ width: 0, height: 0 }),
    );
  const { width, height } = size;
  if (width <= 0 || height <= 0) return { ok: false, message: IMAGE_UNREADABLE };
  if (width * height > limits.maxPixels) {
    return { ok: false, message: IMAGE_TOO_MANY_PIXELS(width, height, Math.round(limits.maxPixels / 1_000_000)) };
  }
  return { ...verdict, width, height };
}
