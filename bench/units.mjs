// A unit's list of 500 members pasted on the console's unit page of the test site's server
// over loopback: the time to the preview (every row checked) and to store (one transaction),
// while autocannon asks the drive's places left (/api/diem-hien-mau/<slug>/cho-trong.json)
// with --connections (20): answers per second and latency p99 during each step. The test
// site's largest upcoming drive has 240 places, all reserved for the unit, so 240 of the 500
// are stored and 260 are told they do not fit; then 500 members stored straight through the
// store in one transaction, on a slot of 600 places, for the store's own cost.
// Needs the test site in dist-test/ (built when missing).
//   npm run bench:units            (add -- --connections=20)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { FIXTURE_DIST } from '../scripts/fixture-site.mjs';
import { startSite } from '../scripts/start-site.mjs';
import { runCommand } from '../src/cli/main.ts';
import { resetSettings } from '../src/settings.ts';
import { SignupStore } from '../src/signup/store.ts';
import { UnitStore } from '../src/units/unit-store.ts';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CONNECTIONS = arg('connections', 20);
const MEMBERS = 500;
const DRIVE = 'cong-an-phuong-an-xuyen';
const TEAM = 'CA-AN-XUYEN';
const PASSWORD = 'mat-khau-do-hieu-nang-2026';

if (!existsSync(join(root, FIXTURE_DIST, 'server', 'entry.mjs'))) {
  console.log('Building the test site into dist-test/ …');
  execFileSync(process.execPath, ['scripts/fixture-site.mjs'], { cwd: root, stdio: 'inherit' });
}
const folder = mkdtempSync(join(tmpdir(), 'bench-units-'));
const db = join(folder, 'signups.sqlite');
process.env['SITE_DIST'] = join(root, FIXTURE_DIST);
resetSettings();
const cli = (...args) =>
  runCommand(
    [...args, '--db', db],
    () => undefined,
    new Date(),
    () => Promise.resolve(PASSWORD),
  );
await cli('team', 'add', TEAM, 'Công an phường An Xuyên');
await cli('user', 'add', 'dau-moi', '--role', 'unit', '--team', TEAM);
await cli('units', 'reserve', '--drive', DRIVE, '--team', TEAM, '--places', '240', '--until', '31/12/2099 17:00');

const LETTERS = 'ABCDEGHKLMNPQRSTUVXY';
const rows = ['STT\tHọ và tên\tNăm sinh\tGiới tính\tSố điện thoại\tCân nặng'];
for (let i = 0; i < MEMBERS; i += 1) {
  const name = `Nguyễn Văn ${LETTERS[Math.floor(i / 400) % 20]}${LETTERS[Math.floor(i / 20) % 20]?.toLowerCase()}${LETTERS[i % 20]?.toLowerCase()}`;
  rows.push(
    `${i + 1}\t${name}\t${1970 + (i % 30)}\t${i % 2 ? 'Nữ' : 'Nam'}\t0913${String(100000 + i)}\t${50 + (i % 30)}`,
  );
}
const text = rows.join('\n');

const site = await startSite({ SITE_DIST: FIXTURE_DIST, SIGNUP_DB: db, REMINDER_SCHEDULER: '0' });
const ms = (start) => Math.round(performance.now() - start);
try {
  const signIn = await fetch(`${site.url}/to-chuc/dang-nhap/`, {
    method: 'POST',
    headers: { Origin: site.url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'dau-moi', password: PASSWORD }),
    redirect: 'manual',
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';', 1)[0];
  const post = (fields) =>
    fetch(`${site.url}/to-chuc/don-vi/${TEAM}/${DRIVE}/`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: site.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
  const placesLeft = `${site.url}/api/diem-hien-mau/${DRIVE}/cho-trong.json`;
  /** Runs `work` while autocannon asks the places left; the work's time and the load's figures. */
  async function during(work) {
    const load = autocannon({ url: placesLeft, connections: CONNECTIONS, duration: 30 });
    await new Promise((done) => setTimeout(done, 500));
    const start = performance.now();
    const answer = await work();
    const took = ms(start);
    load.stop();
    const result = await load;
    return { took, answer, result };
  }
  const quiet = await autocannon({ url: placesLeft, connections: CONNECTIONS, duration: 5 });
  console.log(
    `places left alone (${CONNECTIONS} connections, 5 s): ${Math.round(quiet.requests.average)} answers/s, p99 ${quiet.latency.p99} ms`,
  );
  const preview = await during(() => post({ intent: 'preview', rows: text }));
  const previewHtml = await preview.answer.text();
  console.log(
    `preview of ${MEMBERS} pasted rows: ${preview.took} ms (${preview.answer.status}, ${/(\d+) dòng hợp lệ sẽ được lưu/.exec(previewHtml)?.[1]} to store); ` +
      `places left meanwhile: ${Math.round(preview.result.requests.average)} answers/s, p99 ${preview.result.latency.p99} ms, ${preview.result.non2xx} not 2xx`,
  );
  const stored = await during(() => post({ intent: 'store', rows: text, consent: 'yes' }));
  console.log(
    `store (${MEMBERS} rows sent, one transaction): ${stored.took} ms (${stored.answer.status} → ${stored.answer.headers.get('location')}); ` +
      `places left meanwhile: ${Math.round(stored.result.requests.average)} answers/s, p99 ${stored.result.latency.p99} ms, ${stored.result.non2xx} not 2xx`,
  );
} finally {
  await site.stop();
}
// The store alone: 500 members in one transaction on a slot of 600 places.
const store = new SignupStore(join(folder, 'alone.sqlite'));
store.addTeam({ code: TEAM, name: 'Công an phường An Xuyên' }, new Date());
const units = new UnitStore(store.db);
const slot = { id: '2099-12-12T07:00:00+07:00', end: '2099-12-12T11:00:00+07:00', places: 600 };
units.reserve({
  drive: 'bench',
  teamCode: TEAM,
  slots: [slot],
  places: 500,
  until: new Date('2099-12-01'),
  createdBy: 'bench',
  now: new Date(),
});
const members = Array.from({ length: MEMBERS }, (_, i) => ({
  person: { fullName: `Người ${i}`, phone: `+8491${String(3000000 + i)}`, birthYear: 1990, sex: 'male', weightKg: 60 },
}));
const start = performance.now();
const result = units.storeMembers({
  teamCode: TEAM,
  drive: 'bench',
  members,
  storedBy: 'bench',
  consentBy: 'bench',
  now: new Date(),
});
console.log(`store alone: ${result.stored.length} members in one transaction in ${ms(start)} ms`);
store.close();
rmSync(folder, { recursive: true, force: true });
