/**
 * The text of a reminder by SMS, and its parts. By default Vietnamese is
 * folded to GSM-7 without its diacritics ("Nhắc hẹn" → "Nhac hen"): every
 * phone, feature phones included, shows it, and a reminder fits one
 * 160-character part. With SMS_UNICODE=1 it keeps its diacritics as UCS-2, 70
 * characters a part. A longer text is split with a concatenation header (UDH,
 * GSM 03.40 9.2.3.24.1: 153 GSM characters or 67 UCS-2 ones a part) that the
 * phone joins back. Pure, so it is unit tested; sms.ts sends the parts.
 */
import smpp from 'smpp';

/** GSM 03.38's default alphabet, and the characters of its extension table (two septets each). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€';

/** Typographic characters a GSM phone cannot show, as the plain ones it can. */
const PLAIN: Record<string, string> = {
  '–': '-',
  '—': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '…': '...',
  '·': '.',
  '•': '-',
  '\u00a0': ' ',
};

/**
 * Vietnamese without diacritics, in GSM-7's alphabet only: marks removed, đ as
 * d, anything else the alphabet lacks (emoji, control characters) dropped or
 * made a space, so a name typed with emoji cannot turn the message into UCS-2.
 */
export function foldToGsm(text: string): string {
  const folded = text
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
  let out = '';
  for (const char of folded) {
    const plain = PLAIN[char] ?? char;
    if (/^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u.test(plain) && plain !== '\n') out += ' ';
    else if ([...plain].every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c))) out += plain;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** Septets a GSM-7 text takes (extension characters take two). */
export function gsmLength(text: string): number {
  let length = 0;
  for (const char of text) length += GSM_EXTENDED.includes(char) ? 2 : 1;
  return length;
}

/** What one part of an SMS carries, as submit_sm takes it. */
export interface SmsPart {
  /** 0: the SMSC's default alphabet (GSM-7); 8: UCS-2. */
  dataCoding: 0 | 8;
  /** The concatenation header, for a part of a longer text. */
  udh: Buffer | undefined;
  /** The part's characters, already encoded (GSM-7 one octet a septet, as SMPP carries it unpacked). */
  message: Buffer;
  /** The part's text, for the tests and the costs. */
  text: string;
}

/** GSM-7 characters of one whole SMS, and of a part of a longer one (7 octets go to the UDH). */
const GSM_SINGLE = 160;
const GSM_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

function udh(reference: number, total: number, sequence: number): Buffer {
  // IEI 00: concatenated short messages, 8-bit reference number.
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, sequence]);
}

const { gsmCoder } = smpp as unknown as { gsmCoder: { encode(text: string, shift: number): Buffer } };

function encode(text: string, unicode: boolean): Buffer {
  return unicode ? Buffer.from(text, 'utf16le').swap16() : gsmCoder.encode(text, 0x00);
}

/** Splits a text in chunks of at most `size` units, never between the two units of one character. */
function chunks(text: string, size: number, unitsOf: (char: string) => number): string[] {
  const out: string[] = [];
  let current = '';
  let units = 0;
  for (const char of text) {
    const n = unitsOf(char);
    if (units + n > size) {
      out.push(current);
      current = '';
      units = 0;
    }
    current += char;
    units += n;
  }
  if (current) out.push(current);
  return out;
}

/** The parts of a text: one when it fits, else split with a concatenation header referenced `reference`. */
export function smsParts(text: string, unicode: boolean, reference: number): SmsPart[] {
  const dataCoding = unicode ? 8 : 0;
  const unitsOf = unicode ? (char: string) => char.length : (char: string) => gsmLength(char);
  const total = [...text].reduce((n, char) => n + unitsOf(char), 0);
  if (total <= (unicode ? UCS2_SINGLE : GSM_SINGLE)) {
    return [{ dataCoding, udh: undefined, message: encode(text, unicode), text }];
  }
  const pieces = chunks(text, unicode ? UCS2_PART : GSM_PART, unitsOf);
  return pieces.map((piece, i) => ({
    dataCoding,
    udh: udh(reference, pieces.length, i + 1),
    message: encode(piece, unicode),
    text: piece,
  }));
}

/** The facts of a text message: built by messages.ts for every message. */
export interface TextFacts {
  subject: string;
  /** The confirmation code as people read it, when there is one. */
  code: string | undefined;
  /** The short stop link (at most 30 characters after the site's address). */
  stopUrl: string;
  hotline: string | undefined;
}

/** The largest text that still fits one part in each alphabet. */
export const ONE_PART = { gsm: GSM_SINGLE, ucs2: UCS2_SINGLE } as const;

/**
 * The SMS of a message: what, the code, the stop link and the hotline. In
 * GSM-7 the subject is shortened (at a word, with "...") so that the whole
 * fits one part; the code, the stop link and the hotline are never cut. In
 * UCS-2 the text is kept whole and split in parts.
 */
export function smsText(facts: TextFacts, unicode: boolean): string {
  const tail = [
    ...(facts.code ? [`Ma: ${facts.code}.`] : []),
    `Dung nhan tin: ${facts.stopUrl}`,
    ...(facts.hotline ? [`LH ${facts.hotline}`] : []),
  ];
  if (unicode) {
    const words = [
      ...(facts.code ? [`Mã: ${facts.code}.`] : []),
      `Dừng nhận tin: ${facts.stopUrl}`,
      ...(facts.hotline ? [`LH ${facts.hotline}`] : []),
    ];
    return [`${facts.subject}.`, ...words].join(' ');
  }
  const end = foldToGsm(tail.join(' '));
  const room = GSM_SINGLE - gsmLength(end) - 1;
  let subject = foldToGsm(facts.subject);
  if (gsmLength(subject) + 1 > room) {
    const words = subject.split(' ');
    while (words.length > 1 && gsmLength(`${words.join(' ')}...`) > room) words.pop();
    subject = `${words.join(' ')}...`.slice(0, Math.max(0, room));
  } else {
    subject = `${subject}.`;
  }
  return `${subject} ${end}`;
}
