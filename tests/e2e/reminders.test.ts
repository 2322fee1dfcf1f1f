/**
 * Reminders end to end, with real protocol peers on loopback: sign up with
 * reminders (in Chromium and as a form post), `npm run signups -- reminders
 * send --at …` as its own process, and what arrives: the mail read back by
 * mailparser (Vietnamese, working links, List-Unsubscribe with one-click
 * post), the push whose VAPID JWT is checked and whose aes128gcm payload is
 * decrypted, shown by Chromium's service worker, and the webhook whose HMAC
 * is checked. Sent once however often the command runs; a kill -9 in the
 * middle loses nothing and repeats at most one; channels that fail for good
 * stop; one sender among several server processes.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startSite } from '../../scripts/start-site.mjs';
import { startSmtpReceiver } from '../../scripts/reminder-peers.mjs';
import { SignupStore } from '../../src/signup/store.ts';
import { ReminderStore } from '../../src/reminders/reminder-store.ts';
import { eveningBefore, soonBefore } from '../../src/reminders/schedule.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { toIsoWithOffset } from '../../src/shared/dates.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { codeOf } from './forms.ts';
import { readDrives } from './drive-data.ts';
import { newPerson, postSignup, runCli, startReminderSite, type ReminderSite } from './reminder-site.ts';

const drives = await readDrives();
const driveOf = (slug: string) => {
  const found = drives.find((d) => d.slug === slug);
  if (!found) throw new Error(`the test site has no drive ${slug}`);
  return found;
};
const hospital = driveOf('xuan-hong-benh-vien-da-khoa-ca-mau');
const slots = driveSlots(hospital).map((s) => ({ id: s.id, end: toIsoWithOffset(s.end) }));
const [slot] = slots;
if (!slot) throw new Error('the hospital drive has no slots');
const evening = eveningBefore(new Date(slot.id)).toISOString();
const soon = soonBefore(new Date(slot.id)).toISOString();

// A server, a database and peers of their own (the scheduler off: `reminders send` sends).
const rs: ReminderSite = await startReminderSite();
afterAll(() => rs.stop());
const openPage = useSiteBrowser(rs.url);

function withStore<T>(db: string, work: (store: SignupStore) => T): T {
  const store = new SignupStore(db);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

const mailsTo = (address: string) =>
  rs.smtp.received.filter((m) => m.to.includes(address)).map((m) => m.mail as ParsedMail);
const linksOf = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map(([url]) => url);

describe('as a new user would: sign up with an e-mail and reminders on, then the evening before', () => {
  const email = `nguoi-thu-${Date.now()}@example.vn`;
  let code = '';

  test('the drive page offers reminders and the sign-up keeps them', async () => {
    const { page, context } = await openPage();
    try {
      await page.goto(`${rs.url}/diem-hien-mau/${hospital.slug}/`);
      await page.waitForSelector('[data-reminders]:not([hidden])');
      expect(await page.isChecked('#nhac-hen')).toBe(false);
      const person = newPerson();
      await page.check(`input[name="slot"][value="${slot.id}"]`);
      await page.fill('#ho-ten', person.fullName);
      await page.fill('#so-dien-thoai', person.phone);
      await page.fill('#nam-sinh', '1990');
      await page.fill('#can-nang', '58');
      await page.check('#gioi-tinh-nu');
      await page.check('#dong-y');
      await page.check('#nhac-hen');
      await page.fill('#thu-dien-tu', email);
      // The form token is aged past the too-fast check.
      await page.waitForTimeout(3_200);
      await Promise.all([page.waitForURL(/_action=signup/), page.click('button:has-text("Đăng ký hiến máu")')]);
      code = (await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')) ?? '';
      expect(code).toMatch(/^[0-9A-Z]{10}$/);
      expect(await page.textContent('[data-reminders-on]')).toContain('18 giờ hôm trước');
    } finally {
      await context.close();
    }
  });

  test('`reminders send --at <the evening before>` sends one mail, in Vietnamese, with working links', async () => {
    const run = await rs.cli(['reminders', 'send', '--at', evening]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: [1-9]\d* đã gửi/);
    const [mail, ...more] = mailsTo(email);
    expect(more).toEqual([]);
    if (!mail) throw new Error('no mail arrived');
    expect(mail.subject).toMatch(/^Nhắc hẹn: ngày mai \d\d:\d\d hiến máu tại /);
    expect(mail.from?.text).toContain('Hội Chữ thập đỏ tỉnh Cà Mau');
    expect(mail.text).toContain(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    expect(mail.text).toContain('căn cước công dân');
    const links = linksOf(mail.text ?? '');
    expect(links).toEqual(
      expect.arrayContaining([
        `${rs.url}/diem-hien-mau/${hospital.slug}/`,
        `${rs.url}/diem-hien-mau/${hospital.slug}.ics`,
        expect.stringContaining(`${rs.url}/dang-ky/huy/?ma=`),
        expect.stringContaining(`${rs.url}/nhac-hen/dung/?t=`),
      ]),
    );
    for (const link of links) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
    }
    expect(mail.html).toContain(`href="${rs.url}/diem-hien-mau/${hospital.slug}/"`);
  });

  test('running it again sends nothing', async () => {
    const before = rs.smtp.received.length;
    const run = await rs.cli(['reminders', 'send', '--at', evening]);
    expect(run.stdout).toContain(': 0 đã gửi');
    expect(rs.smtp.received.length).toBe(before);
  });

  test('the mail carries List-Unsubscribe with one-click post (RFC 8058), which stops without sign-in', async () => {
    const [mail] = mailsTo(email);
    if (!mail) throw new Error('no mail');
    const list = mail.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    const raw = rs.smtp.received.find((m) => m.to.includes(email))?.raw.toString('utf8') ?? '';
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    const stopUrl = list?.unsubscribe?.url ?? '';
    expect(stopUrl).toMatch(new RegExp(`^${rs.url}/nhac-hen/dung/\\?t=[\\w-]{22}$`));
    expect(linksOf(mail.text ?? '')).toContain(stopUrl);
    // The page of the link stops nothing by itself (link scanners open links).
    expect(await (await fetch(stopUrl)).text()).toContain('Dừng mọi nhắc hẹn');
    // A mail provider's post: no Origin, no cookie.
    const stop = await fetch(stopUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(stop.status).toBe(200);
    expect(await stop.text()).toContain('Đã dừng');
    expect(await (await fetch(stopUrl)).text()).toContain('Đã dừng mọi nhắc hẹn');
    const before = rs.smtp.received.length;
    await rs.cli(['reminders', 'send', '--at', soon]);
    expect(mailsTo(email)).toHaveLength(1);
    expect(rs.smtp.received.length).toBeGreaterThanOrEqual(before);
    const contact = withStore(rs.db, (store) => {
      const signup = store.byCode(code);
      return new ReminderStore(store.db).contact(signup?.reminderContact ?? 0);
    });
    expect(contact).toMatchObject({ email: null, push: null });
    expect(contact?.stoppedAt).not.toBeNull();
  });
});

describe('the new pages pass axe (WCAG 2.2 AA)', () => {
  test('the form with its reminders, /nhac-hen/ and its answer, the stop page', async () => {
    const { html } = await postSignup(rs.url, hospital.slug, slot.id, {
      reminders: 'yes',
      email: `axe-${Date.now()}@example.vn`,
    });
    const code = codeOf(html) ?? '';
    const token = withStore(rs.db, (store) => {
      const contact = new ReminderStore(store.db).contact(store.byCode(code)?.reminderContact ?? 0);
      return contact?.stopToken ?? '';
    });
    const { page, context } = await openPage();
    try {
      await page.goto(`${rs.url}/diem-hien-mau/${hospital.slug}/`);
      await page.waitForSelector('[data-reminders]:not([hidden])');
      expect(await axeViolations(page, 'signup-form')).toEqual([]);
      await page.goto(`${rs.url}/nhac-hen/`);
      expect(await axeViolations(page)).toEqual([]);
      await page.fill('#ma-nhac-hen', code);
      await page.fill('#sdt-nhac-hen', `0${withStore(rs.db, (store) => store.byCode(code)?.phone.slice(3) ?? '')}`);
      await Promise.all([page.waitForURL(/_action=reminderLookup/), page.click('button:has-text("Xem nhắc hẹn")')]);
      expect(await page.textContent('[data-reminder-channels]')).toContain('thư điện tử');
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${rs.url}/nhac-hen/dung/?t=${token}`);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('Web Push and the SMS gateway', () => {
  let payload = '';

  test('a push is signed (VAPID, ES256 over the service’s origin) and encrypted (aes128gcm) for the browser; the webhook is signed', async () => {
    const subscription = rs.push.subscribe('nguoi-1');
    const { html, person } = await postSignup(rs.url, hospital.slug, slot.id, {
      reminders: 'yes',
      reminderPush: 'yes',
      pushSubscription: JSON.stringify(subscription),
      reminderSms: 'yes',
    });
    const code = codeOf(html) ?? '';
    expect(code).not.toBe('');
    const run = await rs.cli(['reminders', 'send', '--at', evening]);
    expect(run.code).toBe(0);
    expect(rs.push.refused).toEqual([]);
    const pushes = rs.push.received.filter((p) => p.id === 'nguoi-1');
    expect(pushes).toHaveLength(1);
    payload = pushes[0]?.payload ?? '';
    const data = JSON.parse(payload) as { title: string; body: string; url: string; stop: string };
    expect(data.title).toMatch(/^Nhắc hẹn: ngày mai/);
    expect(data.url).toBe(`/diem-hien-mau/${hospital.slug}/`);
    expect(data.stop).toMatch(/^\/nhac-hen\/dung\/\?t=/);
    // No code on a lock screen.
    expect(data.body).not.toContain(code.slice(0, 4));
    expect(pushes[0]?.ttl).toBeGreaterThan(3_600);
    expect(pushes[0]?.topic).toMatch(/^[\w-]{32}$/);
    const phone = `+84${person.phone.slice(1)}`;
    const hooks = rs.hook.received.filter((h) => h.data.to === phone);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.signed).toBe(true);
    expect(hooks[0]?.data).toMatchObject({ kind: 'evening', url: `${rs.url}/diem-hien-mau/${hospital.slug}/` });
    expect(hooks[0]?.data.text).toContain(`Mã: ${code.slice(0, 4)}-`);
    expect(hooks[0]?.data.id).toContain(`evening:${code}:`);
  });

  test('in Chromium, "Thông báo trên trình duyệt này" subscribes through the service worker and the form carries it', async () => {
    const subscription = rs.push.subscribe('trinh-duyet');
    const { page, context } = await openPage();
    try {
      await context.grantPermissions(['notifications'], { origin: rs.url });
      // Chromium's own push service (Firebase) is not reachable from the tests: the subscription the
      // browser would get is the loopback service's. Everything else (permission, the worker being
      // ready, the key handed over, toJSON) is the island's real path.
      await context.addInitScript((sub: typeof subscription) => {
        const made = { endpoint: sub.endpoint, options: { applicationServerKey: null }, toJSON: () => sub };
        const seen: unknown[] = [];
        Object.assign(window, { pushKeysSeen: seen });
        PushManager.prototype.getSubscription = () => Promise.resolve(null);
        PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
          seen.push(options?.applicationServerKey);
          return Promise.resolve(made as unknown as PushSubscription);
        };
      }, subscription);
      await page.goto(`${rs.url}/diem-hien-mau/${hospital.slug}/`);
      await page.waitForSelector('[data-reminders] [data-channel="push"]:not([hidden])');
      const person = newPerson();
      await page.check(`input[name="slot"][value="${slot.id}"]`);
      await page.fill('#ho-ten', person.fullName);
      await page.fill('#so-dien-thoai', person.phone);
      await page.fill('#nam-sinh', '1991');
      await page.fill('#can-nang', '61');
      await page.check('input[name="sex"][value="male"]');
      await page.check('#dong-y');
      await page.check('#nhac-hen');
      await page.check('#nhac-tren-may');
      await expect.poll(() => page.textContent('[data-push-status]')).toBe('Đã bật thông báo trên trình duyệt này.');
      const key = await page.evaluate(() => [
        ...new Uint8Array((window as unknown as { pushKeysSeen: ArrayBuffer[] }).pushKeysSeen[0] ?? new ArrayBuffer(0)),
      ]);
      expect(Buffer.from(key).toString('base64url')).toBe(rs.vapid.publicKey);
      await page.waitForTimeout(3_200);
      await Promise.all([page.waitForURL(/_action=signup/), page.click('button:has-text("Đăng ký hiến máu")')]);
      expect(await page.getAttribute('[data-confirmation-code]', 'data-confirmation-code')).toMatch(/^[0-9A-Z]{10}$/);
    } finally {
      await context.close();
    }
    await rs.cli(['reminders', 'send', '--at', evening]);
    const pushes = rs.push.received.filter((p) => p.id === 'trinh-duyet');
    expect(pushes).toHaveLength(1);
    expect((JSON.parse(pushes[0]?.payload ?? '{}') as { title?: string }).title).toMatch(/^Nhắc hẹn/);
  });

  test('Chromium’s service worker shows the delivered push as a notification', async () => {
    const { page, context } = await openPage();
    try {
      await context.grantPermissions(['notifications'], { origin: rs.url });
      const cdp = await context.newCDPSession(page);
      const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
      cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: typeof registrations }) => {
        registrations.push(...event.registrations);
      });
      await cdp.send('ServiceWorker.enable');
      await page.goto(`${rs.url}/`);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await expect.poll(() => registrations.some((r) => r.scopeURL === `${rs.url}/` && !r.isDeleted)).toBe(true);
      const registration = registrations.find((r) => r.scopeURL === `${rs.url}/` && !r.isDeleted);
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: rs.url,
        registrationId: registration?.registrationId ?? '',
        data: payload,
      });
      const shown = () =>
        page.evaluate(async () =>
          (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
            data: n.data as unknown,
            lang: n.lang,
          })),
        );
      await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBe(1);
      const [notification] = await shown();
      const data = JSON.parse(payload) as { title: string; body: string; url: string; stop: string };
      expect(notification).toEqual({
        title: data.title,
        body: data.body,
        data: { url: data.url, stop: data.stop },
        lang: 'vi',
      });
    } finally {
      await context.close();
    }
  });

  test('a channel that failed for good (push 410, a refused address, a number the gateway cannot reach) stops for that person', async () => {
    const subscription = rs.push.subscribe('het-han');
    rs.push.gone.add('het-han');
    const { html } = await postSignup(rs.url, hospital.slug, slot.id, {
      reminders: 'yes',
      email: `tu-choi-${Date.now()}@example.vn`,
      reminderPush: 'yes',
      pushSubscription: JSON.stringify(subscription),
      // The gateway answers 410 for this number.
      phone: '0399999999',
      reminderSms: 'yes',
    });
    const code = codeOf(html) ?? '';
    await rs.cli(['reminders', 'send', '--at', evening]);
    const contact = () =>
      withStore(rs.db, (store) => new ReminderStore(store.db).contact(store.byCode(code)?.reminderContact ?? 0));
    expect(contact()?.ended.push).not.toBeNull();
    expect(contact()?.ended.email).not.toBeNull();
    expect(contact()?.ended.webhook).not.toBeNull();
    expect(contact()).toMatchObject({ email: null, push: null, webhook: false });
    // The two-hour reminder tries nothing on them.
    const smtpBefore = rs.smtp.received.length;
    const pushBefore = rs.push.received.length;
    await rs.cli(['reminders', 'send', '--at', soon]);
    expect(rs.push.received.filter((p) => p.id === 'het-han')).toEqual([]);
    expect(rs.hook.received.filter((h) => h.data.to === '+84399999999')).toHaveLength(1);
    expect(rs.smtp.received.slice(smtpBefore).filter((m) => m.to.some((t) => t.startsWith('tu-choi')))).toEqual([]);
    expect(rs.push.received.length).toBeGreaterThanOrEqual(pushBefore);
    const status = await rs.cli(['reminders', 'status']);
    expect(status.stdout).toMatch(/thất bại\ttối hôm trước\tthông báo đẩy\t1/);
  });
});

describe('the other messages', () => {
  test('a drive whose file says cancelled: word goes at once to those signed up with reminders', async () => {
    const cancelled = driveOf('ganh-hao');
    const [first] = driveSlots(cancelled);
    if (!first) throw new Error('no slot');
    const email = `ganh-hao-${Date.now()}@example.vn`;
    withStore(rs.db, (store) =>
      store.takePlace({
        code: 'GHAO000001',
        drive: cancelled.slug,
        slot: first.id,
        slotEnd: toIsoWithOffset(first.end),
        capacity: 30,
        person: { ...newPerson(), phone: '+84912300001', birthYear: 1988, sex: 'female', weightKg: 50 },
        now: new Date(Date.now() - 86_400_000),
        reminders: { email },
      }),
    );
    const run = await rs.cli(['reminders', 'send']);
    expect(run.code).toBe(0);
    const [mail] = mailsTo(email);
    expect(mail?.subject).toMatch(/^Đợt hiến máu ngày .* đã bị hủy$/);
    expect(mail?.text).toContain('Bạn không cần đến');
    expect(linksOf(mail?.text ?? '')).toContain(`${rs.url}/diem-hien-mau/`);
  });

  test('after a gift the organisers record: the thank-you with the drive’s result, then the day they may give again', async () => {
    const email = `da-hien-${Date.now()}@example.vn`;
    const { html } = await postSignup(rs.url, hospital.slug, slot.id, { reminders: 'yes', email });
    const code = codeOf(html) ?? '';
    const given = await rs.cli(['given', code]);
    expect(given.stdout).toContain('đã ghi nhận hiến máu');
    const returnAfter = withStore(rs.db, (store) => store.byCode(code)?.desk.returnAfter);
    const afterDrive = new Date(hospital.end.getTime() + 3_600_000).toISOString();
    await rs.cli(['reminders', 'send', '--at', afterDrive]);
    const thanks = mailsTo(email).find((m) => m.subject === 'Cảm ơn bạn đã hiến máu');
    expect(thanks?.text).toMatch(/đã tiếp nhận \d+ đơn vị máu/);
    expect(thanks?.text).toContain(
      `hiến máu lại từ ngày ${returnAfter?.slice(8, 10)}/${returnAfter?.slice(5, 7)}/${returnAfter?.slice(0, 4)}`,
    );
    await rs.cli(['reminders', 'send', '--at', `${returnAfter}T08:00:00+07:00`]);
    const again = mailsTo(email).find((m) => m.subject === 'Từ hôm nay bạn có thể hiến máu lại');
    // 84 days from the drive's day (day+57 here), past the test site's last drive (day+120):
    // the mail then says there is none coming, and lists them when there are.
    const later = drives.filter((d) => d.status === 'scheduled' && d.start.toISOString() > `${returnAfter}T01:00:00Z`);
    const driveDay = hospital.start.toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
    expect(returnAfter).toBe(
      new Date(Date.parse(`${driveDay}T00:00:00Z`) + 84 * 86_400_000).toISOString().slice(0, 10),
    );
    if (later.length === 0) {
      expect(again?.text).toContain('Chưa có đợt nào sắp tới gần đó');
    } else {
      expect(again?.text).toContain('Các đợt sắp tới gần đó:');
      expect(later.some((d) => again?.text?.includes(d.name))).toBe(true);
    }
    // Nothing is said of the gift itself: no volume, no result of a test.
    expect(`${thanks?.text ?? ''}${again?.text ?? ''}`).not.toMatch(/\bml\b|huyết sắc tố|huyết áp/);
  });
});

describe('delivery that neither loses nor repeats', () => {
  test('a kill -9 in the middle of sending loses nothing and repeats at most the message in flight', async () => {
    const db = join(rs.folder, 'kill.sqlite');
    const count = 30;
    withStore(db, (store) => {
      for (let i = 0; i < count; i += 1) {
        store.takePlace({
          code: `KILL${String(i).padStart(6, '0')}`,
          drive: hospital.slug,
          slot: slot.id,
          slotEnd: slot.end,
          capacity: 1_000,
          person: {
            fullName: 'Người Thử',
            phone: `+8491${String(i).padStart(7, '0')}`,
            birthYear: 1990,
            sex: 'male',
            weightKg: 60,
          },
          now: new Date(Date.now() - 86_400_000),
          reminders: { email: `kill-${i}@example.vn` },
        });
      }
    });
    // A slow relay, so the kill lands while a message is in flight.
    const slow = await startSmtpReceiver({ delayMs: 120, parse: false });
    const env = { ...rs.env, SIGNUP_DB: db, SMTP_URL: slow.url };
    try {
      let killed = false;
      const first = await runCli(['reminders', 'send', '--at', evening], env, (child) => {
        const timer = setInterval(() => {
          if (slow.received.length >= 8) {
            clearInterval(timer);
            killed = child.kill('SIGKILL');
          }
        }, 5);
        child.on('close', () => clearInterval(timer));
      });
      expect(killed).toBe(true);
      expect(first.code).toBeNull();
      const afterKill = slow.received.length;
      expect(afterKill).toBeLessThan(count);
      // At once: the lease of a process that died on this machine is not waited for.
      const second = await runCli(['reminders', 'send', '--at', evening], env);
      expect(second.code).toBe(0);
      const perKey = new Map<string, number>();
      for (const mail of slow.received) perKey.set(mail.key, (perKey.get(mail.key) ?? 0) + 1);
      expect(perKey.size).toBe(count);
      const repeated = [...perKey.values()].filter((n) => n > 1);
      expect(repeated.length).toBeLessThanOrEqual(1);
      expect(repeated.every((n) => n === 2)).toBe(true);
      const third = await runCli(['reminders', 'send', '--at', evening], env);
      expect(third.stdout).toContain(': 0 đã gửi');
    } finally {
      await slow.close();
    }
  });

  test('two server processes on one database: one sender, every message once; the CLI waits its turn', async () => {
    const db = join(rs.folder, 'two-servers.sqlite');
    const cancelled = driveOf('ganh-hao');
    const [first] = driveSlots(cancelled);
    if (!first) throw new Error('no slot');
    const stamp = Date.now();
    withStore(db, (store) => {
      for (let i = 0; i < 6; i += 1) {
        store.takePlace({
          code: `TWOS${String(i).padStart(6, '0')}`,
          drive: cancelled.slug,
          slot: first.id,
          slotEnd: toIsoWithOffset(first.end),
          capacity: 30,
          person: {
            fullName: 'Người Thử',
            phone: `+8492${String(i).padStart(7, '0')}`,
            birthYear: 1990,
            sex: 'male',
            weightKg: 60,
          },
          now: new Date(stamp - 86_400_000),
          reminders: { email: `hai-may-${stamp}-${i}@example.vn` },
        });
      }
    });
    const env = { ...rs.env, SIGNUP_DB: db, REMINDER_SCHEDULER: '1' };
    const [a, b] = await Promise.all([startSite(env), startSite(env)]);
    try {
      const ours = () => rs.smtp.received.filter((m) => m.to.some((t) => t.startsWith(`hai-may-${stamp}-`)));
      await expect.poll(() => ours().length, { timeout: 20_000 }).toBe(6);
      // A little longer: nothing more comes from the other process.
      await new Promise((done) => setTimeout(done, 2_500));
      expect(ours()).toHaveLength(6);
      expect(new Set(ours().map((m) => m.to[0])).size).toBe(6);
      expect(`${a.output()}${b.output()}`).toMatch(/nhắc hẹn: 6 đã gửi/);
      // A sender elsewhere holds the lease for 3 s: `reminders send` by hand waits for its turn,
      // then finds nothing left to send (each server gives the lease back after its round).
      expect(
        withStore(db, (store) => new ReminderStore(store.db).acquireLease('elsewhere:1:server:x', new Date(), 3_000)),
      ).toBe(true);
      const cli = await runCli(['reminders', 'send'], env);
      expect(cli.stdout).toContain('đang chờ nó gửi xong');
      expect(cli.stdout).toMatch(/: 0 đã gửi/);
      expect(cli.code).toBe(0);
      expect(ours()).toHaveLength(6);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    // Stopped servers give the lease back.
    expect(withStore(db, (store) => new ReminderStore(store.db).leaseHolder())).toBeUndefined();
  });

  test('`npm run signups -- vapid` prints a key pair the settings accept', async () => {
    const run = await runCli(['vapid'], {});
    const pub = /^VAPID_PUBLIC_KEY=([\w-]+)$/m.exec(run.stdout)?.[1] ?? '';
    const priv = /^VAPID_PRIVATE_KEY=([\w-]+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(Buffer.from(pub, 'base64url')).toHaveLength(65);
    expect(Buffer.from(priv, 'base64url')).toHaveLength(32);
    const site = await startSite({
      ...rs.env,
      SIGNUP_DB: join(rs.folder, 'vapid.sqlite'),
      VAPID_PUBLIC_KEY: pub,
      VAPID_PRIVATE_KEY: priv,
    });
    try {
      const response = await fetch(`${site.url}/api/diem-hien-mau/${hospital.slug}/cho-trong.json`);
      expect(response.headers.get('x-push-key')).toBe(pub);
    } finally {
      await site.stop();
    }
  });
});
