/**
 * checkScenarioScaled: the one thread goes on searching while the threads
 * start, hands the search over once they are ready (seen through their
 * shared flags, or between slices without shared memory), goes on alone if
 * they cannot start, and stops threads still starting when the search ends
 * first — always with the one-thread result. The threads here are in-thread
 * partitions (level-runner.ts inThreadRunner), so when they are ready is under
 * the test's control; tests/cli/check-threads.test.ts runs real ones.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import { checkScenario } from './check';
import { explore } from './explore';
import { ownerOf } from './level-partition';
import {
  checkScenarioInLevels,
  checkScenarioScaled,
  inThreadRunner,
  partitionSetups,
  ASKED_THREADS_START,
  SMALL_SPACE,
  withThisThread,
  type ClosableRunner,
  type PartitionRunner,
  type PartitionSetup,
} from './level-runner';
import { createPartition, raiseReady, warmUp } from './level-thread';
import type { CheckResult } from './result';
import { compileSystem } from './system';

const document = JSON.parse(readFileSync(path.join(process.cwd(), 'bench', 'spin-scaled-share', 'scaled-share.json'), 'utf8'));
const analyzed = analyzeModel(document);
if (!analyzed.ok) throw new Error('the benchmark model is not valid');
const model = analyzed.value;
// 66,273 states: past the hand-off point (SMALL_SPACE), and a fraction of a second in one thread.
const SCENARIO = 'scaled-5';
const options = { symmetry: false, mergeLocalSteps: false };

/** Threads that are ready at once: each raises its flag, as a worker does after warming up. */
const readyAtOnce = async (setups: PartitionSetup[]) => {
  setups.forEach(raiseReady);
  return inThreadRunner(setups);
};

const counts = (r: CheckResult) => ({ verdict: r.verdict, states: r.stats.distinctStates, transitions: r.stats.transitions, depth: r.stats.depth });
const alone = checkScenario(model, SCENARIO, options);

