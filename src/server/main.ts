/**
 * `npm start`: checks the settings and the sign-up database, then serves the
 * build (run `npm run build` first). Runs on Node 24 as it is (type stripping).
 * See docs/deploy.md for running it behind HTTPS.
 */
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readSettings, reminderChannels } from '../settings.ts';
import { formTokens, sharedStore } from '../signup/shared-store.ts';
import { closeSharedDatabase, sharedDatabase } from '../store/shared.ts';
import { misfitSignups, readSchedule, SCHEDULE_PATH } from '../signup/slot-check.ts';
import { dailyMaintenance } from '../privacy/privacy.ts';
import { createSiteServer, type SiteHandler } from './site-server.ts';
import { readCatalog } from '../reminders/catalog.ts';
import { onWake, reminderCatalog, reminderService, useCatalog } from '../reminders/runtime.ts';
import { startScheduler, type Scheduler } from '../reminders/scheduler.ts';
import { returnExpiredPlaces } from '../site/unit-runtime.ts';
import { answerShortStop, answerStopPost } from '../reminders/stop-route.ts';
import { log } from '../shared/log.ts';
import { configureEditor, publishedBuild, startPublishSchedule, stopPublisher } from '../editor/runtime.ts';
import { CURRENT_FILE, type CurrentBuild } from '../editor/served-build.ts';

const DAY_MS = 86_400_000;
/** How often the server records units' reservations past their deadline (returnUnitPlaces). */
const UNIT_RETURN_EVERY_MS = 60_000;

function fail(message: string): never {
  log.fatal(message);
  process.exit(1);
}

// Sign-up databases and backups are the server user's alone.
process.umask(0o077);

let checked;
try {
  checked = readSettings();
} catch (error) {
  fail((error as Error).message);
}
const settings = checked;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
// The last build published from the console (current.json under PUBLISH_DIR), else SITE_DIST.
const published = publishedBuild();
const dist = published?.dist ?? resolve(projectRoot, settings.siteDist);
const entry = pathToFileURL(join(dist, 'server', 'entry.mjs'));
let clientDir = join(dist, 'client') + sep;
if (!existsSync(entry))
  fail(`Thiếu ${settings.siteDist}/server/entry.mjs: chạy \`npm run build\` trước khi chạy \`npm start\`.`);
if (published) log.info(`Phục vụ bản đã xuất bản ${published.commit.slice(0, 7)} (${published.dist})`);

// The adapter's handler in its middleware mode (astro.config.mjs): this module owns the port.
// (A build made in its standalone mode would start a server of its own on import without this.)
process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
const { handler } = (await import(entry.href)) as { handler: SiteHandler };

// Opened once before taking requests: migrations run now, and a path that
// cannot be written stops the server with a clear message instead of failing
// the first person who signs up. The form-token key is made now too.
try {
  const store = sharedStore();
  formTokens();
  log.info(`Đăng ký được lưu trong ${settings.signupDb} (phiên bản lược đồ ${store.schemaVersion})`);
} catch (error) {
  fail(`${(error as Error).message}. Hãy đặt SIGNUP_DB là một tệp mà máy chủ ghi được.`);
}

function checkSlots(): void {
  try {
    const misfits = misfitSignups(sharedStore().activeSpans(), readSchedule(join(clientDir, SCHEDULE_PATH)));
    if (misfits.length > 0) {
      const drives = [...new Set(misfits.map((m) => m.drive))].join(', ');
      log.warn(
        `${misfits.length} lượt đăng ký không còn khớp với các khung giờ của đợt hiến máu (${drives}): chạy \`npm run signups -- check\` rồi gọi điện cho những người đó.`,
      );
    }
  } catch (error) {
    log.warn(`chưa đối chiếu được các lượt đăng ký với các đợt hiến máu: ${(error as Error).message}`);
  }
}

/**
 * The retention rule of the privacy page and old idempotency keys, once a
 * day while the server runs: in short batches, between requests (never
 * VACUUM here: src/store/README.md, "Under load").
 */
let purging = false;
async function purge(): Promise<void> {
  if (purging) return;
  purging = true;
  try {
    const deleted = await dailyMaintenance(sharedDatabase(), new Date());
    if (deleted > 0) log.info(`dọn dữ liệu: đã xoá ${deleted} lượt đăng ký quá thời hạn lưu giữ`);
  } catch (error) {
    log.error(`dọn dữ liệu thất bại: ${(error as Error).message}`);
  } finally {
    purging = false;
  }
}

