/**
 * Vietnamese text folding. Unicode decomposition strips tones and vowel
 * marks, but đ/Đ are letters of their own that do not decompose, so they are
 * mapped by hand: "đường" folds to "duong", as people type it on phones.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Removes tones and vowel marks and maps đ→d, Đ→D; keeps case. */
export function foldVietnamese(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** A URL segment without diacritics: "Hiến máu tình nguyện" → "hien-mau-tinh-nguyen". */
export function slugify(text: string): string {
  return foldVietnamese(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
