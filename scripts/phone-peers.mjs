// The other ends of the phone channels, on loopback, for the tests and `npm run bench:reminders`:
// an SMPP 3.4 SMSC (the `smpp` package's server side) that checks the bind, decodes GSM-7 and
// UCS-2, joins the parts of a long text by their UDH, throttles and drops the connection on
// purpose and sends delivery receipts; and a Zalo stand-in (OAuth v4 and ZNS over https, or
// http for tests inside one process) that rotates refresh tokens, checks the access token, the
// template, its parameters and the number, and answers with Zalo's documented error codes
// (https://zalo.cloud/zns/guidelines/handle-error-code). Nothing here leaves the machine.
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import smpp from 'smpp';

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
 * @typedef {{ to: string, from: string, text: string, parts: number, dataCoding: number, messageIds: string[] }} ReceivedSms
 */

/**
 * An SMSC on smpp://127.0.0.1:<port>. `throttleEvery` answers ESME_RTHROTTLED to every nth
 * submit_sm; `dropAt` closes the connection, unanswered, on those submit_sm (counted from 1);
 * `refuse(number)` returns a command_status for a number; `silent` never answers a submit_sm.
 * @param {{ systemId: string, password: string, sender: string, throttleEvery?: number, dropAt?: number[],
 *   refuse?: (to: string) => number | undefined, silent?: boolean, receipts?: boolean, onSms?: (sms: ReceivedSms) => void }} options
 */
