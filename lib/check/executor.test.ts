/**
 * What the one step executor tells a reader of the trace, for the same step at
 * the top level and inside an `atomic` block: a skipped cas is "skipped" (the
 * operation goes on), a cas that aborts is "failed", and an atomic block that
 * aborts rolls its writes back.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Step } from '../model/schema';
import { compileSystem } from './system';
import { StepApi } from './step-api';
import type { TraceEvent, TraceStep } from './result';

const R = {
  name: 'R',
  states: [
    { name: 'idle', kind: 'stable' as const },
    { name: 'busy', kind: 'transitional' as const },
    { name: 'done', kind: 'terminal' as const },
  ],
  initial: 'idle',
  transitions: [
    { from: 'idle', to: 'busy' },
    { from: 'busy', to: 'done' },
  ],
};

/** One process running `steps` on r1 (starting in `state`), without merged steps: every step is its own move. */
function run(steps: Step[], initial = 'idle'): { steps: TraceStep[]; last: ReturnType<StepApi['step']> | null; api: StepApi } {
  const analyzed = analyzeModel({
    name: 'executor',
    resources: [R],
    locks: [],
    operations: [{ name: 'op', params: [{ name: 'r', type: 'R' }], steps }],
    invariants: [],
    scenarios: [{ name: 's', instances: [{ name: 'r1', type: 'R', state: initial }], processes: [{ operation: 'op', args: { r: 'r1' } }], checks: { stuckTransitional: false } }],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  const api = new StepApi(compileSystem(analyzed.value, 's', { mergeLocalSteps: false }));
  let state = api.initial().state;
  const taken: TraceStep[] = [];
  let last: ReturnType<StepApi['step']> | null = null;
  for (let moves = api.moves(state); moves.length > 0; moves = api.moves(state)) {
    last = api.step(state, moves[0].move);
    taken.push(last.step);
    state = last.state;
  }
  return { steps: taken, last, api };
}

const events = (steps: TraceStep[]): TraceEvent[] => steps.flatMap((s) => s.events);
const cas = (otherwise: 'skip' | 'abort'): Step => ({ kind: 'cas', target: 'r.state', from: ['busy'], to: 'done', else: otherwise, message: 'not busy' });

describe('the step executor, at the top level and inside atomic', () => {
  it('says a cas that does not match and is skipped was skipped, in both places', () => {
    const top = run([cas('skip'), { kind: 'write', target: 'r.state', value: '"busy"' }]);
    const inside = run([{ kind: 'atomic', steps: [cas('skip'), { kind: 'write', target: 'r.state', value: '"busy"' }] }]);
    for (const { steps, last, api } of [top, inside]) {
      expect(events(steps)).toContainEqual({ kind: 'cas', text: 'cas r1.state skipped: it is idle' });
      expect(events(steps).some((e) => e.text.includes('failed'))).toBe(false);
      // The operation went on: the write after the cas happened and the process is done.
      expect(api.view(last!.state).instances[0].state).toBe('busy');
      expect(api.view(last!.state).processes[0].status).toBe('done');
    }
  });

  it('says a cas that does not match and aborts failed, and the process aborts with its message', () => {
    const { steps, last, api } = run([cas('abort')]);
    expect(events(steps)).toEqual([
      { kind: 'cas', text: 'cas r1.state failed: it is idle' },
      { kind: 'end', text: 'op aborts: not busy' },
    ]);
    expect(api.view(last!.state).processes[0].status).toBe('aborted');
  });

  it('rolls an atomic block back when a step inside aborts, and the trace keeps only the rollback', () => {
    const { steps, last, api } = run([
      { kind: 'atomic', steps: [{ kind: 'write', target: 'r.state', value: '"busy"' }, { kind: 'require', cond: 'r.state == "idle"', message: 'someone took it' }] },
    ]);
    expect(steps).toHaveLength(1);
    expect(steps[0].steps.map((s) => s.text)).toEqual([expect.stringMatching(/^atomic/)]);
    expect(events(steps)).toEqual([
      { kind: 'end', text: 'the transaction rolls back' },
      { kind: 'end', text: 'op aborts: someone took it' },
    ]);
    expect(api.view(last!.state).instances[0].state).toBe('idle');
    expect(api.view(last!.state).processes[0].status).toBe('aborted');
  });

  it('logs the steps of an atomic block that commits as it logs them at the top level', () => {
    const body: Step[] = [
      { kind: 'require', cond: 'r.state == "idle"', message: 'taken' },
      { kind: 'if', cond: 'r.state == "idle"', then: [{ kind: 'write', target: 'r.state', value: '"busy"' }] },
    ];
    const top = events(run(body).steps);
    const inside = events(run([{ kind: 'atomic', steps: body }]).steps);
    expect(inside).toEqual(top);
    expect(inside.map((e) => e.kind)).toEqual(['check', 'branch', 'write', 'end']);
  });

  it('ends the operation at a return inside atomic, keeping the writes before it', () => {
    const { steps, last, api } = run([{ kind: 'atomic', steps: [{ kind: 'write', target: 'r.state', value: '"busy"' }, { kind: 'return' }] }, { kind: 'write', target: 'r.state', value: '"done"' }]);
    expect(steps).toHaveLength(1);
    expect(api.view(last!.state).instances[0].state).toBe('busy');
    expect(api.view(last!.state).processes[0].status).toBe('done');
  });
});
