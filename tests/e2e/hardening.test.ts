/**
 * The server under hostile and unlucky conditions, each on a server of its
 * own (`npm start`, a fresh SQLite file): requests that used to stop it, a
 * bounded fuzz of random requests, limits applied before reading, forwarded
 * headers with and without TRUST_PROXY, one security policy on every answer,
 * settings refused with a message, SIGTERM in a stream of sign-ups, and a
 * backup restored into a fresh server.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSite } from '../../scripts/start-site.mjs';
import { run as signupsCli } from '../../src/cli/main.ts';
import { SignupStore } from '../../src/signup/store.ts';
import { driveSlots, nextOpenDrives } from '../../src/drives/drives.ts';
import { readDrives } from './drive-data.ts';
import { codeOf, freshFormToken, postForm } from './forms.ts';

const drives = nextOpenDrives(await readDrives(), new Date(), 20);
const [drive] = drives;
if (!drive) throw new Error('the content needs an upcoming drive');
const slots = driveSlots(drive);

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'hardening-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let dbCounter = 0;
const newDb = () => join(folder, `signups-${++dbCounter}.sqlite`);

/**
 * Sends raw bytes and resolves with the answer up to `until`: the status line
 * by default, or the whole head with '\r\n\r\n' ('' when the server just closes).
 */
function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 3_000, until = '\r\n'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received.split(until, 1)[0] ?? '');
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes(until)) {
        clearTimeout(timer);
        done();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
    socket.write(bytes, () => undefined);
  });
}

const statusOf = (line: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1] ?? 0);

const signupFields = (phone: string, slot = slots[0]?.id ?? '') => ({
  drive: drive.slug,
  slot,
  fullName: 'Hồ Thị Thử',
  phone,
  birthYear: '1991',
  sex: 'female',
  weightKg: '52',
  consent: 'yes',
});

