/**
 * Reminders by SMS over SMPP 3.4, the protocol carriers and Vietnamese
 * brandname providers offer, with the `smpp` package (node-smpp). One
 * session from SMPP_URL, bound as a transceiver: SMPP delivers the delivery
 * receipts (deliver_sm) only on a receiver or transceiver bind (SMPP 3.4,
 * 2.3), so one session both sends and hears what became of each part.
 *
 * - The source address is the brandname (SMS_SENDER, TON 5 alphanumeric); the
 *   destination the number in international form (84…, TON 1, NPI 1).
 * - At most SMS_WINDOW submit_sm await their answer, and at most SMS_RATE
 *   go out a second.
 * - ESME_RTHROTTLED or ESME_RMSGQFUL: the part was refused, so sending it again
 *   is no repeat; it is sent again after a pause, within the same message.
 * - A dropped connection or a part left unanswered: the message is retried
 *   later, and the parts the SMSC already acknowledged are not sent again (the
 *   sender keeps them in sms_receipts and passes them back in `partsDone`).
 *   The session reconnects with a back-off (1 s doubling to 60 s).
 * - A refusal of the number (ESME_RINVDSTADR) ends SMS for that person; a bind
 *   refused is our setup, retried and never "gone".
 */
import { createHash } from 'node:crypto';
import smpp, { type Pdu, type Session } from 'smpp';
import type { SmsSettings } from '../../settings.ts';
import type { ReminderMessage } from '../messages.ts';
import { describe, type AcceptedPart, type ChannelSender, type Delivery, type Recipient } from './delivery.ts';
import { smsParts, smsText, type SmsPart } from './sms-text.ts';

/** SMPP 3.4 command_status values (5.1.3) this channel tells apart. */
export const SMPP_STATUS = {
  ok: 0x0000,
  invalidDestination: 0x000b,
  bindFailed: 0x000d,
  queueFull: 0x0014,
  submitFailed: 0x0045,
  throttled: 0x0058,
} as const;

/** What became of one part: the SMSC's message id, or why not. */
export type PartAnswer =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'throttled' }
  | { kind: 'refused'; status: number }
  | { kind: 'lost'; error: string };

/** What a submit_sm answer means for the message (a part refused for the number ends SMS for the person). */
export function smsDelivery(status: number): 'retry' | 'gone' | 'failed' {
  if (status === SMPP_STATUS.invalidDestination) return 'gone';
  // 0x0001 length, 0x0006 priority, 0x0062-0x0067 optional parameter errors: our PDU, not a passing state.
  if ([0x0001, 0x0003, 0x0006, 0x00c0, 0x00c1, 0x00c2, 0x00c3, 0x00c4].includes(status)) return 'failed';
  return 'retry';
}

/** A delivery receipt's message id and final state, from its TLVs or from the text SMSCs put in it (SMPP 3.4 appendix B). */
export function readReceipt(pdu: Pdu): { messageId: string; state: string; error: string | undefined } | undefined {
  const esm = Number(pdu['esm_class'] ?? 0);
  if ((esm & 0x3c) !== 0x04) return undefined;
  const short = pdu['short_message'] as { message?: unknown } | undefined;
  const text = typeof short?.message === 'string' ? short.message : '';
  const id = (pdu['receipted_message_id'] as string | undefined) ?? /\bid:(\S+)/i.exec(text)?.[1];
  if (!id) return undefined;
  const states: Record<number, string> = {
    2: 'DELIVRD',
    3: 'EXPIRED',
    4: 'DELETED',
    5: 'UNDELIV',
    6: 'ACCEPTD',
    8: 'REJECTD',
  };
  const tlvState = pdu['message_state'] as number | undefined;
  const state = (tlvState !== undefined ? states[tlvState] : undefined) ?? /\bstat:(\w+)/i.exec(text)?.[1] ?? 'UNKNOWN';
  const error = /\berr:(\w+)/i.exec(text)?.[1];
  return { messageId: String(id), state: state.toUpperCase(), error: error === '000' ? undefined : error };
}

