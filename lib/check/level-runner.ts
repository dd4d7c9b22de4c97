/**
 * Entry points of the level-parallel search: check a scenario with a
 * `PartitionRunner` (worker threads in bin/, Web Workers in the browser, or
 * partitions run one after another in this thread — what the tests use to
 * prove the parallel order equals the sequential one).
 */
import type { AnalyzedModel } from '../model/analyzed';
import { analyzeModel } from '../model/validate';
import { checkResultOf, checkScenario, type CheckScenarioOptions } from './check';
import { explore } from './explore';
import { Partition, type Memory, type PartitionSetup } from './level-partition';
import { exploreLevels, type LevelSearchOptions, type PartitionRunner } from './level-search';
import { DEFAULT_MAX_STATES, type CheckResult } from './result';
import { compileSystem } from './system';

export type { PartitionRunner } from './level-search';
export type { PartitionTask, PartitionReply, PartitionSetup, Memory } from './level-partition';

/** What a worker needs to build its partition; `document` is the model's JSON. */
export function partitionSetups(model: AnalyzedModel, scenario: string, options: CheckScenarioOptions, partitions: number): PartitionSetup[] {
  const checkOptions = { symmetry: options.symmetry, mergeLocalSteps: options.mergeLocalSteps };
  return Array.from({ length: partitions }, (_, index) => ({ document: model.document, scenario, options: checkOptions, index, partitions }));
}

/** Builds a partition from its setup (in a worker: analyzes the document itself). */
export function createPartition(setup: PartitionSetup, alloc: (bytes: number) => Memory, model?: AnalyzedModel): Partition {
  let analyzed = model;
  if (!analyzed) {
    const result = analyzeModel(setup.document);
    if (!result.ok) throw new Error(`the model is not valid: ${result.issues[0]?.message ?? 'unknown problem'}`);
    analyzed = result.value;
  }
  return new Partition(setup, analyzed, setup.scenario, setup.options, alloc);
}

/**
 * K partitions run one after another in this thread: the parallel algorithm
 * without threads. With `copies`, every task and reply is structured-cloned,
 * as messages are between Web Workers without shared memory.
 */
export function inThreadRunner(model: AnalyzedModel, scenario: string, options: CheckScenarioOptions, partitions: number, copies = false): ClosableRunner {
  const alloc = (bytes: number) => new ArrayBuffer(bytes);
  const parts = partitionSetups(model, scenario, options, partitions).map((setup) => createPartition(setup, alloc, model));
  return {
    partitions,
    alloc,
    run: async (tasks) => tasks.map((task, i) => (copies ? structuredClone(parts[i].handle(structuredClone(task))) : parts[i].handle(task))),
    close: () => {},
  };
}

/** Checks one scenario by level-synchronous BFS over the runner's partitions. */
export async function checkScenarioInLevels(
  model: AnalyzedModel,
  scenario: string,
  runner: PartitionRunner,
  options: CheckScenarioOptions & Pick<LevelSearchOptions, 'batchStates'> = {},
): Promise<CheckResult> {
  const system = compileSystem(model, scenario, options);
  return checkResultOf(system, scenario, await exploreLevels(system, runner, options), options);
}

/** A runner whose threads are stopped by `close`. */
export interface ClosableRunner extends PartitionRunner {
  close(): void | Promise<void>;
}

/** With threads asked for, a search stays in the calling thread until it has stored this many states (starting threads would cost more). */
export const SMALL_SPACE = 20_000;

/**
 * With the threads left to choose (`auto`), a search stays in the calling
 * thread until it has run this long: most checks end sooner, and for them
 * starting threads (about 0.3 s) and coordinating them cost more than they
 * save. On the 2-core machine of docs/checker.md, N=6 of the Spin benchmark
 * took 0.65–0.86 s in one thread, and 1.09–1.33 s when handed to two threads
 * at 0.5 or 1 s; a search that long gains little from threads anyway.
 */
export const AUTO_HAND_OFF_MS = 2000;

/**
 * Checks one scenario, in `partitions` threads when it is large. It starts in
 * this thread; at the start of a level past the hand-off point (SMALL_SPACE
 * states when the threads were asked for, AUTO_HAND_OFF_MS when `auto`), the
 * threads take over the search where it stands (level-search.ts resumes it).
 * Both searches visit states in the same order, so the verdict, counts and
 * trace are the same whichever runs. `start` starts the threads (worker
 * threads in Node, Web Workers in the browser).
 */
export async function checkScenarioScaled(
  model: AnalyzedModel,
  scenario: string,
  partitions: number,
  start: () => Promise<ClosableRunner>,
  options: CheckScenarioOptions = {},
  when: 'asked' | 'auto' = 'asked',
): Promise<CheckResult> {
  const limit = options.maxStates ?? DEFAULT_MAX_STATES;
  if (partitions <= 1 || limit <= SMALL_SPACE) return checkScenario(model, scenario, options);
  const system = compileSystem(model, scenario, options);
  const first = explore(system, { ...options, handOff: when === 'auto' ? { afterMs: AUTO_HAND_OFF_MS } : { afterStates: SMALL_SPACE } });
  if (!first.snapshot) return checkResultOf(system, scenario, first, options);
  // Starting threads can take a moment (a browser loads the worker script): keep progress coming.
  const { distinctStates, transitions, depth, queue, statesPerSecond, elapsedMs } = first.stats;
  const began = Date.now() - elapsedMs;
  const ticker = options.onProgress
    ? setInterval(() => options.onProgress!({ distinctStates, transitions, depth, queue, statesPerSecond, elapsedMs: Date.now() - began }), options.progressEveryMs ?? 200)
    : null;
  let runner: ClosableRunner;
  try {
    runner = await start();
  } finally {
    if (ticker) clearInterval(ticker);
  }
  try {
    return checkResultOf(system, scenario, await exploreLevels(system, runner, options, first.snapshot), options);
  } finally {
    await runner.close();
  }
}
