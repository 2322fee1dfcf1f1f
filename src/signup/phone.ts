/**
 * Vietnamese mobile numbers as people type them: "0912 345 678",
 * "+84 912.345.678", "84912345678". Stored in one form, +84 and nine digits,
 * so that the same person typing it two ways is recognised.
 */

// Mobile networks' prefixes after the 0: 03, 05, 07, 08, 09.
const MOBILE = /^(?:\+?84|0)([35789]\d{8})$/;

/** "+84912345678", or null when the text is not a Vietnamese mobile number. */
export function normalizeMobile(text: string): string | null {
  const digits = text.trim().replace(/[\s.()-]/g, '');
  const match = MOBILE.exec(digits);
  return match ? `+84${match[1]}` : null;
}

/** "0912 345 678": how a stored number is shown back to its owner. */
export function formatMobile(normalized: string): string {
  const national = `0${normalized.replace(/^\+84/, '')}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}
