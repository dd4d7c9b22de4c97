/**
 * Lints of the `update` step: conditions that can never all hold, a set state
 * that is not a transition from a state the update accepts, and updates taking
 * part in the existing state and lock lints.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { ModelDocument, Step } from '../model/schema';
import fc from 'fast-check';
import { lintModel, type Lint } from './lints';
import { firstFailing } from './exec-update';
import { RUNNING } from './layout';
import { compileSystem } from './system';
import { arbitraryModel } from './testing/arbitrary-model';
import { naiveExplore } from './testing/naive-explorer';

/** R: idle → busy → done, busy → idle; `orphan` nothing leads to. */
function lints(steps: Step[], extra: Partial<ModelDocument> = {}): Lint[] {
  const analyzed = analyzeModel({
    name: 'lints',
    resources: [
      {
        name: 'R',
        states: [
          { name: 'idle', kind: 'stable' },
          { name: 'busy', kind: 'transitional' },
          { name: 'done', kind: 'terminal' },
          { name: 'orphan', kind: 'error' },
        ],
        initial: 'idle',
        transitions: [
          { from: 'idle', to: 'busy' },
          { from: 'busy', to: 'done' },
          { from: 'busy', to: 'idle' },
        ],
        fields: [{ name: 'n', type: { kind: 'int', min: 0, max: 3 } }],
      },
    ],
    locks: [{ name: 'L', key: 'R' }],
    operations: [{ name: 'op', params: [{ name: 'r', type: 'R' }], steps }],
    invariants: [],
    scenarios: [],
    ...extra,
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return lintModel(analyzed.value);
}

const of = (found: Lint[], code: string) => found.filter((l) => l.code === code);
const update = (where: Extract<Step, { kind: 'update' }>['where'], set = [{ field: 'state', value: '"busy"' }], extra: Partial<Extract<Step, { kind: 'update' }>> = {}): Step => ({
  kind: 'update',
  target: 'r',
  where,
  set,
  ...extra,
});

describe('lint: an update that can never match', () => {
  it('accepts only a state no instance can ever be in', () => {
    expect(of(lints([update([{ field: 'state', op: '==', value: '"orphan"' }])]), 'update-never-matches')).toEqual([
      {
        code: 'update-never-matches',
        severity: 'error',
        path: 'operations[0].steps[0].where[0]',
        message:
          "op › step 1 (update): the update can never match: no R is ever in 'orphan' (no transition path leads there from the initial state or a scenario's starting state)",
      },
    ]);
  });

  it('is quiet when a scenario starts an instance in that state', () => {
    const scenarios: ModelDocument['scenarios'] = [{ name: 's', instances: [{ name: 'r1', type: 'R', state: 'orphan' }], processes: [{ operation: 'op', args: { r: 'r1' } }] }];
    expect(of(lints([update([{ field: 'state', op: 'in', value: '["orphan", "done"]' }], [{ field: 'n', value: '1' }])], { scenarios }), 'update-never-matches')).toEqual([]);
  });

  it('an int value outside the field range, a not-in list of every value, an always-false filter', () => {
    const found = lints([
      update([{ field: 'n', op: '==', value: '7' }], [{ field: 'n', value: '1' }]),
      update([{ field: 'n', op: 'not in', value: '[0, 1, 2, 3]' }], [{ field: 'n', value: '1' }]),
      update([], [{ field: 'n', value: '1' }], { filters: [{ name: 'never', cond: 'false' }] }),
    ]);
    expect(of(found, 'update-never-matches').map((l) => [l.path, l.message.replace(/^.*can never match: /, '')])).toEqual([
      ['operations[0].steps[0].where[0]', 'no value of n is == 7'],
      ['operations[0].steps[1].where[0]', 'no value of n is not in [0, 1, 2, 3]'],
      ['operations[0].steps[2].filters[0].cond', 'the filter never is always false'],
    ]);
  });

  it('is quiet for conditions on values known only when it runs', () => {
    expect(of(lints([{ kind: 'read', local: 'seen', expr: 'r.n' }, update([{ field: 'n', op: '==', value: 'seen' }], [{ field: 'n', value: '1' }])]), 'update-never-matches')).toEqual([]);
  });
});

describe('lint: an update whose set state is not a transition from what it accepts', () => {
  it('is an error when no accepted state has the edge, a warning when some lack it', () => {
    const found = of(
      lints([
        update([{ field: 'state', op: '==', value: '"idle"' }], [{ field: 'state', value: '"done"' }]),
        update([{ field: 'state', op: 'in', value: '["idle", "busy"]' }], [{ field: 'state', value: '"done"' }]),
        update([{ field: 'state', op: '==', value: '"busy"' }], [{ field: 'state', value: '"done"' }]),
      ]),
      'update-illegal-transition',
    );
    expect(found).toEqual([
      {
        code: 'update-illegal-transition',
        severity: 'error',
        path: 'operations[0].steps[0]',
        message: "op › step 1 (update): the update accepts R in 'idle' and sets state 'done', which is not a transition from it (an illegal transition when it matches there)",
      },
      {
        code: 'update-illegal-transition',
        severity: 'warning',
        path: 'operations[0].steps[1]',
        message: "op › step 2 (update): the update accepts R in 'idle' and sets state 'done', which is not a transition from it (an illegal transition when it matches there)",
      },
    ]);
  });

  it('reports a set of a state the machine cannot reach as unreachable-write', () => {
    expect(of(lints([update([], [{ field: 'state', value: '"orphan"' }])]), 'unreachable-write').map((l) => l.path)).toEqual(['operations[0].steps[0]']);
  });
});

describe('updates in the existing lints', () => {
  it('a state only an update enters is not unused', () => {
    const found = lints([update([{ field: 'state', op: '==', value: '"idle"' }], [{ field: 'state', value: '"busy"' }]), update([{ field: 'state', op: '==', value: '"busy"' }], [{ field: 'state', value: '"done"' }])]);
    expect(of(found, 'unused-state').map((l) => l.path)).toEqual([]);
  });

  it('an update that aborts with a lock held leaks it; one with onFail follows the block', () => {
    const acquire: Step = { kind: 'acquire', lock: 'L', on: 'r' };
    const release: Step = { kind: 'release', lock: 'L', on: 'r' };
    const aborting = lints([acquire, update([{ field: 'state', op: '==', value: '"idle"' }]), release]);
    expect(of(aborting, 'lock-not-released').map((l) => l.message)).toEqual([
      "op › step 1 (acquire): L(r) is not released on every path: it is still held when op aborts at step 2 (update) (the update does not match)",
    ]);
    const handled = lints([acquire, update([{ field: 'state', op: '==', value: '"idle"' }], undefined, { onFail: [release, { kind: 'return' }] }), release]);
    expect(of(handled, 'lock-not-released')).toEqual([]);
  });
});

describe('update-never-matches against the checker on random models', () => {
  // Sound under the illegal-transition check (instances only move along transitions until a violation ends the run):
  // no reachable state has a process standing at a flagged update whose conditions all hold.
  it('no reachable state lets a flagged update match', () => {
    let flagged = 0;
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        doc.scenarios[0].checks = { invariants: false, assertions: false, illegalTransition: true, deadlock: false, stuckTransitional: false, lockLeak: false, releaseUnheld: false, staleWrite: false };
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
        const never = new Set(of(lintModel(analyzed.value), 'update-never-matches').map((l) => l.path.replace(/\.(where|filters)\[\d+\].*$/, '')));
        if (never.size === 0) return;
        flagged += never.size;
        const system = compileSystem(analyzed.value, 's', { symmetry: false, mergeLocalSteps: false });
        naiveExplore(system, {
          maxStates: 20_000,
          onState: (s) => {
            for (const proc of system.processes) {
              if (s[proc.statusSlot] !== RUNNING) continue;
              const instr = proc.program[s[proc.pcSlot]];
              if (instr.kind !== 'update' || !never.has(instr.step.path)) continue;
              expect(firstFailing(instr.update, s, system), `${proc.name} at ${instr.step.where}`).toBeGreaterThanOrEqual(0);
            }
          },
        });
      }),
      { numRuns: 400 },
    );
    // The generator does produce such updates (unreachable states, always-false filters): the property is not vacuous.
    expect(flagged).toBeGreaterThan(0);
  });
});
