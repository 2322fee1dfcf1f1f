/**
 * The sign-up service of the running site (pages and actions), over the
 * process's one store (src/signup/shared-store.ts), with the reminders it
 * offers and tells of freed places: the two features meet here, at the
 * site, not by importing each other (src/store/README.md). A store that cannot be opened means
 * the disk went away: the service answers 503 and tries again next time.
 */
import { getDriveOptions } from '../shared/content.ts';
import { readSettings } from '../settings.ts';
import { SignupService } from '../signup/service.ts';
import { formTokens, sharedStore } from '../signup/shared-store.ts';
import { sharedGuessBudget } from '../signup/guess-budget.ts';
import { configuredChannels, pushEndpointAllowed, reminderService, wakeSender } from '../reminders/runtime.ts';

export { formTokens, sharedStore as signupStore };

export const signupService = new SignupService({
  store: sharedStore,
  formTokens,
  drives: () => getDriveOptions(),
  addressLimit: readSettings().signupRateLimit,
  reminderChannels: configuredChannels,
  pushEndpointAllowed,
  onPlaceFreed: (signup) => reminderService.placeFreed({ drive: signup.drive, slot: signup.slot }),
  // The confirmation by phone goes at once, not at the sender's next tick.
  onSignedUp: () => wakeSender(),
  guesses: sharedGuessBudget(),
});