describe('checkScenarioScaled', () => {
  it('hands the search to the threads once they are ready, with the one-thread result', async () => {
    let asked: number[] = [];
    const result = await checkScenarioScaled(model, SCENARIO, 3, async (setups) => {
      asked = setups.map((s) => s.index);
      return readyAtOnce(setups);
    }, options);
    expect(alone.stats.distinctStates).toBeGreaterThan(SMALL_SPACE);
    // This thread is partition 0 of three: threads are started for the other two.
    expect(asked).toEqual([1, 2]);
    expect(result.stats.threads).toBe(3);
    expect(counts(result)).toEqual(counts(alone));
  });

  // Ready only once this thread lets their message in, as a browser's nested Web Workers are.
  const readyBetweenTasks = async (setups: PartitionSetup[]) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return inThreadRunner(setups);
  };

  it('hands over between slices to threads that start only between its tasks (a browser worker’s workers)', async () => {
    let flagged = true;
    const result = await checkScenarioScaled(model, SCENARIO, 2, async (setups) => {
      flagged = setups.some((s) => s.ready !== undefined);
      return readyBetweenTasks(setups);
    }, options, { when: 'asked', readiness: 'messages' });
    expect(flagged).toBe(false);
    expect(result.stats.threads).toBe(2);
    expect(counts(result)).toEqual(counts(alone));
  });

  it('without shared memory, searches in slices and hands over once the threads say they are ready', async () => {
    const scope = globalThis as { crossOriginIsolated?: boolean };
    scope.crossOriginIsolated = false; // a page that is not cross-origin isolated
    try {
      let flagged = true;
      const result = await checkScenarioScaled(model, SCENARIO, 2, async (setups) => {
        flagged = setups.some((s) => s.ready !== undefined);
        return readyBetweenTasks(setups);
      }, options);
      expect(flagged).toBe(false);
      expect(result.stats.threads).toBe(2);
      expect(counts(result)).toEqual(counts(alone));
    } finally {
      delete scope.crossOriginIsolated;
    }
  });

  it('goes on in this thread when the threads cannot start', async () => {
    const result = await checkScenarioScaled(model, SCENARIO, 2, async () => {
      throw new Error('no threads here');
    }, options);
    expect(result.stats.threads).toBeUndefined();
    expect(counts(result)).toEqual(counts(alone));
  });

  it('searches on while the threads start, and stops them if it ends first', async () => {
    let stopped = false;
    const neverReady = (_: unknown, signal: AbortSignal) =>
      new Promise<ClosableRunner>((_, reject) => {
        signal.addEventListener('abort', () => {
          stopped = true;
          reject(new Error('not needed any more'));
        });
      });
    const result = await checkScenarioScaled(model, SCENARIO, 2, neverReady, options);
    expect(stopped).toBe(true);
    expect(result.stats.threads).toBeUndefined();
    expect(counts(result)).toEqual(counts(alone));
  });

  it('starts threads asked for before the hand-off point, and stops them when the search ends short of it', async () => {
    // 9,489 states: past ASKED_THREADS_START, short of SMALL_SPACE.
    const between = checkScenario(model, 'scaled-4', options);
    expect(between.stats.distinctStates).toBeGreaterThan(ASKED_THREADS_START);
    expect(between.stats.distinctStates).toBeLessThan(SMALL_SPACE);
    let started = 0;
    let stopped = false;
    const result = await checkScenarioScaled(model, 'scaled-4', 2, (setups, signal) => {
      started++;
      return new Promise<ClosableRunner>((resolve, reject) => {
        // Ready only once this thread's search lets a turn of the event loop through: never, here.
        setTimeout(() => resolve(inThreadRunner(setups)), 0);
        signal.addEventListener('abort', () => {
          stopped = true;
          reject(new Error('not needed any more'));
        });
      });
    }, options);
    expect(started).toBe(1);
    expect(stopped).toBe(true);
    expect(result.stats.threads).toBeUndefined();
    expect(counts(result)).toEqual(counts(between));
  });

  it('starts no threads for a search that ends before ASKED_THREADS_START states (every example)', async () => {
    let started = 0;
    const result = await checkScenarioScaled(model, 'scaled-3', 2, async (setups) => {
      started++;
      return readyAtOnce(setups);
    }, options);
    expect(result.stats.distinctStates).toBeLessThan(ASKED_THREADS_START);
    expect(started).toBe(0);
    expect(counts(result)).toEqual(counts(checkScenario(model, 'scaled-3', options)));
  });

  it('closes the threads it used', async () => {
    let closed = 0;
    const result = await checkScenarioScaled(model, SCENARIO, 2, async (setups) => {
      const runner = await readyAtOnce(setups);
      return { ...runner, close: () => void closed++ };
    }, options);
    expect(result.stats.threads).toBe(2);
    expect(closed).toBe(1);
  });
});

describe('warmUp', () => {
  it('leaves a thread’s partition to search as a cold one would: the warm-up runs on peers of its own', async () => {
    const alloc = (bytes: number) => new ArrayBuffer(bytes);
    const partitions = partitionSetups(model, SCENARIO, options, 2).map((setup) => createPartition(setup, alloc));
    // Time enough for the whole warm-up (its first 20,000 states), as a thread on an idle machine gets.
    for (const partition of partitions) await warmUp(partition, 60_000);
    const runner: PartitionRunner = { partitions: 2, alloc, send: async (i, task) => partitions[i].handle(task) };
    const result = await checkScenarioInLevels(model, SCENARIO, runner, options);
    expect(counts(result)).toEqual(counts(alone));
  });

  it('takes a thread the same memory with 64 partitions as with 4: it runs a few peers, not one a partition', async () => {
    // What a thread's warm-up allocates (its partition's own buffers aside): one peer a partition made K threads hold K² peers.
    const warmUpBytes = async (partitions: number) => {
      let bytes = 0;
      const partition = createPartition(partitionSetups(model, SCENARIO, options, partitions)[1], (n) => {
        bytes += n;
        return new ArrayBuffer(n);
      });
      bytes = 0;
      await warmUp(partition, 60_000);
      return bytes;
    };
    const withFour = await warmUpBytes(4);
    expect(withFour).toBeGreaterThan(0);
    expect(await warmUpBytes(64)).toBeLessThanOrEqual(withFour * 1.25);
  });
});

