/**
 * QR codes as SVG, made at build time with the `qrcode` package: the code
 * for a page's address, to print on posters and show on screens.
 */
import QRCode from 'qrcode';

/** An SVG of the QR code for `url`, scalable, dark on white, with a quiet zone. */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    color: { dark: '#000000', light: '#ffffff' },
  });
}
