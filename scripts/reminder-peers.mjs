// The other ends of the reminders, on loopback, for the tests and `npm run bench:reminders`:
// an SMTP server (smtp-server) whose mail mailparser reads back; a Web Push service that
// checks the VAPID JWT (ES256 over its own origin, RFC 8292) and decrypts the aes128gcm
// payload (RFC 8291) with keys made here, as a browser holds them; and a webhook receiver
// that checks the HMAC-SHA256 signature. Nothing here leaves the machine.
import { execFileSync } from 'node:child_process';
import {
  createECDH,
  createHmac,
  createPublicKey,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * JSON read as unknown, for a cast to what it must be.
 * @param {string} text
 * @returns {unknown}
 */
const parseJson = (text) => JSON.parse(text);

/**
 * @param {import('node:net').Server} server
 * @returns {number}
 */
function portOf(server) {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('not listening on a port');
  return address.port;
}

/**
 * @typedef {{ raw: Buffer, mail: import('mailparser').ParsedMail | undefined, to: string[], key: string }} ReceivedMail
 */

/**
 * An SMTP server on loopback. `refuse(address)` returns a reply code (e.g. 550) to refuse a
 * recipient; `delayMs` slows each message down (for a kill in the middle of sending).
 * With `parse: false` the mail is kept raw (the benchmark), else parsed with mailparser.
 * @param {{ refuse?: (address: string) => number | undefined, delayMs?: number, parse?: boolean, onMail?: (mail: ReceivedMail) => void }} [options]
 */
export async function startSmtpReceiver(options = {}) {
  /** @type {ReceivedMail[]} */
  const received = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'loopback test relay',
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.(address.address);
      if (code) {
        callback(
          Object.assign(new Error(`${code} 5.1.1 <${address.address}>: Recipient address rejected`), {
            responseCode: code,
          }),
        );
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      /** @type {Buffer[]} */
      const chunks = [];
      stream.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        // The Message-ID is a hash of the outbox key (one per person, kind and channel): a
        // mail sent twice carries the same one.
        const key = /^Message-ID: *(.+)$/im.exec(raw.subarray(0, 8_000).toString('latin1'))?.[1]?.trim() ?? '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        const finish = async () => {
          const mail = options.parse === false ? undefined : await simpleParser(raw);
          const entry = { raw, mail, to, key };
          received.push(entry);
          options.onMail?.(entry);
          callback(null, 'queued');
        };
        const wait = options.delayMs ?? 0;
        setTimeout(() => void finish().catch((/** @type {Error} */ error) => callback(error)), wait);
      });
    },
  });
  // A sender killed mid-message resets its connection: that is the test, not a failure of this peer.
  /** @type {Error[]} */
  const errors = [];
  server.on('error', (/** @type {Error} */ error) => errors.push(error));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = portOf(server.server);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    errors,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** A certificate for 127.0.0.1, made with openssl, for the push service (web-push speaks https only). */
export function loopbackCertificate() {
  const folder = mkdtempSync(join(tmpdir(), 'push-cert-'));
  const key = join(folder, 'key.pem');
  const cert = join(folder, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(key),
    cert: readFileSync(cert),
    certFile: cert,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * A browser's side of one push subscription: the P-256 key pair and auth secret (RFC 8291).
 * @param {string} endpoint
 */
export function browserKeys(endpoint) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    subscription: {
      endpoint,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    },
  };
}

/**
 * Decrypts an aes128gcm Web Push body (RFC 8188 framing, RFC 8291 keys) for a browser's keys.
 * @param {Buffer} body
 * @param {{ ecdh: import('node:crypto').ECDH, auth: Buffer }} keys
 */
