/**
 * Blood needs by group, pure: the eight groups, the four-step scale, the rule
 * that an old figure is never shown as current, the open JSON every page's
 * banner reads, and the 30 days of a group's chart. Pages, the console, the
 * JSON route and the banner's island all take their words from here, so they
 * agree (docs/developers.md, "Blood needs").
 */

/** The groups the form and the levels know: the contract of the `bloodGroup` field. */
export const BLOOD_GROUPS = ['O+', 'O-', 'A+', 'A-', 'B+', 'B-', 'AB+', 'AB-'] as const;
export type BloodGroup = (typeof BLOOD_GROUPS)[number];

export function isBloodGroup(value: unknown): value is BloodGroup {
  return typeof value === 'string' && (BLOOD_GROUPS as readonly string[]).includes(value);
}

/** Rh− is rare in Vietnam (well under 1 % of people): the pages show those four apart. */
export const RH_POSITIVE: readonly BloodGroup[] = ['O+', 'A+', 'B+', 'AB+'];
export const RH_NEGATIVE: readonly BloodGroup[] = ['O-', 'A-', 'B-', 'AB-'];

/** The ABO groups, each with its appeal page `/nhu-cau-mau/nhom-<slug>/`. */
export const ABO_GROUPS = [
  { slug: 'o', name: 'O', groups: ['O+', 'O-'] },
  { slug: 'a', name: 'A', groups: ['A+', 'A-'] },
  { slug: 'b', name: 'B', groups: ['B+', 'B-'] },
  { slug: 'ab', name: 'AB', groups: ['AB+', 'AB-'] },
] as const satisfies readonly { slug: string; name: string; groups: readonly BloodGroup[] }[];
export type AboGroup = (typeof ABO_GROUPS)[number];

export function aboOf(group: BloodGroup): AboGroup {
  return ABO_GROUPS.find((abo) => (abo.groups as readonly string[]).includes(group)) as AboGroup;
}

export const NEEDS_PATH = '/nhu-cau-mau/';
export const NEEDS_JSON_PATH = '/api/nhu-cau-mau.json';
export const NEEDS_CONSOLE_PATH = '/to-chuc/nhu-cau-mau/';
export const appealHref = (abo: AboGroup) => `${NEEDS_PATH}nhom-${abo.slug}/`;
export const appealPosterHref = (abo: AboGroup) => `${appealHref(abo)}in/`;

/** The right, beyond the admin role, to set the levels (user_rights, `signups -- user grant`). */
export const LEVELS_RIGHT = 'blood-levels';

/** The scale, lowest first: 1 is the level that puts the banner on every page. */
export const LEVELS = [
  { value: 1, word: 'rất thiếu' },
  { value: 2, word: 'thiếu' },
  { value: 3, word: 'tạm đủ' },
  { value: 4, word: 'đủ' },
] as const;
export type LevelValue = (typeof LEVELS)[number]['value'];
export const LOWEST_LEVEL: LevelValue = 1;

export function isLevel(value: unknown): value is LevelValue {
  return typeof value === 'number' && LEVELS.some((level) => level.value === value);
}

export function levelWord(value: LevelValue): string {
  return LEVELS.find((level) => level.value === value)?.word ?? '';
}

export const STALE_WORDS = 'chưa có số liệu mới';
export const NO_FIGURE_WORDS = 'chưa có số liệu';

/** One level as an organiser set it. */
export interface LevelEntry {
  group: BloodGroup;
  level: LevelValue;
  note: string | null;
  source: string;
  /** ISO 8601 with its offset, as stored. */
  setAt: string;
  setBy: string;
}

/** A group's level as the site may show it at one moment. */
export interface GroupNeed {
  group: BloodGroup;
  /** Null when the figure is older than the stale rule allows, or there never was one. */
  level: LevelValue | null;
  /** "rất thiếu"…, or "chưa có số liệu mới" / "chưa có số liệu". */
  words: string;
  /** When the last figure was set, even when it is stale. */
  setAt: string | null;
  stale: boolean;
  note: string | null;
  source: string | null;
}

const DAY_MS = 86_400_000;

/** A figure set more than `staleDays` days before `now` is not current. */
export function isStale(setAt: string, now: Date, staleDays: number): boolean {
  return now.getTime() - Date.parse(setAt) > staleDays * DAY_MS;
}

/** Every group, in BLOOD_GROUPS order, from the last entry of each (`latest`). */
export function needsAt(latest: readonly LevelEntry[], now: Date, staleDays: number): GroupNeed[] {
  return BLOOD_GROUPS.map((group) => {
    const entry = latest.find((e) => e.group === group);
    if (!entry)
      return { group, level: null, words: NO_FIGURE_WORDS, setAt: null, stale: false, note: null, source: null };
    const stale = isStale(entry.setAt, now, staleDays);
    return {
      group,
      level: stale ? null : entry.level,
      words: stale ? STALE_WORDS : levelWord(entry.level),
      setAt: entry.setAt,
      stale,
      note: entry.note,
      source: entry.source,
    };
  });
}

/** The groups at the lowest level now, for the banner. */
export function urgentGroups(needs: readonly GroupNeed[]): BloodGroup[] {
  return needs.filter((need) => need.level === LOWEST_LEVEL).map((need) => need.group);
}

/** "O+", "O+ và A-", "O+, A- và B+". */
export function groupList(groups: readonly string[]): string {
  if (groups.length <= 1) return groups.join('');
  return `${groups.slice(0, -1).join(', ')} và ${groups[groups.length - 1]}`;
}

