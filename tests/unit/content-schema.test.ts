/**
 * A content file that breaks the schema must stop the build with a message
 * naming the file and the field. `astro sync` loads and validates content
 * exactly as `astro build` does; it runs in a copy of the project so that the
 * real `.astro/` cache is left alone.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'tests/fixtures/broken-content');
let project: string;

/** Nine levels of ten aliases: a billion strings once expanded. */
const BILLION_LAUGHS = [
  'lol0: &a0 "lol"',
  ...Array.from({ length: 9 }, (_, i) => `lol${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  '',
].join('\n');

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'content-schema-'));
  for (const entry of ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'public']) {
    await cp(join(root, entry), join(project, entry), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function sync(contentDir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['node_modules/astro/bin/astro.mjs', 'sync'], {
      cwd: project,
      env: { ...process.env, CONTENT_DIR: contentDir, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe('content schema', () => {
  test('a description over 160 characters fails, naming the file and the field', { timeout: 60_000 }, async () => {
    const { ok, output } = await sync(fixture);
    expect(ok).toBe(false);
    expect(output).toContain('mo-ta-qua-dai');
    expect(output).toContain('description');
    expect(output).toContain('tối đa 160 ký tự');
    expect(output).toMatch(/phần này có \d+ ký tự/);
  });

  test('a wrong slogan fails, naming the field and the exact text expected', { timeout: 60_000 }, async () => {
    const broken = join(project, 'wrong-slogan');
    await cp(fixture, broken, { recursive: true });
    await rm(join(broken, 'news/mo-ta-qua-dai.mdx'));
    const campaign = await readFile(join(broken, 'campaign.yaml'), 'utf8');
    await writeFile(join(broken, 'campaign.yaml'), campaign.replace('Hiến máu an toàn – ', 'Hiến máu an toàn - '));
    const { ok, output } = await sync(broken);
    expect(ok).toBe(false);
    expect(output).toContain('campaign');
    expect(output).toContain('slogan');
    expect(output).toContain('Hiến máu an toàn – Không ngại Covid');
  });

  test('a campaign that ends before it starts fails, naming period.end', { timeout: 60_000 }, async () => {
    const broken = join(project, 'ends-before-start');
    await cp(fixture, broken, { recursive: true });
    await rm(join(broken, 'news/mo-ta-qua-dai.mdx'));
    const campaign = await readFile(join(broken, 'campaign.yaml'), 'utf8');
    await writeFile(join(broken, 'campaign.yaml'), `${campaign.trimEnd()}\n  end: 2020-04-18\n`);
    const { ok, output } = await sync(broken);
    expect(ok).toBe(false);
    expect(output).toContain('period.end (ngày kết thúc) không được trước period.start');
  });

  test(
    'the same folder without the broken file passes, so the failures above are the schema',
    { timeout: 60_000 },
    async () => {
      const fixed = join(project, 'fixed');
      await cp(fixture, fixed, { recursive: true });
      await rm(join(fixed, 'news/mo-ta-qua-dai.mdx'));
      const { ok, output } = await sync(fixed);
      expect(output).not.toContain('InvalidContentEntryDataError');
      expect(ok).toBe(true);
    },
  );
});

describe('drive files', () => {
  const drive = `name: Ngày hội hiến máu phường Giá Rai
organiser: Hội Chữ thập đỏ tỉnh Cà Mau
address: Nhà văn hóa phường Giá Rai, Quốc lộ 1
commune: Phường Giá Rai
latitude: 9.2449
longitude: 105.4561
start: 2026-12-12T07:00:00+07:00
end: 2026-12-12T11:00:00+07:00
slots:
  minutes: 60
  places: 30
status: scheduled
unitsTarget: 120
phone: 0290 3000 021
`;

  async function withDrives(name: string, files: Record<string, string>): Promise<string> {
    const folder = join(project, name);
    await cp(fixture, folder, { recursive: true });
    await rm(join(folder, 'news/mo-ta-qua-dai.mdx'));
    await mkdir(join(folder, 'drives'));
    for (const [file, text] of Object.entries(files)) await writeFile(join(folder, 'drives', file), text);
    return folder;
  }

  test(
    'a slot length that does not divide the drive fails, naming the file and the field',
    { timeout: 60_000 },
    async () => {
      const folder = await withDrives('drive-slots', {
        'gia-rai-12-12-2026.yaml': drive.replace('minutes: 60', 'minutes: 45'),
      });
      const { ok, output } = await sync(folder);
      expect(ok).toBe(false);
      expect(output).toContain('gia-rai-12-12-2026');
      expect(output).toContain('slots.minutes');
      expect(output).toContain('phải chia đều thời gian của buổi');
    },
  );

  test('two files with the same slug fail, naming both', { timeout: 60_000 }, async () => {
    const folder = await withDrives('drive-duplicate', {
      'gia-rai-12-12-2026.yaml': drive,
      'Giá Rai 12-12-2026.yaml': drive.replace('unitsTarget: 120', 'unitsTarget: 150'),
    });
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain('Giá Rai 12-12-2026.yaml');
    expect(output).toContain('gia-rai-12-12-2026.yaml');
    expect(output).toContain('cùng cho địa chỉ "gia-rai-12-12-2026"');
  });

  test('a file that is not valid YAML fails, naming the file, line and column', { timeout: 60_000 }, async () => {
    const folder = await withDrives('drive-yaml', {
      'gia-rai-12-12-2026.yaml': drive.replace('status: scheduled', 'status: [scheduled'),
    });
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain('gia-rai-12-12-2026.yaml không đúng cú pháp YAML ở dòng');
    expect(output).toMatch(/\(\d+:\d+\)/); // line:column
  });

  test('a file whose aliases would expand a billion times is refused, not expanded', { timeout: 60_000 }, async () => {
    const folder = await withDrives('drive-aliases', { 'gia-rai-12-12-2026.yaml': `${drive}${BILLION_LAUGHS}` });
    const started = Date.now();
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain('gia-rai-12-12-2026.yaml, dòng 15');
    expect(output).toContain('không được dùng neo và bí danh YAML');
    // Astro's own start-up is most of this; expanding 10^9 values would take minutes and gigabytes.
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  test('a good drive file passes', { timeout: 60_000 }, async () => {
    const folder = await withDrives('drive-good', { 'gia-rai-12-12-2026.yaml': drive });
    const { ok, output } = await sync(folder);
    expect(output).not.toContain('Error');
    expect(ok).toBe(true);
  });
});

describe('aliases in the other YAML files', () => {
  test('campaign.yaml with a billion laughs is refused, naming the line', { timeout: 60_000 }, async () => {
    const folder = join(project, 'campaign-aliases');
    await cp(fixture, folder, { recursive: true });
    await rm(join(folder, 'news/mo-ta-qua-dai.mdx'));
    const campaign = await readFile(join(folder, 'campaign.yaml'), 'utf8');
    const lines = campaign.trimEnd().split('\n').length;
    await writeFile(join(folder, 'campaign.yaml'), `${campaign.trimEnd()}\n${BILLION_LAUGHS}`);
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain(`campaign.yaml, dòng ${lines + 1}`);
    expect(output).toContain('neo và bí danh');
  });

  test("an article's front matter with aliases is refused before Astro reads it", { timeout: 60_000 }, async () => {
    const folder = join(project, 'front-matter-aliases');
    await cp(fixture, folder, { recursive: true });
    const article = await readFile(join(folder, 'news/mo-ta-qua-dai.mdx'), 'utf8');
    await writeFile(join(folder, 'news/mo-ta-qua-dai.mdx'), article.replace('---\n', `---\n${BILLION_LAUGHS}`));
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain('news/mo-ta-qua-dai.mdx, dòng 2');
    expect(output).toContain('neo và bí danh');
  });
});

describe('the place list', () => {
  async function withPlaces(name: string, edit: (text: string) => string): Promise<string> {
    const folder = join(project, name);
    await cp(fixture, folder, { recursive: true });
    await rm(join(folder, 'news/mo-ta-qua-dai.mdx'));
    const file = join(folder, 'places.yaml');
    await writeFile(file, edit(await readFile(file, 'utf8')));
    return folder;
  }

  test(
    'a position outside the province fails in Vietnamese, naming the file, the entry and the field',
    { timeout: 60_000 },
    async () => {
      // Latitude and longitude swapped, the commonest slip.
      const folder = await withPlaces('place-position', (text) =>
        text.replace('latitude: 9.35917\n    longitude: 105.08528', 'latitude: 105.08528\n    longitude: 9.35917'),
      );
      const { ok, output } = await sync(folder);
      expect(ok).toBe(false);
      expect(output).toContain('places');
      expect(output).toContain('thoi-binh');
      expect(output).toContain('position.latitude');
      expect(output).toContain('nằm ngoài tỉnh Cà Mau');
    },
  );

  test('a former unit without its old district fails, saying what to write', { timeout: 60_000 }, async () => {
    const folder = await withPlaces('place-district', (text) =>
      text.replace('district: huyện Thới Bình', 'district: Thới Bình'),
    );
    const { ok, output } = await sync(folder);
    expect(ok).toBe(false);
    expect(output).toContain('thoi-binh');
    expect(output).toContain('formedFrom');
    expect(output).toContain('phải bắt đầu bằng "huyện", "thành phố" hoặc "thị xã"');
  });
});
