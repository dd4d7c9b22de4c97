import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { ModelDocument, Step } from '../model/schema';
import fc from 'fast-check';
import { lintModel, type Lint } from './lints';
import { HOLD_NONE, RUNNING } from './layout';
import { compileSystem } from './system';
import { arbitraryModel } from './testing/arbitrary-model';
import { naiveCheck, naiveExplore } from './testing/naive-explorer';

/** A model with one resource R (states idle → busy → done, plus `orphan` nothing leads to) and the given operations. */
function model(operations: Array<{ name: string; steps: Step[] }>, extra: Partial<ModelDocument> = {}): Lint[] {
  const doc = {
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
      },
    ],
    locks: [
      { name: 'L', key: 'R' },
      { name: 'G' },
    ],
    operations: operations.map((op) => ({ name: op.name, params: [{ name: 'r', type: 'R' }], steps: op.steps })),
    invariants: [],
    scenarios: [],
    ...extra,
  };
  const analyzed = analyzeModel(doc);
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return lintModel(analyzed.value);
}

const of = (lints: Lint[], code: string) => lints.filter((l) => l.code === code);
const acquire = (extra: Partial<Step & { kind: 'acquire' }> = {}): Step => ({ kind: 'acquire', lock: 'L', on: 'r', ...extra }) as Step;
const release: Step = { kind: 'release', lock: 'L', on: 'r' };
const longCall: Step = { kind: 'call', name: 'driver.delete', long: true };
/** Writes every reachable state, so state lints stay quiet in the lock tests. */
const touchAll: Step[] = [
  { kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'skip' },
  { kind: 'cas', target: 'r.state', from: ['busy'], to: 'done', else: 'skip' },
];

describe('lint: lock held across a long call', () => {
  it('inside a with block', () => {
    const lints = of(model([{ name: 'deleteShare', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [longCall] }] }]), 'lock-held-across-long-call');
    expect(lints).toHaveLength(1);
    expect(lints[0]).toMatchObject({ severity: 'warning', path: 'operations[0].steps[0].steps[0]' });
    expect(lints[0].message).toBe(
      "deleteShare › step 1 (with) › step 1 (call): L(r) is held across the long-running call 'driver.delete' (inside step 1 (with)); release it before the call",
    );
  });

  it('between acquire and release, naming the labelled steps', () => {
    const lints = of(
      model([{ name: 'op', steps: [acquire({ label: 'take' }), { ...longCall, label: 'slow' } as Step, release] }]),
      'lock-held-across-long-call',
    );
    expect(lints).toHaveLength(1);
    expect(lints[0].path).toBe('operations[0].steps[1]');
    expect(lints[0].message).toContain("op › step 2 (call) 'slow': L(r) is held");
    expect(lints[0].message).toContain("acquired at step 1 (acquire) 'take'");
  });

  it('when only one branch acquires (held on some path)', () => {
    const lints = of(
      model([{ name: 'op', steps: [{ kind: 'if', cond: 'r.state == "idle"', then: [{ kind: 'acquire', lock: 'G' }] }, longCall, { kind: 'release', lock: 'G' }] }]),
      'lock-held-across-long-call',
    );
    expect(lints.map((l) => l.message)).toEqual([
      "op › step 2 (call): G is held across the long-running call 'driver.delete' (acquired at step 1 (if) › step 1 (acquire)); release it before the call",
    ]);
  });

  it('not after the release, not for short calls, not outside the with', () => {
    const lints = model([
      { name: 'a', steps: [acquire(), release, longCall] },
      { name: 'b', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'call', name: 'quick' }] }, longCall] },
      { name: 'c', steps: [acquire({ try: true, else: [longCall] }), release] },
    ]);
    expect(of(lints, 'lock-held-across-long-call')).toEqual([]);
  });
});

