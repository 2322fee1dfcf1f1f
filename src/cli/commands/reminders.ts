/**
 * `reminders send [--at <ISO time>]`: plans and sends what is due at that time (now by default),
 * for cron (with REMINDER_SCHEDULER=0) and for tests. `reminders status`: the outbox by state,
 * kind and channel, and who holds the lease. It waits on the network: it runs through runCommand.
 */
import { readSettings, reminderChannels } from '../../settings.ts';
import { readCatalog } from '../../reminders/catalog.ts';
import { servedDist } from '../../editor/served-build.ts';
import { closeChannels, openChannels, recoverChannels } from '../../reminders/channels/index.ts';
import { plan } from '../../reminders/planner.ts';
import { LEASE_MS, ReminderStore } from '../../reminders/reminder-store.ts';
import { isPhoneChannel, type Channel } from '../../reminder-choice/reminder-types.ts';
import { formatDateTime } from '../../shared/dates.ts';
import { holderGone, senderName } from '../../reminders/scheduler.ts';
import { factsOf, nextDay, sendDue, whyNot } from '../../reminders/sender.ts';
import { buildMessage } from '../../reminders/messages.ts';
import { smsParts, smsText } from '../../reminders/channels/sms-text.ts';
import { dailyCaps, outboxStatus } from '../../reminders/outbox-status.ts';
import {
  OUTBOX_CHANNEL_WORDS as CHANNEL_WORDS,
  OUTBOX_KIND_WORDS as KIND_WORDS,
  OUTBOX_STATE_WORDS as STATE_WORDS,
  ZALO_AUTH_WORDS,
  zaloProblem,
} from '../../reminders/words.ts';
import { begin, finish } from '../../reminders/zalo-auth.ts';
import type { Catalog } from '../../reminders/catalog.ts';
import type { ReminderSettings } from '../../settings.ts';
import type { Database } from '../../store/database.ts';
import { UsageError, type Command } from '../command.ts';
import { openStore } from '../database.ts';

const when = (iso: string | undefined) => (iso ? formatDateTime(new Date(iso)) : '?');

/** Exit status when another sender held the lease for longer than LEASE_WAIT_MS: nothing was sent. */
export const LEASE_HELD_EXIT = 4;

function parseAt(at: string | undefined, now: Date): Date {
  if (at === undefined) return now;
  // With a zone, so "18:00" is never read in the server's own zone by mistake.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(Date.parse(at))) {
    throw new UsageError(
      `--at cần một thời điểm có ghi múi giờ, ví dụ --at 2026-12-11T18:00:00+07:00; đã nhận "${at}"`,
    );
  }
  return new Date(at);
}

/** How long `reminders send` waits for a server's round to end before giving up: one lease and a little more. */
export const LEASE_WAIT_MS = LEASE_MS + 5_000;

/** Takes the lease, waiting while another sender (a server's round) holds it; false if it is still held after LEASE_WAIT_MS. */
async function takeTurn(reminders: ReminderStore, holder: string, out: (line: string) => void): Promise<boolean> {
  const giveUpAt = Date.now() + LEASE_WAIT_MS;
  let told = false;
  while (!reminders.acquireLease(holder, new Date(), undefined, holderGone)) {
    if (Date.now() >= giveUpAt) return false;
    if (!told) out('Một tiến trình khác đang gửi; đang chờ nó gửi xong…');
    told = true;
    await new Promise((done) => setTimeout(done, 500));
  }
  return true;
}

/**
 * `reminders send --dry-run`: what is due now per channel (messages, SMS parts, and the
 * cost at SMS_PART_PRICE and ZALO_PRICE), and what a daily cap would hold back. Read only:
 * it plans nothing and sends nothing, so sign-ups not yet planned are not counted.
 */
