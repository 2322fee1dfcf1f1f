/**
 * English words a Vietnamese message has no business holding, for the tests
 * that check what the command line and the server print. What may stay in
 * Latin letters is what the reader types: command and option names,
 * settings' names, placeholders' values (admin, staff), file names, paths,
 * addresses, variables and examples.
 */
const ENGLISH = new Set(
  (
    'the is are was were be been not no with without for this that these from by of and or to into ' +
    'there already needs need must should yet every one its their it has have got wrote deleted copied ' +
    'erased removed made changed cancelled recorded registered unknown usage options option default ' +
    'drive drives sign up signup signups password account accounts database file code phone number days ' +
    'day whole more less than ago such name names team teams required print prints sent failed waiting ' +
    'outbox sender none now later again try nothing until lease channel channels ended held ' +
    // The server's words (src/server/main.ts, settings.ts, store.ts, the reminders' scheduler).
    'serving site stored schema version newer knows cannot open listen finishing requests request flight ' +
    'then stopping retention period missing but least characters like full key offered hold ' +
    // The deploy scripts' words (deploy/*.sh).
    'building holds restart service serve pages public address old backups older'
  ).split(' '),
);
const TYPED =
  /\buser drives\b|--[a-z][\w-]*|\b[a-z][a-z0-9+.-]*:\/\/\S*|\b[A-Z][A-Z0-9_]{2,}\b|[\w./-]+\.(sqlite|csv|yaml|json|env|xlsx|txt)\b|\/[\w/-]+\/|<[^>]*>|"[^"]*"|\b(list|export|cancel|given|purge|erase|backup|check|team|add|remove|user|passwd|audit|reminders|send|status|vapid|needs|set|appeal|units|reserve|fill|turnout|admin|staff|npm|run|signups|cron|mailto)\b|\b[\w.-]+-\d{2}-\d{2}-\d{4}\b/g;

/** The English words of `text`, once each, in the order they first come. */
export function englishIn(text: string): string[] {
  const words =
    text
      .replace(TYPED, ' ')
      .toLowerCase()
      .match(/[a-z]+/g) ?? [];
  return [...new Set(words.filter((w) => ENGLISH.has(w)))];
}