export function decryptPush(body, keys) {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error('more than one record');
  const browserKey = keys.ecdh.getPublicKey();
  const shared = keys.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browserKey, serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then any padding of zeros.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/**
 * Checks a VAPID Authorization header ("vapid t=<JWT>, k=<key>", RFC 8292): ES256 by the
 * key given, for this audience (the push service's origin), not expired, with a subject.
 * Returns the JWT's claims, or throws saying what is wrong.
 * @param {string | undefined} header
 * @param {string} audience
 * @param {string} expectedKey the server's VAPID public key (base64url)
 */
export function verifyVapid(header, audience, expectedKey) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`not a VAPID authorization: ${header ?? '(none)'}`);
  const [token, key] = [match[1], match[2]];
  if (key !== expectedKey) throw new Error('signed with another key');
  const [head = '', claims = '', signature = ''] = token.split('.');
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('bad ES256 signature');
  const header_ = /** @type {{ alg: string }} */ (parseJson(Buffer.from(head, 'base64url').toString('utf8')));
  if (header_.alg !== 'ES256') throw new Error(`alg ${header_.alg}`);
  const body = /** @type {{ aud: string, exp: number, sub: string }} */ (
    parseJson(Buffer.from(claims, 'base64url').toString('utf8'))
  );
  if (body.aud !== audience) throw new Error(`audience ${body.aud}, not ${audience}`);
  const now = Date.now() / 1000;
  if (!(body.exp > now && body.exp <= now + 24 * 3600)) throw new Error(`exp ${body.exp} out of range`);
  if (!/^(mailto:|https:)/.test(body.sub)) throw new Error(`sub ${body.sub}`);
  return body;
}

/**
 * @typedef {{ id: string, payload: string, ttl: number, urgency: string | undefined, topic: string | undefined }} ReceivedPush
 */

/**
 * A Web Push service on https://127.0.0.1:<port>: subscriptions made with `subscribe(id)`
 * are at /push/<id>; each post is checked (VAPID, encryption) and decrypted. `gone` holds the
 * ids answered 410, as a service does for a subscription that ended.
 * @param {{ vapidPublicKey: string, certificate: ReturnType<typeof loopbackCertificate>, onPush?: (push: ReceivedPush) => void }} options
 */
export async function startPushService(options) {
  /** @type {Map<string, ReturnType<typeof browserKeys>>} */
  const subscriptions = new Map();
  /** @type {ReceivedPush[]} */
  const received = [];
  /** @type {string[]} */
  const refused = [];
  /** @type {Set<string>} */
  const gone = new Set();
  let origin = '';
  const server = createHttpsServer({ key: options.certificate.key, cert: options.certificate.cert }, (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const keys = subscriptions.get(id);
      if (req.method !== 'POST' || !keys) {
        res.writeHead(404).end();
        return;
      }
      if (gone.has(id)) {
        res.writeHead(410).end();
        return;
      }
      try {
        verifyVapid(req.headers.authorization, origin, options.vapidPublicKey);
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`encoding ${req.headers['content-encoding']}`);
        const payload = decryptPush(Buffer.concat(chunks), keys);
        const push = {
          id,
          payload,
          ttl: Number(req.headers.ttl),
          urgency: /** @type {string | undefined} */ (req.headers.urgency),
          topic: /** @type {string | undefined} */ (req.headers.topic),
        };
        received.push(push);
        options.onPush?.(push);
        res.writeHead(201, { Location: `${origin}/message/${received.length}` }).end();
      } catch (error) {
        refused.push(/** @type {Error} */ (error).message);
        res.writeHead(403).end();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  origin = `https://127.0.0.1:${portOf(server)}`;
  return {
    origin,
    received,
    refused,
    gone,
    /** @param {string} id */
    subscribe(id) {
      const keys = browserKeys(`${origin}/push/${id}`);
      subscriptions.set(id, keys);
      return keys.subscription;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * @typedef {{ body: string, data: { id: string, kind: string, to: string, text: string, url: string, stop: string }, signed: boolean }} ReceivedHook
 */

/**
 * A gateway on http://127.0.0.1:<port>/sms that checks `X-Hien-Mau-Signature`
 * (HMAC-SHA256 of the body with `secret`). `status(data)` chooses the answer (default 202).
 * @param {{ secret: string, status?: (data: ReceivedHook['data']) => number }} options
 */
export async function startWebhookReceiver(options) {
  /** @type {ReceivedHook[]} */
  const received = [];
  const server = createHttpServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(`sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hien-mau-signature'] ?? ''));
      const signed = given.length === expected.length && timingSafeEqual(given, expected);
      if (!signed || req.method !== 'POST' || req.url !== '/sms') {
        res.writeHead(401).end();
        return;
      }
      const data = /** @type {ReceivedHook['data']} */ (parseJson(body));
      received.push({ body, data, signed });
      res.writeHead(options.status?.(data) ?? 202).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    url: `http://127.0.0.1:${portOf(server)}/sms`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
