/**
 * The `update` step (Cinder's conditional_update) as the checker runs it: one
 * atomic step; every condition holds → every `set` value, computed from the
 * row as it was, is written; a condition fails → onFail (failedAs names the
 * first failing one), else skip, abort, or retry (blocked until it matches).
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { ModelDocument, Scenario, Step } from '../model/schema';
import { compileSystem } from './system';
import { StepApi } from './step-api';
import { checkScenario } from './check';
import type { TraceEvent, TraceStep } from './result';

const SHARE = {
  name: 'Share',
  states: [
    { name: 'available', kind: 'stable' as const },
    { name: 'in_use', kind: 'stable' as const },
    { name: 'error', kind: 'error' as const },
    { name: 'deleting', kind: 'transitional' as const },
    { name: 'deleted', kind: 'terminal' as const },
  ],
  initial: 'available',
  transitions: [
    { from: 'available', to: 'in_use' },
    { from: 'in_use', to: 'available' },
    { from: 'available', to: 'deleting' },
    { from: 'error', to: 'deleting' },
    { from: 'deleting', to: 'deleted' },
  ],
  fields: [
    { name: 'wasError', type: { kind: 'bool' as const } },
    { name: 'a', type: { kind: 'int' as const, min: 0, max: 9 }, initial: 1 },
    { name: 'b', type: { kind: 'int' as const, min: 0, max: 9 }, initial: 2 },
    { name: 'snapshots', type: { kind: 'int' as const, min: 0, max: 3 } },
  ],
};

type Instance = Scenario['instances'][number];

function doc(steps: Step[], options: { instance?: Partial<Instance>; processes?: number; others?: ModelDocument['operations'] } = {}): ModelDocument {
  return {
    name: 'update',
    resources: [SHARE],
    locks: [],
    operations: [{ name: 'op', params: [{ name: 'share', type: 'Share' }], steps }, ...(options.others ?? [])],
    invariants: [],
    scenarios: [
      {
        name: 's',
        instances: [{ name: 'sh', type: 'Share', ...options.instance }],
        processes: [{ operation: 'op', args: { share: 'sh' }, ...(options.processes ? { count: options.processes } : {}) }],
        checks: { stuckTransitional: false },
      },
    ],
  };
}

/** Runs one `op` process to its end, taking the first move each time; every step is its own move. */
function run(steps: Step[], instance: Partial<Instance> = {}) {
  const analyzed = analyzeModel(doc(steps, { instance }));
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  const api = new StepApi(compileSystem(analyzed.value, 's', { mergeLocalSteps: false }));
  let state = api.initial().state;
  const taken: TraceStep[] = [];
  let violation = null;
  for (let moves = api.moves(state); moves.length > 0 && !violation; moves = api.moves(state)) {
    const result = api.step(state, moves[0].move);
    taken.push(result.step);
    state = result.state;
    violation = result.violation;
  }
  const view = api.view(state);
  return { events: taken.flatMap((s): TraceEvent[] => s.events), share: view.instances[0], process: view.processes[0], violation, moves: api.moves(state) };
}

const deleteShare = (extra: Partial<Extract<Step, { kind: 'update' }>> = {}): Step => ({
  kind: 'update',
  target: 'share',
  where: [{ field: 'state', op: 'in', value: '["available", "error"]' }],
  filters: [{ name: 'no_snapshots', cond: 'share.snapshots == 0' }],
  set: [
    { field: 'state', value: '"deleting"' },
    { field: 'wasError', value: 'share.state == "error"' },
  ],
  ...extra,
});