export interface SmsHooks {
  /** A delivery receipt arrived: recorded against its part. */
  receipt?(receipt: { messageId: string; state: string; error: string | undefined }): void;
  /** How long an answer may take before the connection counts as dropped (15 s; shorter in tests). */
  answerTimeoutMs?: number;
  /** The pause after a throttled part, doubled at each try (1 s; shorter in tests). */
  throttlePauseMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** An answer that does not come in this long: the connection is taken as dropped. */
const ANSWER_TIMEOUT_MS = 15_000;
const THROTTLE_PAUSE_MS = 1_000;
/** A drop or a refused bind: tried again after 1 s, doubling up to a minute. */
const BACKOFF_MS = 1_000;
const THROTTLE_TRIES = 5;

/** The one SMPP session: bound on first use, bound again after a drop, after a back-off. */
class SmppLink {
  readonly #settings: SmsSettings;
  readonly #hooks: SmsHooks;
  #session: Session | undefined;
  #bound: Promise<Session> | undefined;
  #failures = 0;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  #nextSlot = 0;
  #closed = false;
  readonly #timeout: number;

  constructor(settings: SmsSettings, hooks: SmsHooks) {
    this.#settings = settings;
    this.#hooks = hooks;
    this.#timeout = hooks.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  }

  #bind(): Promise<Session> {
    this.#bound ??= new Promise<Session>((resolve, reject) => {
      const settings = this.#settings;
      const session = smpp.connect({ host: settings.host, port: settings.port, tls: settings.tls });
      let settled = false;
      let dropped = false;
      const fail = (error: Error) => {
        if (this.#session === session) this.#session = undefined;
        this.#bound = undefined;
        if (!settled) {
          settled = true;
          this.#failures += 1;
          reject(error);
        } else if (this.#session === undefined && !this.#closed && !dropped) {
          // A drop after the bind: the next bind waits its back-off too.
          dropped = true;
          this.#failures += 1;
        }
      };
      const timer = setTimeout(() => {
        fail(new Error('SMSC did not answer the bind'));
        session.destroy();
      }, this.#timeout);
      session.on('error', (error: Error) => fail(error));
      session.on('close', () => fail(new Error('SMSC closed the connection')));
      session.on('deliver_sm', (pdu: Pdu) => {
        session.send(pdu.response());
        const receipt = readReceipt(pdu);
        if (receipt) this.#hooks.receipt?.(receipt);
      });
      session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: Pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on(settings.tls ? 'secureConnect' : 'connect', () => {
        session.bind_transceiver(
          { system_id: settings.systemId, password: settings.password, interface_version: 0x34 },
          (pdu: Pdu) => {
            clearTimeout(timer);
            if (pdu.command_status !== SMPP_STATUS.ok) {
              fail(new Error(`SMSC refused the bind (status 0x${pdu.command_status.toString(16)})`));
              session.close();
              return;
            }
            settled = true;
            this.#failures = 0;
            this.#session = session;
            resolve(session);
          },
        );
      });
    });
    return this.#bound;
  }

