/**
 * Which uploaded pictures an article may take: JPEG, PNG or WebP, told by the file's own first
 * bytes, never by its name or the type the browser claims. SVG is refused: it is a document
 * that can carry scripts and links (docs/editors.md, "Pictures"), and no photo needs it. The
 * upload re-encodes what passes with sharp; this is the gate before that.
 */
import { IMAGE_NOT_A_PHOTO } from './body-words.ts';

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
