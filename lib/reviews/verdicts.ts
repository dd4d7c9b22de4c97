/**
 * Which stored runs a review's verdict diff may use, and how a run reads as a
 * ScenarioVerdict. Pure. A run counts when it checked the scenario with the
 * default options (REVIEW_CHECK_OPTIONS, nothing else) and is settled: a
 * verified run (the browser's, confirmed by the server, or the server's
 * own), or the server's own run that ran out of budget (checking again would
 * run out again).
 */
import { meetsExpectation } from '@/lib/check/check';
import type { Scenario } from '@/lib/model/schema';
import type { ScenarioVerdict, VerdictDiff } from '@/lib/transport/reviews';
import { REVIEW_CHECK_OPTIONS } from './server-check';
import { verdictDiff } from './verdict-diff';

export interface RunLike {
  id: string;
  versionNumber: number;
  scenario: string;
  options: unknown;
  verdict: string;
  stats: unknown;
  trace: unknown;
  author: string;
  status: string;
}

export const SERVER_AUTHOR = 'server';

/** Whether the options are exactly the defaults (any limit or reduction switched off makes another check). */
export function hasDefaultOptions(options: unknown): boolean {
  if (!options || typeof options !== 'object' || Array.isArray(options)) return false;
  const o = options as Record<string, unknown>;
  const keys = Object.keys(o);
  return keys.length === 3 && o.mode === REVIEW_CHECK_OPTIONS.mode && o.symmetry === true && o.mergeLocalSteps === true;
}

export function isReusable(run: RunLike): boolean {
  if (!hasDefaultOptions(run.options)) return false;
  return run.status === 'verified' || (run.status === 'too-large' && run.author === SERVER_AUTHOR);
}

/** The run to show for a scenario at a version: verified before too large, newest first (runs come newest first). */
export function pickRun<R extends RunLike>(runs: readonly R[], versionNumber: number, scenario: string): R | null {
  let fallback: R | null = null;
  for (const run of runs) {
    if (run.versionNumber !== versionNumber || run.scenario !== scenario || !isReusable(run)) continue;
    if (run.status === 'verified') return run;
    fallback ??= run;
  }
  return fallback;
}

/** A scenario as the verdict diff needs it: its name and what it expects (from the version's document, not the stored run). */
export type ScenarioRef = Pick<Scenario, 'name' | 'expect'>;

export function verdictOfRun(run: RunLike, expect?: Scenario['expect']): ScenarioVerdict {
  const stats = (run.stats ?? {}) as { distinctStates?: unknown; transitions?: unknown };
  const trace = (run.trace ?? null) as { moves?: unknown; violation?: { kind?: unknown; name?: unknown; message?: unknown } | null } | null;
  const verdict = run.verdict === 'violation' || run.verdict === 'incomplete' ? run.verdict : 'pass';
  const kind = verdict === 'violation' && typeof trace?.violation?.kind === 'string' ? trace.violation.kind : undefined;
  return {
    verdict,
    ...(kind ? { kind: kind as ScenarioVerdict['kind'] } : {}),
    ...(verdict === 'violation' && Array.isArray(trace?.moves) ? { traceLength: trace.moves.length } : {}),
    states: Number(stats.distinctStates) || 0,
    transitions: Number(stats.transitions) || 0,
    verification: run.status === 'too-large' ? 'too-large' : run.status === 'refuted' ? 'refuted' : run.status === 'reported' ? 'reported' : 'verified',
    runId: run.id,
    // No expect: a pass is what is wanted. An incomplete check (budget) meets nothing.
    meetsExpectation: expect
      ? meetsExpectation(expect, verdict, kind ? ({ kind, message: String(trace?.violation?.message ?? ''), ...(typeof trace?.violation?.name === 'string' ? { name: trace.violation.name } : {}) } as Parameters<typeof meetsExpectation>[2]) : null)
      : verdict === 'pass',
  };
}

/** The scenarios of each side with the run picked for each; missing ones still wait for the server. */
export function reviewVerdicts(
  runs: readonly RunLike[],
  after: { versionNumber: number; scenarios: ScenarioRef[] },
  before: { versionNumber: number; scenarios: ScenarioRef[] } | null,
): VerdictDiff & { missing: Array<{ versionNumber: number; scenario: string }> } {
  const missing: Array<{ versionNumber: number; scenario: string }> = [];
  const side = (s: { versionNumber: number; scenarios: ScenarioRef[] } | null) => {
    const map = new Map<string, ScenarioVerdict>();
    for (const scenario of s?.scenarios ?? []) {
      const run = pickRun(runs, s!.versionNumber, scenario.name);
      if (run) map.set(scenario.name, verdictOfRun(run, scenario.expect));
      else missing.push({ versionNumber: s!.versionNumber, scenario: scenario.name });
    }
    return map;
  };
  const b = side(before);
  const a = side(after);
  const total = (before?.scenarios.length ?? 0) + after.scenarios.length;
  if (missing.length > 0) return { status: 'pending', rows: [], progress: { done: total - missing.length, total }, missing };
  return { status: 'ready', rows: verdictDiff(b, a), missing };
}
