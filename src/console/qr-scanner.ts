/**
 * Reading a confirmation's QR code with the device's camera, loaded only
 * when the organiser presses "Quét mã QR". The browser's BarcodeDetector
 * where it reads QR codes (Android's Chrome); jsQR otherwise — pure
 * JavaScript, so no WebAssembly that the site's Content-Security-Policy
 * would have to allow, and nothing fetched from elsewhere.
 */
import { normalizeCode } from '../signup/codes.ts';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are read at most this wide: enough for a code held up to the camera, cheap on a slow phone. */
const SCAN_WIDTH = 480;
const SCAN_EVERY_MS = 150;

async function detectorFor(video: HTMLVideoElement): Promise<() => Promise<string | null>> {
  const native = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (native && (await native.getSupportedFormats()).includes('qr_code')) {
    const detector = new native({ formats: ['qr_code'] });
    return async () => (await detector.detect(video))[0]?.rawValue ?? null;
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return () => {
    if (!context || video.videoWidth === 0) return Promise.resolve(null);
    const scale = Math.min(1, SCAN_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return Promise.resolve(jsQR(image.data, image.width, image.height)?.data ?? null);
  };
}

/**
 * Shows the back camera in `video` and calls `onCode` with the first
 * confirmation code it reads, then stops. Returns a function that stops it sooner.
 */
export async function startScanner(video: HTMLVideoElement, onCode: (code: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    await video.play();
    const detect = await detectorFor(video);
    const tick = async () => {
      if (stopped) return;
      const text = await detect().catch(() => null);
      const code = text && normalizeCode(text);
      if (code) {
        stop();
        onCode(code);
        return;
      }
      setTimeout(() => void tick(), SCAN_EVERY_MS);
    };
    void tick();
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