export async function startSmppPeer(options) {
  /** @type {ReceivedSms[]} */
  const received = [];
  /** @type {string[]} */
  const problems = [];
  /** Every submit_sm in order, with the part it carried: for "no part twice". */
  /** @type {{ to: string, reference: number | undefined, sequence: number, messageId: string }[]} */
  const submits = [];
  /** @type {Map<string, { parts: Map<number, string>, total: number, messageIds: string[], dataCoding: number }>} */
  const joining = new Map();
  let submitCount = 0;
  let binds = 0;
  let nextId = 1;
  const server = smpp.createServer({}, (session) => {
    let bound = false;
    /** @param {import('smpp').Pdu} pdu */
    const bind = (pdu) => {
      if (pdu['system_id'] !== options.systemId || pdu['password'] !== options.password) {
        problems.push('bind refused');
        session.send(pdu.response({ command_status: 0x0d }));
        session.close();
        return;
      }
      bound = true;
      binds += 1;
      session.send(pdu.response({ system_id: 'loopback-smsc' }));
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('enquire_link', (/** @type {import('smpp').Pdu} */ pdu) => session.send(pdu.response()));
    session.on('unbind', (/** @type {import('smpp').Pdu} */ pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('error', () => {});
    session.on('submit_sm', (/** @type {import('smpp').Pdu} */ pdu) => {
      submitCount += 1;
      if (!bound) {
        problems.push('submit before bind');
        session.send(pdu.response({ command_status: 0x04 }));
        return;
      }
      if (options.dropAt?.includes(submitCount)) {
        session.destroy();
        return;
      }
      if (options.silent) return;
      if (options.throttleEvery && submitCount % options.throttleEvery === 0) {
        session.send(pdu.response({ command_status: 0x58 }));
        return;
      }
      const to = String(pdu['destination_addr']);
      const from = String(pdu['source_addr']);
      if (from !== options.sender || pdu['source_addr_ton'] !== 5) problems.push(`source ${from}`);
      if (!/^84[35789]\d{8}$/.test(to) || pdu['dest_addr_ton'] !== 1 || pdu['dest_addr_npi'] !== 1) {
        problems.push(`destination ${to}`);
        session.send(pdu.response({ command_status: 0x0b }));
        return;
      }
      const refusal = options.refuse?.(to);
      if (refusal) {
        session.send(pdu.response({ command_status: refusal }));
        return;
      }
      const messageId = `m${nextId++}`;
      const short = /** @type {{ message: string | Buffer, udh?: Buffer[] }} */ (pdu['short_message']);
      const dataCoding = Number(pdu['data_coding'] ?? 0);
      const text = typeof short.message === 'string' ? short.message : short.message.toString('latin1');
      const concat = short.udh?.find((header) => header[0] === 0x00);
      submits.push({ to, reference: concat?.[2], sequence: concat?.[4] ?? 1, messageId });
      session.send(pdu.response({ message_id: messageId }));
      if (options.receipts !== false && Number(pdu['registered_delivery'] ?? 0) & 1) {
        const receipt = `id:${messageId} sub:001 dlvrd:001 submit date:2612011800 done date:2612011800 stat:DELIVRD err:000 text:`;
        session.deliver_sm({
          source_addr: to,
          destination_addr: from,
          esm_class: 0x04,
          short_message: receipt,
          receipted_message_id: messageId,
          message_state: 2,
        });
      }
      if (!concat) {
        const sms = { to, from, text, parts: 1, dataCoding, messageIds: [messageId] };
        received.push(sms);
        options.onSms?.(sms);
        return;
      }
      const [, , reference = 0, total = 1, sequence = 1] = concat;
      const key = `${to}:${reference}`;
      const entry = joining.get(key) ?? {
        parts: /** @type {Map<number, string>} */ (new Map()),
        total,
        messageIds: /** @type {string[]} */ ([]),
        dataCoding,
      };
      if (entry.parts.has(sequence)) problems.push(`part ${sequence} of ${key} twice`);
      entry.parts.set(sequence, text);
      entry.messageIds.push(messageId);
      joining.set(key, entry);
      if (entry.parts.size === entry.total) {
        joining.delete(key);
        const joined = [...entry.parts.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, part]) => part)
          .join('');
        const sms = { to, from, text: joined, parts: entry.total, dataCoding, messageIds: entry.messageIds };
        received.push(sms);
        options.onSms?.(sms);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = portOf(server);
  return {
    url: `smpp://${encodeURIComponent(options.systemId)}:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    received,
    problems,
    submits,
    get binds() {
      return binds;
    },
    get submitCount() {
      return submitCount;
    },
    close: () =>
      new Promise((resolve) => {
        for (const session of [...server.sessions]) session.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * @typedef {{ phone: string, templateId: string, data: Record<string, string>, trackingId: string }} ReceivedZns
 */

/**
 * Zalo's OAuth v4 token endpoint (/v4/oa/access_token) and ZNS's send (/message/template),
 * on one loopback server. The refresh token is good for one use, as Zalo's is; `answer(zns)`
 * returns a ZNS error code to answer a message with (0, the default, is sent). `stallRefresh`
 * takes the refresh and rotates the token but never finishes its answer (the sender is then
 * killed: its refresh is lost). `templates` lists each template id's parameter names.
 * Zalo's permission page (/v4/oa/permission, served as `localhost` so that a browser coming
 * back to the site at 127.0.0.1 comes from another site, as from Zalo) takes app_id,
 * redirect_uri (checked against `redirectUri` when given), code_challenge and state, and its
 * "Cho phép" button sends the browser back with a code (once, 10 minutes) that the token
 * endpoint takes with grant_type=authorization_code and the PKCE verifier (S256 checked); the
 * tokens it gives replace the refresh token in use, as a new authorisation does at Zalo.
 * @param {{ appId: string, appSecret: string, refreshToken: string, templates: Record<string, string[]>,
 *   redirectUri?: string, oaId?: string,
 *   certificate?: { key: Buffer, cert: Buffer }, answer?: (zns: ReceivedZns) => number, stallRefresh?: boolean,
 *   accessSeconds?: number, onZns?: (zns: ReceivedZns) => void, onRefresh?: () => void }} options
 */
export async function startZnsPeer(options) {
  /** @type {ReceivedZns[]} */
  const received = [];
  /** @type {{ code: number, phone: string }[]} */
  const answered = [];
  /** The access token each message of `received` came with. */
  /** @type {string[]} */
  const usedTokens = [];
  /** @type {string[]} */
  const problems = [];
  const state = {
    refreshToken: options.refreshToken,
    /** @type {Set<string>} */
    accessTokens: new Set(),
    refreshes: 0,
    stallRefresh: options.stallRefresh ?? false,
    /** Codes handed out by the permission page: challenge, expiry, used. */
    /** @type {Map<string, { challenge: string, expires: number, used: boolean }>} */
    codes: new Map(),
    /** Permission pages shown, and codes exchanged for tokens. */
    permissionPages: 0,
    authorisations: 0,
    /** The access token the last authorisation gave. */
    authorisedAccessToken: '',
  };
  /** @param {string} value */
  const html = (value) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  /** @param {string} text */
  const page = (text) =>
    `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Zalo (thử)</title><body>${text}</body></html>`;
  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  const handle = (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      /** @param {number} status @param {unknown} data */
      const json = (status, data) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
      const url = new URL(req.url ?? '/', 'http://peer');
      if (req.method === 'GET' && url.pathname === '/v4/oa/permission') {
        const q = url.searchParams;
        const redirect = q.get('redirect_uri') ?? '';
        const problem =
          q.get('app_id') !== options.appId
            ? 'app_id'
            : !URL.canParse(redirect) || (options.redirectUri !== undefined && redirect !== options.redirectUri)
              ? 'redirect_uri'
              : !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '')
                ? 'code_challenge'
                : !q.get('state')
                  ? 'state'
                  : '';
        if (problem) {
          res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(`Sai ${problem}`));
          return;
        }
        state.permissionPages += 1;
        const hidden = ['redirect_uri', 'code_challenge', 'state']
          .map((name) => `<input type="hidden" name="${name}" value="${html(q.get(name) ?? '')}">`)
          .join('');
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end(
            page(
              `<h1>Cấp quyền cho ứng dụng ${html(options.appId)}</h1><form method="post" action="/v4/oa/permission/allow">${hidden}<button type="submit">Cho phép</button></form>`,
            ),
          );
        return;
      }
      if (req.method === 'POST' && url.pathname === '/v4/oa/permission/allow') {
        const form = new URLSearchParams(body);
        const code = `code-${randomBytes(18).toString('base64url')}`;
        state.codes.set(code, {
          challenge: form.get('code_challenge') ?? '',
          expires: Date.now() + 600_000,
          used: false,
        });
        const back = new URL(form.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('oa_id', options.oaId ?? '1234567890');
        back.searchParams.set('state', form.get('state') ?? '');
        res.writeHead(302, { Location: back.toString() }).end();
        return;
      }
      if (req.method === 'POST' && req.url === '/v4/oa/access_token') {
        const form = new URLSearchParams(body);
        if (req.headers['secret_key'] !== options.appSecret || form.get('app_id') !== options.appId) {
          json(200, { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key' });
          return;
        }
        if (form.get('grant_type') === 'authorization_code') {
          const given = state.codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (!given || given.used || given.expires < Date.now()) {
            json(200, {
              error: -14019,
              error_name: 'Invalid authorization code',
              error_description: 'used or unknown',
            });
            return;
          }
          given.used = true;
          if (createHash('sha256').update(verifier).digest('base64url') !== given.challenge) {
            json(200, { error: -14003, error_name: 'Invalid code verifier', error_description: 'PKCE' });
            return;
          }
          state.authorisations += 1;
          state.refreshToken = `rt-${randomBytes(12).toString('base64url')}`;
          const access = `at-${randomBytes(12).toString('base64url')}`;
          state.accessTokens.add(access);
          state.authorisedAccessToken = access;
          json(200, {
            access_token: access,
            refresh_token: state.refreshToken,
            expires_in: String(options.accessSeconds ?? 90_000),
          });
          return;
        }
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== state.refreshToken) {
          json(200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'used or unknown' });
          return;
        }
        state.refreshes += 1;
        // Used once: from now on only the new one works, whether or not the caller hears of it.
        state.refreshToken = `rt-${randomBytes(12).toString('base64url')}`;
        const access = `at-${randomBytes(12).toString('base64url')}`;
        state.accessTokens.add(access);
        options.onRefresh?.();
        const answer = JSON.stringify({
          access_token: access,
          refresh_token: state.refreshToken,
          expires_in: String(options.accessSeconds ?? 90_000),
        });
        if (state.stallRefresh) {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(answer.length) });
          res.write(answer.slice(0, 10));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(answer);
        return;
      }
      if (req.method === 'POST' && req.url === '/message/template') {
        const token = String(req.headers['access_token'] ?? '');
        if (!state.accessTokens.has(token)) {
          json(200, { error: -124, message: 'Access token invalid' });
          return;
        }
        /** @type {{ phone?: unknown, template_id?: unknown, template_data?: unknown, tracking_id?: unknown }} */
        let data;
        try {
          data =
            /** @type {{ phone?: unknown, template_id?: unknown, template_data?: unknown, tracking_id?: unknown }} */ (
              parseJson(body)
            );
        } catch {
          json(200, { error: -112, message: 'Template data invalid' });
          return;
        }
        const phone = typeof data.phone === 'string' ? data.phone : '';
        const templateId = typeof data.template_id === 'string' ? data.template_id : '';
        const params = options.templates[templateId];
        if (!/^84[35789]\d{8}$/.test(phone)) {
          problems.push(`phone ${phone}`);
          json(200, { error: -108, message: 'Phone number invalid' });
          return;
        }
        if (!params) {
          json(200, { error: -109, message: 'Template ID invalid' });
          return;
        }
        const values = /** @type {Record<string, string>} */ (data.template_data ?? {});
        const missing = params.filter((p) => typeof values[p] !== 'string' || values[p] === '');
        const tooLong = Object.entries(values).filter(([, v]) => [...String(v)].length > 200);
        const badName = Object.entries(values).some(
          ([k, v]) => /name|ten/.test(k) && ([...v].length > 30 || /[\p{Cc}\p{Extended_Pictographic}]/u.test(v)),
        );
        if (missing.length > 0 || tooLong.length > 0 || badName) {
          problems.push(`template data ${missing.join(',')}`);
          json(200, { error: -112, message: 'Template data invalid' });
          return;
        }
        const trackingId = typeof data.tracking_id === 'string' ? data.tracking_id : '';
        if (!/^[\w-]{1,48}$/.test(trackingId) || /\d{9}/.test(trackingId)) problems.push(`tracking ${trackingId}`);
        const zns = { phone, templateId, data: values, trackingId };
        const code = options.answer?.(zns) ?? 0;
        answered.push({ code, phone });
        if (code !== 0) {
          json(200, { error: code, message: code === -118 ? 'Zalo account not existed' : 'error' });
          return;
        }
        received.push(zns);
        usedTokens.push(token);
        options.onZns?.(zns);
        json(200, {
          error: 0,
          message: 'Success',
          data: { msg_id: randomBytes(8).toString('hex'), sent_time: String(Date.now()) },
        });
        return;
      }
      res.writeHead(404).end();
    });
  };
  const server = options.certificate
    ? createHttpsServer({ key: options.certificate.key, cert: options.certificate.cert }, handle)
    : createHttpServer(handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const origin = `${options.certificate ? 'https' : 'http'}://127.0.0.1:${portOf(server)}`;
  return {
    origin,
    apiUrl: `${origin}/message/template`,
    oauthUrl: `${origin}/v4/oa/access_token`,
    permissionUrl: `${origin.replace('127.0.0.1', 'localhost')}/v4/oa/permission`,
    received,
    usedTokens,
    answered,
    problems,
    state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
