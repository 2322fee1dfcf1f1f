/**
 * The command line's reminders (npm run signups -- reminders …, vapid):
 *
 *   reminders send [--at <ISO time>]   plan and send what is due at that time (now by default),
 *                                      for cron (with REMINDER_SCHEDULER=0) and for tests
 *   reminders status                   the outbox by state, kind and channel; who holds the lease
 *   vapid                              a new VAPID key pair for VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY
 */
import webpush from 'web-push';
import { readSettings } from '../settings.ts';
import type { SignupStore } from '../signup/store.ts';
import { readCatalog } from './catalog.ts';
import { closeChannels, openChannels } from './channels/index.ts';
import { plan } from './planner.ts';
import { LEASE_MS, ReminderStore } from './reminder-store.ts';
import { holderGone, senderName } from './scheduler.ts';
import { sendDue } from './sender.ts';

export class ReminderCommandError extends Error {}

/** Exit status when another sender held the lease for longer than LEASE_WAIT_MS: nothing was sent. */
export const LEASE_HELD_EXIT = 4;

export function vapidKeys(out: (line: string) => void): void {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  out(`VAPID_PUBLIC_KEY=${publicKey}`);
  out(`VAPID_PRIVATE_KEY=${privateKey}`);
  out(
    '# Put both in /etc/hien-mau.env with VAPID_SUBJECT=mailto:<an address of the Red Cross>; keep the private key secret.',
  );
  out('# Changing the pair later makes every browser subscribed so far stop receiving reminders.');
}

function parseAt(at: string | undefined, now: Date): Date {
  if (at === undefined) return now;
  // With a zone, so "18:00" is never read in the server's own zone by mistake.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new ReminderCommandError(
      `--at must be a time with its zone, e.g. --at 2026-12-11T18:00:00+07:00; got "${at}"`,
    );
  }
  return new Date(at);
}

/** How long `reminders send` waits for a server's round to end before giving up: one lease and a little more. */
export const LEASE_WAIT_MS = LEASE_MS + 5_000;

/** Takes the lease, waiting while another sender (a server's round) holds it; false if it is still held after LEASE_WAIT_MS. */
async function takeTurn(reminders: ReminderStore, holder: string, out: (line: string) => void): Promise<boolean> {
  const giveUpAt = Date.now() + LEASE_WAIT_MS;
  let told = false;
  while (!reminders.acquireLease(holder, new Date(), undefined, holderGone)) {
    if (Date.now() >= giveUpAt) return false;
    if (!told) out('Another sender is sending now; waiting for it to finish…');
    told = true;
    await new Promise((done) => setTimeout(done, 500));
  }
  return true;
}

export async function runReminders(
  action: string | undefined,
  options: { at?: string | undefined },
  store: SignupStore,
  out: (line: string) => void,
  now: Date,
): Promise<void> {
  const reminders = new ReminderStore(store);
  if (action === 'status') {
    const counts = reminders.counts();
    if (counts.length === 0) out('The outbox is empty.');
    for (const row of counts) out(`${row.state}\t${row.kind}\t${row.channel}\t${row.count}`);
    const lease = reminders.leaseHolder();
    out(
      lease ? `Sender: ${lease.holder.split(':').slice(0, 3).join(':')} until ${lease.expiresAt}` : 'Sender: none now',
    );
    return;
  }
  if (action !== 'send') throw new ReminderCommandError('reminders send [--at <ISO time>] or reminders status');
  const at = parseAt(options.at, now);
  const settings = readSettings();
  const catalog = readCatalog(settings.siteDist, settings.reminders.siteUrl);
  const holder = senderName('cli');
  if (!(await takeTurn(reminders, holder, out))) {
    const lease = reminders.leaseHolder();
    out(
      `Another sender holds the lease until ${lease?.expiresAt ?? '?'} (${lease?.holder.split(':').slice(0, 3).join(':') ?? '?'}): nothing sent. ` +
        'Try again later; a server sends by itself unless REMINDER_SCHEDULER=0.',
    );
    process.exitCode = LEASE_HELD_EXIT;
    return;
  }
  const channels = openChannels(settings.reminders);
  try {
    const planned = plan(store, catalog, at);
    const counts = await sendDue({ store, catalog, channels, now: at, holder, isGone: holderGone });
    out(
      `At ${at.toISOString()}: ${counts.sent} sent, ${counts.retry} to try again, ${counts.failed} failed, ` +
        `${counts.gone} channel(s) ended, ${counts.dropped} no longer needed; ` +
        `${planned.offers} place(s) offered from the waitlist, ${planned.expiredHolds} hold(s) ended.`,
    );
  } finally {
    reminders.releaseLease(holder);
    await closeChannels(channels);
  }
}
