// Runs every Vitest test, then writes one JSON report of all its runs
// (test-results/vitest.json, which .ci/run reads). Vitest runs files one at a
// time on a 2-core machine (maxWorkers defaults to cores − 1), and the browser
// tests of one project must run one file at a time against their shared server.
// So two Vitest processes run side by side, each with a server of its own
// (tests/e2e/global-setup.ts), keeping both cores busy; then the tests that time
// the server under load run alone (the projects are in vitest.config.ts;
// docs/developers.md, "Tests").
// With --checks (what `npm test` runs), `npm run check` runs beside the first
// step instead of before everything: astro check, tsc and ESLint keep one core
// busy for a minute and a half, most of it while the other core waited. The run
// fails if the checks fail, and the tests that time the server wait for them.
//   node scripts/run-tests.mjs            every test
//   node scripts/run-tests.mjs --checks   every test, and `npm run check` beside the first step
//   node scripts/run-tests.mjs <args…>    one Vitest run with those arguments (a file, -t …),
//                                         with the checks beside it after --checks
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const reports = join(root, 'test-results');
// Node's compile cache for every process the tests start: some fifty servers and many
// command-line runs each strip the types of src/ and compile it anew otherwise (a server's
// start took 0.55–0.66 s of CPU here without it, 0.35–0.40 s with it; docs/benchmarks.md,
// "Tests and their time"). Node checks each file's source before using what it kept.
process.env['NODE_COMPILE_CACHE'] ??= join(root, 'node_modules/.cache/node-compile-cache');

/** Runs in steps; the runs of one step side by side, about as long as each other. */
const STEPS = [
  [
    { name: 'a', projects: ['e2e'] },
    { name: 'b', projects: ['unit', 'e2e-pages'] },
  ],
  [{ name: 'alone', projects: ['e2e-alone'] }],
];

/**
 * @param {string[]} args
 * @param {string} [label] put before each line the run prints, when two run at once
 * @returns {Promise<number>} the exit code
 */
function runVitest(args, label) {
  return runChild(process.execPath, [vitest, 'run', ...args], label);
}

/**
 * `npm run check`, with the npm that runs this script when there is one (`npm test`).
 * @returns {Promise<number>} the exit code
 */
function runChecks() {
  const npm = process.env['npm_execpath'];
  return npm?.endsWith('.js') || npm?.endsWith('.cjs')
    ? runChild(process.execPath, [npm, 'run', 'check'], '[check]')
    : runChild('npm', ['run', 'check'], '[check]');
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} [label] put before each line the child prints, when two run at once
 * @returns {Promise<number>} the exit code
 */
function runChild(command, args, label) {
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: label ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (label) {
      for (const [stream, out] of /** @type {const} */ ([
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])) {
        if (!stream) continue;
        let rest = '';
        stream.setEncoding('utf8');
        stream.on('data', (/** @type {string} */ chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) out.write(`${label} ${line}\n`);
        });
        stream.on('end', () => {
          if (rest) out.write(`${label} ${rest}\n`);
        });
      }
    }
    // 'close', not 'exit': the last lines it printed are through by then.
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      process.stderr.write(`${label ?? ''} ${error.message}\n`);
      done(1);
    });
  });
}

const COUNTS = /** @type {const} */ ([
  'numTotalTests',
  'numPassedTests',
  'numFailedTests',
  'numPendingTests',
  'numTodoTests',
  'numTotalTestSuites',
  'numFailedTestSuites',
]);

/**
 * @typedef {Record<(typeof COUNTS)[number], number> & { testResults: unknown[], success: boolean, startTime: number }} Report
 */

/**
 * One report of every run, in the shape of Vitest's own JSON report.
 * @param {string[]} files
 * @returns {Report}
 */
function mergeReports(files) {
  /** @type {Report} */
  const merged = {
    numTotalTests: 0,
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numTotalTestSuites: 0,
    numFailedTestSuites: 0,
    testResults: [],
    success: true,
    startTime: Date.now(),
  };
  for (const file of files) {
    /** @type {Partial<Report>} */
    let report;
    try {
      /** @type {unknown} */
      const parsed = JSON.parse(readFileSync(file, 'utf8'));
      report = /** @type {Partial<Report>} */ (parsed);
    } catch {
      // A run that stopped before writing its report failed, and said why above.
      merged.success = false;
      continue;
    }
    for (const key of COUNTS) merged[key] += report[key] ?? 0;
    merged.testResults.push(...(report.testResults ?? []));
    merged.success &&= report.success === true;
    merged.startTime = Math.min(merged.startTime, report.startTime ?? Infinity);
  }
  return merged;
}

const withChecks = process.argv[2] === '--checks';
const extra = process.argv.slice(withChecks ? 3 : 2);
if (extra.length) {
  // `npm test -- <file>`: that one run, with the checks beside it.
  const [code, checksCode] = await Promise.all([
    runVitest(extra, withChecks ? '[test]' : undefined),
    withChecks ? runChecks() : 0,
  ]);
  if (checksCode !== 0) process.stderr.write('[check] npm run check failed (see its lines above).\n');
  process.exitCode = code === 0 && checksCode === 0 ? 0 : 1;
} else {
  mkdirSync(reports, { recursive: true });
  /** @type {string[]} */
  const files = [];
  let failed = false;
  /** @type {Promise<number> | undefined} */
  let checks = withChecks ? runChecks() : undefined;
  for (const step of STEPS) {
    if (checks && step.length === 1) {
      // A step run alone times the server: nothing may run beside it, the checks included.
      const code = await checks;
      checks = undefined;
      if (code !== 0) process.stderr.write('[check] npm run check failed (see its lines above).\n');
      failed ||= code !== 0;
    }
    const codes = await Promise.all(
      step.map(({ name, projects }) => {
        const file = join(reports, `vitest-${name}.json`);
        rmSync(file, { force: true });
        files.push(file);
        return runVitest(
          [...projects.flatMap((project) => ['--project', project]), `--outputFile.json=${file}`],
          step.length > 1 || checks ? `[${name}]` : undefined,
        );
      }),
    );
    failed ||= codes.some((code) => code !== 0);
  }
  if (checks) {
    const code = await checks;
    if (code !== 0) process.stderr.write('[check] npm run check failed (see its lines above).\n');
    failed ||= code !== 0;
  }
  writeFileSync(join(reports, 'vitest.json'), JSON.stringify(mergeReports(files)));
  process.exitCode = failed ? 1 : 0;
}