describe('lint: lock not released on some path', () => {
  it('never released', () => {
    const lints = of(model([{ name: 'op', steps: [acquire({ label: 'take' }), ...touchAll] }]), 'lock-not-released');
    expect(lints).toHaveLength(1);
    expect(lints[0]).toMatchObject({ severity: 'warning', path: 'operations[0].steps[0]' });
    expect(lints[0].message).toBe("op › step 1 (acquire) 'take': L(r) is not released on every path: it is still held when op finishes");
  });

  it('on the abort path of a failed require', () => {
    const lints = of(model([{ name: 'op', steps: [acquire(), { kind: 'require', cond: 'r.state == "idle"' }, release] }]), 'lock-not-released');
    expect(lints.map((l) => l.message)).toEqual([
      'op › step 1 (acquire): L(r) is not released on every path: it is still held when op aborts at step 2 (require) (its requirement fails)',
    ]);
  });

  it('on a return in one branch, and on an explicit abort', () => {
    const lints = of(
      model([
        {
          name: 'op',
          steps: [
            acquire(),
            { kind: 'if', cond: 'r.state == "busy"', then: [{ kind: 'return', label: 'early' }], else: [{ kind: 'abort', message: 'no' }] },
            release,
          ],
        },
      ]),
      'lock-not-released',
    );
    expect(lints.map((l) => l.message)).toEqual([
      "op › step 1 (acquire): L(r) is not released on every path: it is still held when op returns at step 2 (if) › step 1 (return) 'early'",
      'op › step 1 (acquire): L(r) is not released on every path: it is still held when op aborts at step 2 (if) › step 1 (abort)',
    ]);
  });

  it('on a failing call, a failed cas and a rejected fenced write', () => {
    const lints = model(
      [
        {
          name: 'op',
          steps: [
            { kind: 'acquire', lock: 'F', on: 'r' },
            { kind: 'call', name: 'rpc', mayFail: true },
            { kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'abort' },
            { kind: 'write', target: 'r.state', value: '"done"', fencedBy: { lock: 'F', on: 'r' } },
            { kind: 'release', lock: 'F', on: 'r' },
          ],
        },
      ],
      { locks: [{ name: 'F', key: 'R', fencing: true }] },
    );
    expect(of(lints, 'lock-not-released').map((l) => l.message)).toEqual([
      "op › step 1 (acquire): F(r) is not released on every path: it is still held when op aborts at step 2 (call) (the call 'rpc' fails)",
      'op › step 1 (acquire): F(r) is not released on every path: it is still held when op aborts at step 3 (cas) (the cas fails)',
      'op › step 1 (acquire): F(r) is not released on every path: it is still held when op aborts at step 4 (write) (the fenced write is rejected)',
    ]);
  });

  it('inside an atomic block whose require rolls back and aborts', () => {
    const lints = of(
      model([{ name: 'op', steps: [acquire(), { kind: 'atomic', label: 'tx', steps: [{ kind: 'require', cond: 'r.state == "idle"' }, { kind: 'write', target: 'r.state', value: '"busy"' }] }, release] }]),
      'lock-not-released',
    );
    expect(lints.map((l) => l.message)).toEqual([
      "op › step 1 (acquire): L(r) is not released on every path: it is still held when op aborts at step 2 (atomic) 'tx' (step 2 (atomic) › step 1 (require) fails)",
    ]);
  });

  it('not for with blocks (they release on every exit), nor when every path releases', () => {
    const lints = model([
      { name: 'a', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'require', cond: 'r.state == "idle"' }, { kind: 'abort', message: 'x' }] }] },
      {
        name: 'b',
        steps: [
          acquire(),
          { kind: 'if', cond: 'r.state == "idle"', then: [release, { kind: 'return' }], else: [release] },
          { kind: 'call', name: 'rpc', mayFail: true, onFail: [{ kind: 'abort', message: 'failed' }] },
        ],
      },
      { name: 'c', steps: [acquire({ try: true, else: [{ kind: 'abort', message: 'busy' }] }), release] },
      { name: 'd', steps: [acquire(), { kind: 'call', name: 'rpc', mayFail: true, onFail: [release, { kind: 'abort', message: 'failed' }] }, release] },
    ]);
    expect(of(lints, 'lock-not-released')).toEqual([]);
  });

  it('an acquire inside a with body still leaks when the body aborts', () => {
    const lints = of(
      model([{ name: 'op', steps: [{ kind: 'with', lock: 'G', steps: [acquire(), { kind: 'abort', message: 'x' }] }] }]),
      'lock-not-released',
    );
    expect(lints.map((l) => l.message)).toEqual([
      'op › step 1 (with) › step 1 (acquire): L(r) is not released on every path: it is still held when op aborts at step 1 (with) › step 2 (abort)',
    ]);
  });
});