describe('update: all conditions hold', () => {
  it('writes every field, each value computed from the row before the update', () => {
    const { share, process, events } = run([deleteShare()], { state: 'error' });
    expect(share.state).toBe('deleting');
    // wasError = share.state == "error" reads the old state (error), not the one this update writes.
    expect(share.fields.wasError).toBe(true);
    expect(process.status).toBe('done');
    expect(events).toEqual([
      { kind: 'cas', text: 'update sh: all 2 conditions hold' },
      { kind: 'write', text: 'sh.state: error → deleting' },
      { kind: 'write', text: 'sh.wasError: false → true' },
      { kind: 'end', text: 'op is done' },
    ]);
  });

  it('swaps two fields with set a = b, b = a (SQL semantics, not one write after the other)', () => {
    const { share } = run([{ kind: 'update', target: 'share', where: [], set: [{ field: 'a', value: 'share.b' }, { field: 'b', value: 'share.a' }] }]);
    expect([share.fields.a, share.fields.b]).toEqual([2, 1]);
  });

  it('computes values from other columns and locals: a = a + b', () => {
    const { share } = run([
      { kind: 'read', local: 'delta', expr: 'share.b' },
      { kind: 'update', target: 'share', where: [{ field: 'a', op: '!=', value: '9' }], set: [{ field: 'a', value: 'share.a + delta' }] },
    ]);
    expect(share.fields.a).toBe(3);
  });
});

describe('update: a condition fails', () => {
  it('aborts by default, saying which condition failed with expected and actual values', () => {
    const { share, process, events } = run([deleteShare({ message: 'share is busy' })], { state: 'in_use' });
    expect(share.state).toBe('in_use');
    expect(process.status).toBe('aborted');
    expect(events).toEqual([
      { kind: 'cas', text: 'update sh failed: state is in_use, expected in [available, error]' },
      { kind: 'end', text: 'op aborts: share is busy' },
    ]);
  });

  it('names a failing filter, and tests filters only after every where condition holds', () => {
    const { events, share } = run([deleteShare()], { state: 'available', fields: { snapshots: 1 } });
    expect(events[0]).toEqual({ kind: 'cas', text: 'update sh failed: filter no_snapshots does not hold' });
    expect(events[1]).toEqual({ kind: 'end', text: 'op aborts: update of share did not match' });
    expect(share.state).toBe('available');
  });

  it('reports == and != conditions with their expected value', () => {
    const eq = run([{ kind: 'update', target: 'share', where: [{ field: 'a', op: '==', value: '5' }], set: [{ field: 'b', value: '0' }] }]);
    expect(eq.events[0].text).toBe('update sh failed: a is 1, expected == 5');
    const ne = run([{ kind: 'update', target: 'share', where: [{ field: 'a', op: '!=', value: '1' }], set: [{ field: 'b', value: '0' }] }]);
    expect(ne.events[0].text).toBe('update sh failed: a is 1, expected != 1');
    const notIn = run([{ kind: 'update', target: 'share', where: [{ field: 'state', op: 'not in', value: '["available"]' }], set: [{ field: 'b', value: '0' }] }]);
    expect(notIn.events[0].text).toBe('update sh failed: state is available, expected not in [available]');
  });

  it('with else skip, logs it skipped and goes on', () => {
    const { share, process, events } = run([deleteShare({ else: 'skip' }), { kind: 'write', target: 'share.a', value: '7' }], { state: 'in_use' });
    expect(events[0]).toEqual({ kind: 'cas', text: 'update sh skipped: state is in_use, expected in [available, error]' });
    expect(share.fields.a).toBe(7);
    expect(process.status).toBe('done');
  });

  it('with onFail, runs it with failedAs = the first failing condition (where fields before filters)', () => {
    const steps = (onFail: Step[]): Step[] => [deleteShare({ failedAs: 'why', onFail })];
    const branch: Step[] = [
      { kind: 'if', cond: 'why == "state"', then: [{ kind: 'write', target: 'share.a', value: '5' }], else: [{ kind: 'write', target: 'share.a', value: '6' }] },
    ];
    // Both conditions fail: the where condition is the first.
    const both = run(steps(branch), { state: 'in_use', fields: { snapshots: 1 } });
    expect(both.events[0].text).toBe('update sh failed: state is in_use, expected in [available, error] (why = state)');
    expect(both.share.fields.a).toBe(5);
    expect(both.process.status).toBe('done');
    // Only the filter fails.
    const filter = run(steps(branch), { state: 'error', fields: { snapshots: 2 } });
    expect(filter.events[0].text).toBe('update sh failed: filter no_snapshots does not hold (why = no_snapshots)');
    expect(filter.share.fields.a).toBe(6);
    expect(filter.share.state).toBe('error');
  });

  it('with else retry, is not enabled until the conditions hold', () => {
    const blocked = run([deleteShare({ else: 'retry' })], { state: 'in_use' });
    // Nothing ran: the update waits, the process is still at it.
    expect(blocked.events).toEqual([]);
    expect(blocked.process.status).toBe('running');
    expect(blocked.process.enabled).toBe(false);
    const analyzed = analyzeModel(doc([deleteShare({ else: 'retry' })], { instance: { state: 'in_use' } }));
    if (!analyzed.ok) throw new Error('invalid');
    expect(checkScenario(analyzed.value, 's').violation?.kind).toBe('deadlock');
  });

  it('with else retry, runs once another process makes it match', () => {
    const model = doc([deleteShare({ else: 'retry' })], {
      instance: { state: 'in_use' },
      others: [{ name: 'detach', params: [{ name: 'share', type: 'Share' }], steps: [{ kind: 'write', target: 'share.state', value: '"available"' }] }],
    });
    model.scenarios[0].processes.push({ operation: 'detach', args: { share: 'sh' } });
    const analyzed = analyzeModel(model);
    if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
    expect(checkScenario(analyzed.value, 's').verdict).toBe('pass');
  });
});

