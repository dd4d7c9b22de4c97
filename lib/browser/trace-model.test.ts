import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { checkScenario } from '@/lib/check';
import { analyze, openSession, replayMoves } from '@/lib/check/replay';
import { changes, clampStep, explainViolation, localsText, lockLabel, placeOf, qualifyLockNames, transitionsTaken } from './trace-model';
import { machineConfig, resourceMachine } from './machines';
import { runCheckJob, stoppedResult, type WorkerMessage } from './check-job';

const doc = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const analyzed = analyze(doc);
if (!analyzed.ok) throw new Error('example invalid');
const model = analyzed.model;

describe('replay through the step API', () => {
  it('replays a checker trace to the same states and the same violation', () => {
    const result = checkScenario(model, 'naive-delete-vs-snapshot');
    expect(result.verdict).toBe('violation');
    const session = openSession(model, 'naive-delete-vs-snapshot', result.options);
    const moves = result.trace!.steps.map((s) => s.move);
    const r = replayMoves(session, moves);
    expect(r.rejectedAt).toBeNull();
    expect(r.steps).toEqual(result.trace!.steps);
    expect(r.violations.at(-1)).toEqual(result.violation);
    expect(r.violations.slice(0, -1).every((v) => v === null)).toBe(true);
  });

  it('stops at a move that is not enabled', () => {
    const session = openSession(model, 'naive-delete-vs-snapshot');
    const first = session.api.moves(session.initial)[0].move;
    const r = replayMoves(session, [first, 0x7fff0000]);
    expect(r.rejectedAt).toBe(1);
    expect(r.steps).toHaveLength(1);
  });
});

describe('trace helpers', () => {
  const result = checkScenario(model, 'naive-delete-vs-snapshot');
  const steps = result.trace!.steps;

  it('finds the edge each step took', () => {
    const views = [result.trace!.initial, ...steps.map((s) => s.state)];
    const taken = views.slice(1).flatMap((v, i) => transitionsTaken(views[i], v));
    expect(taken).toContainEqual({ instance: 'share1', type: 'Share', from: 'available', to: 'deleting' });
    expect(taken.at(-1)).toEqual({ instance: 'snap1', type: 'Snapshot', from: 'absent', to: 'creating' });
    expect(transitionsTaken(null, views[0])).toEqual([]);
  });

  it('marks what changed', () => {
    const views = [result.trace!.initial, ...steps.map((s) => s.state)];
    const last = changes(views.at(-2)!, views.at(-1)!);
    expect([...last.instances]).toEqual(['snap1']);
  });

  it('says the violation in one sentence', () => {
    expect(explainViolation(result.violation!)).toBe("share1 is 'deleted' while snap1 is 'creating': invariant no-snapshot-of-deleted-share");
    expect(explainViolation({ kind: 'deadlock', message: 'deadlock: a waits' })).toBe('deadlock: a waits');
    expect(explainViolation({ kind: 'stale-write', message: 'p writes x after its lease expired (an unfenced stale write)' })).toBe(
      'p writes x after its lease expired (an unfenced stale write)',
    );
    expect(explainViolation({ kind: 'illegal-transition', message: "x moves s from 'a' to 'b', which S's state machine does not allow" })).toContain(
      'illegal transition',
    );
  });

  it('clamps steps', () => {
    expect(clampStep(null, 7)).toBe(7);
    expect(clampStep(-3, 7)).toBe(0);
    expect(clampStep(99, 7)).toBe(7);
    expect(clampStep(3.7, 7)).toBe(3);
  });
});

function example(name: string, edit?: (doc: any) => void) {
  const source = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', `${name}.json`), 'utf8'));
  edit?.(source);
  const a = analyze(source);
  if (!a.ok) throw new Error(`${name} invalid: ${a.issues[0]?.message}`);
  return a.model;
}

/** Each view of the checker's trace as a user reads it: held locks with their holders, and each step's lock events. */
function readTrace(m: ReturnType<typeof example>, scenario: string) {
  const result = checkScenario(m, scenario);
  const views = [result.trace!.initial, ...result.trace!.steps.map((s) => s.state)];
  const held = views.map((v) => v.locks.filter((l) => l.holders.length).map((l) => `${lockLabel(l)}: ${l.holders.map((h) => h.process).join(', ')}`));
  const events = result.trace!.steps.map((s, i) => s.events.map((e) => qualifyLockNames(e.text, s.process, views[i + 1])));
  return { result, views, held, events };
}

