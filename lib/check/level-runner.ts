/**
 * Entry points of the level-parallel search: check a scenario with a
 * `PartitionRunner` (worker threads in bin/, Web Workers in the browser, or
 * partitions run one after another in this thread — what the tests use to
 * prove the parallel order equals the sequential one).
 */
import type { AnalyzedModel } from '../model/analyzed';
import { checkResultOf, checkScenario, type CheckScenarioOptions } from './check';
import { explore, progressOf, type SearchSnapshot } from './explore';
import { Partition, type Memory, type PartitionReply, type PartitionSetup, type PartitionTask } from './level-partition';
import { exploreLevels, type LevelSearchOptions, type PartitionRunner } from './level-search';
import { createPartition, raiseReady } from './level-thread';
import { DEFAULT_MAX_STATES, type CheckResult } from './result';
import { compileSystem } from './system';
import { canShareMemory } from './thread-replies';

export type { PartitionRunner } from './level-search';
export type { PartitionTask, PartitionReply, PartitionSetup, Memory } from './level-partition';

/** What a thread needs to build its partition: the analyzed model (copied into the thread), the scenario and the options. */
export function partitionSetups(model: AnalyzedModel, scenario: string, options: CheckScenarioOptions, partitions: number, ready?: Memory): PartitionSetup[] {
  const checkOptions = { symmetry: options.symmetry, mergeLocalSteps: options.mergeLocalSteps };
  return Array.from({ length: partitions }, (_, index) => ({ model, scenario, options: checkOptions, index, partitions, ...(ready ? { ready } : {}) }));
}

/**
 * The partitions of `setups` in this thread, as threads started for them
 * would be (`partitionSetups` makes the setups of a whole search): the
 * parallel algorithm without threads. With `copies`, every task and reply is
 * structured-cloned, as messages are between Web Workers without shared
 * memory. With `interleave` (a source of random numbers in [0, 1)), each task
 * runs later, the partitions' tasks in a random interleaving (each
 * partition's in the order sent), as threads of unequal speed would run
 * them; without it, a task runs when sent.
 */
