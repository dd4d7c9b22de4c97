import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { checkScenario } from '@/lib/check';
import { analyze, openSession, replayMoves } from '@/lib/check/replay';
import { changes, clampStep, explainViolation, transitionsTaken } from './trace-model';
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
