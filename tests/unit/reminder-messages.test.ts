/**
 * The messages, built from facts: Vietnamese, short, no health data, every
 * one linking to the drive, its calendar file, the cancel page and the stop
 * link, with the mail, push and SMS forms agreeing.
 */
import { describe, expect, test } from 'vitest';
import { buildMessage, type DriveFacts, type MessageFacts } from '../../src/reminders/messages.ts';
import { MESSAGE_KINDS, type MessageKind } from '../../src/reminder-choice/reminder-types.ts';

const SITE = 'https://hienmau.camau.example';
const drive: DriveFacts = {
  slug: 'u-minh',
  name: 'Hiến máu xã U Minh',
  address: 'Trụ sở UBND xã U Minh, tỉnh Cà Mau',
  start: new Date('2026-12-12T07:00:00+07:00'),
  end: new Date('2026-12-12T11:00:00+07:00'),
};
const next: DriveFacts = {
  slug: 'vinh-trach',
  name: 'Hiến máu phường Vĩnh Trạch',
  address: 'Nhà văn hóa phường Vĩnh Trạch',
  start: new Date('2027-03-10T07:00:00+07:00'),
  end: new Date('2027-03-10T11:00:00+07:00'),
};

function facts(kind: MessageKind): MessageFacts {
  return {
    kind,
    siteUrl: SITE,
    drive,
    slot: { start: new Date('2026-12-12T07:30:00+07:00'), end: new Date('2026-12-12T08:00:00+07:00') },
    code: kind === 'offer' ? undefined : '7K3Q9XWD2P',
    stopToken: 'tok_en-123456789012345',
    units: 134,
    againFrom: '2027-03-06',
    nextDrives: [next],
    holdUntil: new Date('2026-12-05T11:15:00+07:00'),
    offerToken: 'offer-token-1234567890',
  };
}

describe.each(MESSAGE_KINDS)('the %s message', (kind) => {
  const message = buildMessage(facts(kind));

  test('links to the drive, its calendar file, the cancel page and the stop link, absolute', () => {
    const urls = message.links.map((l) => l.url);
    const linked = kind === 'again' ? 'vinh-trach' : 'u-minh';
    expect(urls).toContain(`${SITE}/diem-hien-mau/${linked}/`);
    expect(urls).toContain(`${SITE}/diem-hien-mau/${linked}.ics`);
    expect(urls.some((u) => u.startsWith(`${SITE}/dang-ky/huy/`))).toBe(true);
    expect(urls.at(-1)).toBe(`${SITE}/nhac-hen/dung/?t=tok_en-123456789012345`);
    expect(message.stopUrl).toBe(urls.at(-1));
    for (const url of urls) expect(message.text).toContain(url);
    for (const url of urls) expect(message.html).toContain(url.replace(/&/g, '&amp;'));
  });

  test('is short, in Vietnamese, and says nothing about health', () => {
    expect(message.subject.length).toBeLessThanOrEqual(80);
    expect(message.lines.join(' ').length).toBeLessThanOrEqual(400);
    expect(message.text).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
    expect(message.text).not.toMatch(/huyết|hemoglobin|huyết áp|tạm hoãn|\bml\b|xét nghiệm|bệnh của bạn/i);
  });

  test('the push payload carries paths and the stop path, within the push services’ 4 kB', () => {
    expect(message.push.title).toBe(message.subject);
    expect(message.push.url.startsWith('/')).toBe(true);
    expect(message.push.stop).toBe('/nhac-hen/dung/?t=tok_en-123456789012345');
    expect(Buffer.byteLength(JSON.stringify(message.push))).toBeLessThan(3_000);
    expect(message.sms).toContain(message.stopUrl);
  });
});

describe('what each message says', () => {
  test('the evening before: day, hours, place, the code, what to bring', () => {
    const message = buildMessage(facts('evening'));
    expect(message.subject).toBe('Nhắc hẹn: ngày mai 07:30 hiến máu tại Hiến máu xã U Minh');
    expect(message.text).toContain('07:30–08:00, Thứ Bảy, 12/12/2026');
    expect(message.text).toContain('Trụ sở UBND xã U Minh');
    expect(message.text).toContain('7K3Q-9XWD-2P');
    expect(message.text).toContain('căn cước công dân');
    expect(message.links[0]?.url).toBe(`${SITE}/diem-hien-mau/u-minh/`);
  });

  test('a cancelled drive sends people to the other drives', () => {
    const message = buildMessage(facts('cancelled'));
    expect(message.subject).toContain('đã bị hủy');
    expect(message.mainUrl).toBe(`${SITE}/diem-hien-mau/`);
  });

  test('the thank-you gives the drive’s result and the day they may give again', () => {
    const message = buildMessage(facts('thanks'));
    expect(message.text).toContain('134 đơn vị máu');
    expect(message.text).toContain('06/03/2027');
  });

  test('"you may give again" lists the next drives near the last one, each linked', () => {
    const message = buildMessage({
      ...facts('again'),
      nextDrives: [next, { ...next, slug: 'dam-doi', name: 'Đầm Dơi' }],
    });
    expect(message.text).toContain('10/03 07:00: Hiến máu phường Vĩnh Trạch');
    expect(message.links.map((l) => l.url)).toContain(`${SITE}/diem-hien-mau/dam-doi/`);
    const none = buildMessage({ ...facts('again'), nextDrives: [] });
    expect(none.mainUrl).toBe(`${SITE}/diem-hien-mau/`);
  });

  test('an offer says until when the place is held and leads to taking it', () => {
    const message = buildMessage(facts('offer'));
    expect(message.text).toContain('11:15 ngày 05/12/2026');
    expect(message.mainUrl).toBe(`${SITE}/nhac-hen/nhan-cho/?t=offer-token-1234567890`);
    expect(message.links[0]).toEqual({ label: 'Nhận chỗ', url: message.mainUrl });
  });

  test('names with markup are text in the mail, never markup', () => {
    const message = buildMessage({ ...facts('evening'), drive: { ...drive, name: '<b>U Minh</b> & "xã"' } });
    expect(message.html).toContain('&lt;b&gt;U Minh&lt;/b&gt; &amp; &quot;xã&quot;');
    expect(message.html).not.toContain('<b>');
  });
});
