/** `lockstep check FILE`: runs the checker in Node, prints verdicts, statistics and readable traces. */
import './one-shot';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeModelJson } from '../../lib/model';
import { lintModel, simulateScenario, type CheckResult, type CheckScenarioOptions } from '../../lib/check';
import { MAX_PARTITIONS } from '../../lib/check/level-partition';
import { checkScenarioScaled } from '../../lib/check/level-runner';
import { startWorkerThreads } from './check-workers';
import { usableCores } from './cores';
import { formatLint, formatResult, formatSummary } from './format';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_INVALID = 2;

export async function runCheck(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scenario: { type: 'string', multiple: true },
        'max-states': { type: 'string' },
        'max-depth': { type: 'string' },
        'time-limit': { type: 'string' },
        'no-symmetry': { type: 'boolean' },
        'no-merge': { type: 'boolean' },
        simulate: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    });
  } catch (error) {
    err(`lockstep check: ${(error as Error).message}`);
    return EXIT_INVALID;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    err('lockstep check: give exactly one model file, e.g. lockstep check examples/share-delete-vs-snapshot.json');
    return EXIT_INVALID;
  }
  const file = positionals[0];
  /** A positive whole number, at most `max`; null (reported) when it is not one. */
  const numberOption = (name: 'max-states' | 'max-depth' | 'time-limit' | 'simulate' | 'seed' | 'workers', max = Infinity): number | undefined | null => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) {
      err(`lockstep check: --${name} must be a positive whole number, not '${raw}'`);
      return null;
    }
    if (n > max) {
      err(`lockstep check: --${name} must be at most ${max}, not ${n}`);
      return null;
    }
    return n;
  };
  const maxStates = numberOption('max-states');
  const maxDepth = numberOption('max-depth');
  const timeLimitMs = numberOption('time-limit');
  const simulateRuns = numberOption('simulate');
  const seed = numberOption('seed');
  // Each worker is a thread: --workers 600 took 2.6 GB before the search fell back to one thread.
  const workers = numberOption('workers', MAX_PARTITIONS);
  if (maxStates === null || maxDepth === null || timeLimitMs === null || simulateRuns === null || seed === null || workers === null) return EXIT_INVALID;

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    err(`lockstep check: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return EXIT_INVALID;
  }
  const analyzed = analyzeModelJson(text);
  if (!analyzed.ok) {
    if (values.json) {
      out(JSON.stringify({ file, valid: false, issues: analyzed.issues }, null, 2));
    } else {
      err(`${file}: the model is not valid (${analyzed.issues.length} problem${analyzed.issues.length === 1 ? '' : 's'})`);
      for (const issue of analyzed.issues) err(`  ${issue.path || '(document)'}: ${issue.message}`);
    }
    return EXIT_INVALID;
  }
  const model = analyzed.value;
  const known = model.scenarios.map((s) => s.source.name);
  const names = values.scenario ?? known;
  const missing = names.filter((n) => !known.includes(n));
  if (missing.length > 0) {
    err(`lockstep check: no scenario called ${missing.map((m) => `'${m}'`).join(', ')} (there are: ${known.join(', ') || 'none'})`);
    return EXIT_INVALID;
  }
  if (names.length === 0) {
    err(`${file}: the model has no scenarios to check`);
    return EXIT_UNEXPECTED;
  }
  const lints = lintModel(model);
  if (!values.json && !values.quiet) for (const lint of lints) out(formatLint(lint));
  const results: CheckResult[] = [];
  // Not asked: every core this process may use, once a search proves long enough to gain from them (checkScenarioScaled).
  const threads = workers ?? usableCores();
  for (const name of names) {
    const reductions = { symmetry: !values['no-symmetry'], mergeLocalSteps: !values['no-merge'] };
    const options: CheckScenarioOptions = {
      ...reductions,
      ...(maxStates !== undefined ? { maxStates } : {}),
      ...(maxDepth !== undefined ? { maxDepth } : {}),
      ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    };
    const result =
      simulateRuns !== undefined
        ? simulateScenario(model, name, { ...reductions, runs: simulateRuns, seed: seed ?? 1, ...(maxDepth !== undefined ? { maxDepth } : {}) })
        : await checkScenarioScaled(model, name, threads, startWorkerThreads, options, { when: workers === undefined ? 'auto' : 'asked', readiness: 'flags' });
    results.push(result);
    if (!values.json) out(formatResult(result, { traces: !values.quiet }));
  }
  const ok = results.every(resultIsAcceptable);
  if (values.json) out(JSON.stringify({ file, model: model.document.name, ok, lints, results }, null, 2));
  else out(formatSummary(results, ok));
  return ok ? EXIT_OK : EXIT_UNEXPECTED;
}

/** A scenario is fine when it meets its expect, or passes when it has none. */
export function resultIsAcceptable(result: CheckResult): boolean {
  return result.meetsExpectation ?? result.verdict === 'pass';
}
