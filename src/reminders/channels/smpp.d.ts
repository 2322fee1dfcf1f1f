/**
 * The parts of the `smpp` package (node-smpp, no types of its own) that the
 * SMS channel and its loopback test peer use: a session, its PDUs and the
 * server. Names are the SMPP specification's, as the package keeps them.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    socket: import('node:net').Socket;
    send(pdu: Pdu, onResponse?: (pdu: Pdu) => void, onSent?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    bind_transmitter(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    submit_sm(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    deliver_sm(options: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    enquire_link(options?: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
    unbind(options?: Record<string, unknown>, onResponse?: (pdu: Pdu) => void): boolean;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export const PDU: new (command: string, options?: Record<string, unknown>) => Pdu;
  export function connect(options: Record<string, unknown>, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;
  export const gsmCoder: { encode(text: string, shift: number): Buffer; decode(bytes: Buffer, shift: number): string };

  const smpp: {
    PDU: typeof PDU;
    connect: typeof connect;
    createServer: typeof createServer;
    gsmCoder: typeof gsmCoder;
    [error: string]: unknown;
  };
  export default smpp;
}
