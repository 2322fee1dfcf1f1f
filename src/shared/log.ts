/**
 * The server's one logger (pino). Every line is a sentence for the IT officer,
 * in Vietnamese, and carries no personal data: callers log a message, never a
 * person, a phone, a code or a token (docs/deploy.md, "Logs"). Should an
 * object with such a field ever be logged, its value is censored.
 *
 * Not on a terminal (systemd's journal, a pipe, a file) each line is one JSON
 * object: {"level":"info","time":"…","msg":"…"}. On a terminal it is the time,
 * the level's word when it is not plain information, and the message.
 * Information goes to standard output, warnings and errors to standard error,
 * as console.log and console.error did. Both are written synchronously, so a
 * line written just before process.exit() is not lost.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that hold personal data or secrets anywhere in the site (docs/organisers.md, "Personal data"). */
export const CENSORED_FIELDS = [
  'fullName',
  'full_name',
  'phone',
  'email',
  'birthYear',
  'code',
  'token',
  'formToken',
  'stopToken',
  'password',
  'clientAddress',
  'ip',
] as const;

/** What a terminal shows before a message of each level (information shows none). */
const LEVEL_WORDS: Record<string, string> = {
  trace: 'DÒ VẾT ',
  debug: 'GỠ LỖI ',
  warn: 'CẢNH BÁO ',
  error: 'LỖI ',
  fatal: 'LỖI NẶNG ',
};

let clock: Intl.DateTimeFormat | undefined;

/** One JSON line as a terminal shows it: "14:03:07 LỖI không lưu được …". */
export function readableLine(json: string): string {
  const { level, time, msg } = JSON.parse(json) as { level: string; time: string; msg?: string };
  clock ??= new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return `${clock.format(new Date(time))} ${LEVEL_WORDS[level] ?? ''}${msg ?? ''}\n`;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

function destination(output: Output): DestinationStream {
  if (!output.isTTY) return { write: (line) => void output.write(line) };
  return { write: (line) => void output.write(readableLine(line)) };
}

/** A logger writing to these outputs (the process's own by default; tests pass their own). */
export function createLogger(outputs: { out: Output; err: Output } = { out: process.stdout, err: process.stderr }) {
  const streams = pino.multistream(
    [
      { level: 'info', stream: destination(outputs.out) },
      { level: 'warn', stream: destination(outputs.err) },
    ],
    { dedupe: true },
  );
  return pino(
    {
      // A fixed level: nothing the site logs is chatty enough to need turning down.
      level: 'info',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: CENSORED_FIELDS.flatMap((field) => [field, `*.${field}`]),
        censor: '[đã ẩn]',
      },
    },
    streams,
  );
}

export type { Logger };

/** The process's logger. */
export const log: Logger = createLogger();
