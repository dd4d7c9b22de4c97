/**
 * The worker-thread pool bounds what one replay or check may cost: a task
 * that needs more heap than its thread has, or more time than it is given,
 * ends in a BudgetExceeded (which the API turns into 413 and a job into "too
 * large to verify"), the server process itself unharmed, and the pool keeps
 * serving.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BudgetExceeded, closePools, runInPool } from '@/lib/jobs/pool';
import { attackDocument, attackMoves } from '../../bench/worst-run.mjs';
import { example } from './helpers';

const SHARE = example('share-delete-vs-snapshot.json');

afterAll(async () => {
  await closePools();
  delete process.env.LOCKSTEP_REQUEST_HEAP_MB;
});

describe('the checker worker pool', () => {
  it('replays a long trace on packed states, and builds states only for the page asked for', async () => {
    const moves = attackMoves(100, 98);
    const r = await runInPool(
      'requests',
      { kind: 'check-trace', document: attackDocument(100, 98), scenario: 'attack', options: { mergeLocalSteps: false }, moves, violation: { kind: 'invariant', name: 'none-done', message: '' } },
      60_000,
    );
    expect(r).toMatchObject({ kind: 'check-trace', result: { ok: true, violation: { kind: 'invariant', name: 'none-done' } } });
    const page = await runInPool(
      'requests',
      { kind: 'trace-window', document: attackDocument(100, 98), scenario: 'attack', options: { mergeLocalSteps: false }, moves, from: 9_000, count: 50 },
      60_000,
    );
    expect(page.kind).toBe('trace-window');
    if (page.kind !== 'trace-window') return;
    expect(page.window).toMatchObject({ from: 9_000, total: moves.length, rejectedAt: null, violation: null });
    expect(page.window.steps).toHaveLength(50);
    expect(page.window.steps[0].state.processes).toHaveLength(100);
  });

  it('stops a task that runs out of time, and keeps serving', async () => {
    // No invariant: the check must explore all 6^12 states to say pass, far more than 1.5 s allows.
    const endless = { ...attackDocument(12, 3), invariants: [] };
    const task = { kind: 'verify' as const, document: endless, run: { scenario: 'attack', mode: 'exhaustive' as const, options: { symmetry: false, mergeLocalSteps: false }, verdict: 'pass' as const, violation: null, stats: { distinctStates: 1, transitions: 0, depth: 0 }, moves: [] }, budget: { maxStates: 1e9, maxBytes: 2 ** 40, timeLimitMs: 1e9 } };
    const error = await runInPool('jobs', task, 1_500).catch((e) => e);
    expect(error).toBeInstanceOf(BudgetExceeded);
    expect(error.resource).toBe('time');
    expect(error.message).toBe('it takes longer than the 1.5 s a check may run on this server');
    const again = await runInPool('jobs', { kind: 'check-trace', document: SHARE, scenario: 'fixed-two-deletes', options: {}, moves: [], violation: null }, 30_000);
    expect(again.kind).toBe('check-trace');
  });

  it('stops a task that needs more memory than its thread may use, and keeps serving', async () => {
    await closePools();
    process.env.LOCKSTEP_REQUEST_HEAP_MB = '24';
    try {
      const moves = attackMoves(1000, 9);
      // Fifty full states of a 1,000-process scenario would fit; ten thousand do not.
      const error = await runInPool(
        'requests',
        { kind: 'trace-window', document: attackDocument(1000, 9), scenario: 'attack', options: { mergeLocalSteps: false }, moves, from: 0, count: 10_000 },
        60_000,
      ).catch((e) => e);
      expect(error).toBeInstanceOf(BudgetExceeded);
      expect(error.resource).toBe('memory');
      expect(error.message).toBe('it needs more than the 24 MB of memory a check may use on this server');
      const again = await runInPool('requests', { kind: 'check-trace', document: SHARE, scenario: 'fixed-two-deletes', options: {}, moves: [], violation: null }, 30_000);
      expect(again.kind).toBe('check-trace');
    } finally {
      await closePools();
      delete process.env.LOCKSTEP_REQUEST_HEAP_MB;
    }
  });
});
