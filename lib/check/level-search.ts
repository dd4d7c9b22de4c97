/**
 * Breadth-first search over K partitions, one BFS level at a time, with the
 * exact order of the single-threaded explorer (explore.ts): the same distinct
 * states, the same first violation (so the same shortest trace), the same
 * counts at every bound.
 *
 * Per level (level-partition.ts does the work; a `PartitionRunner` runs it,
 * in worker threads, Web Workers, or in this thread):
 *   1. expand  — the frontier is cut into K contiguous ranges; each partition
 *      lists the successors of its range in order (fingerprint, parent, move).
 *      Concatenated in range order they are in the sequential explorer's order.
 *   2. dedupe  — partition i owns the fingerprints ≡ i (mod K) and inserts its
 *      own candidates in that order, flagging first occurrences of new states.
 *   3. here    — new states get their indices (parent links and move ordinals),
 *      up to the level's cut: a move that is a violation, or maxStates.
 *   4. materialize — K ranges of new states are rebuilt from their parent and
 *      move (recorded at expansion) into the next frontier and checked (invariants, deadlock, stuck).
 * The first event in that order ends the search, as in the sequential one.
 *
 * A level is processed in batches of its states, in order, which keeps the
 * order and bounds the memory the candidates take.
 *
 * Bounds (time, signal) are checked between batches.
 */
import { makeFingerprinter } from './canonical';
import type { ExploreOptions, ExploreOutcome } from './explore';
import {
  CANDIDATE_INTS,
  frontierView,
  pack,
  packingOf,
  type LevelChunk,
  type Memory,
  type PartitionReply,
  type PartitionTask,
} from './level-partition';
import { DEFAULT_MAX_STATES, type CheckStats, type Violation } from './result';
import { Semantics } from './semantics';
import { Column } from './store';
import type { System } from './system';

/** Runs one task on each partition (task i on partition i) and resolves with the replies in order. */
export interface PartitionRunner {
  readonly partitions: number;
  run(tasks: PartitionTask[]): Promise<PartitionReply[]>;
  /** Memory every partition can read and write. */
  alloc(bytes: number): Memory;
}

type Reply<K extends PartitionReply['kind']> = Extract<PartitionReply, { kind: K }>;

const NO_PARENT = 0xffffffff;

export interface LevelSearchOptions extends ExploreOptions {
  /** Frontier states expanded per round of the four phases (default: adapted to the progress interval, at most 16,384). */
  batchStates?: number;
}

