/**
 * `repeat { … } until cond` and `repeat` for ever: a real back edge in the
 * checker. What a user relies on: a loop runs until its test holds, a daemon
 * (endless loop) is not a deadlock, a loop of local steps takes one
 * transition per round instead of spinning inside one, and the search over
 * the now cyclic state space ends with the right counts.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import { isDaemon } from '../model/daemon';
import type { Step } from '../model/schema';
import { checkScenario } from './check';
import { compileSystem } from './system';
import { explore } from './explore';
import { StepApi } from './step-api';

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
    { name: 'c', type: { kind: 'int' as const, min: 0, max: 3 } },
    { name: 'flag', type: { kind: 'bool' as const } },
  ],
};

interface Proc {
  name?: string;
  operation: string;
  args: Record<string, string>;
}

function model(operations: Array<{ name: string; steps: Step[] }>, processes: Proc[], extra: Record<string, unknown> = {}) {
  const analyzed = analyzeModel({
    name: 'loops',
    resources: [R],
    locks: [{ name: 'L', key: 'R' }],
    operations: operations.map((op) => ({ ...op, params: [{ name: 'r', type: 'R' }] })),
    invariants: [],
    scenarios: [{ name: 's', instances: [{ name: 'r1', type: 'R' }], processes, ...extra }],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

const one = (name: string): Proc => ({ name, operation: name, args: { r: 'r1' } });

describe('repeat … until', () => {
  it('runs the body until the test holds, then goes on (5 states, counted by hand)', () => {
    // pc0 write (loop head), pc1 until. States: c=0@0, c=1@1, c=1@0, c=2@1, done with c=2.
    const m = model([{ name: 'count', steps: [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.c', value: 'r.c + 1' }], until: 'r.c == 2' }] }], [one('count')]);
    const result = checkScenario(m, 's');
    expect(result.verdict).toBe('pass');
    expect(result.stats.distinctStates).toBe(5);
    expect(result.stats.transitions).toBe(4);
  });

  it('leaves the loop at once when the test holds after the first round', () => {
    const m = model(
      [{ name: 'once', steps: [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.flag', value: 'true' }], until: 'r.flag' }, { kind: 'assert', cond: 'r.c == 1', message: 'after the loop' }] }],
      [one('once')],
    );
    const result = checkScenario(m, 's');
    // The assertion after the loop runs: the loop was left.
    expect(result.verdict).toBe('violation');
    expect(result.violation?.kind).toBe('assertion');
    expect(result.trace!.steps.flatMap((s) => s.events.map((e) => e.text))).toContain('r.flag is true: the loop ends');
  });

  it('a counter that overruns its range in the loop is an invalid value, found by the search', () => {
    const m = model([{ name: 'count', steps: [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.c', value: 'r.c + 1' }], until: 'r.c == 7' }] }], [one('count')]);
    const result = checkScenario(m, 's');
    expect(result.violation?.kind).toBe('invalid-value');
    expect(result.violation?.message).toContain('writes 4 to r1.c');
  });
});

describe('repeat for ever (a daemon)', () => {
  const toggler = {
    name: 'toggle',
    steps: [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.flag', value: 'true' }, { kind: 'write', target: 'r.flag', value: 'false' }] }] as Step[],
  };

  it('isDaemon tells an endless loop (at any depth) from a loop with a test', () => {
    expect(isDaemon(toggler)).toBe(true);
    expect(isDaemon({ steps: [{ kind: 'if', cond: 'true', then: toggler.steps }] as Step[] })).toBe(true);
    expect(isDaemon({ steps: [{ kind: 'repeat', steps: [{ kind: 'return' }], until: 'true' }] as Step[] })).toBe(false);
    const m = model([toggler], [one('toggle')]);
    expect(isDaemon(m.operations.get('toggle')!)).toBe(true);
  });

  it('loops for ever without a deadlock report: two states, and the search ends', () => {
    const result = checkScenario(model([toggler], [one('toggle')]), 's');
    expect(result.verdict).toBe('pass');
    expect(result.stats.distinctStates).toBe(2);
  });

  it('keeps another process from being reported as deadlocked while it can move', () => {
    const waiter = { name: 'waiter', steps: [{ kind: 'await', cond: 'r.c == 3' }] as Step[] };
    const result = checkScenario(model([toggler, waiter], [one('toggle'), one('waiter')]), 's');
    expect(result.verdict).toBe('pass'); // the waiter starving is a liveness question, not a deadlock
  });

  it('never ends, so stuck-transitional (judged once every process has ended) is not reported beside it', () => {
    const setBusy = { name: 'setBusy', steps: [{ kind: 'write', target: 'r.state', value: '"busy"' }] as Step[] };
    const withDaemon = checkScenario(model([toggler, setBusy], [one('toggle'), one('setBusy')]), 's');
    expect(withDaemon.verdict).toBe('pass');
    const alone = checkScenario(model([setBusy], [one('setBusy')]), 's');
    expect(alone.violation?.kind).toBe('stuck-transitional');
  });
});

describe('a daemon waiting for work', () => {
  const poller = { name: 'poll', steps: [{ kind: 'repeat', steps: [{ kind: 'await', cond: 'r.c == 1' }, { kind: 'write', target: 'r.c', value: '0' }] }] as Step[] };
  const produce = { name: 'produce', steps: [{ kind: 'write', target: 'r.c', value: '1' }] as Step[] };

  it('idles at its await once the work is done: quiescent, not a deadlock', () => {
    const result = checkScenario(model([poller, produce], [one('poll'), one('produce')]), 's');
    expect(result.verdict).toBe('pass');
  });

  it('once only idling daemons are left, an instance stuck in a transitional state is reported', () => {
    const setBusy = { name: 'setBusy', steps: [{ kind: 'write', target: 'r.state', value: '"busy"' }] as Step[] };
    const result = checkScenario(model([poller, setBusy], [one('poll'), one('setBusy')]), 's');
    expect(result.violation).toEqual({
      kind: 'stuck-transitional',
      message: "every process has ended (or idles in its endless loop) and r1 is stuck in transitional state 'busy'",
    });
  });

  it('blocked anywhere else (a lock held for ever) it is deadlocked', () => {
    const hog = { name: 'hog', steps: [{ kind: 'acquire', lock: 'L', on: 'r' }] as Step[] };
    const locker = { name: 'locker', steps: [{ kind: 'repeat', steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'write', target: 'r.flag', value: '!r.flag' }] }] }] as Step[] };
    const m = model([hog, locker], [one('hog'), one('locker')], { checks: { lockLeak: false } });
    const result = checkScenario(m, 's');
    expect(result.violation?.kind).toBe('deadlock');
    expect(result.violation?.message).toBe('deadlock: locker waits at step 1 (repeat) › step 1 (with)');
  });
});

describe('loops of local steps', () => {
  it('take one transition per round (the loop head is never merged) and the search ends', () => {
    const flip: Step[] = [{ kind: 'read', local: 'x', expr: '0' }, { kind: 'repeat', steps: [{ kind: 'read', local: 'x', expr: '1 - x' }] }];
    const m = model([{ name: 'flip', steps: flip }], [one('flip')]);
    const system = compileSystem(m, 's');
    const head = system.processes[0].program[1];
    expect(head.loopHead).toBe(true);
    expect(head.local).toBe(false);
    const result = explore(system, { maxStates: 1000 });
    expect(result.verdict).toBe('pass');
    expect(result.stats.distinctStates).toBe(2); // x = 0 and x = 1 at the loop head
  });

  it('with a local test: counts to 3 and ends', () => {
    const steps: Step[] = [
      { kind: 'read', local: 'n', expr: '0' },
      { kind: 'repeat', steps: [{ kind: 'read', local: 'n', expr: 'n + 1' }], until: 'n == 3' },
      { kind: 'write', target: 'r.c', value: 'n' },
    ];
    const result = checkScenario(model([{ name: 'count', steps }], [one('count')]), 's');
    expect(result.verdict).toBe('pass');
    // n = 0, 1, 2 at the loop head (each round one move, the local test merged after it), then n = 3 at the write, then done.
    expect(result.stats.distinctStates).toBe(5);
  });
});

describe('the state view inside a loop', () => {
  it('a local read in one round is not shown as unread at the loop head of the next', () => {
    const steps: Step[] = [{ kind: 'repeat', steps: [{ kind: 'write', target: 'r.flag', value: '!r.flag' }, { kind: 'read', local: 'x', expr: 'r.c' }] }];
    const api = new StepApi(compileSystem(model([{ name: 'poll', steps }], [one('poll')]), 's', { mergeLocalSteps: false }));
    let state = api.initial().state;
    // The view knows positions, not rounds: at the loop head some path has read x (the round before), so x is shown.
    expect(api.view(state).processes[0].locals).toEqual({ x: 0 });
    for (let i = 0; i < 2; i++) state = api.step(state, api.moves(state)[0].move).state;
    expect(api.view(state).processes[0].at?.text).toBe('write r.flag = !r.flag');
    expect(api.view(state).processes[0].unread).toBeUndefined();
  });
});

describe('locks and ends inside loops', () => {
  it('a with block inside a loop releases its lock every round; two workers never hold it together', () => {
    const worker = {
      name: 'worker',
      steps: [
        {
          kind: 'repeat',
          steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'write', target: 'r.flag', value: 'true' }, { kind: 'write', target: 'r.flag', value: 'false' }] }],
        },
      ] as Step[],
    };
    const m = analyzeModel({
      name: 'loops',
      resources: [R],
      locks: [{ name: 'L', key: 'R' }],
      operations: [{ ...worker, params: [{ name: 'r', type: 'R' }] }],
      invariants: [],
      scenarios: [{ name: 's', instances: [{ name: 'r1', type: 'R' }], processes: [{ operation: 'worker', args: { r: 'r1' }, count: 2 }] }],
    });
    if (!m.ok) throw new Error(JSON.stringify(m.issues));
    const result = checkScenario(m.value, 's');
    expect(result.verdict).toBe('pass');
  });

  it('a return inside a loop inside a with releases the lock: no leak', () => {
    const steps: Step[] = [
      {
        kind: 'with',
        lock: 'L',
        on: 'r',
        steps: [{ kind: 'repeat', steps: [{ kind: 'if', cond: 'r.c == 2', then: [{ kind: 'return' }] }, { kind: 'write', target: 'r.c', value: 'r.c + 1' }] }],
      },
    ];
    const result = checkScenario(model([{ name: 'bump', steps }], [one('bump')]), 's');
    expect(result.verdict).toBe('pass');
  });

  it('an abort inside a loop after a plain acquire is a lock leak, with the loop in the trace', () => {
    const steps: Step[] = [
      { kind: 'acquire', lock: 'L', on: 'r' },
      { kind: 'repeat', steps: [{ kind: 'write', target: 'r.c', value: 'r.c + 1' }, { kind: 'if', cond: 'r.c == 2', then: [{ kind: 'abort', message: 'enough' }] }] },
    ];
    const result = checkScenario(model([{ name: 'bump', steps }], [one('bump')]), 's');
    expect(result.violation?.kind).toBe('lock-leak');
  });
});