describe('lanes and lock domains', () => {
  const lockScope = example('lock-scope');

  it('heads each lane with its node and OS process', () => {
    const { views } = readTrace(lockScope, 'file-lock-two-nodes');
    expect(views[0].processes.map((p) => [p.name, placeOf(p)])).toEqual([
      ['delete', 'on api1 · OS process main'],
      ['snapshot', 'on api2 · OS process main'],
    ]);
  });

  it('names a node-scoped lock by its node: two nodes hold two different locks', () => {
    const { result, held, events } = readTrace(lockScope, 'file-lock-two-nodes');
    expect(result.violation?.kind).toBe('illegal-transition');
    // Step 4: each process holds its own node's file lock, not "one lock held twice".
    expect(held[4]).toEqual(['share-lock(share1)@api1: delete', 'share-lock(share1)@api2: snapshot']);
    expect(events.flat().filter((e) => e.startsWith('acquire'))).toEqual(['acquire share-lock(share1)@api1', 'acquire share-lock(share1)@api2']);
    expect(result.trace!.initial.locks.map(lockLabel)).toEqual(['share-lock(share1)@api1', 'share-lock(share1)@api2']);
  });

  it('keeps the plain name for a cluster-wide lock', () => {
    const session = openSession(lockScope, 'cluster-lock-two-nodes');
    const step = session.api.step(session.initial, session.api.moves(session.initial).find((m) => m.process === 'delete')!.move);
    expect(step.step.state.locks.map((l) => `${lockLabel(l)}: ${l.holders.map((h) => h.process).join(', ')}`)).toEqual(['share-lock(share1): delete']);
    expect(step.step.events.map((e) => qualifyLockNames(e.text, 'delete', step.step.state))).toEqual(['acquire share-lock(share1), fencing token 1']);
  });

  it('names a process-scoped lock by its OS process', () => {
    const m = example('lock-scope', (doc) => {
      const s = doc.scenarios.find((x: any) => x.name === 'file-lock-one-node');
      s.nodes = [{ name: 'api1', osProcesses: ['w1', 'w2'] }];
      s.processes[0].osProcess = 'w1';
      s.processes[1].osProcess = 'w2';
      s.locks = { 'share-lock': { backend: 'threading' } };
      s.expect = { verdict: 'violation', kind: 'illegal-transition' };
    });
    const { views, events } = readTrace(m, 'file-lock-one-node');
    expect(views[0].locks.map(lockLabel)).toEqual(['share-lock(share1)@api1/w1', 'share-lock(share1)@api1/w2']);
    expect(views[0].processes.map(placeOf)).toEqual(['on api1 · OS process w1', 'on api1 · OS process w2']);
    expect(events.flat()).toContain('acquire share-lock(share1)@api1/w2');
  });
});

describe('locals not read yet', () => {
  it('shows them unset until the process reads them, then the value read', () => {
    const { views } = readTrace(model, 'naive-two-deletes');
    const locals = (k: number, p: string) => localsText(views[k].processes.find((x) => x.name === p)!);
    expect(locals(0, 'delete#1')).toBe('status=— hasSnapshots=—');
    const firstRead = views.findIndex((v) => !v.processes[0].unread?.includes('status'));
    expect(firstRead).toBeGreaterThan(0);
    expect(locals(firstRead, 'delete#1')).toMatch(/^status=available hasSnapshots=—$/);
    expect(locals(firstRead, 'delete#2')).toBe('status=— hasSnapshots=—');
    // Once read, a local keeps showing its value.
    expect(views.slice(firstRead).every((v) => !v.processes[0].unread?.includes('status'))).toBe(true);
  });

});

describe('xstate machines', () => {
  it('accepts exactly the modelled edges, from the instance’s own start', () => {
    const share = doc.resources[0];
    const config = machineConfig(share, 'available', 'share1');
    expect(config.initial).toBe('available');
    expect(config.states.deleted.type).toBe('final');
    const actor = createActor(resourceMachine(share, 'available', 'share1')).start();
    actor.send({ type: 'to.deleted' } as never);
    expect(actor.getSnapshot().value).toBe('available');
    actor.send({ type: 'to.deleting' } as never);
    actor.send({ type: 'to.deleted' } as never);
    expect(actor.getSnapshot().value).toBe('deleted');
    actor.stop();
  });
});

