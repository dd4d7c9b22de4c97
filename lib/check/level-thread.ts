/**
 * What a partition's thread runs (a Node worker thread or a Web Worker):
 * build its partition from its setup, warm it up, say it is ready. Kept
 * apart from level-runner.ts so that a thread's script holds only the
 * search: not the validator and zod (about 600 KB a thread parsed, then ran
 * to analyze the model again, 50–60 ms before its partition could be built).
 */
import { Partition, partitionCode, type Memory, type PartitionSetup } from './level-partition';
import { exploreLevels, type PartitionRunner } from './level-search';

/** What a thread does once its partition is built and warmed up, before its "ready" message: sets its flag (PartitionSetup `ready`). */
export function raiseReady(setup: PartitionSetup): void {
  if (setup.ready) Atomics.store(new Int32Array(setup.ready), setup.index, 1);
}

/** Builds a partition from its setup (the analyzed model it carries, cloned or deserialized into the thread). */
export function createPartition(setup: PartitionSetup, alloc: (bytes: number) => Memory): Partition {
  return new Partition(setup, partitionCode(setup.model, setup.scenario, setup.options), alloc);
}

/** How long a thread's partition warms up before it says it is ready (the search goes on meanwhile: checkScenarioScaled). */
export const WARM_UP_MS = 100;

/** The most states a warm-up visits. */
const WARM_UP_STATES = 20_000;

/**
 * The most peers a warm-up runs, whatever the number of partitions: the code
 * is the same for any number, and one peer a partition made K threads hold
 * K² peers' buffers (31 threads ready on the Spin model: 1.5 GB, now 0.5 GB).
 */
const WARM_UP_PEERS = 4;

/**
 * Warms a thread's partition up before its first task: a private search of
 * the model's first states (up to WARM_UP_STATES, for up to `ms`) by peers
 * that run the partition's own code (`Partition.peer`), through the same
 * tasks as the real search, each structured-cloned as a message is. So the
 * JIT has seen every part (expand, dedupe, materialize) with the objects
 * messages bring, and has optimised them, by the time the real tasks come.
 * A thread that warmed up only the model's steps recompiled its partition's
 * methods six to ten times during the search (`node --trace-opt`), on the
 * same cores as the search.
 */
export async function warmUp(partition: Partition, ms: number): Promise<void> {
  const count = Math.min(partition.partitions, WARM_UP_PEERS);
  const peers = Array.from({ length: count }, (_, i) => partition.peer(i, count));
  const runner: PartitionRunner = {
    partitions: peers.length,
    alloc: partition.alloc,
    send: async (i, task) => peers[i].handle(structuredClone(task)),
  };
  await exploreLevels(partition.system, runner, { maxStates: WARM_UP_STATES, timeLimitMs: ms });
}
