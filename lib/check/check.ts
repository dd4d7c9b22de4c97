/** The checker's entry points: check one scenario, or every scenario of a model. */
import type { AnalyzedModel } from '../model/analyzed';
import { explore, type ExploreOptions, type ExploreOutcome } from './explore';
import { toViolation, type CheckResult } from './result';
import { compileSystem, type CheckOptions, type System } from './system';
import { rebuildTrace } from './trace';
import { simulate, type SimulateOptions } from './simulate';
import { afterSafety } from './liveness';

export type CheckScenarioOptions = CheckOptions & ExploreOptions;

export function checkScenario(model: AnalyzedModel, scenarioName: string, options: CheckScenarioOptions = {}): CheckResult {
  const system = compileSystem(model, scenarioName, options);
  return checkResultOf(system, scenarioName, explore(system, options), options);
}

/** The result of an exhaustive search (single-threaded or level-parallel): its trace replayed, its expectation judged. */
export function checkResultOf(system: System, scenarioName: string, safety: ExploreOutcome, options: CheckScenarioOptions): CheckResult {
  // Liveness runs only once safety holds: a safety violation is the shorter, plainer report.
  const { outcome, system: searched, liveness } = afterSafety(system, safety, options);
  const replay = outcome.path && outcome.violation ? rebuildTrace(searched, outcome.path) : null;
  // A lasso ends in no safety violation: its last state is the one its cycle starts from.
  if (replay && !liveness && replay.violation?.kind !== outcome.violation?.kind) {
    throw new Error(`trace replay ended in ${replay.violation?.kind ?? 'no violation'}, exploration found ${outcome.violation?.kind}`);
  }
  const violation = toViolation(outcome.violation);
  const trace = replay?.trace ?? null;
  const expected = system.scenario.source.expect ?? null;
  return {
    scenario: scenarioName,
    verdict: outcome.verdict,
    violation,
    ...(outcome.incompleteReason ? { incompleteReason: outcome.incompleteReason } : {}),
    trace,
    stats: outcome.stats,
    meetsExpectation: expected ? meetsExpectation(expected, outcome.verdict, violation) : null,
    expected,
    options: {
      symmetry: options.symmetry !== false,
      mergeLocalSteps: options.mergeLocalSteps !== false,
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    },
  };
}

export function meetsExpectation(
  expected: NonNullable<CheckResult['expected']>,
  verdict: CheckResult['verdict'],
  violation: CheckResult['violation'],
): boolean {
  if (expected.verdict === 'pass') return verdict === 'pass';
  if (verdict !== 'violation' || !violation || violation.kind !== expected.kind) return false;
  return expected.name === undefined || violation.name === expected.name;
}

/** Checks the named scenario, or every scenario in document order. */
export function checkModel(model: AnalyzedModel, options: CheckScenarioOptions & { scenario?: string } = {}): CheckResult[] {
  const names = options.scenario ? [options.scenario] : model.scenarios.map((s) => s.source.name);
  return names.map((name) => checkScenario(model, name, options));
}

/**
 * Random simulation of one scenario: the shortest violation seen over many
 * random schedules, with its trace; `incomplete` when none was found.
 */
export function simulateScenario(model: AnalyzedModel, scenarioName: string, options: CheckOptions & SimulateOptions = {}): CheckResult {
  const system = compileSystem(model, scenarioName, options);
  const outcome = simulate(system, options);
  const replay = outcome.path && outcome.violation ? rebuildTrace(system, outcome.path) : null;
  const violation = toViolation(replay?.violation ?? outcome.violation);
  const expected = system.scenario.source.expect ?? null;
  return {
    scenario: scenarioName,
    verdict: outcome.verdict,
    violation,
    ...(outcome.verdict === 'incomplete' ? { incompleteReason: 'simulation' as const } : {}),
    trace: replay?.trace ?? null,
    stats: outcome.stats,
    simulation: { runs: outcome.runs, seed: options.seed ?? 1 },
    meetsExpectation: expected ? meetsExpectation(expected, outcome.verdict, violation) : null,
    expected,
    options: { symmetry: options.symmetry !== false, mergeLocalSteps: options.mergeLocalSteps !== false, maxDepth: options.maxDepth ?? 1000 },
  };
}