describe('the worker job', () => {
  it('posts progress and a complete result', () => {
    const messages: WorkerMessage[] = [];
    runCheckJob({ type: 'check', job: 1, document: doc, scenario: 'fixed-delete-vs-snapshot', mode: 'exhaustive', limits: {} }, (m) => messages.push(m));
    const last = messages.at(-1)!;
    expect(last.type).toBe('complete');
    if (last.type === 'complete') {
      expect(last.result.verdict).toBe('pass');
      expect(last.result.meetsExpectation).toBe(true);
    }
  });

  it('reports an unknown scenario and an invalid model as errors', () => {
    const messages: WorkerMessage[] = [];
    runCheckJob({ type: 'check', job: 2, document: doc, scenario: 'nope', mode: 'exhaustive', limits: {} }, (m) => messages.push(m));
    runCheckJob({ type: 'check', job: 3, document: { name: 'x' }, scenario: 'nope', mode: 'exhaustive', limits: {} }, (m) => messages.push(m));
    expect(messages.map((m) => m.type)).toEqual(['error', 'error']);
  });

  it('random simulation finds the race', () => {
    const messages: WorkerMessage[] = [];
    runCheckJob({ type: 'check', job: 4, document: doc, scenario: 'naive-delete-vs-snapshot', mode: 'random', limits: {}, runs: 200, seed: 7 }, (m) => messages.push(m));
    const last = messages.at(-1)!;
    expect(last.type === 'complete' && last.result.verdict).toBe('violation');
  });

  it('honours the state, depth and time limits: incomplete, never pass', () => {
    for (const [limits, reason] of [
      [{ maxStates: 5 }, 'max-states'],
      [{ maxDepth: 2 }, 'max-depth'],
    ] as const) {
      const messages: WorkerMessage[] = [];
      runCheckJob({ type: 'check', job: 5, document: doc, scenario: 'fixed-delete-vs-snapshot', mode: 'exhaustive', limits }, (m) => messages.push(m));
      const last = messages.at(-1)!;
      expect(last.type === 'complete' && [last.result.verdict, last.result.incompleteReason]).toEqual(['incomplete', reason]);
    }
  });

  it('reports progress while it runs', () => {
    const scaled = structuredClone(doc);
    scaled.scenarios = [
      {
        name: 'scaled-3',
        instances: [
          { name: 'share1', type: 'Share', state: 'available' },
          { name: 'snap1', type: 'Snapshot', fields: { share: 'share1' } },
        ],
        processes: [
          { name: 'delete', operation: 'deleteShareNaive', args: { share: 'share1' }, count: 3 },
          { name: 'snapshot', operation: 'createSnapshotNaive', args: { share: 'share1', snap: 'snap1' }, count: 3 },
        ],
        checks: { invariants: false, illegalTransition: false, deadlock: false, stuckTransitional: false },
      },
    ];
    const messages: WorkerMessage[] = [];
    let t = 0;
    // A clock that advances 60 ms per reading makes a report due at every check the explorer makes.
    const realNow = performance.now.bind(performance);
    performance.now = () => (t += 60);
    try {
      runCheckJob({ type: 'check', job: 6, document: scaled, scenario: 'scaled-3', mode: 'exhaustive', limits: {} }, (m) => messages.push(m));
    } finally {
      performance.now = realNow;
    }
    const progress = messages.filter((m) => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    const figures = progress.map((m) => (m.type === 'progress' ? m.progress : null)!);
    expect(figures.every((f, i) => i === 0 || f.distinctStates >= figures[i - 1].distinctStates)).toBe(true);
    expect(figures[0]).toMatchObject({ distinctStates: expect.any(Number), statesPerSecond: expect.any(Number), depth: expect.any(Number), queue: expect.any(Number) });
    expect(messages.at(-1)!.type).toBe('complete');
  });

  it('a stopped run is incomplete and never meets an expectation', () => {
    const r = stoppedResult({ scenario: 's', mode: 'exhaustive', limits: { maxStates: 10 } }, null, 42, { verdict: 'pass' });
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toBe('stopped');
    expect(r.meetsExpectation).toBe(false);
    expect(r.stats.elapsedMs).toBe(42);
  });
});
