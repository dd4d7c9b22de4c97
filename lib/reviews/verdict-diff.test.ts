import { describe, expect, it } from 'vitest';
import type { Lint } from '@/lib/check/lints';
import type { ScenarioVerdict } from '@/lib/transport/reviews';
import { lintDiff } from './lint-diff';
import { reviewOutcome } from './outcome';
import { verdictDiff } from './verdict-diff';
import { hasDefaultOptions, reviewVerdicts, type RunLike } from './verdicts';

const pass = (states: number, more: Partial<ScenarioVerdict> = {}): ScenarioVerdict => ({ verdict: 'pass', states, transitions: states + 5, verification: 'verified', runId: null, meetsExpectation: true, ...more });
const violation = (trace: number, more: Partial<ScenarioVerdict> = {}): ScenarioVerdict => ({
  verdict: 'violation',
  kind: 'invariant',
  traceLength: trace,
  states: 30,
  transitions: 40,
  verification: 'verified',
  runId: null,
  meetsExpectation: true,
  ...more,
});
const map = (entries: Record<string, ScenarioVerdict>) => new Map(Object.entries(entries));

describe('verdictDiff', () => {
  it('describes each change in the words a reviewer reads', () => {
    const rows = verdictDiff(
      map({
        'naive-two-deletes': violation(10, { meetsExpectation: false }),
        fixed: pass(17),
        naive: violation(7),
        checked: pass(8, { verification: 'reported' }),
        same: pass(5),
        gone: pass(3),
      }),
      map({
        'naive-two-deletes': pass(37),
        fixed: pass(23),
        naive: violation(5),
        checked: pass(8),
        same: pass(5),
        added: violation(4, { meetsExpectation: false }),
      }),
    );
    const changes = Object.fromEntries(rows.map((r) => [r.scenario, r.changes]));
    expect(changes).toEqual({
      'naive-two-deletes': ['violation → pass'],
      fixed: ['pass, 17 → 23 states'],
      naive: ['trace 7 → 5 moves'],
      checked: ['reported → verified'],
      same: [],
      added: ['added'],
      gone: ['removed'],
    });
    // The reviewed version's order, then what only the base has.
    expect(rows.map((r) => r.scenario)).toEqual(['naive-two-deletes', 'fixed', 'naive', 'checked', 'same', 'added', 'gone']);
    expect(rows.filter((r) => r.regressed)).toEqual([]);
  });

  it('flags a scenario that met its expect and no longer does', () => {
    const [row] = verdictDiff(map({ fixed: pass(17) }), map({ fixed: violation(6, { kind: 'lock-leak', meetsExpectation: false }) }));
    expect(row).toMatchObject({ scenario: 'fixed', changes: ['pass → violation (lock-leak)'], regressed: true });
    const [kind] = verdictDiff(map({ v: violation(6) }), map({ v: violation(6, { kind: 'stale-write', meetsExpectation: false }) }));
    expect(kind).toMatchObject({ changes: ['violation invariant → stale-write'], regressed: true });
    const [budget] = verdictDiff(map({ big: pass(900) }), map({ big: { ...pass(500), verdict: 'incomplete', verification: 'too-large', meetsExpectation: false } }));
    expect(budget).toMatchObject({ changes: ['pass → incomplete', 'verified → too-large'], regressed: true });
  });
});

describe('reviewVerdicts', () => {
  const run = (over: Partial<RunLike>): RunLike => ({
    id: 'r1',
    versionNumber: 2,
    scenario: 's',
    options: { mode: 'exhaustive', symmetry: true, mergeLocalSteps: true },
    verdict: 'pass',
    stats: { distinctStates: 17, transitions: 22 },
    trace: null,
    author: 'server',
    status: 'verified',
    ...over,
  });
  it('is pending until every scenario of both versions has a settled run with the default options', () => {
    const runs = [run({ versionNumber: 1 }), run({ id: 'r2', options: { mode: 'exhaustive', symmetry: false, mergeLocalSteps: true } }), run({ id: 'r3', status: 'reported' })];
    const pending = reviewVerdicts(runs, { versionNumber: 2, scenarios: [{ name: 's' }] }, { versionNumber: 1, scenarios: [{ name: 's' }] });
    expect(pending).toMatchObject({ status: 'pending', rows: [], progress: { done: 1, total: 2 }, missing: [{ versionNumber: 2, scenario: 's' }] });
    const ready = reviewVerdicts([...runs, run({ id: 'r4', stats: { distinctStates: 23, transitions: 30 } })], { versionNumber: 2, scenarios: [{ name: 's' }] }, { versionNumber: 1, scenarios: [{ name: 's' }] });
    expect(ready.status).toBe('ready');
    expect(ready.rows[0]).toMatchObject({ changes: ['pass, 17 → 23 states'], after: { runId: 'r4', verification: 'verified' } });
  });
  it('reuses a browser run only when verified with exactly the default options', () => {
    expect(hasDefaultOptions({ mode: 'exhaustive', symmetry: true, mergeLocalSteps: true })).toBe(true);
    expect(hasDefaultOptions({ mode: 'exhaustive', symmetry: true, mergeLocalSteps: true, maxStates: 10 })).toBe(false);
    expect(hasDefaultOptions({ mode: 'random', symmetry: true, mergeLocalSteps: true })).toBe(false);
    const browser = run({ author: 'Ann', status: 'too-large' });
    expect(reviewVerdicts([browser], { versionNumber: 2, scenarios: [{ name: 's' }] }, null).status).toBe('pending');
    expect(reviewVerdicts([run({ author: 'Ann' })], { versionNumber: 2, scenarios: [{ name: 's' }] }, null).status).toBe('ready');
  });
});

describe('lintDiff and reviewOutcome', () => {
  it('matches lints by code and message, not path', () => {
    const lint = (code: Lint['code'], path: string, message = `${code} here`): Lint => ({ code, severity: 'warning', path, message });
    const d = lintDiff([lint('unused-state', 'operations[0].steps[1]'), lint('unreachable-state', 'x')], [lint('unused-state', 'operations[0].steps[2]'), lint('lock-not-released', 'y')]);
    expect(d.appeared.map((l) => l.code)).toEqual(['lock-not-released']);
    expect(d.resolved.map((l) => l.code)).toEqual(['unreachable-state']);
  });
  it('counts each reviewer’s latest decision on the current version only', () => {
    const d = (decision: 'approve' | 'request-changes', who: string, versionNumber: number, at: string) => ({ decision, author: who, authorId: who, versionNumber, createdAt: at });
    expect(reviewOutcome([d('request-changes', 'bo', 1, '1')], 2)).toEqual({ outcome: null, approvedAt: null });
    expect(reviewOutcome([d('request-changes', 'bo', 2, '1'), d('approve', 'cy', 2, '2')], 2).outcome).toBe('changes-requested');
    expect(reviewOutcome([d('request-changes', 'bo', 2, '1'), d('approve', 'bo', 2, '3')], 2)).toEqual({ outcome: 'approved', approvedAt: '3' });
  });
});