function dryRun(db: Database, catalog: Catalog, settings: ReminderSettings, at: Date, out: (line: string) => void) {
  const reminders = new ReminderStore(db);
  const per = new Map<Channel, { messages: number; parts: number; capped: number }>();
  let dropped = 0;
  const caps: Partial<Record<Channel, number>> = {
    sms: settings.sms?.dailyCap ?? 0,
    zalo: settings.zalo?.dailyCap ?? 0,
  };
  for (const due of reminders.allDue(at)) {
    if (whyNot(due, catalog, at)) {
      dropped += 1;
      continue;
    }
    const row = per.get(due.channel) ?? { messages: 0, parts: 0, capped: 0 };
    const cap = caps[due.channel] ?? 0;
    if (cap > 0 && reminders.sentToday(due.channel, at).messages + row.messages >= cap) {
      row.capped += 1;
    } else {
      row.messages += 1;
      if (due.channel === 'sms' && settings.sms) {
        const message = buildMessage(factsOf(due, catalog, () => reminders.unitsGiven(due.drive), at));
        row.parts += smsParts(smsText(message.textFacts, settings.sms.unicode), settings.sms.unicode, 0).length;
      }
    }
    per.set(due.channel, row);
  }
  out(`Thử, không gửi (lúc ${when(at.toISOString())}):`);
  if (per.size === 0) out('Không có tin nào đến hạn.');
  for (const [channel, row] of per) {
    const cost =
      channel === 'sms' && settings.sms?.partPrice
        ? `, khoảng ${(row.parts * settings.sms.partPrice).toLocaleString('vi-VN')} đồng`
        : channel === 'zalo' && settings.zalo?.price
          ? `, khoảng ${(row.messages * settings.zalo.price).toLocaleString('vi-VN')} đồng`
          : '';
    const parts = channel === 'sms' ? `, ${row.parts} phần tin SMS` : '';
    const capped =
      row.capped > 0 ? `; ${row.capped} tin quá hạn mức trong ngày, chờ đến ${when(nextDay(at).toISOString())}` : '';
    out(`${CHANNEL_WORDS[channel]}: ${row.messages} tin${parts}${cost}${capped}`);
  }
  if (dropped > 0) out(`${dropped} tin không cần gửi nữa (đã hủy, đã dừng, quá giờ).`);
}

interface ReminderOptions {
  at?: string | undefined;
  dryRun?: boolean | undefined;
  code?: string | undefined;
  state?: string | undefined;
}

const FORMS = [
  'reminders send [--at <thời-điểm>] [--dry-run]',
  'reminders status',
  'reminders zalo-auth [--code <code> [--state <state>]]',
];

/** Exit status of a `zalo-auth --code` that stored nothing (a spent state, a code Zalo refused). */
export const ZALO_AUTH_FAILED_EXIT = 3;

/** The console's "Cấp quyền lại cho Zalo", on the command line: the address to open, then the code Zalo gave. */
async function zaloAuth(db: Database, options: ReminderOptions, out: (line: string) => void): Promise<void> {
  const zalo = readSettings().reminders.zalo;
  if (!zalo) throw new UsageError(ZALO_AUTH_WORDS.notConfigured);
  if (options.code === undefined) {
    if (options.state !== undefined) throw new UsageError('--state chỉ dùng cùng --code.');
    if (!zalo.redirectUri) throw new UsageError(ZALO_AUTH_WORDS.noRedirect);
    const begun = begin(db, zalo, zalo.redirectUri, 'cli', new Date());
    out('Mở địa chỉ này trong trình duyệt, đăng nhập Zalo bằng tài khoản quản trị Official Account và bấm cho phép:');
    out(begun.url);
    out(
      `Dùng một lần, đến ${when(begun.expiresAt)}. Zalo chuyển về ${zalo.redirectUri}?code=…: ` +
        'bấm «Hoàn tất cấp quyền» ở trang đó (tài khoản quản trị), hoặc chép giá trị code và chạy ' +
        'npm run signups -- reminders zalo-auth --code <code>',
    );
    return;
  }
  const finished = await finish(db, zalo, { code: options.code, state: options.state }, 'cli', 'cli');
  if (finished.ok) {
    out(ZALO_AUTH_WORDS.done(when(finished.accessExpiresAt)));
    return;
  }
  out(
    finished.why === 'code'
      ? ZALO_AUTH_WORDS.badCode
      : finished.why === 'state'
        ? `${ZALO_AUTH_WORDS.badState} Trên dòng lệnh: chạy lại npm run signups -- reminders zalo-auth.`
        : finished.why === 'refused'
          ? ZALO_AUTH_WORDS.refused(finished.detail ?? '')
          : ZALO_AUTH_WORDS.unreachable(finished.detail ?? ''),
  );
  process.exitCode = ZALO_AUTH_FAILED_EXIT;
}

