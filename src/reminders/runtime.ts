/**
 * The reminders of the running site: the channels the settings configure,
 * the built drives (the catalog), the service the pages use, and a way to
 * wake the sender of this process when a message is due at once. The server
 * (src/server/main.ts) and the site's bundle each load their own copy of this
 * module, so what they share is kept on globalThis under a registered symbol,
 * like the database (src/store/shared.ts).
 */
import { readSettings, reminderChannels } from '../settings.ts';
import { sharedDatabase } from '../store/shared.ts';
import { sharedGuessBudget } from '../signup/guess-budget.ts';
import { readCatalog, type Catalog } from './catalog.ts';
import { servedDist } from '../editor/served-build.ts';
import { pushServiceAllowed } from '../reminder-choice/reminder-schema.ts';
import { ReminderService } from './reminder-service.ts';
import { isPhoneChannel, type Channel, type PhoneChannel } from '../reminder-choice/reminder-types.ts';
import { log } from '../shared/log.ts';
import { outboxStatus, type OutboxStatus } from './outbox-status.ts';
import { zaloAuthAdmin } from './zalo-auth-admin.ts';
import { ZaloTokenStore } from './zalo-token-store.ts';
import { zaloProblem } from './words.ts';
import { LOST_REFRESH_MS } from './channels/zalo.ts';

interface Shared {
  catalog?: Catalog | undefined;
  wake?: (() => void) | undefined;
}

const KEY = Symbol.for('hien-mau.reminders');
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as Shared;

/** The server reads the catalog of the build it serves (SITE_DIST from the project) and hands it over. */
export function useCatalog(catalog: Catalog): void {
  shared.catalog = catalog;
}

/** The built drives, read once (a new build means a restart); undefined when there is no build to read. */
export function reminderCatalog(): Catalog | undefined {
  if (shared.catalog) return shared.catalog;
  try {
    const settings = readSettings();
    shared.catalog = readCatalog(servedDist(settings), settings.reminders.siteUrl);
  } catch (error) {
    log.warn(`nhắc hẹn: không đọc được lịch các đợt hiến máu: ${(error as Error).message}`);
  }
  return shared.catalog;
}

/** The scheduler of this process (src/reminders/scheduler.ts) says how to wake it. */
export function onWake(wake: (() => void) | undefined): void {
  shared.wake = wake;
}

export function wakeSender(): void {
  shared.wake?.();
}

export function configuredChannels(): Channel[] {
  return reminderChannels(readSettings().reminders);
}

/** The VAPID public key the browser subscribes with, when Web Push is configured. */
export function pushKey(): string | undefined {
  return readSettings().reminders.push?.publicKey;
}

export function pushEndpointAllowed(endpoint: URL): boolean {
  const push = readSettings().reminders.push;
  return push !== undefined && pushServiceAllowed(endpoint, push.services);
}

/** Zalo and SMS as this server has them, in the order a message tries them. */
export function configuredPhoneChannels(): PhoneChannel[] {
  return configuredChannels().filter(isPhoneChannel);
}

export const reminderService = new ReminderService({
  database: sharedDatabase,
  catalog: reminderCatalog,
  wake: wakeSender,
  guesses: sharedGuessBudget(),
  phoneChannels: configuredPhoneChannels,
});

/** The outbox as the console's `/to-chuc/nhac-hen/` shows it. */
export function currentOutboxStatus(now: Date): OutboxStatus {
  return outboxStatus(sharedDatabase(), readSettings().reminders, now);
}

/** "Cấp quyền lại cho Zalo" and the page Zalo sends back to (zalo-auth-admin.ts). */
export const zaloAuthorisation = zaloAuthAdmin({ database: sharedDatabase });

/** What is wrong with the Zalo tokens, for the console's first page; undefined when nothing is or Zalo is not set. */
export function zaloAlarm(now = Date.now()): string | undefined {
  if (!readSettings().reminders.zalo) return undefined;
  const status = new ZaloTokenStore(sharedDatabase()).status();
  // A refresh under way for seconds is no alarm; one past its timeout lost its answer.
  const lost = status?.refreshingSince && now - Date.parse(status.refreshingSince) > LOST_REFRESH_MS;
  return status?.broken || lost ? zaloProblem(status) : undefined;
}

/** The Zalo section of `/to-chuc/nhac-hen/`: the last authorisation, when there was one. */
export function zaloLastAuthorised(): { at: string; actor: string } | undefined {
  if (!readSettings().reminders.zalo) return undefined;
  return new ZaloTokenStore(sharedDatabase()).lastAuthorised();
}