describe('lint: writes to states the machine cannot reach', () => {
  it('a cas and a write of an unreachable state', () => {
    const lints = of(
      model([
        {
          name: 'op',
          steps: [
            { kind: 'cas', target: 'r.state', from: ['idle'], to: 'orphan', else: 'abort', label: 'mark' },
            { kind: 'write', target: 'r.state', value: '"orphan"' },
            { kind: 'write', target: 'r.state', value: '"busy"' },
          ],
        },
      ]),
      'unreachable-write',
    );
    expect(lints).toEqual([
      {
        code: 'unreachable-write',
        severity: 'error',
        path: 'operations[0].steps[0]',
        message: "op › step 1 (cas) 'mark': cas to R state 'orphan', which R's state machine cannot reach from its initial state 'idle' (every such cas is an illegal transition)",
      },
      {
        code: 'unreachable-write',
        severity: 'error',
        path: 'operations[0].steps[1]',
        message: "op › step 2 (write): write to R state 'orphan', which R's state machine cannot reach from its initial state 'idle' (every such write is an illegal transition)",
      },
    ]);
  });

  it('nested writes are found too; computed values are not judged', () => {
    const lints = model([
      {
        name: 'op',
        steps: [
          { kind: 'read', local: 's', expr: 'r.state' },
          { kind: 'with', lock: 'G', steps: [{ kind: 'atomic', steps: [{ kind: 'write', target: 'r.state', value: '"orphan"' }] }] },
          { kind: 'write', target: 'r.state', value: 's' },
        ],
      },
    ]);
    expect(of(lints, 'unreachable-write').map((l) => l.path)).toEqual(['operations[0].steps[1].steps[0].steps[0]']);
  });
});

describe('lint: unreachable and unused states', () => {
  it('a state no transition reaches, and a reachable state nothing enters', () => {
    const lints = model([{ name: 'op', steps: [{ kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'abort' }] }]);
    expect(of(lints, 'unreachable-state')).toEqual([
      {
        code: 'unreachable-state',
        severity: 'warning',
        path: 'resources[0].states[3]',
        message: "R: state 'orphan' cannot be reached from the initial state 'idle' by any transition",
      },
    ]);
    expect(of(lints, 'unused-state')).toEqual([
      {
        code: 'unused-state',
        severity: 'warning',
        path: 'resources[0].states[2]',
        message: "R: state 'done' is never used: no operation writes it, no scenario starts an instance in it, and it is not the initial state",
      },
    ]);
  });

  it('a scenario instance starting in a state uses it; the initial state is always used', () => {
    const lints = model([{ name: 'op', steps: [{ kind: 'write', target: 'r.state', value: '"busy"' }] }], {
      scenarios: [{ name: 's', instances: [{ name: 'r1', type: 'R', state: 'done' }], processes: [{ operation: 'op', args: { r: 'r1' } }] }],
    });
    expect(of(lints, 'unused-state')).toEqual([]);
  });

  it('a write of a computed state may enter any state: no unused-state guess', () => {
    const lints = model([{ name: 'op', steps: [{ kind: 'read', local: 's', expr: 'r.state' }, { kind: 'write', target: 'r.state', value: 's' }] }]);
    expect(of(lints, 'unused-state')).toEqual([]);
    expect(of(lints, 'unreachable-state')).toHaveLength(1);
  });
});

describe('lints of the shipped examples', () => {
  const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
  const lintsOf = (file: string) => {
    const analyzed = analyzeModel(JSON.parse(readFileSync(dir + file, 'utf8')));
    if (!analyzed.ok) throw new Error(`${file}: ${JSON.stringify(analyzed.issues)}`);
    return lintModel(analyzed.value);
  };

  it('every example lints without throwing; messages and paths are filled in', () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      for (const lint of lintsOf(file)) {
        expect(lint.message.length, file).toBeGreaterThan(0);
        expect(lint.path, file).toMatch(/^(resources|operations)\[\d+\]/);
        expect(['warning', 'error']).toContain(lint.severity);
      }
    }
  });

  it('the share example: no lock over its driver calls (it holds none); its unused error states are named', () => {
    const lints = lintsOf('share-delete-vs-snapshot.json');
    expect(of(lints, 'lock-held-across-long-call')).toEqual([]);
    expect(of(lints, 'lock-not-released')).toEqual([]);
    expect(of(lints, 'unreachable-write')).toEqual([]);
    expect(of(lints, 'unused-state').map((l) => l.message)).toEqual([
      "Share: state 'error' is never used: no operation writes it, no scenario starts an instance in it, and it is not the initial state",
      "Snapshot: state 'error' is never used: no operation writes it, no scenario starts an instance in it, and it is not the initial state",
    ]);
  });
});

