/**
 * What the desk page of a drive (/to-chuc/<drive>/) shows and does: the
 * drive if this account may see it, a posted action done through the
 * service, and the view — one person, a search, or the whole roster.
 */
import type { DriveOption } from '../signup/schema.ts';
import type { SignupRecord } from '../signup/store.ts';
import { normalizeCode } from '../signup/codes.ts';
import { formatMobile } from '../signup/phone.ts';
import { getDrives, getDriveWithSlots, type Drive } from '../shared/content.ts';
import { canSeeDrive } from './console-service.ts';
import type { StaffAccount } from './console-store.ts';
import { dayCheck, type DeskAnswer } from './desk-actions.ts';
import { rosterBySlot, searchRoster, slotAtDesk, totalFigures, type RosterSlot } from './roster.ts';
import type { DeskFigures } from './desk-status.ts';
import { CONFIRM_DAY_PARAM } from './console-paths.ts';
import { consoleService } from './runtime.ts';
import { answerMessage } from './words.ts';

export interface Desk {
  drive: Drive;
  option: DriveOption;
}

/** The drive of this desk page, or undefined (404) when there is none or the account may not see it. */
export async function loadDesk(slug: string, staff: StaffAccount | null | undefined): Promise<Desk | undefined> {
  if (!staff || !canSeeDrive(staff, slug)) return undefined;
  return getDriveWithSlots(slug);
}

/** At most this many fields, each at most this long: a desk form is small. */
const MAX_FIELDS = 30;
const MAX_FIELD_LENGTH = 300;

/** A posted form as text fields; files and extra fields are nothing a desk form sends. */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of form) {
    if (typeof value !== 'string' || (count += 1) > MAX_FIELDS) continue;
    fields[name] = value.trim().slice(0, MAX_FIELD_LENGTH);
  }
  return fields;
}

export interface DeskResult {
  answer: DeskAnswer;
  message: string;
  /** The fields posted, to fill a walk-in form again when it was refused. */
  fields: Record<string, string>;
  /** The phone number asked for (show-phone), formatted. */
  phone?: string | undefined;
}

let driveNames: Map<string, string> | undefined;
async function driveName(slug: string): Promise<string | undefined> {
  driveNames ??= new Map((await getDrives()).map((d) => [d.slug, d.name]));
  return driveNames.get(slug);
}

export async function deskAction(staff: StaffAccount, desk: Desk, fields: Record<string, string>): Promise<DeskResult> {
  const answer = await consoleService.act(staff, { slug: desk.drive.slug, option: desk.option }, fields);
  const otherName = answer.ok || !answer.otherDrive ? undefined : await driveName(answer.otherDrive);
  // A walk-in's errors stand beside its fields; any other form is a button or two, so they are the message.
  const fieldProblems = !answer.ok && fields['intent'] !== 'walk-in' ? Object.values(answer.errors ?? {}) : [];
  const message = fieldProblems.length > 0 ? fieldProblems.join(' ') : answerMessage(answer, () => otherName);
  let phone: string | undefined;
  if (answer.ok && answer.done === 'show-phone' && answer.code) {
    const signup = consoleService
      .consoleStore()
      .roster(desk.drive.slug)
      .find((s) => s.code === answer.code);
    phone = signup && formatMobile(signup.phone);
  }
  return { answer, message, fields, phone };
}

/** The HTTP status of a desk answer: what went wrong, for scripts and tests; the page says it in words. */
export function answerStatus(answer: DeskAnswer): number {
  if (answer.ok) return 200;
  switch (answer.problem) {
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'other-drive':
    case 'other-day':
    case 'cancelled':
    case 'full':
    case 'nothing-to-undo':
    case 'changed-since':
    case 'key-reused':
      return 409;
    case 'invalid':
      return 422;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
  }
}

export interface DeskView {
  slots: RosterSlot[];
  total: DeskFigures;
  version: number;
  /** The person the desk is dealing with: asked for by ?ma=, or the one the last action was about. */
  person?: SignupRecord | undefined;
  /** What ?tim= found, when the desk searched. */
  found?: SignupRecord[] | undefined;
  query: string;
  /** Show the whole roster (not while dealing with one person). */
  showRoster: boolean;
  /** The slot running now or starting within half an hour, whose people the roster shows open. */
  slotAtDesk?: string | undefined;
  /**
   * Set when today is not the drive's day: that day, today, and whether the
   * organiser confirmed recording for the drive's day (?ngay=, CONFIRM_DAY_PARAM).
   */
  otherDay?: { driveDay: string; today: string; confirmed: boolean } | undefined;
}

/** A posted form's fields with the page's confirmation of the drive's day, when its address carries one. */
export function withConfirmedDay(fields: Record<string, string>, params: URLSearchParams): Record<string, string> {
  const confirmed = params.get(CONFIRM_DAY_PARAM);
  return confirmed && !fields['otherDay'] ? { ...fields, otherDay: confirmed.slice(0, 10) } : fields;
}

export function deskView(desk: Desk, params: URLSearchParams, result?: DeskResult): DeskView {
  const store = consoleService.consoleStore();
  const people = store.roster(desk.drive.slug);
  const slots = rosterBySlot(desk.option.slots, people, store.figures(desk.drive.slug));
  const personCode = (result?.answer.code ?? normalizeCode(params.get('ma') ?? '')) || undefined;
  const person = personCode ? people.find((p) => p.code === personCode) : undefined;
  const query = (params.get('tim') ?? '').trim().slice(0, 60);
  const now = new Date();
  const unconfirmed = dayCheck(desk.option, now, undefined);
  const confirmed = dayCheck(desk.option, now, params.get(CONFIRM_DAY_PARAM) ?? undefined).ok;
  return {
    slots,
    total: totalFigures(slots.map((s) => s.figures)),
    version: store.version(desk.drive.slug),
    person,
    found: query ? searchRoster(people, query) : undefined,
    query,
    showRoster: !person && !query && !result,
    slotAtDesk: slotAtDesk(slots, now),
    otherDay: unconfirmed.ok ? undefined : { driveDay: unconfirmed.driveDay, today: unconfirmed.today, confirmed },
  };
}