export async function exploreLevels(system: System, runner: PartitionRunner, options: LevelSearchOptions = {}): Promise<ExploreOutcome> {
  // Batch size: fixed when asked; else adapted so a batch takes about half the progress
  // interval (progress is reported between batches), within [MIN_BATCH, MAX_BATCH].
  const fixedBatch = options.batchStates !== undefined ? Math.max(1, options.batchStates) : null;
  let batchSize = fixedBatch ?? MIN_BATCH;
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const progressEvery = options.progressEveryMs ?? 200;
  const K = runner.partitions;

  const semantics = new Semantics(system);
  const packing = packingOf(system);
  const parents = new Column((n) => new Uint32Array(n));
  const moves = semantics.maxMoves <= 255 ? new Column((n) => new Uint8Array(n)) : new Column((n) => new Uint16Array(n));

  let distinct = 0;
  let transitions = 0;
  let depth = 0;
  let frontierCount = 0;
  let tableBytes = 0;
  let peakLevelBytes = 0;

  const stats = (): CheckStats => {
    const elapsedMs = Math.round(Math.max(0, now() - started) * 10) / 10;
    const bytes = tableBytes + parents.bytes + moves.bytes + peakLevelBytes;
    return {
      distinctStates: distinct,
      transitions,
      depth,
      queue: frontierCount,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((distinct / elapsedMs) * 1000) : 0,
      bytes,
      bytesPerState: distinct > 0 ? Math.round((bytes / distinct) * 10) / 10 : 0,
    };
  };
  const pathTo = (index: number, extra: number | null): number[] => {
    const path: number[] = extra === null ? [] : [extra];
    for (let i = index; i !== 0; i = parents.get(i)) path.push(moves.get(i));
    return path.reverse();
  };
  const found = (violation: Violation, index: number, extra: number | null): ExploreOutcome => {
    const path = pathTo(index, extra);
    const s = stats();
    s.depth = Math.max(s.depth, path.length);
    return { verdict: 'violation', violation, path, stats: s };
  };
  const incomplete = (reason: NonNullable<ExploreOutcome['incompleteReason']>): ExploreOutcome => ({
    verdict: 'incomplete',
    violation: null,
    incompleteReason: reason,
    path: null,
    stats: stats(),
  });
  const sumBytes = (replies: PartitionReply[]) => replies.reduce((n, r) => n + ('bytes' in r ? r.bytes : 0), 0);
  let lastReport = started;
  const report = () => {
    lastReport = now();
    const s = stats();
    options.onProgress?.({ distinctStates: s.distinctStates, transitions, depth, queue: frontierCount, elapsedMs: s.elapsedMs, statesPerSecond: s.statesPerSecond });
  };
  /** Between batches: the time limit, the stop signal and progress. */
  const interrupted = (): ExploreOutcome | null => {
    const t = now();
    if (options.signal?.aborted) return incomplete('stopped');
    if (t - started > timeLimit) return incomplete('time-limit');
    if (options.onProgress && t - lastReport >= progressEvery) report();
    return null;
  };
  /** Runs one phase; while the partitions work, progress keeps its pace (figures as of the last batch). */
  const phase = async (tasks: PartitionTask[]): Promise<PartitionReply[]> => {
    if (!options.onProgress) return runner.run(tasks);
    const ticker = setInterval(() => now() - lastReport >= progressEvery && report(), Math.max(10, progressEvery / 2));
    try {
      return await runner.run(tasks);
    } finally {
      clearInterval(ticker);
    }
  };

  // ---- the initial state -----------------------------------------------------
  const { state: init, violation: initViolation } = semantics.initial();
  if (initViolation) return { verdict: 'violation', violation: initViolation, path: [], stats: stats() };
  const fp = new Int32Array(2);
  makeFingerprinter(system)(init, fp);
  const [hi, lo] = [fp[0], fp[1] === 0 && fp[0] === 0 ? 1 : fp[1]];
  tableBytes = sumBytes(await phase(Array.from({ length: K }, () => ({ kind: 'seed' as const, hi, lo }))));
  distinct = 1;
  parents.push(NO_PARENT);
  moves.push(0);
  const v0 = semantics.brokenInvariant(init) ?? semantics.terminalViolation(init);
  if (v0) return found(v0, 0, null);
  if (distinct >= maxStates) return incomplete('max-states');

  const rowBytes = Math.max(1, system.size) * packing.width;
  const first = runner.alloc(rowBytes);
  pack(packing, frontierView(packing, first), 0, init);
  /** The level being expanded, as the segments the batches of the level before produced. */
  let frontier: Segment[] = [{ memory: first, count: 1 }];
  frontierCount = 1;
  let levelBase = 0; // index of the level's first state

  const ranges = (from: number, n: number): Array<[number, number]> =>
    Array.from({ length: K }, (_, i) => [from + Math.floor((n * i) / K), from + Math.floor((n * (i + 1)) / K)] as [number, number]);

  for (;;) {
    const stop = interrupted();
    if (stop) return stop;
    if (frontierCount === 0) return { verdict: 'pass', violation: null, path: null, stats: stats() };
    if (depth >= maxDepth) return incomplete('max-depth');
    const next: Segment[] = [];
    let nextCount = 0;
    let segmentBase = levelBase;
    for (const segment of frontier) {
      // Batches in order: the same order as one pass over the level, with a bounded number of candidates in memory.
      for (let batch = 0, batchEnd = 0; batch < segment.count; batch = batchEnd) {
        batchEnd = Math.min(segment.count, batch + batchSize);
        const stop2 = interrupted();
        if (stop2) return stop2;
        const batchStarted = now();

        // 1. expand
        const expanded = (await phase(
          ranges(batch, batchEnd - batch).map(([from, to]) => ({ kind: 'expand' as const, frontier: segment.memory, from, to })),
        )) as Reply<'expand'>[];
        // The batch's cut: the first chunk whose expansion hit a violating move.
        let cutChunk = expanded.findIndex((r) => r.violation !== null);
        if (cutChunk < 0) cutChunk = K - 1;
        const kept = expanded.slice(0, cutChunk + 1);
        const chunks = kept.map((r) => ({ candidates: r.candidates, flags: runner.alloc(Math.max(1, r.count)), count: r.count }));
        /** Partition i's view of the chunks: only the candidates it owns. */
        const owned = (i: number): LevelChunk[] =>
          chunks.map((c, n) => ({ candidates: c.candidates, flags: c.flags, owned: kept[n].owned[i], ownedCount: kept[n].ownedCounts[i] }));

        // 2. dedupe
        const deduped = (await phase(Array.from({ length: K }, (_, i) => ({ kind: 'dedupe' as const, chunks: owned(i) })))) as Reply<'dedupe'>[];
        tableBytes = sumBytes(deduped);

        // 3. number the new states in order, up to the cut
        const added = deduped.reduce((n, r) => n + r.added, 0);
        const refsMemory = runner.alloc(Math.max(1, added) * 8);
        const refs = new Int32Array(refsMemory);
        let fresh = 0;
        let before = transitions; // transitions counted before the current chunk
        let capped = false;
        let cutTransitions = -1;
        for (let c = 0; c < chunks.length && !capped; c++) {
          const candidates = new Int32Array(chunks[c].candidates);
          const flags = new Uint8Array(chunks[c].flags);
          for (let k = 0; k < chunks[c].count; k++) {
            if (flags[k] === 0) continue;
            refs[fresh * 2] = candidates[k * CANDIDATE_INTS + 2];
            refs[fresh * 2 + 1] = candidates[k * CANDIDATE_INTS + 4];
            parents.push(segmentBase + candidates[k * CANDIDATE_INTS + 2]);
            moves.push(candidates[k * CANDIDATE_INTS + 3]);
            fresh++;
            if (distinct + fresh >= maxStates) {
              capped = true;
              cutTransitions = before + k + 1;
              break;
            }
          }
          before += chunks[c].count;
        }

        // 4. materialize and check the new states
        const produced = runner.alloc(Math.max(1, fresh) * rowBytes);
        const materialized = (await phase(
          ranges(0, fresh).map(([from, to]) => ({ kind: 'materialize' as const, frontier: segment.memory, next: produced, refs: refsMemory, from, to })),
        )) as Reply<'materialize'>[];
        const candidateBytes = chunks.reduce((n, c, i) => n + c.candidates.byteLength + c.flags.byteLength + kept[i].owned.reduce((m, o) => m + o.byteLength, 0), 0);
        peakLevelBytes = Math.max(peakLevelBytes, frontierBytes(frontier) + frontierBytes(next) + produced.byteLength + refsMemory.byteLength + candidateBytes);
        const broken = materialized.find((r) => r.violation !== null);
        if (broken) {
          const at = broken.violationAt;
          distinct += at + 1;
          transitions = transitionsThrough(chunks, transitions, at);
          depth++;
          return found(broken.violation!, distinct - 1, null);
        }
        distinct += fresh;
        if (capped) {
          transitions = cutTransitions;
          frontierCount = nextCount + fresh;
          return incomplete('max-states');
        }
        const cutReply = expanded[cutChunk];
        if (cutReply.violation) {
          // The violating move comes after every candidate before it.
          transitions = before + 1;
          return found(cutReply.violation, segmentBase + cutReply.violationParent, cutReply.violationOrdinal);
        }
        transitions = before;
        if (fresh > 0) next.push({ memory: produced, count: fresh });
        nextCount += fresh;
        if (fixedBatch === null) {
          const took = now() - batchStarted;
          if (took < progressEvery / 4) batchSize = Math.min(MAX_BATCH, batchSize * 2);
          else if (took > progressEvery / 2) batchSize = Math.max(MIN_BATCH, batchSize >> 1);
        }
      }
      segmentBase += segment.count;
    }
    levelBase += frontierCount;
    frontier = next;
    frontierCount = nextCount;
    if (nextCount > 0) depth++;
  }
}

/** Part of a BFS level, packed (level-partition.ts `pack`). */
interface Segment {
  memory: Memory;
  count: number;
}

const MIN_BATCH = 256;
const MAX_BATCH = 1 << 14;

const frontierBytes = (segments: Segment[]) => segments.reduce((n, s) => n + s.memory.byteLength, 0);

/** Transitions counted when the new state with level index `at` was found: through its candidate. */
function transitionsThrough(chunks: Array<{ flags: Memory; count: number }>, before: number, at: number): number {
  let seenNew = -1;
  let count = before;
  for (const chunk of chunks) {
    const flags = new Uint8Array(chunk.flags);
    for (let k = 0; k < chunk.count; k++) {
      if (flags[k] === 1 && ++seenNew === at) return count + k + 1;
    }
    count += chunk.count;
  }
  return count;
}
