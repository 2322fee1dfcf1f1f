/**
 * The waitlist end to end, on a server, database and mail relay of their
 * own: a full slot offers "Báo tôi khi có chỗ" (in Chromium, and as a plain
 * form post); a cancellation frees a place, which is offered at once to the
 * first person waiting and held for them (places left count the hold); the
 * offer's mail leads to taking the place with a confirmation code; a hold
 * that ends unanswered goes to the next person.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { SignupStore } from '../../src/signup/store.ts';
import { WaitlistStore } from '../../src/signup/waitlist-store.ts';
import { HOLD_MS } from '../../src/reminder-choice/reminder-types.ts';
import { driveSlots } from '../../src/drives/drives.ts';
import { axeViolations, useSiteBrowser } from './browser.ts';
import { codeOf, postForm } from './forms.ts';
import { readDrives } from './drive-data.ts';
import { newPerson, postSignup, startReminderSite } from './reminder-site.ts';

const drive = (await readDrives()).find((d) => d.slug === 'u-minh');
if (!drive) throw new Error('the test site needs the drive u-minh');
const [slot] = driveSlots(drive);
if (!slot) throw new Error('u-minh has no slots');

const rs = await startReminderSite();
afterAll(() => rs.stop());
const openPage = useSiteBrowser(rs.url);

const placesLeft = async () => {
  const list = (await (await fetch(`${rs.url}/api/diem-hien-mau/${drive.slug}/cho-trong.json`)).json()) as {
    slot: string;
    capacity: number;
    taken: number;
  }[];
  return list.find((s) => s.slot === slot.id);
};
const entry = (code: string) => {
  const store = new SignupStore(rs.db);
  try {
    return new WaitlistStore(store.db).byCode(code);
  } finally {
    store.close();
  }
};
const mailsTo = (address: string) =>
  rs.smtp.received.filter((m) => m.to.includes(address)).map((m) => m.mail as ParsedMail);
const offerLink = (mail: ParsedMail | undefined) =>
  new RegExp(`${rs.url}/nhac-hen/nhan-cho/\\?t=[\\w-]+`).exec(mail?.text ?? '')?.[0] ?? '';
const cancel = (code: string, phone: string) => postForm(rs.url, '/dang-ky/huy/?_action=cancelSignup', { code, phone });

const signedUp: { code: string; phone: string }[] = [];
const waiting: { code: string; phone: string; email: string }[] = [];
const stamp = Date.now();

describe('a full slot and its waitlist', () => {
  test('the slot fills up', async () => {
    for (let i = 0; i < slot.places; i += 1) {
      const { html, person } = await postSignup(rs.url, drive.slug, slot.id, {});
      const code = codeOf(html);
      if (!code) throw new Error('no sign-up');
      signedUp.push({ code, phone: person.phone });
    }
    expect(await placesLeft()).toMatchObject({ capacity: slot.places, taken: slot.places });
    const refused = await postSignup(rs.url, drive.slug, slot.id, {});
    expect(refused.response.status).toBe(409);
    expect(refused.html).toContain('Báo tôi khi có chỗ');
  });

  test('in Chromium the full slot offers "Báo tôi khi có chỗ", which puts the person first in line', async () => {
    const { page, context } = await openPage();
    const email = `cho-1-${stamp}@example.vn`;
    try {
      await page.goto(`${rs.url}/diem-hien-mau/${drive.slug}/`);
      const label = page.locator(`[data-places="${slot.id}"]`);
      // The places come from the sign-up form's island, added after the largest paint: on a busy
      // machine that can be seconds after the page is there.
      await expect.poll(() => label.textContent(), { timeout: 15_000 }).toBe('Hết chỗ, có thể chờ');
      expect(await page.isVisible('[data-join-waitlist]')).toBe(false);
      await page.check(`input[name="slot"][value="${slot.id}"]`);
      expect(await page.isVisible('[data-join-waitlist]')).toBe(true);
      expect(await page.isVisible('button:has-text("Đăng ký hiến máu")')).toBe(false);
      const person = newPerson();
      await page.fill('#ho-ten', person.fullName);
      await page.fill('#so-dien-thoai', person.phone);
      await page.fill('#nam-sinh', '1992');
      await page.fill('#can-nang', '55');
      await page.check('#gioi-tinh-nu');
      await page.check('#dong-y');
      // Without a way to reach them the island says so before sending.
      await page.waitForTimeout(3_200);
      await page.click('[data-join-waitlist]');
      await expect.poll(() => page.textContent('#nhac-hen-loi')).toContain('Để được báo khi có chỗ');
      await page.check('#nhac-hen');
      await page.fill('#thu-dien-tu', email);
      await Promise.all([page.waitForURL(/_action=joinWaitlist/), page.click('[data-join-waitlist]')]);
      expect(await page.textContent('#danh-sach-cho')).toContain('Đã ghi tên bạn vào danh sách chờ');
      expect(await page.textContent('[data-waitlist-position]')).toBe('1');
      expect(await axeViolations(page)).toEqual([]);
      const code = (await page.getAttribute('[data-waitlist-code]', 'data-waitlist-code')) ?? '';
      waiting.push({ code, phone: person.phone, email });
    } finally {
      await context.close();
    }
  });

  test('as a form post too, with the same checks: a way to reach them is required', async () => {
    const without = await postSignup(rs.url, drive.slug, slot.id, {}, 'joinWaitlist');
    expect(without.response.status).toBe(400);
    expect(without.html).toContain('Để được báo khi có chỗ');
    for (const n of [2, 3]) {
      const email = `cho-${n}-${stamp}@example.vn`;
      const { html, response, person } = await postSignup(
        rs.url,
        drive.slug,
        slot.id,
        { reminders: 'yes', email },
        'joinWaitlist',
      );
      expect(response.status).toBe(200);
      expect(html).toContain(`data-waitlist-position>${n}<`);
      const code = /data-waitlist-code="([0-9A-Z]{10})"/.exec(html)?.[1] ?? '';
      waiting.push({ code, phone: person.phone, email });
    }
    expect(waiting.map((w) => entry(w.code)?.state)).toEqual(['waiting', 'waiting', 'waiting']);
  });

  test('a cancellation offers the place to the first person at once, held for them: it stays full for others', async () => {
    const [first] = signedUp;
    if (!first) throw new Error('nobody signed up');
    expect((await cancel(first.code, first.phone)).status).toBe(200);
    await expect.poll(() => entry(waiting[0]?.code ?? '')?.state).toBe('offered');
    expect(entry(waiting[1]?.code ?? '')?.state).toBe('waiting');
    expect(await placesLeft()).toMatchObject({ taken: slot.places });
    const taken = await postSignup(rs.url, drive.slug, slot.id, {});
    expect(taken.response.status).toBe(409);
    const run = await rs.cli(['reminders', 'send']);
    expect(run.stdout).toMatch(/: 1 đã gửi/);
    const [mail] = mailsTo(waiting[0]?.email ?? '');
    expect(mail?.subject).toMatch(/^Có chỗ cho bạn: hiến máu /);
    expect(mail?.text).toContain('đang được giữ cho bạn đến');
  });

  test('the offer’s link takes the place with a confirmation code; a second tap gets the same', async () => {
    const link = offerLink(mailsTo(waiting[0]?.email ?? '')[0]);
    expect(link).not.toBe('');
    const { page, context } = await openPage();
    try {
      await page.goto(link);
      expect(await page.textContent('[data-offer-open]')).toContain('Chỗ được giữ đến');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const token = new URL(link).searchParams.get('t') ?? '';
    const taken = await postForm(rs.url, '/nhac-hen/nhan-cho/?_action=acceptOffer', { offer: token });
    expect(taken.status).toBe(200);
    const code = codeOf(await taken.text());
    expect(code).toMatch(/^[0-9A-Z]{10}$/);
    const again = await postForm(rs.url, '/nhac-hen/nhan-cho/?_action=acceptOffer', { offer: token });
    expect(codeOf(await again.text())).toBe(code);
    expect(entry(waiting[0]?.code ?? '')).toMatchObject({ state: 'accepted', signupCode: code });
    expect(await placesLeft()).toMatchObject({ taken: slot.places });
    // The place taken this way is a sign-up like any other, with the reminders they chose.
    const store = new SignupStore(rs.db);
    try {
      expect(store.byCode(code ?? '')?.reminderContact).toBe(entry(waiting[0]?.code ?? '')?.contact);
    } finally {
      store.close();
    }
  });

  test('a hold that ends unanswered goes to the next person', async () => {
    const [, second] = signedUp;
    if (!second) throw new Error('nobody signed up');
    const freedAt = Date.now();
    await cancel(second.code, second.phone);
    await expect.poll(() => entry(waiting[1]?.code ?? '')?.state).toBe('offered');
    await rs.cli(['reminders', 'send']);
    const offered = offerLink(mailsTo(waiting[1]?.email ?? '')[0]);
    expect(offered).not.toBe('');
    const after = new Date(freedAt + HOLD_MS + 60_000).toISOString();
    const run = await rs.cli(['reminders', 'send', '--at', after]);
    expect(run.stdout).toContain('1 chỗ đã mời người trong danh sách chờ, 1 chỗ giữ đã hết hạn');
    expect(entry(waiting[1]?.code ?? '')?.state).toBe('expired');
    expect(entry(waiting[2]?.code ?? '')?.state).toBe('offered');
    expect(mailsTo(waiting[2]?.email ?? '')[0]?.subject).toMatch(/^Có chỗ cho bạn/);
    // The second person's link now says the hold is over.
    const late = await postForm(rs.url, '/nhac-hen/nhan-cho/?_action=acceptOffer', {
      offer: new URL(offered).searchParams.get('t') ?? '',
    });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('Thời gian giữ chỗ đã hết');
  });

  test('on /nhac-hen/ the person held for sees it, and stopping gives the place back', async () => {
    const third = waiting[2];
    if (!third) throw new Error('no third person');
    const looked = await postForm(rs.url, '/nhac-hen/?_action=reminderLookup', {
      code: third.code,
      phone: third.phone,
    });
    const html = await looked.text();
    expect(looked.status).toBe(200);
    expect(html).toContain('data-wait-state="offered"');
    expect(html).toContain('Dừng nhắc hẹn và rời danh sách chờ');
    const stopped = await postForm(rs.url, '/nhac-hen/?_action=stopReminders', {
      code: third.code,
      phone: third.phone,
    });
    expect(await stopped.text()).toContain('Đã dừng mọi nhắc hẹn');
    expect(entry(third.code)?.state).toBe('left');
    // Nobody else waits: the place is free for anyone now.
    expect(await placesLeft()).toMatchObject({ taken: slot.places - 1 });
  });
});