describe('lints against the checker on random models', () => {
  // The path lints are may-analyses over every path, so they must cover whatever the explorer can reach:
  // no `lock-not-released` lint ⇒ no lock-leak; no `lock-held-across-long-call` lint ⇒ no reachable state
  // has a process standing at a long call while it holds (or believes it holds) a lock.
  const OFF = { invariants: false, assertions: false, illegalTransition: false, deadlock: false, stuckTransitional: false, lockLeak: false, releaseUnheld: false, staleWrite: false };

  it('lintModel never throws, and every lint names a place in the document', () => {
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
        for (const lint of lintModel(analyzed.value)) {
          expect(lint.message.length).toBeGreaterThan(0);
          const target = lint.path.split(/[.[\]]+/).filter(Boolean).reduce<any>((v, k) => (v === undefined ? v : v[/^\d+$/.test(k) ? Number(k) : k]), doc);
          expect(target, lint.path).toBeDefined();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('no lock-not-released lint ⇒ the checker finds no lock leak', () => {
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        doc.scenarios[0].checks = { ...OFF, lockLeak: true };
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
        if (of(lintModel(analyzed.value), 'lock-not-released').length > 0) return;
        const result = naiveCheck(analyzed.value, 's', { maxStates: 20_000 });
        expect(result.kind, JSON.stringify(result.violation)).not.toBe('lock-leak');
      }),
      { numRuns: 400 },
    );
  });

  it('no lock-held-across-long-call lint ⇒ no reachable state has a lock held at a long call', () => {
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        doc.scenarios[0].checks = OFF;
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
        if (of(lintModel(analyzed.value), 'lock-held-across-long-call').length > 0) return;
        const system = compileSystem(analyzed.value, 's', { symmetry: false, mergeLocalSteps: false });
        naiveExplore(system, {
          maxStates: 20_000,
          onState: (s) => {
            for (const proc of system.processes) {
              if (s[proc.statusSlot] !== RUNNING) continue;
              const instr = proc.program[s[proc.pcSlot]];
              if (instr.kind !== 'call' || !instr.step.long) continue;
              for (const [keyId, slot] of proc.holds) {
                if (s[slot] !== HOLD_NONE) throw new Error(`${proc.name} is at ${instr.step.where} holding ${system.lockKeys[keyId].name} (${s[slot]}), and no lint said so`);
              }
            }
          },
        });
      }),
      { numRuns: 400 },
    );
  });
});

describe('lint: locks keyed by a local', () => {
  it('a release after the local was read again releases another instance: the first stays held', () => {
    const doc = {
      name: 'local-key',
      resources: [
        { name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [] },
        { name: 'S', states: [{ name: 'x', kind: 'stable' }], initial: 'x', transitions: [], fields: [{ name: 'first', type: { kind: 'ref', resource: 'R' } }, { name: 'second', type: { kind: 'ref', resource: 'R' } }] },
      ],
      locks: [{ name: 'L', key: 'R' }],
      operations: [
        {
          name: 'op',
          params: [{ name: 's', type: 'S' }],
          steps: [
            { kind: 'read', local: 'v', expr: 's.first' },
            { kind: 'acquire', lock: 'L', on: 'v', label: 'take' },
            { kind: 'atomic', steps: [{ kind: 'read', local: 'v', expr: 's.second' }] },
            { kind: 'release', lock: 'L', on: 'v' },
          ],
        },
        {
          name: 'fine',
          params: [{ name: 's', type: 'S' }],
          steps: [
            { kind: 'read', local: 'v', expr: 's.first' },
            { kind: 'acquire', lock: 'L', on: 'v' },
            { kind: 'release', lock: 'L', on: 'v' },
            { kind: 'read', local: 'v', expr: 's.second' },
          ],
        },
      ],
    };
    const analyzed = analyzeModel(doc);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    expect(of(lintModel(analyzed.value), 'lock-not-released').map((l) => l.message)).toEqual([
      "op › step 2 (acquire) 'take': L(v) is not released on every path: it is still held when op finishes",
    ]);
  });
});
