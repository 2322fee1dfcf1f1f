/**
 * The sender inside the server (REMINDER_SCHEDULER, on by default): every
 * 30 seconds, and at once when woken (a place offered, taken), it takes the
 * database's lease, plans and sends what is due, and gives the lease back.
 * Several server processes on one database each run this; the lease (a row
 * with an expiry) lets one of them send at a time, and a process that dies
 * loses it within a minute (at once when it was on this machine).
 * `npm run signups -- reminders send` waits for its turn the same way; cron
 * can do all the sending instead, with REMINDER_SCHEDULER=0.
 */
import { dailyCaps } from './outbox-status.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { reminderChannels, type ReminderSettings } from '../settings.ts';
import { isPhoneChannel } from '../reminder-choice/reminder-types.ts';
import type { Database } from '../store/database.ts';
import type { Catalog } from './catalog.ts';
import { closeChannels, openChannels, recoverChannels } from './channels/index.ts';
import { plan } from './planner.ts';
import { ReminderStore } from './reminder-store.ts';
import { sendDue, type SendCounts } from './sender.ts';
import { log } from '../shared/log.ts';

export const TICK_MS = 30_000;

/** The round's counts as the server's log says them, in the words `reminders send` uses (src/cli/commands/reminders.ts). */
const COUNTED: Record<keyof SendCounts, string> = {
  sent: 'đã gửi',
  retry: 'sẽ thử lại',
  failed: 'thất bại',
  gone: 'kênh đã ngừng',
  dropped: 'không cần gửi nữa',
  waiting: 'chờ sang ngày mai (đã đủ số tin trong ngày)',
  passedOn: 'chuyển sang kênh khác',
};

/** The log line of a round that did something, or undefined: counts only, never who, nor where to. */
export function roundLine(offers: number, expired: number, counts: SendCounts): string | undefined {
  const parts = (Object.keys(COUNTED) as (keyof SendCounts)[])
    .filter((what) => (counts[what] ?? 0) > 0)
    .map((what) => `${counts[what] ?? 0} ${COUNTED[what]}`);
  if (offers > 0) parts.push(`${offers} chỗ đã mời người trong danh sách chờ`);
  if (expired > 0) parts.push(`${expired} chỗ giữ đã hết hạn`);
  return parts.length > 0 ? `nhắc hẹn: ${parts.join(', ')}` : undefined;
}

/** This process's name in the lease: machine, process id, and a random part for a reused id. */
export function senderName(kind: string): string {
  return `${hostname()}:${process.pid}:${kind}:${randomBytes(4).toString('hex')}`;
}

/** Whether a lease holder was a process on this machine that has ended (kill -9, a crash). */
export function holderGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: alive, another user's. ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface Scheduler {
  /** Plan and send soon, not waiting for the next tick. */
  wake(): void;
  /** Finishes the message in flight, gives the lease back and closes the channels. */
  stop(): Promise<void>;
}

export function startScheduler(options: {
  database: () => Database;
  catalog: () => Catalog | undefined;
  settings: ReminderSettings;
  tickMs?: number;
  log?: (line: string) => void;
}): Scheduler {
  const report = options.log ?? ((line: string) => log.info(line));
  const holder = senderName('server');
  const channels = openChannels(options.settings, options.database);
  const phoneChannels = reminderChannels(options.settings).filter(isPhoneChannel);
  let running: Promise<void> | undefined;
  let again = false;
  let stopping = false;
  let recovered = false;

  async function tick(): Promise<void> {
    const catalog = options.catalog();
    if (!catalog || stopping) return;
    const db = options.database();
    const reminders = new ReminderStore(db);
    if (!reminders.acquireLease(holder, new Date(), undefined, holderGone)) return;
    try {
      if (!recovered) {
        // Under the lease, so no other sender refreshes the Zalo token beside this one.
        recovered = true;
        await recoverChannels(channels);
      }
      const now = new Date();
      const planned = plan(db, catalog, now, phoneChannels);
      const counts = await sendDue({
        db,
        catalog,
        channels,
        now,
        holder,
        isGone: holderGone,
        shouldStop: () => stopping,
        phoneConfirmation: options.settings.phoneConfirmation,
        dailyCaps: dailyCaps(options.settings),
      });
      const line = roundLine(planned.offers, planned.expiredHolds, counts);
      if (line) report(line);
    } finally {
      // Held for one round only: another process, or `reminders send` run by hand or by cron,
      // takes its turn between rounds instead of finding the lease always taken.
      reminders.releaseLease(holder);
    }
  }

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((error: unknown) => log.error(`nhắc hẹn: ${(error as Error).message}`))
      .finally(() => {
        running = undefined;
        if (again && !stopping) {
          again = false;
          run();
        }
      });
  }

  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, options.tickMs ?? TICK_MS);
  first.unref();
  timer.unref();

  return {
    wake() {
      if (!stopping) setTimeout(run, 0).unref();
    },
    async stop() {
      stopping = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
      try {
        new ReminderStore(options.database()).releaseLease(holder);
      } catch {
        // The database is going away too: the lease ends by itself.
      }
      await closeChannels(channels);
    },
  };
}