describe('the partitions’ visited sets', () => {
  it('grow together, in the same batch, and never while a dedupe inserts', async () => {
    for (const K of [2, 3]) {
      const inner = inThreadRunner(partitionSetups(model, SCENARIO, options, K));
      /** Per partition, per batch it deduped (in batch order): the room asked for, its entries after it, and its bytes if no later dedupe ran in the same task. */
      const seen = Array.from({ length: K }, () => ({ entries: 0, batches: [] as Array<{ reserve: number; entries: number; tableBytes: number | null }> }));
      const runner: PartitionRunner = {
        ...inner,
        send: async (i, task) => {
          const reply = await inner.send(i, task);
          const mine = seen[i];
          if (reply.kind === 'seed') mine.entries += reply.owned;
          if (task.kind === 'step' && reply.kind === 'step') {
            task.dedupe.forEach((part, k) => {
              mine.entries += reply.deduped[k].added.reduce((a, b) => a + b, 0);
              mine.batches.push({ reserve: part.reserve, entries: mine.entries, tableBytes: k === task.dedupe.length - 1 ? reply.tableBytes : null });
            });
          }
          return reply;
        },
      };
      const result = await checkScenarioInLevels(model, SCENARIO, runner, { ...options, batchStates: 512 });
      expect(counts(result)).toEqual(counts(alone));
      const batches = seen[0].batches.length;
      expect(batches).toBeGreaterThan(50);
      for (const { batches: mine } of seen) {
        expect(mine).toHaveLength(batches);
        // The room asked for covers what the batch added: no set grows while a dedupe inserts.
        for (const b of mine) expect(b.entries).toBeLessThanOrEqual(b.reserve);
      }
      // After every batch (where each partition's task ended with it), all sets have one size.
      const sizes = new Set<number>();
      for (let b = 0; b < batches; b++) {
        const after = seen.map(({ batches: mine }) => mine[b].tableBytes);
        if (after.some((bytes) => bytes === null)) continue;
        expect(new Set(after).size, `after batch ${b} of ${K} partitions: ${after.join(', ')} bytes`).toBe(1);
        sizes.add(after[0]!);
      }
      // …through several growths.
      expect(sizes.size).toBeGreaterThan(3);
    }
  });
});

describe('withThisThread', () => {
  /** Two partitions, the first in this thread, taking over a search stopped after 100 states. */
  const handedOver = () => {
    const system = compileSystem(model, SCENARIO, options);
    const { snapshot } = explore(system, { ...options, handOff: { afterStates: 100 } });
    if (!snapshot) throw new Error('the search should have stopped to be handed over');
    const setups = partitionSetups(model, SCENARIO, options, 2);
    return withThisThread(inThreadRunner(setups.slice(1)), setups[0], snapshot);
  };

  it('runs the calling thread’s partition tasks in the order they were sent, as a thread runs its messages', async () => {
    const runner = handedOver();
    // A fingerprint partition 0 owns: seeded first, then deduped, it is not new; the other way round it would be.
    const [hi, lo] = [7, 5];
    expect(ownerOf(lo, 2)).toBe(0);
    const pairs = runner.alloc(8);
    new Int32Array(pairs).set([hi, lo]);
    const seeded = runner.send(0, { kind: 'seed', pairs, count: 1 });
    const deduped = runner.send(0, { kind: 'step', materialize: [], dedupe: [{ slot: 0, reserve: 0, streams: [{ memory: pairs, count: 1 }] }], expand: null });
    await seeded;
    const reply = await deduped;
    if (reply.kind !== 'step') throw new Error('a step task has a step reply');
    expect(reply.deduped[0].added).toEqual([0]);
    expect(new Uint8Array(reply.deduped[0].flags[0])[0]).toBe(0);
  });

  it('runs one of them a turn, so what came in meanwhile (a thread’s reply) is handled between them', async () => {
    const runner = handedOver();
    const pairs = runner.alloc(8);
    const order: string[] = [];
    const tasks = [1, 2, 3].map((k) => runner.send(0, { kind: 'seed', pairs, count: 0 }).then(() => order.push(`task ${k}`)));
    // Queued after all three were sent, as a reply that arrives while the first runs.
    setImmediate(() => order.push('reply'));
    await Promise.all(tasks);
    expect(order).toEqual(['task 1', 'reply', 'task 2', 'task 3']);
  });
});
