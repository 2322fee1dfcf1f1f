// Runs every Vitest test, then writes one JSON report of all its runs
// (test-results/vitest.json, which .ci/run reads). Vitest runs files one at a
// time on a 2-core machine (maxWorkers defaults to cores − 1), and the browser
// tests of one project must run one file at a time against their shared server.
// So two Vitest processes run side by side, each with a server of its own
// (tests/e2e/global-setup.ts), keeping both cores busy; then the tests that time
// the server under load run alone (the projects are in vitest.config.ts;
// docs/developers.md, "Tests").
//   node scripts/run-tests.mjs            every test
//   node scripts/run-tests.mjs <args…>    one Vitest run with those arguments (a file, -t …)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const reports = join(root, 'test-results');

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
  return new Promise((done) => {
    const child = spawn(process.execPath, [vitest, 'run', ...args], {
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

const extra = process.argv.slice(2);
if (extra.length) {
  process.exitCode = await runVitest(extra);
} else {
  mkdirSync(reports, { recursive: true });
  /** @type {string[]} */
  const files = [];
  let failed = false;
  for (const step of STEPS) {
    const codes = await Promise.all(
      step.map(({ name, projects }) => {
        const file = join(reports, `vitest-${name}.json`);
        rmSync(file, { force: true });
        files.push(file);
        return runVitest(
          [...projects.flatMap((project) => ['--project', project]), `--outputFile.json=${file}`],
          step.length > 1 ? `[${name}]` : undefined,
        );
      }),
    );
    failed ||= codes.some((code) => code !== 0);
  }
  writeFileSync(join(reports, 'vitest.json'), JSON.stringify(mergeReports(files)));
  process.exitCode = failed ? 1 : 0;
}
