/**
 * Sign-ups kept on this device ("Đăng ký của tôi"): written at the
 * confirmation, read by /dang-ky-cua-toi/, offline too. Only in the
 * browser's storage, never sent anywhere. Pure apart from the storage
 * passed in; what is read back is checked field by field, so a damaged or
 * hand-edited entry is dropped, not shown.
 */

export const STORAGE_KEY = 'dang-ky-cua-toi';

export interface SavedSignup {
  /** The confirmation code as stored (10 characters). */
  code: string;
  driveSlug: string;
  driveName: string;
  /** The slot's start and end with +07:00. */
  start: string;
  end: string;
  address: string;
  /** Directions in a maps app or site. */
  directions: string;
  /** The QR code of the formatted code: its side in modules, and a 0/1 per module, row by row. */
  qr: { size: number; bits: string };
}

const CODE = /^[0-9A-HJKMNP-TV-Z]{10}$/;
const SLUG = /^[a-z0-9-]{1,120}$/;

function isSavedSignup(value: unknown): value is SavedSignup {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const qr = v['qr'] as Record<string, unknown> | undefined;
  const text = (key: string, max: number) => {
    const field = v[key];
    return typeof field === 'string' && field.length <= max;
  };
  return (
    typeof v['code'] === 'string' &&
    CODE.test(v['code']) &&
    typeof v['driveSlug'] === 'string' &&
    SLUG.test(v['driveSlug']) &&
    text('driveName', 300) &&
    text('address', 500) &&
    text('directions', 500) &&
    typeof v['directions'] === 'string' &&
    /^https:\/\//.test(v['directions']) &&
    text('start', 40) &&
    !Number.isNaN(Date.parse(v['start'] as string)) &&
    text('end', 40) &&
    !Number.isNaN(Date.parse(v['end'] as string)) &&
    typeof qr === 'object' &&
    typeof qr['size'] === 'number' &&
    Number.isInteger(qr['size']) &&
    qr['size'] >= 21 &&
    qr['size'] <= 177 &&
    typeof qr['bits'] === 'string' &&
    qr['bits'].length === qr['size'] * qr['size'] &&
    /^[01]+$/.test(qr['bits'])
  );
}

/** The kept sign-ups in the text storage holds; whatever is not one is left out. */
export function readSaved(stored: string | null): SavedSignup[] {
  if (!stored) return [];
  try {
    const list = JSON.parse(stored) as unknown;
    return Array.isArray(list) ? list.filter(isSavedSignup) : [];
  } catch {
    return [];
  }
}

/** The list with this sign-up added, or put in place of the one with its code. */
export function withSaved(list: readonly SavedSignup[], signup: SavedSignup): SavedSignup[] {
  return [...list.filter((s) => s.code !== signup.code), signup];
}

export function withoutSaved(list: readonly SavedSignup[], code: string): SavedSignup[] {
  return list.filter((s) => s.code !== code);
}

/** Those still to come, soonest first; then past ones, latest first. */
export function inShowingOrder(
  list: readonly SavedSignup[],
  now: Date,
): { coming: SavedSignup[]; past: SavedSignup[] } {
  const at = now.getTime();
  const coming = list.filter((s) => Date.parse(s.end) > at).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = list.filter((s) => Date.parse(s.end) <= at).sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return { coming, past };
}

/** Storage that may be missing or full (private modes, quota): reading and writing never throw. */
export function savedStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined) {
  return {
    read: () => {
      try {
        return readSaved(storage?.getItem(STORAGE_KEY) ?? null);
      } catch {
        return [];
      }
    },
    write: (list: readonly SavedSignup[]) => {
      if (!storage) return false;
      try {
        storage.setItem(STORAGE_KEY, JSON.stringify(list));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** This browser's storage; undefined where it is refused (some private modes throw on the mere access). */
export function deviceStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
