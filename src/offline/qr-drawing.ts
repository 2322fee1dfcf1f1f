/**
 * A QR code drawn in the browser from its modules (sharing/qr.ts qrModules):
 * one SVG path, black on white, with a quiet zone of 4 modules. Built with
 * DOM calls, never from stored markup.
 */
const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4;

export function qrSvg(qr: { size: number; bits: string }, label: string): SVGSVGElement {
  const side = qr.size + QUIET * 2;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#ffffff');
  const path = document.createElementNS(SVG, 'path');
  let d = '';
  for (let i = 0; i < qr.bits.length; i += 1) {
    if (qr.bits[i] === '1') d += `M${(i % qr.size) + QUIET} ${Math.floor(i / qr.size) + QUIET}h1v1h-1z`;
  }
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000000');
  svg.append(background, path);
  return svg;
}
