/**
 * The lock semantics of docs/design.md section 2 against an independent oracle.
 *
 * The explorer-vs-naive property tests share one `Semantics`, so they cannot
 * see a wrong rule. Here small two-process models are checked for every
 * combination of lock policy (scope, crash rule, lease expiry, fencing),
 * placement (same OS process, same node, two nodes), shared/try modes and
 * faults, and the verdict is compared with what the design says, computed by
 * a few lines of plain logic below. Each combination runs with and without
 * reductions and through the naive explorer.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { AnalyzedModel } from '../model/analyzed';
import type { ModelDocument, Step } from '../model/schema';
import { checkScenario } from './check';
import { naiveCheck } from './testing/naive-explorer';

type Scope = 'process' | 'node' | 'cluster';
type OnCrash = 'released' | 'after-lease' | 'never';
type Placement = 'same-os-process' | 'same-node' | 'two-nodes';
type Fault = 'none' | 'crash' | 'lease';

const SCOPES: Scope[] = ['process', 'node', 'cluster'];
const CRASH_RULES: OnCrash[] = ['released', 'after-lease', 'never'];
const PLACEMENTS: Placement[] = ['same-os-process', 'same-node', 'two-nodes'];
const FAULTS: Fault[] = ['none', 'crash', 'lease'];

function analyze(doc: ModelDocument): AnalyzedModel {
  const analyzed = analyzeModel(doc);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

const placements: Record<Placement, [{ node: string; osProcess: string }, { node: string; osProcess: string }]> = {
  'same-os-process': [{ node: 'n1', osProcess: 'a' }, { node: 'n1', osProcess: 'a' }],
  'same-node': [{ node: 'n1', osProcess: 'a' }, { node: 'n1', osProcess: 'b' }],
  'two-nodes': [{ node: 'n1', osProcess: 'a' }, { node: 'n2', osProcess: 'a' }],
};

/** Runs the naive explorer and the optimized one with and without reductions; all must agree; returns the kind (or 'pass'). */
function verdictOf(model: AnalyzedModel, why: string): string {
  const naive = naiveCheck(model, 's');
  const expected = naive.verdict === 'violation' ? naive.kind! : naive.verdict;
  for (const options of [{ symmetry: false, mergeLocalSteps: false }, {}]) {
    const result = checkScenario(model, 's', options);
    expect(result.verdict === 'violation' ? result.violation!.kind : result.verdict, `${why} ${JSON.stringify(options)}`).toBe(expected);
  }
  return expected;
}

describe('mutual exclusion under every lock policy, placement and fault (oracle: docs/design.md section 2)', () => {
  it('two processes in a critical section guarded by one lock', () => {
    let combinations = 0;
    for (const scope of SCOPES)
      for (const onCrash of CRASH_RULES)
        for (const leaseCanExpire of [false, true])
          for (const placement of PLACEMENTS)
            for (const fault of FAULTS)
              for (const [sharedA, sharedB] of [[false, false], [true, false], [true, true]])
                for (const tryB of [false, true]) {
                  combinations++;
                  const critical = (op: string, shared: boolean, tryIt: boolean): Step[] => [
                    {
                      kind: 'acquire',
                      lock: 'L',
                      on: 'r',
                      ...(shared ? { shared } : {}),
                      ...(tryIt ? { try: true, else: [{ kind: 'abort', message: 'busy' }] } : {}),
                    } as Step,
                    { kind: 'call', name: `${op}-work`, label: 'crit' },
                    { kind: 'release', lock: 'L', on: 'r' },
                  ];
                  const [pa, pb] = placements[placement];
                  const doc: ModelDocument = {
                    name: 'mutex',
                    resources: [{ name: 'R', states: [{ name: 'idle', kind: 'stable' }], initial: 'idle', transitions: [] }],
                    locks: [{ name: 'L', key: 'R', scope, onCrash, leaseCanExpire, fencing: false }],
                    operations: [
                      { name: 'workA', params: [{ name: 'r', type: 'R' }], steps: critical('a', sharedA, false) },
                      { name: 'workB', params: [{ name: 'r', type: 'R' }], steps: critical('b', sharedB, tryB) },
                    ],
                    invariants: [{ name: 'mutex', expr: 'at(workA, "crit") + at(workB, "crit") <= 1' }],
                    scenarios: [
                      {
                        name: 's',
                        nodes: [{ name: 'n1', osProcesses: ['a', 'b'] }, { name: 'n2', osProcesses: ['a'] }],
                        instances: [{ name: 'r1', type: 'R' }],
                        processes: [
                          { name: 'A', operation: 'workA', args: { r: 'r1' }, ...pa },
                          { name: 'B', operation: 'workB', args: { r: 'r1' }, ...pb },
                        ],
                        ...(fault === 'crash' ? { faults: { crash: 1 } } : fault === 'lease' ? { faults: { leaseExpiry: 1 } } : {}),
                      },
                    ],
                  };

                  // The oracle.
                  const contend = scope === 'cluster' || (scope === 'node' && placement !== 'two-nodes') || (scope === 'process' && placement === 'same-os-process');
                  const excludes = contend && !(sharedA && sharedB);
                  let expected: string;
                  if (!excludes) expected = 'invariant'; // both reach the critical section
                  else if (fault === 'lease' && leaseCanExpire) expected = 'invariant'; // the holder's lease expires, the other acquires
                  else if (fault === 'crash' && onCrash === 'never') expected = 'deadlock'; // B crashes holding it; A waits forever
                  else expected = 'pass'; // released at once, or once the crashed holder's lease runs out

                  const why = JSON.stringify({ scope, onCrash, leaseCanExpire, placement, fault, sharedA, sharedB, tryB });
                  expect(verdictOf(analyze(doc), why), why).toBe(expected);
                }
    expect(combinations).toBe(3 * 3 * 2 * 3 * 3 * 3 * 2);
  });
});

