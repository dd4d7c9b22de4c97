// Reads the JSON reports of vitest and Playwright into the run's counts and its
// list of failed tests (where, and the error's text) for `npm test`'s summary.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './steps.mjs';

export function readVitestReport(file, counts, failures) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  counts.passed += r.numPassedTests ?? 0;
  counts.failed += r.numFailedTests ?? 0;
  counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    const file = path.relative(ROOT, suite.name ?? '');
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'failed') failures.push({ where: `${file} › ${t.fullName}`, error: (t.failureMessages ?? []).join('\n') });
    }
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push({ where: file, error: suite.message ?? '' });
  }
}

export function readPlaywrightReport(file, counts, failures) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const s = report.stats ?? {};
  counts.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  counts.failed += s.unexpected ?? 0;
  counts.skipped += s.skipped ?? 0;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const errors = (t.results ?? []).flatMap((result) => result.errors ?? []).map((e) => `${e.message ?? ''}${e.location ? `\nat ${path.relative(ROOT, e.location.file)}:${e.location.line}` : ''}`);
        failures.push({ where: `${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}`, error: errors.join('\n') });
      }
    }
    for (const child of suite.suites ?? []) walk(child, suite.title && !suite.title.endsWith('.ts') ? [...titles, suite.title] : titles);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
}

/** A failure's first lines, without terminal colours: enough to see what broke from a log's tail. */
export function excerpt(text, lines = 10) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '' && !/node_modules|node:internal|<anonymous>/.test(l));
  return plain.slice(0, lines).map((l) => `      ${l.slice(0, 200)}`).join('\n');
}