export interface Banner {
  text: string;
  href: string;
}

/** What the banner says and where it leads, or null when no group is at the lowest level. */
export function bannerOf(needs: readonly GroupNeed[]): Banner | null {
  const urgent = urgentGroups(needs);
  const first = urgent[0];
  if (!first) return null;
  return {
    text: `Đang cần gấp máu nhóm ${groupList(urgent)} – tìm điểm hiến gần bạn`,
    href: appealHref(aboOf(first)),
  };
}

/** `/api/nhu-cau-mau.json`: small, open to other sites, what the banner and the province's portal read. */
export interface NeedsJson {
  /** When this answer was made. */
  at: string;
  staleAfterDays: number;
  banner: Banner | null;
  groups: { group: BloodGroup; level: LevelValue | null; words: string; setAt: string | null; stale: boolean }[];
}

export function needsJson(needs: readonly GroupNeed[], now: Date, staleDays: number): NeedsJson {
  return {
    at: now.toISOString(),
    staleAfterDays: staleDays,
    banner: bannerOf(needs),
    groups: needs.map(({ group, level, words, setAt, stale }) => ({ group, level, words, setAt, stale })),
  };
}

/** The level at the end of each of the `days` days up to `now` (oldest first); null where none was current. */
export function dailyLevels(
  history: readonly LevelEntry[],
  group: BloodGroup,
  now: Date,
  staleDays: number,
  days = 30,
): (LevelValue | null)[] {
  const own = history.filter((e) => e.group === group).sort((a, b) => Date.parse(a.setAt) - Date.parse(b.setAt));
  const out: (LevelValue | null)[] = [];
  for (let back = days - 1; back >= 0; back -= 1) {
    const at = new Date(now.getTime() - back * DAY_MS);
    let current: LevelEntry | undefined;
    for (const entry of own) {
      if (Date.parse(entry.setAt) <= at.getTime()) current = entry;
      else break;
    }
    out.push(current && !isStale(current.setAt, at, staleDays) ? current.level : null);
  }
  return out;
}

/**
 * An SVG path of steps for a group's days (x: one unit a day, y: level 4 at the top), with
 * the gaps where no figure was current left undrawn.
 */
export function chartPath(levels: readonly (LevelValue | null)[], width: number, height: number): string {
  const step = width / Math.max(1, levels.length);
  const y = (level: number) => ((4 - level) / 3) * (height - 4) + 2;
  const parts: string[] = [];
  let drawing = false;
  levels.forEach((level, day) => {
    if (level === null) {
      drawing = false;
      return;
    }
    const x0 = (day * step).toFixed(1);
    const x1 = ((day + 1) * step).toFixed(1);
    const yy = y(level).toFixed(1);
    parts.push(drawing ? `L${x0} ${yy}H${x1}` : `M${x0} ${yy}H${x1}`);
    drawing = true;
  });
  return parts.join('');
}

/** The longest note an organiser may write; notes are plain text, never markup. */
export const NOTE_MAX = 200;
export const SOURCE_MAX = 120;
export const SOURCES = ['Ngân hàng máu Bệnh viện Đa khoa tỉnh Cà Mau (điện thoại)', 'Tin nhắn của bệnh viện'] as const;

export type LevelFormResult =
  { ok: true; entries: Omit<LevelEntry, 'setAt' | 'setBy'>[] } | { ok: false; errors: string[] };

const MARKUP = /[<>]|&[#a-z0-9]+;|javascript:/i;

function plainText(value: FormDataEntryValue | null, max: number, what: string, errors: string[]): string | null {
  if (value === null || typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  if (text.length > max) errors.push(`${what} dài quá ${max} ký tự.`);
  else if (MARKUP.test(text)) errors.push(`${what} chỉ được là chữ thường, không có thẻ HTML hay mã.`);
  return text;
}

/**
 * The console's form: `level-<group>` (1–4, or empty to leave the group as it is),
 * `note-<group>` and one `source`. Nothing is applied unless every field is right.
 */
export function parseLevelForm(form: FormData): LevelFormResult {
  const errors: string[] = [];
  const source = plainText(form.get('source'), SOURCE_MAX, 'Nguồn số liệu', errors);
  const entries: Omit<LevelEntry, 'setAt' | 'setBy'>[] = [];
  for (const group of BLOOD_GROUPS) {
    const raw = form.get(`level-${group}`);
    const note = plainText(form.get(`note-${group}`), NOTE_MAX, `Ghi chú nhóm ${group}`, errors);
    if (raw === null || raw === '') continue;
    const level = typeof raw === 'string' && /^\d$/.test(raw) ? Number(raw) : Number.NaN;
    if (!isLevel(level)) {
      errors.push(
        `Mức của nhóm ${group} phải là một trong: ${LEVELS.map((l) => `${l.value} (${l.word})`).join(', ')}.`,
      );
      continue;
    }
    entries.push({ group, level, note, source: source ?? '' });
  }
  for (const name of form.keys()) {
    const group = /^(?:level|note)-(.*)$/.exec(name)?.[1];
    if (group !== undefined && !isBloodGroup(group)) errors.push(`Không có nhóm máu “${group.slice(0, 10)}”.`);
  }
  if (entries.length > 0 && !source) errors.push('Hãy ghi nguồn số liệu (ví dụ ngân hàng máu của bệnh viện tỉnh).');
  if (entries.length === 0 && errors.length === 0) errors.push('Chưa chọn mức nào để lưu.');
  return errors.length > 0 ? { ok: false, errors: [...new Set(errors)] } : { ok: true, entries };
}
