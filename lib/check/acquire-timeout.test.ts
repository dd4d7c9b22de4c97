/**
 * `acquire … timeout: seconds` (tooz `blocking=seconds`): while another
 * process holds the lock the acquire may keep waiting or give up ("timed
 * out", then its `else`); a free lock is always taken. There is no clock, so
 * giving up is a move of its own whenever the lock is taken.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Step } from '../model/schema';
import { checkScenario } from './check';
import { compileSystem } from './system';
import { StepApi } from './step-api';

const R = {
  name: 'R',
  states: [{ name: 'idle', kind: 'stable' as const }],
  initial: 'idle',
  transitions: [],
  fields: [
    { name: 'gaveUp', type: { kind: 'bool' as const } },
    { name: 'inside', type: { kind: 'int' as const, min: 0, max: 2 } },
  ],
};

const waiter: Step[] = [
  { kind: 'acquire', lock: 'L', timeout: 5, else: [{ kind: 'write', target: 'r.gaveUp', value: 'true' }, { kind: 'return' }] },
  { kind: 'write', target: 'r.inside', value: 'r.inside + 1' },
  { kind: 'write', target: 'r.inside', value: 'r.inside - 1' },
  { kind: 'release', lock: 'L' },
];

function model(processes: number, invariant: string) {
  const analyzed = analyzeModel({
    name: 'timeouts',
    resources: [R],
    locks: [{ name: 'L' }],
    operations: [{ name: 'work', params: [{ name: 'r', type: 'R' }], steps: waiter }],
    invariants: [],
    scenarios: [
      { name: 's', instances: [{ name: 'r1', type: 'R' }], processes: [{ operation: 'work', args: { r: 'r1' }, count: processes }], invariants: [{ name: 'inv', expr: invariant }] },
    ],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

describe('acquire with a timeout', () => {
  it('gives up while another process holds the lock: logged "timed out", runs its else', () => {
    const result = checkScenario(model(2, '!r1.gaveUp'), 's');
    expect(result.violation?.kind).toBe('invariant');
    const events = result.trace!.steps.flatMap((s) => s.events.map((e) => e.text));
    expect(events).toContain('acquire L timed out: it is held');
    expect(events).toContain('r1.gaveUp: false → true');
    // Shortest: one worker takes the lock, the other times out, then writes.
    expect(result.trace!.steps.map((s) => s.process)).toEqual(['work#1', 'work#2', 'work#2']);
  });

  it('never gives up on a free lock: alone, a worker always takes it', () => {
    const result = checkScenario(model(1, '!r1.gaveUp'), 's');
    expect(result.verdict).toBe('pass');
  });

  it('still excludes: two workers are never inside together', () => {
    expect(checkScenario(model(2, 'r1.inside <= 1'), 's').verdict).toBe('pass');
  });

  it('offers both moves while the lock is held (wait = the other process moves; give up = this one)', () => {
    const system = compileSystem(model(2, 'true'), 's', { symmetry: false });
    const api = new StepApi(system);
    const first = api.step(api.initial().state, api.moves(api.initial().state)[0].move);
    const moves = api.moves(first.state).map((m) => m.description);
    expect(moves).toContain('work#2: acquire L timeout 5s');
    const giveUp = api.moves(first.state).find((m) => m.process === 'work#2')!;
    expect(api.step(first.state, giveUp.move).step.events.map((e) => e.text)).toEqual(['acquire L timed out: it is held']);
  });

  it('is never a deadlock: a worker waiting on a lock held for ever can still give up', () => {
    const analyzed = analyzeModel({
      name: 'timeouts',
      resources: [R],
      locks: [{ name: 'L' }],
      operations: [
        { name: 'hog', params: [{ name: 'r', type: 'R' }], steps: [{ kind: 'acquire', lock: 'L' }, { kind: 'await', cond: 'false' }] },
        { name: 'work', params: [{ name: 'r', type: 'R' }], steps: waiter },
      ],
      invariants: [],
      scenarios: [{ name: 's', instances: [{ name: 'r1', type: 'R' }], processes: [{ operation: 'hog', args: { r: 'r1' } }, { operation: 'work', args: { r: 'r1' } }] }],
    });
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    const result = checkScenario(analyzed.value, 's');
    // The hog waits for ever; once the worker has given up (or finished), that is the deadlock — not before.
    expect(result.violation?.kind).toBe('deadlock');
    expect(result.violation?.message).toBe('deadlock: hog waits at step 2 (await)');
  });
});
