/**
 * What the server does once a day, and `signups purge` does when run: the
 * privacy page's retention rule (SignupStore.purge, in short batches) and
 * the desk's idempotency keys past their 7 days (ConsoleStore.purgeActionKeys,
 * in batches too).
 */
import { ConsoleStore } from '../console/console-store.ts';
import { RETENTION_DAYS, type PurgeOptions, type SignupStore } from './store.ts';

const DAY_MS = 86_400_000;

/** Returns how many sign-ups were deleted. */
export async function dailyMaintenance(
  store: SignupStore,
  now: Date,
  options: PurgeOptions & { olderThanDays?: number | undefined } = {},
): Promise<number> {
  const days = options.olderThanDays ?? RETENTION_DAYS;
  const deleted = await store.purge(new Date(now.getTime() - days * DAY_MS), now, options);
  await new ConsoleStore(store).purgeActionKeys(now);
  return deleted;
}