export function inThreadRunner(setups: PartitionSetup[], how: { copies?: boolean; interleave?: () => number } = {}): ClosableRunner {
  const partitions = setups.length;
  const alloc = (bytes: number) => new ArrayBuffer(bytes);
  // Each from a structured clone of its setup, as a thread receives it.
  const parts = setups.map((setup) => createPartition(structuredClone(setup), alloc));
  const handle = (i: number, task: PartitionTask) => (how.copies ? structuredClone(parts[i].handle(structuredClone(task))) : parts[i].handle(task));
  const random = how.interleave;
  if (!random) return { partitions, alloc, send: async (i, task) => handle(i, task), close: () => {} };
  const queues = parts.map(() => [] as Array<{ task: PartitionTask; resolve: (reply: PartitionReply) => void; reject: (error: unknown) => void }>);
  // One task runs per task sent, on a partition picked at random among those with tasks waiting.
  const runOne = () => {
    const waiting = queues.filter((q) => q.length > 0);
    const queue = waiting[Math.floor(random() * waiting.length)];
    const { task, resolve, reject } = queue.shift()!;
    try {
      resolve(handle(queues.indexOf(queue), task));
    } catch (error) {
      reject(error);
    }
  };
  return {
    partitions,
    alloc,
    send: (i, task) =>
      new Promise((resolve, reject) => {
        queues[i].push({ task, resolve, reject });
        // A few turns later: replies from several partitions then arrive together, in any order.
        let turns = Math.floor(random() * 4);
        const later = () => (turns-- > 0 ? queueMicrotask(later) : runOne());
        queueMicrotask(later);
      }),
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
 * With threads asked for, they start once the search has stored this many
 * states, before the hand-off point: they are ready that much sooner (N=7
 * of the Spin benchmark reaches 2,000 states a few milliseconds into its
 * search and 20,000 some 80 ms in), and a model too small to reach it (every
 * example) starts none (starting and stopping two cost a check 60–80 ms).
 */
export const ASKED_THREADS_START = 2_000;

/**
 * With the threads left to choose (`auto`), a search stays in the calling
 * thread until it has run this long: most checks end sooner, and for them
 * starting threads and coordinating them cost more than they save. On the
 * 2-core machine of docs/checker.md (Spin benchmark, no reductions, medians
 * of three): N=6 took 0.68 s with threads due at 2 s (never started), 0.70 s
 * at 1 s (never started) and 0.96 s at 0.5 s (started, mostly not used); N=7
 * took 4.99 s, 3.95 s and 4.08 s.
 */
export const AUTO_HAND_OFF_MS = 1000;

/** While threads start, the calling thread goes on searching in slices: each ends about this long after it began (at its next 1,024th state), to let their messages in. */
const WHILE_STARTING_MS = 25;

/** When the search is handed to the threads, and how this thread learns that they are ready. */
export interface HandOver {
  /** After SMALL_SPACE states (`asked`: the user asked for threads) or AUTO_HAND_OFF_MS (`auto`). */
  when: 'asked' | 'auto';
  /**
   * `flags`: each thread raises a flag in shared memory, read every 1,024
   * states, for threads that start while this one is busy (Node's worker
   * threads, created before `start` first awaits, as the CLI's bundled
   * worker is). `messages`: their "ready" message, let in between slices of
   * the search: a browser starts the Web Workers a worker creates only when
   * that worker's event loop turns (Chromium 150: a worker that searched for
   * three seconds never saw its new worker's flag).
   */
  readiness: 'flags' | 'messages';
}

/**
 * Checks one scenario, in `partitions` threads when it is large. It starts in
 * this thread; past the hand-off point (SMALL_SPACE states when the
 * threads were asked for, AUTO_HAND_OFF_MS when `auto`), the search goes on
 * here until the threads are ready (they take 0.15–0.5 s to load, compile and
 * warm up the model), so no time is spent waiting for them. Threads asked for
 * start before the hand-off point (ASKED_THREADS_START), and are stopped if
 * the search ends before it; left to choose, they start at it. Then they take
 * the search over where it stands, even inside a level (level-search.ts
 * resumes it). Both searches visit states in the same
 * order, so the verdict, counts and trace are the same whichever runs; if the
 * threads cannot start, the search simply goes on here. `start` starts a
 * thread per partition (worker threads in Node, Web Workers in the browser),
 * and stops them if its signal is aborted before they are ready.
 */
export async function checkScenarioScaled(
  model: AnalyzedModel,
  scenario: string,
  partitions: number,
  start: (setups: PartitionSetup[], signal: AbortSignal) => Promise<ClosableRunner>,
  options: CheckScenarioOptions = {},
  { when, readiness }: HandOver = { when: 'asked', readiness: 'flags' },
): Promise<CheckResult> {
  const limit = options.maxStates ?? DEFAULT_MAX_STATES;
  if (partitions <= 1 || limit <= SMALL_SPACE) return checkScenario(model, scenario, options);
  const system = compileSystem(model, scenario, options);
  // The threads raise a flag once ready, and this thread searches on until it sees them all (it
  // looks every 1,024 states); or (threads that start only between this thread's tasks, or no shared memory)
  // it searches in slices, letting the threads' "ready" messages in between.
  const flags = readiness === 'flags' && canShareMemory() ? new Int32Array(new SharedArrayBuffer(4 * partitions)) : null;
  let starting: Starting | null = null;
  try {
    const setups = partitionSetups(model, scenario, options, partitions, flags?.buffer);
    // This thread is partition 0: threads start for the others. Threads asked for start at
    // ASKED_THREADS_START states, to be ready sooner after the hand-off point; left to choose, at it.
    if (flags) raiseReady(setups[0]);
    let outcome = explore(system, { ...options, handOff: when === 'auto' ? { afterMs: AUTO_HAND_OFF_MS } : { afterStates: ASKED_THREADS_START } });
    if (outcome.snapshot) starting = starts((signal) => start(setups.slice(1), signal));
    if (outcome.snapshot && when === 'asked') outcome = explore(system, { ...options, handOff: { afterStates: SMALL_SPACE } }, outcome.snapshot);
    if (outcome.snapshot && flags) {
      // One call, not slices: a search resumed many times over ran at half speed in a fresh process.
      outcome = explore(system, { ...options, handOff: { when: () => flags.every((flag, i) => Atomics.load(flags, i) === 1) } }, outcome.snapshot);
    }
    let reported = Date.now();
    while (outcome.snapshot && !flags && !starting!.settled) {
      // A turn of the event loop lets the threads' "ready" in.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (starting!.settled) break;
      outcome = explore(system, { ...options, handOff: { afterMs: WHILE_STARTING_MS } }, outcome.snapshot);
      // Each slice is shorter than the progress interval: report between them.
      if (options.onProgress && Date.now() - reported >= (options.progressEveryMs ?? 200)) {
        reported = Date.now();
        options.onProgress(progressOf(outcome.stats));
      }
    }
    const snapshot = outcome.snapshot;
    if (!snapshot) return checkResultOf(system, scenario, outcome, options);
    const threads = await starting!.runner.catch(() => null);
    const last = threads ? await exploreLevels(system, withThisThread(threads, setups[0], snapshot), options, snapshot) : explore(system, options, snapshot);
    return checkResultOf(system, scenario, last, options);
  } finally {
    // Threads still starting when the search ended are stopped where they are.
    if (starting && !starting.settled) starting.abort.abort();
    if (starting) await starting.runner.then((runner) => runner.close(), () => {});
  }
}

/**
 * The threads' runner with this thread as partition 0, running the code its
 * own search compiled (and the JIT optimised): one thread fewer to start, to
 * compile the model for, and to share the cores with. Its tasks run one per
 * turn of the event loop, in the order sent, so that the threads' replies
 * (and their next tasks) come in between.
 */
export function withThisThread(threads: PartitionRunner, setup: PartitionSetup, snapshot: SearchSnapshot): PartitionRunner {
  const { semantics, fingerprint } = snapshot.engine;
  const partition = new Partition(setup, { system: semantics.system, semantics, fingerprint }, threads.alloc);
  // One task a turn: the next is scheduled only once one has run. Scheduled together, tasks ran back
  // to back (Node runs every immediate queued before its check phase in that phase), with the threads'
  // replies waiting behind all of them: 255 of 400 of partition 0's tasks at N=7 with two partitions.
  const waiting: Array<() => void> = [];
  const runOne = () => {
    waiting.shift()!();
    if (waiting.length > 0) nextTurn(runOne);
  };
  return {
    partitions: threads.partitions + 1,
    alloc: threads.alloc,
    inThread: 0,
    send: (i, task) =>
      i > 0
        ? threads.send(i - 1, task)
        : new Promise((resolve, reject) => {
            const run = () => {
              try {
                resolve(partition.handle(task));
              } catch (error) {
                reject(error);
              }
            };
            if (waiting.push(run) === 1) nextTurn(runOne);
          }),
  };
}

/** Runs `run` at a later turn of the event loop, after the messages that have come in (in the order called). */
function nextTurn(run: () => void): void {
  const setImmediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
  if (setImmediate) setImmediate(run);
  else (ownMessages ??= messagesToSelf())(run);
}
let ownMessages: ((run: () => void) => void) | null = null;

/** Browsers: a message to itself is a task of its own, without setTimeout's clamp. */
function messagesToSelf(): (run: () => void) => void {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()!();
  return (run) => {
    waiting.push(run);
    channel.port2.postMessage(null);
  };
}

interface Starting {
  runner: Promise<ClosableRunner>;
  settled: boolean;
  abort: AbortController;
}

function starts(start: (signal: AbortSignal) => Promise<ClosableRunner>): Starting {
  const abort = new AbortController();
  const starting: Starting = { runner: start(abort.signal), settled: false, abort };
  starting.runner.then(
    () => (starting.settled = true),
    () => (starting.settled = true),
  );
  return starting;
}
