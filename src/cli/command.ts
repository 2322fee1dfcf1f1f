/**
 * What every command module exports (src/cli/README.md): its help entry and
 * its run function, with the one context the dispatcher hands each command.
 */

/** One command's help: its forms (the usage lines) and what it does, as organisers and the IT officer read it. */
export interface CommandHelp {
  forms: readonly string[];
  summary: string;
  about: string;
}

/** Where a command prints its lines: console.log, or an array in tests. */
export type Output = (line: string) => void;

/** The global options, parsed once by the dispatcher (main.ts). */
export interface CommandOptions {
  drive?: string[] | undefined;
  role?: string | undefined;
  team?: string | undefined;
  out?: string | undefined;
  'older-than'?: string | undefined;
  phone?: string | undefined;
  at?: string | undefined;
  'dry-run'?: boolean | undefined;
  /** content drive: a cancellation saved (the drive form's second step). */
  'xac-nhan-huy'?: boolean | undefined;
  'xac-nhan-doi-luot'?: boolean | undefined;
  /** audit: the accounts' and team codes' changes instead of a drive's. */
  accounts?: boolean | undefined;
  /** units reserve: how many places. */
  places?: string | undefined;
  /** units reserve / fill: a slot by its start, 07:30. */
  slot?: string | undefined;
  /** units reserve: the deadline, dd/mm/yyyy hh:mm. */
  until?: string | undefined;
  /** content bai: the article's picture (JPEG, PNG or WebP), re-encoded as the form does. */
  anh?: string | undefined;
  /** units fill: the unit's list (.csv, .xlsx or tab-separated text). */
  file?: string | undefined;
  /** units fill: who confirmed the members agreed (Law 91/2025/QH15). */
  consent?: string | undefined;
  /** reminders zalo-auth: the code Zalo's permission page gave, and its state. */
  code?: string | undefined;
  state?: string | undefined;
  db?: string | undefined;
}

export interface CommandContext {
  /** The words after the command's name. */
  rest: readonly string[];
  options: CommandOptions;
  /** --db, or SIGNUP_DB through the settings module, or the default. */
  dbPath: string;
  out: Output;
  now: Date;
  /** The password typed on standard input (`user`); tests hand their own. */
  readSecret: () => Promise<string>;
}

/**
 * `run` (main.ts) is synchronous, and the tests call it so; the commands that
 * wait (a password hash, batches with pauses, the network) only run through
 * `runCommand`, awaited.
 */
export type Command =
  | { help: CommandHelp; waits: false; run(context: CommandContext): void }
  | { help: CommandHelp; waits: true; run(context: CommandContext): Promise<void> };

/** A mistake in what was typed: its message is printed as it is, and the exit status is 2. */
export class UsageError extends Error {}
