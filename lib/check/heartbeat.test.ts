/**
 * The heartbeatLoss fault: while the scenario's budget lasts, a true
 * `heartbeat: true` field may turn false although its owner still runs (it is
 * slow, not dead) — Manila's job takeover race. A fault move of its own, named
 * in the trace, bounded by the budget, never progress.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Step } from '../model/schema';
import { checkScenario } from './check';
import { compileSystem } from './system';
import { StepApi } from './step-api';

const Job = {
  name: 'Job',
  states: [
    { name: 'queued', kind: 'stable' as const },
    { name: 'running', kind: 'transitional' as const },
    { name: 'done', kind: 'terminal' as const },
  ],
  initial: 'queued',
  transitions: [
    { from: 'queued', to: 'running' },
    { from: 'running', to: 'done' },
  ],
  fields: [
    { name: 'alive', type: { kind: 'bool' as const }, heartbeat: true },
    { name: 'copiers', type: { kind: 'int' as const, min: 0, max: 2 } },
  ],
};

/** The owner runs the job, heartbeating; a peer takes over a job whose heartbeat lapsed (naively: no version check). */
const owner: Step[] = [
  // Claims the job and starts heartbeating in one step.
  { kind: 'atomic', steps: [{ kind: 'cas', target: 'j.state', from: ['queued'], to: 'running', else: 'abort' }, { kind: 'write', target: 'j.alive', value: 'true' }] },
  { kind: 'write', target: 'j.copiers', value: 'j.copiers + 1' },
  { kind: 'write', target: 'j.copiers', value: 'j.copiers - 1' },
  { kind: 'write', target: 'j.state', value: '"done"' },
];
const peer: Step[] = [
  { kind: 'await', cond: 'j.state == "running" && !j.alive || j.state == "done"' },
  { kind: 'if', cond: 'j.state == "done"', then: [{ kind: 'return' }] },
  { kind: 'write', target: 'j.copiers', value: 'j.copiers + 1' },
  { kind: 'write', target: 'j.copiers', value: 'j.copiers - 1' },
];

function model(heartbeatLoss: number | undefined) {
  const analyzed = analyzeModel({
    name: 'takeover',
    resources: [Job],
    locks: [],
    operations: [
      { name: 'own', params: [{ name: 'j', type: 'Job' }], steps: owner },
      { name: 'takeOver', params: [{ name: 'j', type: 'Job' }], steps: peer },
    ],
    invariants: [{ name: 'oneCopier', expr: 'all(j: Job, j.copiers <= 1)' }],
    scenarios: [
      {
        name: 's',
        instances: [{ name: 'job1', type: 'Job' }],
        processes: [{ operation: 'own', args: { j: 'job1' } }, { operation: 'takeOver', args: { j: 'job1' } }],
        ...(heartbeatLoss !== undefined ? { faults: { heartbeatLoss } } : {}),
      },
    ],
  });
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
}

describe('heartbeatLoss', () => {
  it('without the fault the heartbeat never lapses: the naive takeover is safe', () => {
    expect(checkScenario(model(undefined), 's').verdict).toBe('pass');
  });

  it('with it, a live owner loses its heartbeat and two services copy at once; the trace names the fault', () => {
    const result = checkScenario(model(1), 's');
    expect(result.violation?.kind).toBe('invariant');
    expect(result.violation?.name).toBe('oneCopier');
    const lapse = result.trace!.steps.find((s) => s.kind === 'heartbeat-lapses')!;
    expect(lapse.process).toBe('job1');
    expect(lapse.events).toEqual([{ kind: 'fault', text: 'heartbeat of job1 lapsed: job1.alive true → false' }]);
    expect(lapse.state.faultsLeft.heartbeatLoss).toBe(0);
  });

  it('is offered only for a true heartbeat field and only while the budget lasts', () => {
    const system = compileSystem(model(1), 's');
    expect(system.heartbeats.map((h) => h.name)).toEqual(['job1.alive']);
    const api = new StepApi(system);
    let state = api.initial().state;
    const lapses = () => api.moves(state).filter((m) => m.kind === 'heartbeat-lapses');
    expect(lapses()).toEqual([]); // alive starts false
    state = api.step(state, api.moves(state).find((m) => m.process === 'own')!.move).state;
    expect(lapses().map((m) => m.description)).toEqual(['the heartbeat of job1 lapses (job1.alive becomes false)']);
    state = api.step(state, lapses()[0].move).state;
    state = api.step(state, api.moves(state).find((m) => m.process === 'own')!.move).state;
    expect(api.view(state).instances[0].fields.alive).toBe(false);
    expect(lapses()).toEqual([]); // budget spent
  });

  it('is not progress: a peer that only a lapse could wake is a deadlock once everyone else has stopped', () => {
    const analyzed = analyzeModel({
      name: 'takeover',
      resources: [{ ...Job, fields: [{ name: 'alive', type: { kind: 'bool' as const }, heartbeat: true, initial: true }] }],
      locks: [],
      operations: [{ name: 'takeOver', params: [{ name: 'j', type: 'Job' }], steps: [{ kind: 'await', cond: '!j.alive' }] }],
      invariants: [],
      scenarios: [{ name: 's', instances: [{ name: 'job1', type: 'Job' }], processes: [{ operation: 'takeOver', args: { j: 'job1' } }], faults: { heartbeatLoss: 1 } }],
    });
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    const result = checkScenario(analyzed.value, 's');
    // The lapse may never come (a fault is never forced): waiting for it alone can be waiting for ever.
    expect(result.violation?.kind).toBe('deadlock');
    expect(result.trace!.steps).toHaveLength(0);
  });
});