  /** The session, bound; after failures, only once the back-off has passed. */
  async session(): Promise<Session> {
    if (this.#closed) throw new Error('SMS channel closed');
    if (this.#session) return this.#session;
    if (this.#failures > 0 && !this.#bound) {
      await sleep(Math.min(60_000, (this.#hooks.throttlePauseMs ?? BACKOFF_MS) * 2 ** (this.#failures - 1)));
    }
    return this.#bind();
  }

  /** Waits for a place in the window and for the rate's next slot. */
  async #slot(): Promise<void> {
    while (this.#inFlight >= this.#settings.window) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#inFlight += 1;
    const now = Date.now();
    const at = Math.max(now, this.#nextSlot);
    this.#nextSlot = at + 1_000 / this.#settings.rate;
    if (at > now) await sleep(at - now);
  }

  #release(): void {
    this.#inFlight -= 1;
    this.#waiting.shift()?.();
  }

  /** Submits one part and waits for its answer. */
  async submit(part: SmsPart, to: string): Promise<PartAnswer> {
    let session: Session;
    try {
      session = await this.session();
    } catch (error) {
      return { kind: 'lost', error: describe(error) };
    }
    await this.#slot();
    try {
      return await new Promise<PartAnswer>((resolve) => {
        const done = (answer: PartAnswer) => {
          clearTimeout(timer);
          session.off('close', onClose);
          resolve(answer);
        };
        const onClose = () => done({ kind: 'lost', error: 'connection dropped before the answer' });
        const timer = setTimeout(() => {
          done({ kind: 'lost', error: 'no answer from the SMSC' });
          // Answers may have stopped on a half-open connection: start again on a new one.
          session.destroy();
        }, this.#timeout);
        session.once('close', onClose);
        const sent = session.submit_sm(
          {
            source_addr_ton: 5,
            source_addr_npi: 0,
            source_addr: this.#settings.sender,
            dest_addr_ton: 1,
            dest_addr_npi: 1,
            destination_addr: to,
            registered_delivery: 1,
            data_coding: part.dataCoding,
            short_message: part.udh ? { udh: part.udh, message: part.message } : part.message,
          },
          (pdu: Pdu) => {
            if (pdu.command_status === SMPP_STATUS.ok) {
              done({ kind: 'accepted', messageId: typeof pdu['message_id'] === 'string' ? pdu['message_id'] : '' });
            } else if (pdu.command_status === SMPP_STATUS.throttled || pdu.command_status === SMPP_STATUS.queueFull) {
              done({ kind: 'throttled' });
            } else {
              done({ kind: 'refused', status: pdu.command_status });
            }
          },
        );
        if (!sent) done({ kind: 'lost', error: 'connection not writable' });
      });
    } finally {
      this.#release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        session.destroy();
        resolve();
      }, 2_000);
      session.unbind({}, () => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
    });
  }
}

export interface SmsSender extends ChannelSender {
  /** The parts a message would take now (the costs of `reminders send --dry-run`). */
  partsOf(message: ReminderMessage): number;
}

export function smsChannel(settings: SmsSettings, hooks: SmsHooks = {}): SmsSender {
  const link = new SmppLink(settings, hooks);
  const partsFor = (message: ReminderMessage, key: string) =>
    smsParts(
      smsText(message.textFacts, settings.unicode),
      settings.unicode,
      createHash('sha256').update(key).digest()[0] ?? 0,
    );
  return {
    partsOf: (message) => partsFor(message, '').length,
    async send(message: ReminderMessage, to: Recipient): Promise<Delivery> {
      const parts = partsFor(message, to.key);
      const number = to.address.replace(/^\+/, '');
      const accepted: AcceptedPart[] = [];
      for (const [index, part] of parts.entries()) {
        if (to.partsDone?.has(index + 1)) continue;
        let answer: PartAnswer = { kind: 'throttled' };
        for (let tries = 0; tries < THROTTLE_TRIES && answer.kind === 'throttled'; tries += 1) {
          if (tries > 0) await sleep((hooks.throttlePauseMs ?? THROTTLE_PAUSE_MS) * tries);
          answer = await link.submit(part, number);
        }
        switch (answer.kind) {
          case 'accepted':
            accepted.push({ part: index + 1, messageId: answer.messageId });
            continue;
          case 'throttled':
            return { kind: 'retry', error: 'SMSC throttled (ESME_RTHROTTLED)', accepted };
          case 'lost':
            return { kind: 'retry', error: answer.error, accepted };
          case 'refused': {
            const error = `SMSC refused the part (status 0x${answer.status.toString(16)})`;
            return { kind: smsDelivery(answer.status), error, accepted };
          }
        }
      }
      return { kind: 'sent', parts: parts.length, accepted };
    },
    close: () => link.close(),
  };
}
