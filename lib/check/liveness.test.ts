/**
 * Liveness under weak fairness on small models (docs/design.md section 9): what a
 * user sees — the verdict, who never ends or what stays transitional, the
 * sentence about starving, and a lasso trace whose last state is the state
 * its loop starts from.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Step } from '../model/schema';
import { checkScenario } from './check';
import { exploreLiveness } from './liveness';
import { checkLasso } from './liveness-verify';
import { compileSystem } from './system';
import { openStepApi } from './replay';
import type { CheckResult } from './result';

const R = {
  name: 'R',
  states: [
    { name: 'idle', kind: 'stable' as const },
    { name: 'busy', kind: 'transitional' as const },
  ],
  initial: 'idle',
  transitions: [
    { from: 'idle', to: 'busy' },
    { from: 'busy', to: 'idle' },
  ],
  fields: [
    { name: 'flag', type: { kind: 'bool' as const } },
    { name: 'a', type: { kind: 'bool' as const } },
    { name: 'b', type: { kind: 'bool' as const } },
  ],
};

function modelOf(operations: Record<string, Step[]>, processes: string[], scenario: Record<string, unknown> = {}, lock: Record<string, unknown> = {}) {
  const analyzed = analyzeModel({
    name: 'liveness',
    resources: [R],
    locks: [{ name: 'L', key: 'R', ...lock }],
    operations: Object.entries(operations).map(([name, steps]) => ({ name, params: [{ name: 'r', type: 'R' }], steps })),
    invariants: [],
    scenarios: [
      {
        name: 's',
        instances: [{ name: 'r1', type: 'R' }],
        processes: processes.map((p) => ({ name: p, operation: p.replace(/\d+$/, ''), args: { r: 'r1' } })),
        checks: { termination: true },
        ...scenario,
      },
    ],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

function check(operations: Record<string, Step[]>, processes: string[], scenario: Record<string, unknown> = {}, lock: Record<string, unknown> = {}): CheckResult {
  return checkScenario(modelOf(operations, processes, scenario, lock), 's');
}

/** A daemon that sets the flag and clears it again, for ever. */
const toggler: Step[] = [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.flag', value: 'true' }, { kind: 'write', target: 'r.flag', value: 'false' }] }];

/** The lasso closes: the state after the last step is the state the loop starts from. */
function expectLasso(result: CheckResult) {
  const k = result.violation!.cycleStart!;
  const steps = result.trace!.steps;
  expect(k).toBeGreaterThanOrEqual(0);
  expect(k).toBeLessThan(steps.length);
  const start = k === 0 ? result.trace!.initial : steps[k - 1].state;
  expect(steps[steps.length - 1].state).toEqual(start);
}

describe('termination under weak fairness', () => {
  it('a busy-wait loop that reads the flag only while it is false starves, though it keeps running', () => {
    const r = check({ toggler, waiter: [{ kind: 'repeat', steps: [{ kind: 'read', local: 'seen', expr: 'r.flag' }], until: 'seen' }] }, ['toggler', 'waiter']);
    expect(r.verdict).toBe('violation');
    expect(r.violation).toMatchObject({ kind: 'non-termination', name: 'waiter', process: 'waiter' });
    expect(r.violation!.message).toContain('waiter never ends: it keeps taking steps without finishing');
    expectLasso(r);
    // Shortest: no prefix; the waiter reads false, the toggler sets and clears: three steps.
    expect(r.violation!.cycleStart).toBe(0);
    expect(r.trace!.steps).toHaveLength(3);
  });

  it('a blocking await whose guard holds only now and then can starve: weak fairness does not prevent it', () => {
    const r = check({ toggler, waiter: [{ kind: 'await', cond: 'r.flag' }] }, ['toggler', 'waiter']);
    expect(r.violation).toMatchObject({ kind: 'non-termination', process: 'waiter' });
    expect(r.violation!.message).toContain('weak fairness does not make it run');
    expectLasso(r);
    // The waiter never moves in the loop.
    expect(r.trace!.steps.slice(r.violation!.cycleStart).every((s) => s.process === 'toggler')).toBe(true);
  });

  it('an await on a flag that stays true once set ends: weak fairness makes the waiter run', () => {
    const setter: Step[] = [{ kind: 'write', target: 'r.flag', value: 'true' }];
    const r = check({ setter, toggler: [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.a', value: '!r.a' }] }], waiter: [{ kind: 'await', cond: 'r.flag' }] }, ['setter', 'toggler', 'waiter']);
    expect(r.verdict).toBe('pass');
  });

  it('two retriers that back off when they see each other can livelock', () => {
    const retrier = (mine: 'a' | 'b', other: 'a' | 'b'): Step[] => [
      {
        kind: 'repeat',
        steps: [
          { kind: 'write', target: `r.${mine}`, value: 'true' },
          { kind: 'read', local: 'contended', expr: `r.${other}` },
          { kind: 'if', cond: 'contended', then: [{ kind: 'write', target: `r.${mine}`, value: 'false' }] },
        ],
        until: '!contended',
      },
      // Done: step aside, so the other one can finish too.
      { kind: 'write', target: `r.${mine}`, value: 'false' },
    ];
    const r = check({ left: retrier('a', 'b'), right: retrier('b', 'a') }, ['left', 'right']);
    expect(r.violation).toMatchObject({ kind: 'non-termination' });
    expect(r.violation!.message).toContain('keeps taking steps without finishing');
    expectLasso(r);
    // Both act in the loop: a livelock, not a starvation.
    const actors = new Set(r.trace!.steps.slice(r.violation!.cycleStart).map((s) => s.process));
    expect(actors).toEqual(new Set(['left', 'right']));
  });

  it('a daemon is exempt: an endless loop alone passes', () => {
    expect(check({ toggler }, ['toggler']).verdict).toBe('pass');
  });

  it('off unless the scenario asks: the same busy wait passes the safety checks', () => {
    const r = check({ toggler, waiter: [{ kind: 'repeat', steps: [{ kind: 'read', local: 'seen', expr: 'r.flag' }], until: 'seen' }] }, ['toggler', 'waiter'], { checks: {} });
    expect(r.verdict).toBe('pass');
  });

  it('a crashed holder ends, and its lease running out is fair: the waiter for its lock gets it', () => {
    const holder: Step[] = [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'write', target: 'r.a', value: 'true' }, { kind: 'release', lock: 'L', on: 'r' }];
    const waiter: Step[] = [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'release', lock: 'L', on: 'r' }];
    const r = check({ toggler, holder, waiter }, ['toggler', 'holder', 'waiter'], { faults: { crash: 1 } }, { onCrash: 'after-lease' });
    expect(r.verdict).toBe('pass');
  });

  it('a lock a crashed holder keeps for ever starves its waiter while a daemon runs', () => {
    const holder: Step[] = [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'write', target: 'r.a', value: 'true' }, { kind: 'release', lock: 'L', on: 'r' }];
    const waiter: Step[] = [{ kind: 'acquire', lock: 'L', on: 'r' }, { kind: 'release', lock: 'L', on: 'r' }];
    const r = check({ toggler, holder, waiter }, ['toggler', 'holder', 'waiter'], { faults: { crash: 1 } }, { onCrash: 'never' });
    expect(r.violation).toMatchObject({ kind: 'non-termination', process: 'waiter' });
    expectLasso(r);
    // The prefix has the crash: the holder ended (crashed), so it is not the one reported.
    expect(r.trace!.steps.slice(0, r.violation!.cycleStart).some((s) => s.kind === 'crash' && s.process === 'holder')).toBe(true);
  });
});

describe('no instance stays transitional for ever', () => {
  const worker: Step[] = [
    { kind: 'cas', target: 'r.state', from: ['idle'], to: 'busy', else: 'abort' },
    { kind: 'repeat', steps: [{ kind: 'read', local: 'go', expr: 'r.flag' }], until: 'go' },
    { kind: 'cas', target: 'r.state', from: ['busy'], to: 'idle', else: 'abort' },
  ];

  it('an instance left busy while its worker polls a flag that is never set stays transitional', () => {
    const r = check({ worker }, ['worker'], { checks: { leavesTransitional: true } });
    expect(r.violation).toMatchObject({ kind: 'stays-transitional', name: 'r1' });
    expect(r.violation!.message).toContain("r1 stays in transitional state 'busy' for ever");
    expectLasso(r);
  });

  it('with the flag set by another process it always leaves', () => {
    const r = check({ worker, setter: [{ kind: 'write', target: 'r.flag', value: 'true' }] }, ['worker', 'setter'], { checks: { leavesTransitional: true } });
    expect(r.verdict).toBe('pass');
  });
});

describe('a reported lasso, checked again as the server does', () => {
  const ops = { toggler, waiter: [{ kind: 'await', cond: 'r.flag' }] as Step[] };
  const model = modelOf(ops, ['toggler', 'waiter']);
  const result = checkScenario(model, 's');
  const moves = result.trace!.steps.map((s) => s.move);
  const api = openStepApi(model, 's');

  it('the checker\'s own lasso is accepted', () => {
    expect(checkLasso(api, moves, result.violation!)).toEqual({ ok: true, violation: result.violation });
  });

  it('a cycle that does not close, or a daemon named as never ending, is refused with the path at fault', () => {
    expect(checkLasso(api, moves, { ...result.violation!, cycleStart: 1 })).toMatchObject({ ok: false, path: 'violation.cycleStart' });
    expect(checkLasso(api, moves, { ...result.violation!, process: 'toggler', name: 'toggler' })).toMatchObject({ ok: false, path: 'violation.process', message: expect.stringContaining('daemon') });
  });

  it('an unfair cycle is refused: a process that could always move and never does', () => {
    // The busy waiter is always enabled: a loop of the toggler alone is not fair.
    const busy = modelOf({ toggler, waiter: [{ kind: 'repeat', steps: [{ kind: 'read', local: 'seen', expr: 'r.flag' }], until: 'seen' }] }, ['toggler', 'waiter']);
    const bapi = openStepApi(busy, 's');
    const togglerOnly = [0, 0]; // move code 0: a step of process 0, the toggler
    expect(checkLasso(bapi, togglerOnly, { kind: 'non-termination', message: 'x', process: 'waiter', cycleStart: 0 })).toMatchObject({ ok: false, message: expect.stringContaining('not fair: waiter') });
  });
});

describe('bounds', () => {
  const busy = () => modelOf({ toggler, waiter: [{ kind: 'repeat', steps: [{ kind: 'read', local: 'seen', expr: 'r.flag' }], until: 'seen' }] }, ['toggler', 'waiter']);

  it('the state bound, the memory bound and a stop each make the liveness search incomplete, never pass', () => {
    const system = compileSystem(busy(), 's');
    expect(exploreLiveness(system, { maxStates: 2 })).toMatchObject({ verdict: 'incomplete', incompleteReason: 'max-states' });
    expect(exploreLiveness(system, { maxBytes: 1 })).toMatchObject({ verdict: 'incomplete', incompleteReason: 'max-states' });
    const stop = new AbortController();
    stop.abort();
    expect(exploreLiveness(system, { signal: stop.signal })).toMatchObject({ verdict: 'incomplete', incompleteReason: 'stopped' });
  });

  it('reports progress like the safety search (the browser shows it while the graph is recorded)', () => {
    const reports: Array<{ distinctStates: number }> = [];
    exploreLiveness(compileSystem(busy(), 's'), { onProgress: (p) => reports.push(p), progressEveryMs: 0 });
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0].distinctStates).toBeGreaterThan(0);
  });

  it('through checkScenario: incomplete with its reason, and no trace', () => {
    const r = checkScenario(busy(), 's', { maxStates: 3 });
    expect(r).toMatchObject({ verdict: 'incomplete', incompleteReason: 'max-states', violation: null, trace: null });
  });
});