describe('stale writes and fencing (oracle: docs/design.md section 2)', () => {
  it('a write after the lease expired and another process took the lock', () => {
    for (const keyed of [true, false])
      for (const fencing of [false, true])
        for (const fenced of fencing ? [false, true] : [false])
          for (const sameInstance of [true, false])
            for (const leaseCanExpire of [false, true])
              for (const expiries of [0, 1]) {
                const on = keyed ? { on: 'r' } : {};
                const target = sameInstance ? 'r' : 'other';
                const steps: Step[] = [
                  { kind: 'acquire', lock: 'L', ...on },
                  {
                    kind: 'write',
                    target: `${target}.state`,
                    value: '"b"',
                    ...(fenced ? { fencedBy: { lock: 'L', ...on } } : {}),
                  } as Step,
                  { kind: 'release', lock: 'L', ...on },
                ];
                const doc: ModelDocument = {
                  name: 'stale',
                  resources: [
                    {
                      name: 'R',
                      states: [{ name: 'a', kind: 'stable' }, { name: 'b', kind: 'stable' }],
                      initial: 'a',
                      transitions: [{ from: 'a', to: 'b' }],
                    },
                  ],
                  locks: [{ name: 'L', ...(keyed ? { key: 'R' } : {}), scope: 'cluster', onCrash: 'after-lease', leaseCanExpire, fencing }],
                  operations: [{ name: 'work', params: [{ name: 'r', type: 'R' }, { name: 'other', type: 'R' }], steps }],
                  invariants: [],
                  scenarios: [
                    {
                      name: 's',
                      instances: [{ name: 'r1', type: 'R' }, { name: 'r2', type: 'R' }],
                      processes: [{ operation: 'work', args: { r: 'r1', other: 'r2' }, count: 2 }],
                      ...(expiries ? { faults: { leaseExpiry: expiries } } : {}),
                    },
                  ],
                };
                // The oracle: an unfenced write, by a process whose lease expired and was taken over, to the
                // instance the lock is keyed by (any instance for a global lock), is a stale write. A fenced
                // one is rejected or accepted in token order: never a violation.
                const staleWritePossible = leaseCanExpire && expiries > 0 && !fenced && (sameInstance || !keyed);
                const expected = staleWritePossible ? 'stale-write' : 'pass';
                const why = JSON.stringify({ keyed, fencing, fenced, sameInstance, leaseCanExpire, expiries });
                expect(verdictOf(analyze(doc), why), why).toBe(expected);
              }
  });

  it('fencing: the stale holder\'s write is rejected once a newer token was accepted, and lands before it otherwise', () => {
    // A takes the lock (token 1), its lease expires, B takes it (token 2). Whichever order the fenced writes
    // land in, the final value is B's unless A's landed first and B has not written yet.
    const doc: ModelDocument = {
      name: 'fencing-order',
      resources: [
        {
          name: 'R',
          states: [{ name: 'a', kind: 'stable' }],
          initial: 'a',
          transitions: [],
          fields: [{ name: 'by', type: { kind: 'enum', values: ['none', 'A', 'B'] }, initial: 'none' }],
        },
      ],
      locks: [{ name: 'L', key: 'R', scope: 'cluster', onCrash: 'after-lease', leaseCanExpire: true, fencing: true }],
      operations: ['A', 'B'].map((who) => ({
        name: `write${who}`,
        params: [{ name: 'r', type: 'R' }],
        steps: [
          { kind: 'acquire', lock: 'L', on: 'r' },
          { kind: 'write', target: 'r.by', value: `"${who}"`, fencedBy: { lock: 'L', on: 'r' }, onFail: [{ kind: 'read', local: 'rejected', expr: 'true', label: 'rejected' }] },
          { kind: 'release', lock: 'L', on: 'r' },
        ] as Step[],
      })),
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R' }],
          processes: [
            { name: 'A', operation: 'writeA', args: { r: 'r1' } },
            { name: 'B', operation: 'writeB', args: { r: 'r1' } },
          ],
          faults: { leaseExpiry: 1 },
          // When both are done, B's write must be the last one: A's write is rejected after B's, accepted before it.
          invariants: [{ name: 'b-last', expr: 'at(writeA, "rejected") == 0 || r1.by == "B"' }],
        },
      ],
    };
    const model = analyze(doc);
    expect(verdictOf(model, 'fencing-order')).toBe('pass');
    // And the rejection does happen in some interleaving: an invariant that forbids it is broken.
    const forbidden = structuredClone(doc);
    forbidden.scenarios[0].invariants = [{ name: 'never-rejected', expr: 'at(writeA, "rejected") == 0' }];
    expect(verdictOf(analyze(forbidden), 'fencing-rejects')).toBe('invariant');
  });
});

