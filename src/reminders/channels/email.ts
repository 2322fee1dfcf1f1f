/**
 * Reminders by e-mail through the Red Cross's mail relay (SMTP_URL) with
 * nodemailer, from MAIL_FROM. One pooled connection: the sender sends one
 * message at a time. Every mail carries the one-click stop address as
 * List-Unsubscribe with List-Unsubscribe-Post (RFC 8058), so mail programs
 * show their own "unsubscribe" and post to it; its Message-ID is made from
 * the outbox key, so a mail sent twice after a crash is one message to the
 * mail programs that notice.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ReminderMessage } from '../messages.ts';
import { describe, type ChannelSender, type Delivery, type Recipient } from './delivery.ts';

interface SmtpError {
  responseCode?: number | undefined;
  permanent?: boolean | undefined;
  command?: string | undefined;
  code?: string | undefined;
  /** The relay's reply line, e.g. "550 5.1.1 <…>: Recipient address rejected". */
  response?: string | undefined;
}

/** What an SMTP failure means for this message and this person. */
export function emailDelivery(error: unknown): Delivery {
  const smtp = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const text = describe(error);
  if (smtp.permanent !== true) return { kind: 'retry', error: text };
  // Only a refusal of this recipient ends the person's e-mail: 550/551/553 to RCPT TO with a
  // mailbox status (5.1.x bad address, 5.2.1 disabled) or none. "Relay access denied" (5.7.x),
  // a refused MAIL FROM or a failed sign-in is our relay's setup, wrong for everyone: kept
  // and tried again, so that fixing SMTP_URL or MAIL_FROM loses no one.
  const command = smtp.command ?? '';
  // Refused after DATA: this message's content, not the address nor the relay.
  if (/^DATA/i.test(command)) return { kind: 'failed', error: text };
  if (!/^RCPT/i.test(command)) return { kind: 'retry', error: text };
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(smtp.response ?? text);
  const mailboxGone =
    [550, 551, 553].includes(smtp.responseCode ?? 0) &&
    (!enhanced || enhanced[1] === '1' || (enhanced[1] === '2' && enhanced[2] === '1'));
  return mailboxGone ? { kind: 'gone', error: text } : { kind: 'retry', error: text };
}

export function emailChannel(settings: { smtpUrl: string; from: string }): ChannelSender {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: 1,
    // A relay that does not answer must not hold the sender for minutes.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'hien-mau.invalid';
  return {
    async send(message: ReminderMessage, to: Recipient): Promise<Delivery> {
      try {
        await transport.sendMail({
          from: settings.from,
          to: to.address,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${createHash('sha256').update(to.key).digest('hex').slice(0, 32)}@${domain}>`,
          // The address alone, as RFC 8058's examples: some providers read nothing else there.
          list: { unsubscribe: message.stopUrl },
          headers: {
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            // Bulk, not a conversation: no auto-replies.
            'Auto-Submitted': 'auto-generated',
          },
        });
        return { kind: 'sent' };
      } catch (error) {
        return emailDelivery(error);
      }
    },
    close(): Promise<void> {
      transport.close();
      return Promise.resolve();
    },
  };
}
