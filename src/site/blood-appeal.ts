/**
 * "Gửi lời kêu gọi": the blood needs (src/needs/) composed with the reminders' channels and
 * the built drives (src/reminders/) here, at the site, so neither feature imports the other.
 *
 * Who: candidates of the needs' store (reminders agreed, not stopped, that group on their
 * latest sign-up that gave one, not reached by another appeal within BLOOD_APPEAL_QUIET_DAYS)
 * who may give by the next drive's day. Every message is claimed in one transaction when the
 * admin presses, before any is sent, so one appeal never reaches a person twice and a second
 * press finds nobody new; the sending then runs in the background, one message at a time,
 * through the channels the reminders use (at most once: a claim that failed to send is not
 * retried, an appeal is not worth a second message).
 */
import { randomUUID } from 'node:crypto';
import { readSettings } from '../settings.ts';
import { calendarDateInVietnam, formatLongDate, type CalendarDate } from '../shared/dates.ts';
import { shortStopHref, stopRemindersHref } from '../shared/links.ts';
import { log } from '../shared/log.ts';
import type { Database } from '../store/database.ts';
import { sharedDatabase } from '../store/shared.ts';
import { appealText, mayGiveBy, type NextDriveFacts } from '../needs/appeal.ts';
import type { BloodGroup } from '../needs/blood.ts';
import { NeedsStore, type AppealCandidate } from '../needs/needs-store.ts';
import { isOpenAt, type Catalog } from '../reminders/catalog.ts';
import { closeChannels, openChannels, type Channels } from '../reminders/channels/index.ts';
import type { ReminderMessage } from '../reminders/messages.ts';
import { reminderCatalog } from '../reminders/runtime.ts';
import type { Channel } from '../reminder-choice/reminder-types.ts';

const DAY_MS = 86_400_000;
/** An appeal is worth little after a week: push services may drop it then. */
const APPEAL_TTL_MS = 7 * DAY_MS;

export interface AppealPlan {
  group: BloodGroup;
  drive: NextDriveFacts | undefined;
  /** The day a person must be able to give by: the next drive's, else today. */
  byDay: CalendarDate;
  people: { candidate: AppealCandidate; channels: Channel[] }[];
  message: ReminderMessage;
}

/** The soonest drive people can still come to. */
export function nextDrive(catalog: Catalog | undefined, now: Date): NextDriveFacts | undefined {
  const open = [...(catalog?.drives.values() ?? [])]
    .filter((d) => isOpenAt(d, now) && d.start.getTime() >= now.getTime() - DAY_MS)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const first = open[0];
  return first && { slug: first.slug, name: first.name, address: first.address, start: first.start };
}

/**
 * The channels an appeal reaches a person by: each address they gave, and of the phone
 * channels one only, Zalo first (when its ZALO_TEMPLATE_APPEAL is set) and SMS otherwise; a
 * Zalo that fails for good passes the appeal to SMS as it is sent (one message, one channel).
 */
export function appealChannels(
  candidate: AppealCandidate,
  configured: readonly Channel[],
  zaloAppeal: boolean,
): Channel[] {
  const zalo = zaloAppeal && candidate.zalo;
  const has: Record<Channel, boolean> = {
    email: candidate.email !== null,
    push: candidate.push !== null,
    webhook: candidate.webhook && candidate.phone !== null,
    zalo,
    sms: candidate.sms && !(zalo && configured.includes('zalo')),
  };
  return configured.filter((channel) => has[channel]);
}