describe('step semantics: one small model per rule, with the verdict the design gives', () => {
  const R = {
    name: 'R',
    states: [
      { name: 'idle', kind: 'stable' as const },
      { name: 'busy', kind: 'transitional' as const },
      { name: 'done', kind: 'terminal' as const },
      { name: 'error', kind: 'error' as const },
    ],
    initial: 'idle',
    transitions: [
      { from: 'idle', to: 'busy' },
      { from: 'busy', to: 'done' },
      { from: 'busy', to: 'idle' },
      { from: 'busy', to: 'error' },
    ],
  };
  const model = (
    operations: Array<{ name: string; steps: Step[] }>,
    processes: Array<{ operation: string; count?: number; name?: string }>,
    extra: { invariants?: ModelDocument['invariants']; faults?: ModelDocument['scenarios'][number]['faults']; recovery?: ModelDocument['scenarios'][number]['recovery']; locks?: ModelDocument['locks'] } = {},
  ): AnalyzedModel =>
    analyze({
      name: 'rules',
      resources: [R],
      locks: extra.locks ?? [{ name: 'L', key: 'R' }, { name: 'M', key: 'R' }],
      operations: operations.map((op) => ({ ...op, params: [{ name: 'r', type: 'R' }] })),
      invariants: extra.invariants ?? [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R' }],
          processes: processes.map((p) => ({ ...p, args: { r: 'r1' } })),
          ...(extra.faults ? { faults: extra.faults } : {}),
          ...(extra.recovery ? { recovery: extra.recovery.map((r) => ({ ...r, args: { r: 'r1' } })) } : {}),
        },
      ],
    });
  const w = (state: string): Step => ({ kind: 'write', target: 'r.state', value: `"${state}"` });
  const notBusy = [{ name: 'never-busy', expr: 'all(x: R, x.state != "busy")' }];
  const notError = [{ name: 'never-error', expr: 'all(x: R, x.state != "error")' }];

  const cases: Array<{ name: string; model: () => AnalyzedModel; expected: string }> = [
    {
      name: 'an atomic block that aborts rolls its writes back',
      model: () => model([{ name: 'op', steps: [{ kind: 'atomic', steps: [w('busy'), { kind: 'require', cond: 'r.state == "idle"' }] }] }], [{ operation: 'op' }], { invariants: notBusy }),
      expected: 'pass',
    },
    {
      name: 'an atomic block that completes keeps its writes (and the write is visible)',
      model: () => model([{ name: 'op', steps: [{ kind: 'atomic', steps: [w('busy'), { kind: 'require', cond: 'r.state == "busy"' }] }, w('done')] }], [{ operation: 'op' }], { invariants: notBusy }),
      expected: 'invariant',
    },
    {
      name: 'two steps are not atomic: another process sees the state in between',
      model: () =>
        model(
          [
            { name: 'op', steps: [w('busy'), w('idle')] },
            { name: 'watch', steps: [{ kind: 'if', cond: 'r.state == "busy"', then: [{ kind: 'assert', cond: 'false', message: 'saw busy' }] }] },
          ],
          [{ operation: 'op' }, { operation: 'watch' }],
        ),
      expected: 'assertion',
    },
    {
      name: 'inside one atomic block nobody sees the intermediate state',
      model: () =>
        model(
          [
            { name: 'op', steps: [{ kind: 'atomic', steps: [w('busy'), w('idle')] }] },
            { name: 'watch', steps: [{ kind: 'if', cond: 'r.state == "busy"', then: [{ kind: 'assert', cond: 'false', message: 'saw busy' }] }] },
          ],
          [{ operation: 'op' }, { operation: 'watch' }],
        ),
      expected: 'pass',
    },
    {
      name: 'a cas that retries waits for its state; nobody provides it: deadlock',
      model: () => model([{ name: 'op', steps: [{ kind: 'cas', target: 'r.state', from: ['busy'], to: 'done', else: 'retry' }] }], [{ operation: 'op' }]),
      expected: 'deadlock',
    },
    {
      name: 'a cas that retries proceeds once another process provides the state',
      model: () =>
        model(
          [
            { name: 'op', steps: [{ kind: 'cas', target: 'r.state', from: ['busy'], to: 'done', else: 'retry' }] },
            { name: 'start', steps: [w('busy')] },
          ],
          [{ operation: 'op' }, { operation: 'start' }],
        ),
      expected: 'pass',
    },
    {
      name: 'two cas from the same state: exactly one wins',
      model: () =>
        model([{ name: 'op', steps: [{ kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'abort', label: 'won' }, { kind: 'call', name: 'x', label: 'inside' }, w('idle')] }], [{ operation: 'op', count: 2 }], {
          invariants: [{ name: 'one', expr: 'at(op, "inside") <= 1' }],
        }),
      expected: 'pass',
    },
    {
      name: 'read then write races (the check-then-act bug)',
      model: () =>
        model(
          [{ name: 'op', steps: [{ kind: 'read', local: 's', expr: 'r.state' }, { kind: 'require', cond: 's == "idle"' }, w('busy'), { kind: 'call', name: 'x', label: 'inside' }, w('idle')] }],
          [{ operation: 'op', count: 2 }],
          { invariants: [{ name: 'one', expr: 'at(op, "inside") <= 1' }] },
        ),
      expected: 'invariant',
    },
    {
      name: 'a write along an edge the machine lacks is an illegal transition',
      model: () => model([{ name: 'op', steps: [w('done')] }], [{ operation: 'op' }]),
      expected: 'illegal-transition',
    },
    {
      name: 'a crash in a transitional state with no recovery leaves it stuck',
      model: () => model([{ name: 'op', steps: [w('busy'), { kind: 'call', name: 'x' }, w('done')] }], [{ operation: 'op', name: 'p' }], { faults: { crash: 1 } }),
      expected: 'stuck-transitional',
    },
    {
      name: 'a recovery process started by the crash puts it back',
      model: () =>
        model(
          [
            { name: 'op', steps: [w('busy'), { kind: 'call', name: 'x' }, w('done')] },
            { name: 'recover', steps: [{ kind: 'cas', target: 'r.state', from: ['busy'], to: 'idle', else: 'skip' }] },
          ],
          [{ operation: 'op', name: 'p' }],
          { faults: { crash: 1 }, recovery: [{ name: 'rec', operation: 'recover', after: 'p' } as never] },
        ),
      expected: 'pass',
    },
    {
      name: 'a call that may fail takes its onFail path only when failures are allowed',
      model: () =>
        model([{ name: 'op', steps: [w('busy'), { kind: 'call', name: 'x', mayFail: true, onFail: [w('error'), { kind: 'abort', message: 'failed' }] }, w('done')] }], [{ operation: 'op' }], {
          invariants: notError,
          faults: { callFailure: 1 },
        }),
      expected: 'invariant',
    },
    {
      name: '… and never without a failure budget',
      model: () => model([{ name: 'op', steps: [w('busy'), { kind: 'call', name: 'x', mayFail: true, onFail: [w('error'), { kind: 'abort', message: 'failed' }] }, w('done')] }], [{ operation: 'op' }], { invariants: notError }),
      expected: 'pass',
    },
    {
      name: 'a failed call without onFail aborts the operation (leaving a transitional state)',
      model: () => model([{ name: 'op', steps: [w('busy'), { kind: 'call', name: 'x', mayFail: true }, w('done')] }], [{ operation: 'op' }], { faults: { callFailure: 1 } }),
      expected: 'stuck-transitional',
    },
    {
      name: 'releasing a lock never acquired',
      model: () => model([{ name: 'op', steps: [{ kind: 'release', lock: 'L', on: 'r' }] }], [{ operation: 'op' }]),
      expected: 'release-unheld',
    },
    {
      name: 'ending while holding an acquired lock is a leak',
      model: () => model([{ name: 'op', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'require', cond: 'r.state == "busy"' }, { kind: 'release', lock: 'L', on: 'r' }] }], [{ operation: 'op' }]),
      expected: 'lock-leak',
    },
    {
      name: '`with` releases on abort and return',
      model: () =>
        model(
          [
            { name: 'a', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'require', cond: 'r.state == "busy"' }] }] },
            { name: 'b', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'return' }] }, { kind: 'assert', cond: 'false', message: 'after return' }] },
          ],
          [{ operation: 'a' }, { operation: 'b' }],
        ),
      expected: 'pass',
    },
    {
      name: 'two locks taken in opposite orders deadlock',
      model: () =>
        model(
          [
            { name: 'ab', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'acquire', lock: 'M', on: 'r' }, { kind: 'release', lock: 'M', on: 'r' }, { kind: 'release', lock: 'L', on: 'r' }] },
            { name: 'ba', steps: [{ kind: 'acquire', lock: 'M', on: 'r' }, { kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'release', lock: 'L', on: 'r' }, { kind: 'release', lock: 'M', on: 'r' }] },
          ],
          [{ operation: 'ab' }, { operation: 'ba' }],
        ),
      expected: 'deadlock',
    },
    {
      name: 'a lock is not re-entrant: acquiring it twice waits forever',
      model: () => model([{ name: 'op', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [] }] }] }], [{ operation: 'op' }]),
      expected: 'deadlock',
    },
    {
      name: 'a try-acquire that fails takes its else branch',
      model: () =>
        model(
          [
            { name: 'hold', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'call', name: 'x' }, { kind: 'release', lock: 'L', on: 'r' }] },
            { name: 'try', steps: [{ kind: 'acquire', lock: 'L', on: 'r', try: true, else: [w('busy'), w('error')] }, { kind: 'release', lock: 'L', on: 'r' }] },
          ],
          [{ operation: 'hold' }, { operation: 'try' }],
          { invariants: notError },
        ),
      expected: 'invariant',
    },
    {
      name: 'release after the lease expired is a no-op, not an error',
      model: () =>
        model([{ name: 'op', steps: [{ kind: 'acquire', lock: 'E', on: 'r' }, { kind: 'call', name: 'x' }, { kind: 'release', lock: 'E', on: 'r' }] }], [{ operation: 'op' }], {
          locks: [{ name: 'E', key: 'R', leaseCanExpire: true, onCrash: 'after-lease' }],
          faults: { leaseExpiry: 1 },
        }),
      expected: 'pass',
    },
    {
      name: 'await blocks until its condition holds',
      model: () =>
        model(
          [
            { name: 'wait', steps: [{ kind: 'await', cond: 'r.state != "idle"' }, { kind: 'assert', cond: 'r.state != "idle"', message: 'woke too early' }] },
            { name: 'go', steps: [w('busy'), w('done')] },
          ],
          [{ operation: 'wait' }, { operation: 'go' }],
        ),
      expected: 'pass',
    },
    {
      name: 'writing the state a resource is already in is not a transition (no illegal-transition)',
      model: () => model([{ name: 'op', steps: [w('idle'), { kind: 'cas', target: 'r.state', from: ['idle'], to: 'idle', else: 'abort' }] }], [{ operation: 'op' }]),
      expected: 'pass',
    },
    {
      name: 'a cas along an edge the machine lacks is an illegal transition too',
      model: () => model([{ name: 'op', steps: [{ kind: 'cas', target: 'r.state', from: ['idle'], to: 'done', else: 'abort' }] }], [{ operation: 'op' }]),
      expected: 'illegal-transition',
    },
    {
      name: 'an illegal transition inside atomic is reported (not rolled back silently)',
      model: () => model([{ name: 'op', steps: [{ kind: 'atomic', steps: [w('busy'), w('done'), w('idle')] }, { kind: 'atomic', steps: [w('error'), w('idle')] }] }], [{ operation: 'op' }]),
      expected: 'illegal-transition',
    },
    {
      name: 'a crashed process is not at its step any more (at() counts running processes)',
      model: () =>
        model([{ name: 'op', steps: [{ kind: 'call', name: 'x', label: 'in' }] }], [{ operation: 'op', count: 2 }], {
          faults: { crash: 1 },
          invariants: [{ name: 'two-or-done', expr: 'at(op, "in") != 1 || count(R, "idle") == 1' }],
        }),
      expected: 'pass',
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(verdictOf(c.model(), c.name)).toBe(c.expected);
    });
  }
});