async function runReminders(
  action: string | undefined,
  options: ReminderOptions,
  db: Database,
  out: (line: string) => void,
  now: Date,
): Promise<void> {
  const reminders = new ReminderStore(db);
  if (action === 'status') {
    const status = outboxStatus(db, readSettings().reminders, now);
    if (status.counts.length === 0) out('Hộp thư đi đang trống.');
    for (const row of status.counts)
      out([STATE_WORDS[row.state], KIND_WORDS[row.kind], CHANNEL_WORDS[row.channel], row.count].join('\t'));
    out(
      status.lease
        ? `Đang gửi: ${status.lease.holder} đến ${when(status.lease.expiresAt)}`
        : 'Đang gửi: không có tiến trình nào',
    );
    for (const row of status.channels) {
      if (row.capped > 0)
        out(`${CHANNEL_WORDS[row.channel]}: ${row.capped} tin chờ sang ngày mai vì đã đủ hạn mức trong ngày`);
    }
    for (const receipt of status.receipts) {
      out(`Báo nhận SMS: ${receipt.state ?? 'chưa có báo nhận'}\t${receipt.count}`);
    }
    for (const problem of status.setupErrors) {
      out(`Lỗi cài đặt (${CHANNEL_WORDS[problem.channel]}, ${KIND_WORDS[problem.kind]}): ${problem.error}`);
    }
    const zalo = zaloProblem(status.zalo);
    if (zalo) out(`Zalo: ${zalo}`);
    return;
  }
  if (action === 'zalo-auth') {
    await zaloAuth(db, options, out);
    return;
  }
  if (action !== 'send') throw new UsageError(`Lệnh reminders có các dạng: ${FORMS.join('; ')}`);
  const at = parseAt(options.at, now);
  const settings = readSettings();
  const catalog = readCatalog(servedDist(settings), settings.reminders.siteUrl);
  if (options.dryRun) {
    dryRun(db, catalog, settings.reminders, at, out);
    return;
  }
  const holder = senderName('cli');
  if (!(await takeTurn(reminders, holder, out))) {
    const lease = reminders.leaseHolder();
    out(
      `Một tiến trình khác giữ quyền gửi đến ${when(lease?.expiresAt)} (${lease?.holder.split(':').slice(0, 3).join(':') ?? '?'}): chưa gửi gì. ` +
        'Hãy thử lại sau; máy chủ tự gửi trừ khi REMINDER_SCHEDULER=0.',
    );
    process.exitCode = LEASE_HELD_EXIT;
    return;
  }
  const channels = openChannels(settings.reminders, () => db);
  try {
    await recoverChannels(channels);
    const planned = plan(db, catalog, at, reminderChannels(settings.reminders).filter(isPhoneChannel));
    const counts = await sendDue({
      db,
      catalog,
      channels,
      now: at,
      holder,
      isGone: holderGone,
      phoneConfirmation: settings.reminders.phoneConfirmation,
      dailyCaps: dailyCaps(settings.reminders),
    });
    const extra = [
      ...(counts.passedOn ? [`${counts.passedOn} chuyển sang kênh khác`] : []),
      ...(counts.waiting ? [`${counts.waiting} chờ sang ngày mai (đã đủ hạn mức trong ngày)`] : []),
    ];
    out(
      `Lúc ${when(at.toISOString())}: ${counts.sent} đã gửi, ${counts.retry} sẽ thử lại, ${counts.failed} thất bại, ` +
        `${counts.gone} kênh đã ngừng, ${counts.dropped} không cần gửi nữa${extra.map((e) => `, ${e}`).join('')}; ` +
        `${planned.offers} chỗ đã mời người trong danh sách chờ, ${planned.expiredHolds} chỗ giữ đã hết hạn.`,
    );
  } finally {
    reminders.releaseLease(holder);
    await closeChannels(channels);
  }
}

export const reminders: Command = {
  help: {
    forms: FORMS,
    summary: 'gửi lời nhắc; xem hộp thư đi',
    about:
      'send: lập và gửi các lời nhắc đến hạn vào thời điểm đó (mặc định: bây giờ), ghi cả múi giờ, ví dụ --at 2026-12-11T18:00:00+07:00; dùng với cron khi REMINDER_SCHEDULER=0; --dry-run: chỉ in số tin và số phần tin SMS sẽ gửi theo từng kênh, không gửi gì. status: số tin nhắn theo trạng thái, loại và kênh, và tiến trình nào đang gửi. zalo-auth: cấp quyền lại cho ứng dụng Zalo khi Zalo từ chối refresh token (như nút «Cấp quyền lại cho Zalo» ở /to-chuc/nhac-hen/): in địa chỉ trang cấp quyền của Zalo để mở (dùng một lần, trong 10 phút); --code <code>: lưu quyền mới từ mã Zalo trả về (--state <state> nếu có), không cần khởi động lại máy chủ.',
  },
  waits: true,
  run: async ({ rest, options, dbPath, out, now }) => {
    const store = openStore(dbPath, rest[0] !== 'send' && rest[0] !== 'zalo-auth');
    try {
      await runReminders(
        rest[0],
        { at: options.at, dryRun: options['dry-run'], code: options.code, state: options.state },
        store.db,
        out,
        now,
      );
    } finally {
      store.close();
    }
  },
};
