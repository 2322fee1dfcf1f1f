/**
 * Builds one reminder for every channel from plain facts: the mail (subject,
 * text and HTML, the one-click stop address for List-Unsubscribe), the push
 * payload (paths, shown by the service worker) and the short text the SMS or
 * Zalo gateway sends. Pure, so it is unit tested and the sender only adds
 * addresses. Every message links to its drive, the drive's calendar file,
 * the cancel page and the stop link; words are in words.ts.
 */
import { formatCode } from '../signup/codes.ts';
import { formatDate, formatLongDate, formatTime, formatTimeRange, type CalendarDate } from '../shared/dates.ts';
import {
  acceptOfferHref,
  cancelHref,
  driveCalendarHref,
  driveHref,
  shortStopHref,
  stopRemindersHref,
} from '../shared/links.ts';
import type { TextFacts } from './channels/sms-text.ts';
import { MAP_PATH } from '../offline/offline-paths.ts';
import type { PushPayload } from './push-payload.ts';
import type { MessageKind, TemplateKind } from '../reminder-choice/reminder-types.ts';
import { LINK_LABELS, MESSAGE_WORDS, SENDER, type MessageWords } from './words.ts';

export interface DriveFacts {
  slug: string;
  name: string;
  address: string;
  start: Date;
  end: Date;
}

export interface MessageFacts {
  kind: MessageKind;
  /** The public address links start with, without a trailing slash. */
  siteUrl: string;
  /** The drive the message is about (for "again", the one they gave at). */
  drive: DriveFacts;
  /** The slot signed up for or waited for. */
  slot?: { start: Date; end: Date } | undefined;
  /** The sign-up's confirmation code, when there is one. */
  code?: string | undefined;
  /** The person's stop token: the stop link and List-Unsubscribe. */
  stopToken: string;
  units?: number | undefined;
  againFrom?: CalendarDate | undefined;
  nextDrives?: readonly DriveFacts[] | undefined;
  holdUntil?: Date | undefined;
  offerToken?: string | undefined;
  /** The campaign's hotline, which every text message ends with. */
  hotline?: string | undefined;
}

export interface MessageLink {
  label: string;
  url: string;
}

export interface ReminderMessage {
  kind: MessageKind;
  /** The Zalo template it is sent with, when not its kind's (a blood appeal: `appeal`). */
  template?: TemplateKind | undefined;
  subject: string;
  /** The body's sentences, without links. */
  lines: string[];
  /** The page a tap or a click opens first. */
  mainUrl: string;
  /** Every link, absolute: the main one first, the stop link last. */
  links: MessageLink[];
  /** The one-click stop address (List-Unsubscribe, RFC 8058). */
  stopUrl: string;
  text: string;
  html: string;
  push: PushPayload;
  sms: string;
  /** What a text to the phone says (SMS, and the facts of a Zalo template): channels/sms-text.ts. */
  textFacts: TextFacts;
  /** The facts as people read them, for the parameters of a Zalo template. */
  words: MessageWords;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** dd/mm hh:mm: name, for the list of drives to come. */
function driveLine(drive: DriveFacts): string {
  return `${formatDate(drive.start).slice(0, 5)} ${formatTime(drive.start)}: ${drive.name}`;
}

export function buildMessage(facts: MessageFacts): ReminderMessage {
  const { drive, siteUrl } = facts;
  const start = facts.slot?.start ?? drive.start;
  const end = facts.slot?.end ?? drive.end;
  const words: MessageWords = {
    driveName: drive.name,
    address: drive.address,
    day: formatLongDate(start),
    time: formatTime(start),
    times: formatTimeRange(start, end),
    shortDay: formatDate(start),
    code: facts.code ? formatCode(facts.code) : undefined,
    units: facts.units,
    againDay: facts.againFrom && formatDate(new Date(`${facts.againFrom}T12:00:00+07:00`)),
    holdUntil: facts.holdUntil && `${formatTime(facts.holdUntil)} ngày ${formatDate(facts.holdUntil)}`,
    nextDrives: facts.nextDrives?.map(driveLine),
  };
  const { subject, lines } = MESSAGE_WORDS[facts.kind](words);
  const url = (path: string) => `${siteUrl}${path}`;
  const stopPath = stopRemindersHref(facts.stopToken);
  // The drive the links are about: for "you may give again", the nearest one to come.
  const linked = facts.kind === 'again' ? (facts.nextDrives?.[0] ?? drive) : drive;
  const mainPath =
    facts.kind === 'offer' && facts.offerToken
      ? acceptOfferHref(facts.offerToken)
      : facts.kind === 'cancelled' || (facts.kind === 'again' && !facts.nextDrives?.length)
        ? MAP_PATH
        : driveHref(linked.slug);
  const links: MessageLink[] = [
    ...(facts.kind === 'offer' && facts.offerToken
      ? [{ label: LINK_LABELS.accept, url: url(acceptOfferHref(facts.offerToken)) }]
      : []),
    ...(mainPath === MAP_PATH ? [{ label: LINK_LABELS.drives, url: url(MAP_PATH) }] : []),
    { label: LINK_LABELS.drive, url: url(driveHref(linked.slug)) },
    ...(facts.kind === 'again'
      ? (facts.nextDrives ?? []).slice(1).map((d) => ({ label: d.name, url: url(driveHref(d.slug)) }))
      : []),
    { label: LINK_LABELS.calendar, url: url(driveCalendarHref(linked.slug)) },
    { label: LINK_LABELS.cancel, url: url(cancelHref(facts.code ? formatCode(facts.code) : undefined)) },
    { label: LINK_LABELS.stop, url: url(stopPath) },
  ];
  const text = [...lines, '', ...links.map((link) => `${link.label}: ${link.url}`), '', `${SENDER}`].join('\n');
  const html = [
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escape(subject)}</title></head><body style="font-family:sans-serif;font-size:16px;line-height:1.5">`,
    ...lines.map((line) => `<p>${escape(line)}</p>`),
    '<ul>',
    ...links.map((link) => `<li><a href="${escape(link.url)}">${escape(link.label)}</a></li>`),
    '</ul>',
    `<p>${escape(SENDER)}</p></body></html>`,
  ].join('\n');
  return {
    kind: facts.kind,
    subject,
    lines,
    mainUrl: url(mainPath),
    links,
    stopUrl: url(stopPath),
    text,
    html,
    push: {
      title: subject,
      // The first sentence only: a lock screen shows it to anyone nearby, so not the code.
      body: lines[0] ?? '',
      url: mainPath,
      stop: stopPath,
      tag: `${facts.kind}:${facts.code ?? drive.slug}`,
    },
    // An SMS in Vietnamese holds 70 characters a part: the subject, the code, the page, the stop link.
    sms: [subject + '.', ...(words.code ? [`Mã: ${words.code}.`] : []), url(mainPath), `Dừng: ${url(stopPath)}`].join(
      ' ',
    ),
    textFacts: { subject, code: words.code, stopUrl: url(shortStopHref(facts.stopToken)), hotline: facts.hotline },
    words,
  };
}
