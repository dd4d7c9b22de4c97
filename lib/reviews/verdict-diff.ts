/**
 * The verdict diff: every scenario's result at the base and at the reviewed
 * version, and what changed in words a reviewer reads ("violation → pass",
 * "pass, 17 → 23 states", "trace 7 → 5 moves", "reported → verified").
 * Pure; the review page and `lockstep diff` print the same rows.
 */
import type { CheckResult } from '@/lib/check/result';
import type { ScenarioVerdict, VerdictDiffRow } from '@/lib/transport/reviews';

const n = (x: number) => Math.round(x).toLocaleString('en');

/** What changed between two results of one scenario (empty: nothing a reviewer needs to see). */
export function verdictChanges(before: ScenarioVerdict | null, after: ScenarioVerdict | null): string[] {
  if (!before && !after) return [];
  if (!before) return ['added'];
  if (!after) return ['removed'];
  const out: string[] = [];
  if (before.verdict !== after.verdict) {
    out.push(`${before.verdict} → ${after.verdict}${after.verdict === 'violation' && after.kind ? ` (${after.kind})` : ''}`);
  } else {
    if (before.verdict === 'violation' && before.kind !== after.kind) out.push(`violation ${before.kind ?? '?'} → ${after.kind ?? '?'}`);
    // A violation's state count is where the search stopped; only a completed search's count says something about the design.
    if (before.verdict !== 'violation' && before.states !== after.states) out.push(`${after.verdict}, ${n(before.states)} → ${n(after.states)} states`);
    if (before.verdict === 'violation' && before.traceLength !== undefined && after.traceLength !== undefined && before.traceLength !== after.traceLength) {
      out.push(`trace ${n(before.traceLength)} → ${n(after.traceLength)} moves`);
    }
  }
  if (before.verification !== after.verification) out.push(`${before.verification} → ${after.verification}`);
  return out;
}

/** Met its expect before and does not now (a scenario removed is shown as removed, not as a regression). */
export function isRegression(before: ScenarioVerdict | null, after: ScenarioVerdict | null): boolean {
  return !!before && !!after && before.meetsExpectation && !after.meetsExpectation;
}

/**
 * One row per scenario: the reviewed version's scenarios in its order, then
 * those only the base has.
 */
export function verdictDiff(before: ReadonlyMap<string, ScenarioVerdict>, after: ReadonlyMap<string, ScenarioVerdict>): VerdictDiffRow[] {
  const names = [...after.keys(), ...[...before.keys()].filter((name) => !after.has(name))];
  return names.map((scenario) => {
    const b = before.get(scenario) ?? null;
    const a = after.get(scenario) ?? null;
    return { scenario, before: b, after: a, changes: verdictChanges(b, a), regressed: isRegression(b, a) };
  });
}

/** A checker result as the verdict diff compares it (the CLI: checked here, so nothing is stored or verified). */
export function verdictOfResult(result: CheckResult, verification: ScenarioVerdict['verification'] = 'verified'): ScenarioVerdict {
  return {
    verdict: result.verdict,
    ...(result.violation ? { kind: result.violation.kind } : {}),
    ...(result.verdict === 'violation' && result.trace ? { traceLength: result.trace.steps.length } : {}),
    states: result.stats.distinctStates,
    transitions: result.stats.transitions,
    verification,
    runId: null,
    meetsExpectation: result.meetsExpectation ?? result.verdict === 'pass',
  };
}

/** One line per row, as `lockstep diff` prints it: "naive-two-deletes: violation → pass". */
export function formatVerdictRow(row: VerdictDiffRow): string {
  const describe = (v: ScenarioVerdict | null) =>
    !v ? '—' : `${v.verdict}${v.kind ? ` (${v.kind})` : ''}${v.traceLength !== undefined ? `, trace ${n(v.traceLength)} moves` : ''}, ${n(v.states)} states`;
  const what = row.changes.length > 0 ? row.changes.join('; ') : `unchanged (${describe(row.after)})`;
  return `${row.regressed ? '✗' : row.changes.length > 0 ? '~' : ' '} ${row.scenario}: ${what}${row.regressed ? ' — no longer meets its expect' : ''}`;
}