/** The message every channel sends, in the reminders' shape (src/reminders/messages.ts). */
export function appealMessage(
  group: BloodGroup,
  drive: NextDriveFacts | undefined,
  siteUrl: string,
  stopToken: string,
  hotline?: string,
): ReminderMessage {
  const { subject, lines, path } = appealText(group, drive);
  const url = (p: string) => `${siteUrl}${p}`;
  const stopPath = stopRemindersHref(stopToken);
  const links = [
    { label: 'Xem lời kêu gọi và các điểm hiến máu', url: url(path) },
    { label: 'Dừng nhận tin nhắc', url: url(stopPath) },
  ];
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const text = [...lines, '', ...links.map((l) => `${l.label}: ${l.url}`), '', 'Hội Chữ thập đỏ tỉnh Cà Mau'].join(
    '\n',
  );
  const html = [
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escape(subject)}</title></head><body style="font-family:sans-serif;font-size:16px;line-height:1.5">`,
    ...lines.map((line) => `<p>${escape(line)}</p>`),
    '<ul>',
    ...links.map((l) => `<li><a href="${escape(l.url)}">${escape(l.label)}</a></li>`),
    '</ul><p>Hội Chữ thập đỏ tỉnh Cà Mau</p></body></html>',
  ].join('\n');
  return {
    // The reminders know no kind "appeal"; "again" (you may give again) is the nearest, and
    // only the push topic and the webhook's field read it. Zalo sends its own template.
    kind: 'again',
    template: 'appeal',
    subject,
    lines,
    mainUrl: url(path),
    links,
    stopUrl: url(stopPath),
    text,
    html,
    push: { title: subject, body: lines[0] ?? '', url: path, stop: stopPath, tag: `appeal:${group}` },
    sms: `${subject}. ${url(path)} Dừng: ${url(stopPath)}`,
    // A text carries the short stop link (at most 30 characters), as a reminder's does.
    textFacts: { subject, code: undefined, stopUrl: url(shortStopHref(stopToken)), hotline },
    words: {
      driveName: drive?.name ?? '',
      address: drive?.address ?? '',
      day: drive ? formatLongDate(drive.start) : '',
      time: '',
      times: '',
      bloodGroup: group,
    },
  };
}

function siteUrlOf(catalog: Catalog | undefined): string {
  return readSettings().reminders.siteUrl ?? catalog?.siteUrl ?? 'https://hienmau.camau.example';
}

/** Who an appeal for `group` would reach now, and what it says (the console's count and preview). */
export function planAppeal(
  group: BloodGroup,
  now: Date,
  appealId: number | null = null,
  database: () => Database = sharedDatabase,
): AppealPlan {
  const settings = readSettings();
  const catalog = reminderCatalog();
  const drive = nextDrive(catalog, now);
  const byDay = calendarDateInVietnam(drive?.start ?? now);
  const configured = Object.keys(openChannelsOnce(database)) as Channel[];
  const zaloAppeal = settings.reminders.zalo?.templates.appeal !== undefined;
  const quietSince = new Date(now.getTime() - settings.needs.appealQuietDays * DAY_MS);
  const people = new NeedsStore(database())
    .candidates(group, appealId, quietSince)
    .filter((candidate) => mayGiveBy(candidate, byDay))
    .map((candidate) => ({ candidate, channels: appealChannels(candidate, configured, zaloAppeal) }))
    .filter((person) => person.channels.length > 0);
  return {
    group,
    drive,
    byDay,
    people,
    message: appealMessage(group, drive, siteUrlOf(catalog), 'xem-truoc', catalog?.hotline),
  };
}

let channels: Channels | undefined;
/** The channels opened by the appeals of this process: the command line closes them when done. */
export async function closeAppealChannels(): Promise<void> {
  if (channels) await closeChannels(channels);
  channels = undefined;
}
/**
 * The channels of this process, opened once (one pooled SMTP connection and one SMPP session,
 * as the sender's; the Zalo tokens are the database's, refreshed one at a time per process).
 */
function openChannelsOnce(database: () => Database): Channels {
  channels ??= openChannels(readSettings().reminders, database);
  return channels;
}

export type AppealOutcome =
  | { kind: 'sending'; appealId: number; people: number; messages: number; done: Promise<void> }
  | { kind: 'replayed'; appealId: number; reached: number };

/** Presses "Gửi lời kêu gọi": opens the appeal of this form, claims its messages, sends them in the background. */
export function sendAppeal(
  group: BloodGroup,
  formKey: string,
  actor: string,
  now: Date,
  database: () => Database = sharedDatabase,
): AppealOutcome {
  const store = new NeedsStore(database());
  const { appeal, created } = store.openAppeal(group, formKey, actor, now);
  if (!created) return { kind: 'replayed', appealId: appeal.id, reached: appeal.reached };
  const plan = planAppeal(group, now, appeal.id, database);
  const claimed = store.claim(
    appeal.id,
    plan.people.flatMap(({ candidate, channels }) =>
      channels.map((channel) => ({ contact: candidate.contact, channel })),
    ),
    now,
  );
  const byContact = new Map(plan.people.map((p) => [p.candidate.contact, p.candidate]));
  const catalog = reminderCatalog();
  const siteUrl = siteUrlOf(catalog);
  const done = (async () => {
    const open = openChannelsOnce(database);
    const send = async (contact: number, channel: Channel, candidate: AppealCandidate | undefined) => {
      const sender = open[channel];
      const address = channel === 'email' ? candidate?.email : channel === 'push' ? candidate?.push : candidate?.phone;
      if (!candidate || !sender || !address) return undefined;
      try {
        const delivery = await sender.send(
          appealMessage(group, plan.drive, siteUrl, candidate.stopToken, catalog?.hotline),
          {
            key: `appeal:${appeal.id}:${contact}/${channel}`,
            address,
            expiresAt: new Date(now.getTime() + APPEAL_TTL_MS),
          },
          new Date(),
        );
        if (delivery.kind !== 'sent') log.warn(`lời kêu gọi ${appeal.id}: một tin qua kênh ${channel} chưa gửi được`);
        return delivery.kind;
      } catch (error) {
        log.warn(`lời kêu gọi ${appeal.id}: một tin qua ${channel} lỗi: ${(error as Error).message}`);
        return undefined;
      }
    };
    for (const { contact, channel } of claimed) {
      const candidate = byContact.get(contact);
      const outcome = await send(contact, channel as Channel, candidate);
      store.settle(appeal.id, contact, channel, outcome === 'sent');
      // No Zalo for this number, or our template refused: the same appeal once by SMS instead.
      const passOn = outcome === 'gone' || outcome === 'failed';
      if (channel === 'zalo' && passOn && candidate?.sms && open.sms) {
        const [sms] = store.claim(appeal.id, [{ contact, channel: 'sms' }], new Date());
        if (sms) store.settle(appeal.id, contact, 'sms', (await send(contact, 'sms', candidate)) === 'sent');
      }
    }
    log.info(`lời kêu gọi ${appeal.id} (nhóm ${group}): đã xử lý ${claimed.length} tin`);
  })();
  return {
    kind: 'sending',
    appealId: appeal.id,
    people: new Set(claimed.map((c) => c.contact)).size,
    messages: claimed.length,
    done,
  };
}

export const newAppealKey = () => randomUUID();
export const describeDay = (day: CalendarDate) => formatLongDate(new Date(`${day}T12:00:00+07:00`));