describe('requests that used to stop the server, and their kin', () => {
  let site: Awaited<ReturnType<typeof startSite>>;
  beforeAll(async () => {
    site = await startSite({ SIGNUP_DB: newDb() });
  });
  afterAll(() => site.stop());

  const bigHeader = `X-Big: ${'a'.repeat(20_000)}\r\n`;
  // [what, raw request, expected status]
  const KILLERS: [string, string, number][] = [
    ['GET //', 'GET // HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['GET ///', 'GET /// HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['GET /\\', 'GET /\\ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['GET //a:b/', 'GET //a:b/ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['GET //evil.example/dang-ky/', 'GET //evil.example/dang-ky/ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['absolute-form target', 'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n', 200],
    ['absolute-form with nothing after the host', 'GET http://evil.example HTTP/1.1\r\nHost: x\r\n\r\n', 200],
    ['asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['no Host', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400],
    ['Host with a slash', 'GET /dang-ky/ HTTP/1.1\r\nHost: evil/x\r\n\r\n', 400],
    ['Host with a backslash', 'GET /dang-ky/ HTTP/1.1\r\nHost: a\\b\r\n\r\n', 400],
    ['two Hosts', 'GET /dang-ky/ HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 400],
    ['bad percent-encoding', 'GET /%ff%fe/ HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['bad percent-encoding on an on-demand page', 'GET /dang-ky/?diem=%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a lone percent', 'GET /tin-tuc?%%% HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['encoded NUL', 'GET /%00/ HTTP/1.1\r\nHost: x\r\n\r\n', 404],
    ['encoded dot-dot', 'GET /%2e%2e/%2e%2e/etc/passwd/ HTTP/1.1\r\nHost: x\r\n\r\n', 404],
    ['unknown method', 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['DELETE', 'DELETE /dang-ky/ HTTP/1.1\r\nHost: x\r\n\r\n', 405],
    [
      'a form action posted to another page',
      'POST /doi-nhom/?_action=signup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b',
      404,
    ],
    [
      'an action name from Object.prototype',
      'POST /dang-ky/?_action=__proto__ HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b',
      404,
    ],
    ['Expect: something else', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: tea\r\n\r\n', 417],
    [
      'PUT with a form',
      'PUT /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b',
      405,
    ],
    [
      'a body cut short, the client gone',
      'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nfullName=A',
      0,
    ],
    ['unknown HTTP version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', 400],
    ['headers over 16 kB', `GET / HTTP/1.1\r\nHost: x\r\n${bigHeader}\r\n`, 431],
    [
      'Content-Length and chunked together',
      'POST /dang-ky/ HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
    ['negative Content-Length', 'POST /dang-ky/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400],
    [
      'huge Content-Length, body never sent',
      'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n',
      413,
    ],
    ['Content-Length on a GET', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 413],
    [
      'broken multipart sign-up',
      'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: multipart/form-data; boundary=\r\nContent-Length: 5\r\n\r\nhello',
      415,
    ],
    [
      'JSON that is not JSON to an action',
      'POST /_actions/signup/ HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{{{',
      415,
    ],
    [
      'a body that is not a form',
      'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc',
      415,
    ],
    [
      'a post with no Content-Type',
      'POST /dang-ky/huy/?_action=cancelSignup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Length: 3\r\n\r\nabc',
      415,
    ],
    ['garbage request line', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 400],
  ];

  const cases = KILLERS.map(([what, request, expected]) => ({ what, request, expected }));
  test.each(cases)('$what → $expected, and the site still answers', async ({ request, expected }) => {
    const line = await rawRequest(site.port, Buffer.from(request, 'latin1'));
    expect(statusOf(line)).toBe(expected);
    expect((await fetch(`${site.url}/`)).status).toBe(200);
  });

  test('a chunked body over 16 kB is cut off, not read whole, and nothing is stored', async () => {
    const chunk = 'a'.repeat(4_096);
    const body = Array.from({ length: 8 }, () => `1000\r\n${chunk}\r\n`).join('') + '0\r\n\r\n';
    const line = await rawRequest(
      site.port,
      `POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
    );
    expect(statusOf(line)).toBe(413);
    expect((await fetch(`${site.url}/`)).status).toBe(200);
  });

  test('a 413 arrives before the body is sent', async () => {
    const started = Date.now();
    // The client sends only the head and waits: the answer must not wait for 20 MB.
    const line = await rawRequest(
      site.port,
      'POST /dang-ky/huy/?_action=cancelSignup HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n',
    );
    expect(statusOf(line)).toBe(413);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('a hundred aborted downloads leave the server serving, their files closed', async () => {
    // Addresses also stand in the inline scripts' template strings (src/shared/after-paint-chunk.ts).
    const script = (await (await fetch(`${site.url}/`)).text()).match(/\/_astro\/[^"'`\s]+\.(?:js|css)/)?.[0];
    expect(script).toBeDefined();
    const openFiles = () => readdirSync(`/proc/${site.pid}/fd`).length;
    const before = openFiles();
    await Promise.all(
      Array.from({ length: 100 }, () => rawRequest(site.port, `GET ${script} HTTP/1.1\r\nHost: x\r\n\r\n`, 5)),
    );
    await new Promise((done) => setTimeout(done, 500));
    expect(openFiles()).toBeLessThanOrEqual(before + 5);
    expect((await fetch(`${site.url}${script}`)).status).toBe(200);
  });

  test(
    'fuzz: random request lines, methods, targets, headers and bodies never stop the server',
    { timeout: 120_000 },
    async () => {
      const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
      const anyText = fc.string({ unit: 'binary', maxLength: 60 });
      const target = fc.oneof(
        fc.constantFrom(
          '/',
          '//',
          '/\\',
          '//a:b/',
          '/dang-ky/',
          '/dang-ky/?_action=signup',
          '/_actions/signup/',
          '/dang-ky/huy/?_action=cancelSignup',
          '/doi-nhom/',
          '/api/diem-hien-mau/x/cho-trong.json',
          '*',
          'http://a/b',
        ),
        fc.stringMatching(/^\/[\x21-\x7e]{0,40}$/),
        anyText,
      );
      const header = fc.tuple(
        fc.oneof(
          token,
          fc.constantFrom(
            'Host',
            'Content-Length',
            'Transfer-Encoding',
            'Content-Type',
            'Origin',
            'X-Forwarded-For',
            'X-Forwarded-Proto',
            'X-Forwarded-Host',
            'Cookie',
            'Accept-Encoding',
            'If-None-Match',
            'If-Modified-Since',
            'Range',
            'Expect',
          ),
        ),
        anyText,
      );
      const request = fc.record({
        method: fc.oneof(
          fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'),
          token,
        ),
        target,
        version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', ''),
        headers: fc.array(header, { maxLength: 8 }),
        withHost: fc.boolean(),
        body: fc.oneof(fc.constant(''), anyText, fc.string({ maxLength: 2_000 })),
      });
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const head = [
            `${r.method} ${r.target} ${r.version}`.trimEnd(),
            ...(r.withHost ? ['Host: 127.0.0.1'] : []),
            ...r.headers.map(([name, value]) => `${name}: ${value}`),
          ].join('\r\n');
          await rawRequest(site.port, Buffer.from(`${head}\r\n\r\n${r.body}`, 'latin1'), 1_500);
          sent += 1;
          if (sent % 25 === 0) expect((await fetch(`${site.url}/`)).status).toBe(200);
        }),
        { numRuns: 300, seed: Number(process.env['FUZZ_SEED'] ?? 20261127), interruptAfterTimeLimit: 90_000 },
      );
      expect((await fetch(`${site.url}/`)).status).toBe(200);
      expect((await fetch(`${site.url}/dang-ky/`)).status).toBe(200);
    },
  );
});

describe('one policy on every answer', () => {
  test('static and on-demand pages both carry frame-ancestors, and on-demand pages keep their script hashes', async () => {
    const site = await startSite({ SIGNUP_DB: newDb() });
    try {
      for (const path of [
        '/',
        '/dang-ky/',
        '/dang-ky/huy/',
        '/doi-nhom/',
        '/khong-co/',
        `/api/diem-hien-mau/${drive.slug}/cho-trong.json`,
      ]) {
        const policy = (await fetch(`${site.url}${path}`, { headers: { 'Accept-Encoding': 'br' } })).headers.get(
          'content-security-policy',
        );
        expect(policy, path).toContain("frame-ancestors 'none'");
        expect(policy, path).toContain("object-src 'none'");
      }
      const signupPolicy = (await fetch(`${site.url}/dang-ky/`)).headers.get('content-security-policy') ?? '';
      expect(signupPolicy).toMatch(/script-src 'self' 'sha256-/);
      expect(signupPolicy.match(/frame-ancestors/g)).toHaveLength(1);
    } finally {
      await site.stop();
    }
  });
});

describe('refusals carry the headers too', () => {
  test('400 from the parser, 413, 415, 417 and 405 all carry the policy and nosniff', async () => {
    const site = await startSite({ SIGNUP_DB: newDb() });
    const head = (bytes: string) => rawRequest(site.port, bytes, 2_000, '\r\n\r\n');
    try {
      for (const request of [
        'GARBAGE\r\n\r\n',
        'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n',
        'POST /dang-ky/?_action=signup HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\na',
        'GET / HTTP/1.1\r\nHost: x\r\nExpect: tea\r\n\r\n',
        'DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      ]) {
        const headers = await head(request);
        expect(headers, request).toMatch(/^HTTP\/1\.1 4\d\d /);
        expect(headers.toLowerCase(), request).toContain("frame-ancestors 'none'");
        expect(headers.toLowerCase(), request).toContain('x-content-type-options: nosniff');
      }
    } finally {
      await site.stop();
    }
  });
});

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  test('without TRUST_PROXY, forwarded headers change nothing: a spoofed X-Forwarded-For keeps its bucket', async () => {
    const site = await startSite({ SIGNUP_DB: newDb(), SIGNUP_RATE_LIMIT: '2' });
    try {
      const post = async (i: number) =>
        postForm(
          site.url,
          '/dang-ky/?_action=signup',
          { ...signupFields(`090000010${i}`), formToken: await freshFormToken(site.url, drive.slug) },
          {
            headers: {
              'X-Forwarded-For': `203.0.113.${i}`,
              'X-Forwarded-Proto': 'https',
              'X-Forwarded-Host': 'evil.example',
            },
          },
        );
      expect((await post(1)).status).toBe(200);
      expect((await post(2)).status).toBe(200);
      expect((await post(3)).status).toBe(429);
      // An https Origin through an unconfigured proxy is another origin: refused.
      const viaProxy = await postForm(
        site.url,
        '/dang-ky/?_action=signup',
        { ...signupFields('0900000109'), formToken: await freshFormToken(site.url, drive.slug) },
        {
          origin: `https://${new URL(site.url).host}`,
          headers: { 'X-Forwarded-Proto': 'https' },
        },
      );
      expect(viaProxy.status).toBe(403);
    } finally {
      await site.stop();
    }
  });

  test('with TRUST_PROXY=1, the proxy says https and who the client is: sign-ups pass the origin check, buckets follow the client', async () => {
    const site = await startSite({ SIGNUP_DB: newDb(), SIGNUP_RATE_LIMIT: '2', TRUST_PROXY: '1' });
    try {
      const proxied = async (phone: string, client: string, origin = 'https://hienmau.example.vn') =>
        postForm(
          site.url,
          '/dang-ky/?_action=signup',
          { ...signupFields(phone), formToken: await freshFormToken(site.url, drive.slug) },
          {
            origin,
            headers: {
              'X-Forwarded-Proto': 'https',
              'X-Forwarded-Host': 'hienmau.example.vn',
              // A client's own value first, then the address the proxy saw: only the last counts.
              'X-Forwarded-For': `10.9.9.9, ${client}`,
            },
          },
        );
      const first = await proxied('0900000201', '198.51.100.1');
      expect(first.status).toBe(200);
      expect(codeOf(await first.text())).toBeDefined();
      expect((await proxied('0900000202', '198.51.100.1')).status).toBe(200);
      expect((await proxied('0900000203', '198.51.100.1')).status).toBe(429);
      // Another client behind the same proxy has a bucket of its own, whatever it claims first.
      expect((await proxied('0900000204', '198.51.100.2')).status).toBe(200);
      // Plain http at the proxy is not the https origin the browser names.
      expect((await proxied('0900000205', '198.51.100.3', 'http://hienmau.example.vn')).status).toBe(403);
      // Absolute addresses the page builds use the forwarded host and scheme.
      const page = await fetch(`${site.url}/dang-ky/`, {
        headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'hienmau.example.vn' },
      });
      expect(page.status).toBe(200);
    } finally {
      await site.stop();
    }
  });
});

describe('settings', () => {
  test.each([
    // The quotes are escaped in the JSON line the server writes when not on a terminal (src/shared/log.ts).
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY phải là 1 \(bật\) hoặc 0 \(tắt\), nhưng đang là \\"maybe\\"/],
    [{ SIGNUP_SECRET: 'short' }, /SIGNUP_SECRET phải dài ít nhất 32 ký tự/],
    [{ PORT: '70000' }, /PORT phải là số nguyên từ 0 đến 65535/],
    [{ SIGNUP_RATE_LIMIT: '-3' }, /SIGNUP_RATE_LIMIT phải là số nguyên/],
  ])('%j stops the server at once with a message naming it', async (env, message) => {
    // startSite rejects with the server's exit code and everything it printed.
    await expect(startSite({ ...env, SIGNUP_DB: newDb() })).rejects.toThrow(
      new RegExp(`exited with code 1:[\\s\\S]*${message.source}`),
    );
  });

  test('form tokens are shared by restarts and by every server on one database, or by SIGNUP_SECRET', async () => {
    const db = newDb();
    const a = await startSite({ SIGNUP_DB: db });
    const b = await startSite({ SIGNUP_DB: db });
    const secret = 'x'.repeat(40);
    const c = await startSite({ SIGNUP_DB: newDb(), SIGNUP_SECRET: secret });
    const d = await startSite({ SIGNUP_DB: newDb(), SIGNUP_SECRET: secret });
    try {
      const fromA = await freshFormToken(a.url, drive.slug, 1);
      const atB = await postForm(b.url, '/dang-ky/?_action=signup', {
        ...signupFields('0900000301'),
        formToken: fromA,
      });
      expect(codeOf(await atB.text())).toBeDefined();
      const fromC = await freshFormToken(c.url, drive.slug, 1);
      const atD = await postForm(d.url, '/dang-ky/?_action=signup', {
        ...signupFields('0900000302'),
        formToken: fromC,
      });
      expect(codeOf(await atD.text())).toBeDefined();
      // A token of another key is no token.
      const atA = await postForm(a.url, '/dang-ky/?_action=signup', {
        ...signupFields('0900000303'),
        formToken: fromC,
      });
      expect(atA.status).toBe(400);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop(), d.stop()]);
    }
  });

  test('at start the server names drives whose sign-ups no longer fit their slots', async () => {
    const db = newDb();
    const store = new SignupStore(db);
    store.takePlace({
      code: 'ORPHAN0001',
      drive: 'dot-da-doi-ten',
      slot: '2099-01-01T07:00:00+07:00',
      slotEnd: '2099-01-01T08:00:00+07:00',
      capacity: 5,
      person: { fullName: 'Người Lỡ', phone: '+84900000401', birthYear: 1990, sex: 'male', weightKg: 60 },
      now: new Date(),
    });
    store.close();
    const site = await startSite({ SIGNUP_DB: db });
    try {
      await new Promise((done) => setTimeout(done, 300));
      expect(site.output()).toMatch(
        /1 lượt đăng ký không còn khớp với các khung giờ của đợt hiến máu \(dot-da-doi-ten\)/,
      );
      expect(site.output()).not.toContain('Người Lỡ');
    } finally {
      await site.stop();
    }
  });
});