/**
 * Units' reservations past their deadline (src/units/): their unfilled places stopped
 * counting at the deadline by themselves; this records how many each gave back, for the
 * focal accounts' notice, and offers those slots to the waitlist first. Each minute, in
 * one short transaction; a busy database leaves it to the next minute.
 */
function returnUnitPlaces(): void {
  try {
    const returned = returnExpiredPlaces(new Date());
    if (returned > 0) log.info(`giữ chỗ đơn vị: hết hạn, đã trả ${returned} chỗ cho mọi người`);
  } catch (error) {
    log.warn(`giữ chỗ đơn vị: chưa ghi được chỗ trả lại (thử lại sau một phút): ${(error as Error).message}`);
  }
}

checkSlots();
setTimeout(() => void purge(), 1_000).unref();
setInterval(returnUnitPlaces, UNIT_RETURN_EVERY_MS).unref();
setInterval(() => void purge(), DAY_MS).unref();

try {
  // The drives of the build served here, for the reminders (names, places per slot, drives called off).
  useCatalog(readCatalog(dist, settings.reminders.siteUrl));
} catch (error) {
  log.warn(`nhắc hẹn: ${(error as Error).message}`);
}

// The sender of reminders, when a channel is configured and cron does not send instead.
let scheduler: Scheduler | undefined;
const channels = reminderChannels(settings.reminders);
if (channels.length > 0 && settings.reminders.scheduler) {
  scheduler = startScheduler({ database: sharedDatabase, catalog: reminderCatalog, settings: settings.reminders });
  onWake(() => scheduler?.wake());
  log.info(`Nhắc hẹn qua ${channels.join(', ')}: do máy chủ này gửi (mỗi cơ sở dữ liệu chỉ một nơi gửi)`);
} else if (channels.length > 0) {
  log.info(`Nhắc hẹn qua ${channels.join(', ')}: REMINDER_SCHEDULER=0, gửi bằng \`npm run signups -- reminders send\``);
}

const { server, shutdown, serve } = createSiteServer({
  handler,
  clientDir,
  trustProxy: settings.trustProxy,
  ownRoutes: [
    (request, res) => answerStopPost(request, res, (token, address) => reminderService.stopByToken(token, address)),
    (request, res) =>
      answerShortStop(request, res, (prefix, address) => reminderService.stopTokenOfShortLink(prefix, address)),
  ],
});
/**
 * A publish (src/editor/publisher.ts) hands its build here: its handler is loaded (a new
 * folder is a new module, so nothing of the old build's code is reused), its drives read
 * for the reminders, and only then the next request is served from it. Requests under way
 * finish on the build they began with; nothing restarts, the port stays open.
 */
let servedNow = dist;
async function switchTo(build: CurrentBuild): Promise<void> {
  if (build.dist === servedNow) return;
  const next = pathToFileURL(join(build.dist, 'server', 'entry.mjs'));
  const loaded = (await import(next.href)) as { handler?: SiteHandler };
  if (typeof loaded.handler !== 'function') throw new Error(`${build.dist}: bản dựng không có trình xử lý của máy chủ`);
  const catalog = readCatalog(build.dist, settings.reminders.siteUrl);
  clientDir = join(build.dist, 'client') + sep;
  serve(loaded.handler, clientDir);
  servedNow = build.dist;
  useCatalog(catalog);
  checkSlots();
  log.info(`Đã chuyển sang bản dựng ${build.commit.slice(0, 7)}, không khởi động lại`);
}
configureEditor({ projectRoot, switchTo });
// A publish by the command line (`npm run signups -- content publish`) names its build in
// current.json; the server follows within a few seconds, without a restart.
const currentFile = join(resolve(settings.content.publishDir), CURRENT_FILE);
watchFile(currentFile, { interval: 2_000 }, () => {
  const build = publishedBuild();
  if (build && build.dist !== servedNow) {
    switchTo(build).catch((error: unknown) =>
      log.error(`không chuyển được sang bản dựng ${build.dist}: ${(error as Error).message}`),
    );
  }
}).unref();
const stopPublishSchedule = startPublishSchedule(settings.content.checkMinutes);

server.on('error', (error) => fail(`Không mở được cổng ${settings.host}:${settings.port}: ${error.message}`));
server.listen(settings.port, settings.host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
  log.info(`Đang phục vụ trang web tại http://${shown}/${settings.trustProxy ? ' (tin proxy trên máy này)' : ''}`);
});

async function stop(signal: string): Promise<void> {
  log.info(`${signal}: đang xử lý xong các yêu cầu dở dang, rồi dừng`);
  stopPublishSchedule();
  unwatchFile(currentFile);
  await stopPublisher();
  await shutdown();
  await scheduler?.stop();
  closeSharedDatabase();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
