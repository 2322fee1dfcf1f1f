/**
 * A stand-in camera for the console's QR scanner: a QR code as a Y4M video
 * file, which Chromium plays as its webcam (--use-file-for-fake-video-capture,
 * looping it), and the reverse, reading a QR code from a PNG screenshot. Both
 * use the same code as the site (src/sharing/qr.ts draws the confirmation's SVG,
 * jsQR reads the camera on phones without BarcodeDetector).
 */
import { writeFile } from 'node:fs/promises';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { qrModules } from '../../src/sharing/qr.ts';

// Studio-range luma, as Y4M players expect: 16 is black, 235 white; 128 is no colour.
const BLACK = 16;
const WHITE = 235;
const NO_CHROMA = 128;
/** The quiet zone the QR standard asks for, in modules on each side. */
const QUIET_MODULES = 4;

export interface QrVideoOptions {
  width?: number;
  height?: number;
  frames?: number;
}

/**
 * Writes `text` as a QR code (error correction M, as the site draws it) in
 * the middle of a still Y4M video at `path`: 4:2:0, 10 frames a second,
 * `frames` identical frames.
 */
export async function writeQrVideo(text: string, path: string, options: QrVideoOptions = {}): Promise<void> {
  const { width = 640, height = 480, frames = 10 } = options;
  // 4:2:0 halves the chroma planes in both directions.
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('Y4M 4:2:0 needs an even width and height');
  const modules = qrModules(text);
  const moduleCount = modules.size + 2 * QUIET_MODULES;
  // Whole pixels per module keep every module's edges sharp for the decoder.
  const scale = Math.floor(Math.min(width, height) / moduleCount);
  if (scale < 2) throw new Error(`a ${width}×${height} frame is too small for a ${modules.size}-module QR code`);
  const left = Math.floor((width - modules.size * scale) / 2);
  const top = Math.floor((height - modules.size * scale) / 2);

  const luma = Buffer.alloc(width * height, WHITE);
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      if (modules.bits[row * modules.size + col] !== '1') continue;
      for (let y = top + row * scale; y < top + (row + 1) * scale; y += 1) {
        luma.fill(BLACK, y * width + left + col * scale, y * width + left + (col + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, NO_CHROMA);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}

/** The text of the QR code in a PNG image, or null when jsQR finds none. */
export function readQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height)?.data ?? null;
}