describe('restarts and backups', () => {
  test(
    'SIGTERM in a stream of sign-ups: requests in flight finish, every acknowledged sign-up is there after restart',
    { timeout: 120_000 },
    async () => {
      const db = newDb();
      const site = await startSite({ SIGNUP_DB: db, SIGNUP_RATE_LIMIT: '100000' });

      const targets = drives.flatMap((d) => driveSlots(d).map((s) => ({ drive: d.slug, slot: s.id })));
      const acknowledged: string[] = [];
      let sent = 0;
      let stopping: Promise<number | null> | undefined;
      const worker = async () => {
        for (;;) {
          const i = sent++;
          const target = targets[i % targets.length];
          if (!target) return;
          let html: string;
          try {
            const response = await postForm(site.url, '/dang-ky/?_action=signup', {
              ...signupFields(`087${String(i).padStart(7, '0')}`, target.slot),
              drive: target.drive,
              formToken: await freshFormToken(site.url, drive.slug, 50),
            });
            html = await response.text();
          } catch {
            return; // the server has stopped taking connections
          }
          const code = codeOf(html);
          if (code) acknowledged.push(code);
          if (acknowledged.length >= 60 && !stopping) stopping = site.stop();
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const started = Date.now();
      expect(await stopping).toBe(0);
      expect(Date.now() - started).toBeLessThan(11_000);
      expect(acknowledged.length).toBeGreaterThanOrEqual(60);

      const restarted = await startSite({ SIGNUP_DB: db });
      try {
        expect((await fetch(`${restarted.url}/dang-ky/`)).status).toBe(200);
        const store = new SignupStore(db);
        try {
          expect(store.integrityCheck()).toBe('ok');
          expect(acknowledged.filter((code) => !store.byCode(code))).toEqual([]);
        } finally {
          store.close();
        }
      } finally {
        await restarted.stop();
      }
    },
  );

  test(
    'a backup taken while the server runs, restored into a fresh server, still has every sign-up',
    { timeout: 60_000 },
    async () => {
      const db = newDb();
      const site = await startSite({ SIGNUP_DB: db, SIGNUP_RATE_LIMIT: '100000' });
      const codes: string[] = [];
      const backup = join(folder, 'backups', 'signups-backup.sqlite');
      try {
        for (let i = 0; i < 12; i += 1) {
          const response = await postForm(site.url, '/dang-ky/?_action=signup', {
            ...signupFields(`088${String(i).padStart(7, '0')}`, slots[i % slots.length]?.id),
            formToken: await freshFormToken(site.url, drive.slug),
          });
          const code = codeOf(await response.text());
          if (code) codes.push(code);
        }
        expect(codes).toHaveLength(12);
        signupsCli(['backup', backup, '--db', db], () => undefined);
      } finally {
        await site.stop();
      }
      // Restored as docs/deploy.md says: the backup file copied to where SIGNUP_DB points.
      const restoredDb = join(folder, 'restored', 'signups.sqlite');
      rmSync(join(folder, 'restored'), { recursive: true, force: true });
      mkdirSync(join(folder, 'restored'));
      copyFileSync(backup, restoredDb);
      const fresh = await startSite({ SIGNUP_DB: restoredDb });
      try {
        const places = (await (await fetch(`${fresh.url}/api/diem-hien-mau/${drive.slug}/cho-trong.json`)).json()) as {
          taken: number;
        }[];
        expect(places.reduce((sum, p) => sum + p.taken, 0)).toBe(12);
        const lines: string[] = [];
        signupsCli(['list', '--drive', drive.slug, '--db', restoredDb], (line) => lines.push(line));
        expect(lines[0]).toBe(`12 đăng ký cho ${drive.slug}`);
        const store = new SignupStore(restoredDb);
        try {
          expect(codes.filter((code) => !store.byCode(code))).toEqual([]);
        } finally {
          store.close();
        }
      } finally {
        await fresh.stop();
      }
    },
  );
});