describe('update: violations', () => {
  it('reports an illegal transition when a set state is not an edge from the current state', () => {
    const { violation } = run([{ kind: 'update', target: 'share', where: [{ field: 'state', op: '==', value: '"in_use"' }], set: [{ field: 'state', value: '"deleting"' }] }], { state: 'in_use' });
    expect(violation?.kind).toBe('illegal-transition');
    expect(violation?.message).toBe("op moves sh from 'in_use' to 'deleting', which Share's state machine does not allow");
  });

  it('reports an int value outside the field range as invalid-value', () => {
    const { violation } = run([{ kind: 'update', target: 'share', where: [], set: [{ field: 'a', value: 'share.a + 9' }] }]);
    expect(violation?.kind).toBe('invalid-value');
  });

  it('lets exactly one of two racing deleters through (the update is one atomic step), where check-then-write lets both', () => {
    const verdict = (steps: Step[]) => {
      const model = doc(steps, { processes: 2 });
      // a starts at 1; each deleter that gets through adds one.
      model.invariants = [{ name: 'one_deleter', expr: 'all(s: Share, s.a <= 2)' }];
      const analyzed = analyzeModel(model);
      if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
      return checkScenario(analyzed.value, 's');
    };
    const guarded = verdict([deleteShare({ set: [{ field: 'state', value: '"deleting"' }, { field: 'a', value: 'share.a + 1' }] })]);
    expect(guarded.verdict).toBe('pass');
    const naive = verdict([
      { kind: 'require', cond: 'share.state in ["available", "error"]' },
      { kind: 'read', local: 'n', expr: 'share.a' },
      { kind: 'write', target: 'share.state', value: '"deleting"' },
      { kind: 'write', target: 'share.a', value: 'n + 1' },
    ]);
    expect(naive.violation?.name).toBe('one_deleter');
  });
});

describe('update inside atomic', () => {
  it('rolls back with the block when it fails with else abort', () => {
    const { share, process, events } = run(
      [{ kind: 'atomic', steps: [{ kind: 'write', target: 'share.a', value: '4' }, deleteShare()] }],
      { state: 'in_use' },
    );
    expect(share.fields.a).toBe(1);
    expect(process.status).toBe('aborted');
    expect(events.map((e) => e.text)).toEqual(['the transaction rolls back', 'op aborts: update of share did not match']);
  });

  it('goes on with the block when it fails with else skip', () => {
    const { share, process } = run([{ kind: 'atomic', steps: [deleteShare({ else: 'skip' }), { kind: 'write', target: 'share.a', value: '4' }] }], { state: 'in_use' });
    expect(share.fields.a).toBe(4);
    expect(process.status).toBe('done');
  });
});
