/**
 * Breadth-first search over K partitions, one BFS level at a time, with the
 * exact order of the single-threaded explorer (explore.ts): the same distinct
 * states, the same first violation (so the same shortest trace), the same
 * counts at every bound.
 *
 * A level is cut into batches of its states, in order; each batch goes
 * through three parts (level-partition.ts does the work; a `PartitionRunner`
 * runs it, in worker threads, Web Workers, or in this thread):
 *   1. expand — the batch is cut into K contiguous ranges; partition i lists
 *      the successors of range i in order and keeps them. Concatenated in
 *      range order they are in the sequential explorer's order.
 *   2. dedupe — partition o owns the fingerprints ≡ o (mod K) and inserts
 *      them chunk by chunk in that order, flagging first occurrences.
 *   3. materialize — partition i copies the new states of its own chunk into
 *      the next frontier and checks them (invariants, deadlock, stuck); here
 *      they are numbered by a prefix sum over the chunks' counts.
 * The parts are pipelined: one step sends each partition materialize(b−2),
 * dedupe(b−1) and expand(b) in one message, so a batch costs one round trip
 * and one barrier. Work done past the end of the search (a violation, the
 * states bound) is simply dropped. A level's last batches drain the pipeline
 * before the next level starts: its frontier is what they produce.
 * The first event in the sequential order ends the search, as in the
 * sequential one.
 *
 * Bounds (time, signal) are checked between steps.
 */
import { makeFingerprinter } from './canonical';
import type { ExploreOptions, ExploreOutcome, SearchSnapshot } from './explore';
import { frontierView, MAX_RANGE, pack, packingOf, type Deduped, type Expanded, type Memory, type PartitionReply, type PartitionTask, type Piece } from './level-partition';
import { DEFAULT_MAX_STATES, type CheckStats, type Violation } from './result';
import { Semantics } from './semantics';
import { Column } from './store';
import type { System } from './system';

/** Runs one task on each partition (task i on partition i) and resolves with the replies in order. */
export interface PartitionRunner {
  readonly partitions: number;
  run(tasks: PartitionTask[]): Promise<PartitionReply[]>;
  /** Memory every partition can read. */
  alloc(bytes: number): Memory;
}

type StepReply = Extract<PartitionReply, { kind: 'step' }>;

const NO_PARENT = 0xffffffff;

export interface LevelSearchOptions extends ExploreOptions {
  /** Frontier states per batch (default: adapted to the progress interval, at most 16,384; 8,192 beyond 2 partitions). */
  batchStates?: number;
}

/** A batch of a level on its way through the pipeline. */
interface Batch {
  /** Which of the partitions' two buffer sets it uses. */
  slot: number;
  /** Its K ranges, as level indices [from, to). */
  ranges: Array<[number, number]>;
  expanded: Expanded[];
  /** The last chunk that counts: the first whose expansion hit a violating move, else K − 1. */
  cut: number;
  deduped: Deduped[];
  /** Per chunk: how many new states to materialize (fewer when the batch reaches maxStates). */
  limits: number[];
  capped: boolean;
}

/** Searches from the initial state, or resumes the one-thread search `from` stopped at the start of a level (explore.ts `handOff`). */
export async function exploreLevels(system: System, runner: PartitionRunner, options: LevelSearchOptions = {}, from?: SearchSnapshot): Promise<ExploreOutcome> {
  // Batch size: fixed when asked; else adapted so a step takes an eighth to a quarter of the progress
  // interval (progress is reported between steps), within [MIN_BATCH, maxBatch(K)].
  const fixedBatch = options.batchStates !== undefined ? Math.min(MAX_RANGE, Math.max(1, options.batchStates)) : null;
  let batchSize = fixedBatch ?? MIN_BATCH;
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = from?.started ?? now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const progressEvery = options.progressEveryMs ?? 200;
  const K = runner.partitions;

  const semantics = new Semantics(system);
  const packing = packingOf(system);
  const parents = from?.parents ?? new Column((n) => new Uint32Array(n));
  const moves: Column<Uint8Array | Uint16Array> = from?.moves ?? (semantics.maxMoves <= 255 ? new Column((n) => new Uint8Array(n)) : new Column((n) => new Uint16Array(n)));

  let distinct = 0;
  let transitions = from?.transitions ?? 0;
  let depth = from?.depth ?? 0;
  let frontierCount = 0;
  let tableBytes = 0;
  let peakLevelBytes = 0;

  /**
   * Parent links of materialized states not yet in the columns: they are
   * copied while the partitions run the next step, not between steps.
   */
  const unlinked: Array<{ links: Memory; count: number }> = [];
  const link = () => {
    for (const { links: memory, count } of unlinked) {
      const links = new Int32Array(memory);
      for (let s = 0; s < count; s++) {
        parents.push(links[s * 2]);
        moves.push(links[s * 2 + 1]);
      }
    }
    unlinked.length = 0;
  };

  const stats = (): CheckStats => {
    link();
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
    link();
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
  let lastReport = started;
  const report = () => {
    lastReport = now();
    const s = stats();
    options.onProgress?.({ distinctStates: s.distinctStates, transitions, depth, queue: frontierCount, elapsedMs: s.elapsedMs, statesPerSecond: s.statesPerSecond });
  };
  /** Between steps: the time limit, the stop signal and progress. */
  const interrupted = (): ExploreOutcome | null => {
    const t = now();
    if (options.signal?.aborted) return incomplete('stopped');
    if (t - started > timeLimit) return incomplete('time-limit');
    if (options.onProgress && t - lastReport >= progressEvery) report();
    return null;
  };
  /** Runs one step; while the partitions work, progress keeps its pace (figures as of the last step). */
  const run = async (tasks: PartitionTask[]): Promise<PartitionReply[]> => {
    if (!options.onProgress) return runner.run(tasks);
    const ticker = setInterval(() => now() - lastReport >= progressEvery && report(), Math.max(10, progressEvery / 2));
    try {
      return await runner.run(tasks);
    } finally {
      clearInterval(ticker);
    }
  };

  const rowBytes = Math.max(1, system.size) * packing.width;
  /** The level being expanded, as the pieces the batches of the level before produced. */
  let frontier: Segment[];
  let levelBase: number; // index of the level's first state
  if (from) {
    // ---- resuming: the partitions take the stored fingerprints they own; the level is the queue --
    const stored = from.seen.size;
    const pairs = runner.alloc(stored * 8);
    from.seen.copyPairs(new Int32Array(pairs));
    const seeded = await run(Array.from({ length: K }, () => ({ kind: 'seed' as const, pairs, count: stored })));
    tableBytes = seeded.reduce((n, r) => n + r.tableBytes, 0);
    distinct = stored;
    // In segments of at most a batch: a step's message carries the segments its ranges read, and
    // without shared memory it carries copies (one segment of the whole level cost 4× the search at N=7).
    frontier = [];
    for (let at = 0; at < from.frontier.length; at += MAX_SEGMENT) {
      const count = Math.min(MAX_SEGMENT, from.frontier.length - at);
      const memory = runner.alloc(count * rowBytes);
      from.frontier.copyPacked(frontierView(packing, memory), at, count);
      frontier.push({ memory, count });
    }
    frontierCount = from.frontier.length;
    levelBase = distinct - frontierCount;
  } else {
    // ---- the initial state ---------------------------------------------------------------
    const { state: init, violation: initViolation } = semantics.initial();
    if (initViolation) return { verdict: 'violation', violation: initViolation, path: [], stats: stats() };
    const fp = new Int32Array(2);
    makeFingerprinter(system)(init, fp);
    const pairs = runner.alloc(8);
    new Int32Array(pairs).set([fp[0], fp[1] === 0 && fp[0] === 0 ? 1 : fp[1]]);
    const seeded = await run(Array.from({ length: K }, () => ({ kind: 'seed' as const, pairs, count: 1 })));
    tableBytes = seeded.reduce((n, r) => n + r.tableBytes, 0);
    distinct = 1;
    parents.push(NO_PARENT);
    moves.push(0);
    const v0 = semantics.brokenInvariant(init) ?? semantics.terminalViolation(init);
    if (v0) return found(v0, 0, null);
    if (distinct >= maxStates) return incomplete('max-states');
    const first = runner.alloc(rowBytes);
    pack(packing, frontierView(packing, first), 0, init);
    frontier = [{ memory: first, count: 1 }];
    frontierCount = 1;
    levelBase = 0;
  }
  let batchCounter = 0; // numbers batches across levels: consecutive batches use different slots

  /**
   * Each partition's share of the next batch. Any split keeps the order (ranges are
   * contiguous and concatenated in order); this one follows each partition's measured
   * pace, so one slowed by the machine's other work (or by its share of the batch
   * before) gets less, and the barrier waits less for it.
   */
  const shares = new Float64Array(K).fill(1 / K);
  const rebalance = (replies: StepReply[], e: Batch) => {
    let paceSum = 0;
    const paces = e.ranges.map(([from, to], i) => {
      const pace = (to - from + 1) / Math.max(0.05, replies[i].busyMs);
      paceSum += pace;
      return pace;
    });
    // Halfway towards the measured paces (damped: a step's times are noisy), within [¼, 4] × even.
    for (let i = 0; i < K; i++) shares[i] = Math.min(4 / K, Math.max(0.25 / K, (shares[i] + paces[i] / paceSum) / 2));
    const sum = shares.reduce((a, b) => a + b, 0);
    for (let i = 0; i < K; i++) shares[i] /= sum;
  };
  const split = (from: number, to: number): Array<[number, number]> => {
    const ranges: Array<[number, number]> = [];
    let at = from;
    let cumulative = 0;
    for (let i = 0; i < K; i++) {
      cumulative += shares[i];
      const end = i === K - 1 ? to : Math.min(to, from + Math.round((to - from) * cumulative));
      ranges.push([at, Math.max(at, end)]);
      at = Math.max(at, end);
    }
    return ranges;
  };

  for (;;) {
    const stop = interrupted();
    if (stop) return stop;
    if (frontierCount === 0) return { verdict: 'pass', violation: null, path: null, stats: stats() };
    if (depth >= maxDepth) return incomplete('max-depth');
    const level = new Level(frontier);
    frontier = [];
    const next: Segment[] = [];
    let nextCount = 0;
    let expandFrom = 0; // the next batch starts at this level index
    let expanding = true; // false once a violating move or the states bound ends expansion
    let toDedupe: Batch | null = null;
    let toMaterialize: Batch | null = null;

    while ((expanding && expandFrom < frontierCount) || toDedupe || toMaterialize) {
      const stop2 = interrupted();
      if (stop2) return stop2;
      const stepStarted = now();
      let toExpand: Batch | null = null;
      if (expanding && expandFrom < frontierCount) {
        const to = Math.min(frontierCount, expandFrom + batchSize);
        toExpand = { slot: batchCounter++ & 1, ranges: split(expandFrom, to), expanded: [], cut: K - 1, deduped: [], limits: [], capped: false };
        expandFrom = to;
      }
      const m = toMaterialize;
      const d = toDedupe;
      const e = toExpand;
      const tasks: PartitionTask[] = Array.from({ length: K }, (_, i) => ({
        kind: 'step' as const,
        materialize:
          m && i <= m.cut && m.limits[i] > 0
            ? { slot: m.slot, flags: m.deduped.map((r) => r.flags[i]), limit: m.limits[i], parentBase: levelBase + m.ranges[i][0] }
            : null,
        dedupe: d ? { slot: d.slot, streams: d.expanded.slice(0, d.cut + 1).map((r) => ({ memory: r.streams[i], count: r.ownedCounts[i] })) } : null,
        expand: e ? { slot: e.slot, pieces: level.pieces(e.ranges[i][0], e.ranges[i][1]) } : null,
      }));
      const pending = run(tasks);
      link();
      const replies = (await pending) as StepReply[];
      tableBytes = replies.reduce((n, r) => n + r.tableBytes, 0);
      const scratch = replies.reduce((n, r) => n + r.scratchBytes, 0);

      // materialize(b−2): number its new states, in chunk order; the first event ends the search.
      if (m) {
        toMaterialize = null;
        let before = transitions;
        for (let c = 0; c <= m.cut; c++) {
          const r = replies[c].materialized;
          if (r && r.count > 0) {
            unlinked.push({ links: r.links, count: r.count });
            distinct += r.count;
            next.push({ memory: r.rows, count: r.count });
            nextCount += r.count;
          }
          if (r?.violation) {
            transitions = before + r.through;
            depth++;
            return found(r.violation, distinct - 1, null);
          }
          if (m.capped && r && distinct >= maxStates) {
            transitions = before + r.through;
            frontierCount = nextCount;
            return incomplete('max-states');
          }
          before += m.expanded[c].count;
        }
        const cutReply = m.expanded[m.cut];
        if (cutReply.violation) {
          // The violating move comes after every candidate before it.
          transitions = before + 1;
          return found(cutReply.violation, levelBase + m.ranges[m.cut][0] + cutReply.violationParent, cutReply.violationOrdinal);
        }
        transitions = before;
      }

      // dedupe(b−1): how many new states each chunk has, up to the states bound.
      if (d) {
        toDedupe = null;
        d.deduped = replies.map((r) => r.deduped!);
        let room = maxStates - distinct;
        for (let c = 0; c <= d.cut; c++) {
          const fresh = d.deduped.reduce((n, r) => n + r.added[c], 0);
          d.limits.push(Math.min(fresh, room));
          if (fresh >= room) {
            d.capped = true;
            d.cut = c;
            break;
          }
          room -= fresh;
        }
        toMaterialize = d;
        if (d.capped) {
          expanding = false;
          continue; // the batch just expanded comes after the bound: dropped
        }
      }

      // expand(b)
      if (e) {
        if (K > 1) rebalance(replies, e);
        e.expanded = replies.map((r) => r.expanded!);
        const cut = e.expanded.findIndex((r) => r.violation !== null);
        if (cut >= 0) {
          e.cut = cut;
          expanding = false;
        }
        toDedupe = e;
      }

      // The frontier before the oldest batch still in flight is done with: let it go.
      level.release(toMaterialize?.ranges[0][0] ?? toDedupe?.ranges[0][0] ?? expandFrom);
      peakLevelBytes = Math.max(peakLevelBytes, level.bytes + frontierBytes(next) + scratch);

      if (fixedBatch === null) {
        const took = now() - stepStarted;
        if (took < progressEvery / 8) batchSize = Math.min(maxBatch(K), batchSize * 2);
        else if (took > progressEvery / 4) batchSize = Math.max(MIN_BATCH, batchSize >> 1);
      }
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
/** States per segment of a handed-over level (the largest batch). */
const MAX_SEGMENT = 1 << 14;
/**
 * Each step costs a round trip and a barrier, so larger batches are faster; but a batch's
 * candidates are kept until materialized (about 40 bytes each, two batches at once), and K
 * partitions also hold K visited sets: 16,384 states up to 2 partitions, 8,192 beyond, keep
 * the total at N=7 of the Spin benchmark under 24 bytes a state.
 */
const maxBatch = (partitions: number) => (partitions <= 2 ? 1 << 14 : 1 << 13);

const frontierBytes = (segments: Segment[]) => segments.reduce((n, s) => n + s.memory.byteLength, 0);

/** The level being expanded: its segments, released as the batches move past them. */
class Level {
  private readonly segments: Array<Segment | null>;
  private readonly starts: number[] = [];
  private released = 0; // segments before this one are released
  bytes = 0;

  constructor(segments: Segment[]) {
    this.segments = [...segments];
    let at = 0;
    for (const s of segments) {
      this.starts.push(at);
      at += s.count;
      this.bytes += s.memory.byteLength;
    }
  }

  /** The pieces that hold the level's states [from, to). */
  pieces(from: number, to: number): Piece[] {
    const { segments, starts } = this;
    const pieces: Piece[] = [];
    // The last segment starting at or before `from`.
    let lo = this.released;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= from) lo = mid;
      else hi = mid - 1;
    }
    for (let s = lo; s < segments.length && starts[s] < to; s++) {
      const segment = segments[s]!;
      const a = Math.max(from, starts[s]) - starts[s];
      const b = Math.min(to, starts[s] + segment.count) - starts[s];
      if (b > a) pieces.push({ memory: segment.memory, from: a, to: b });
    }
    return pieces;
  }

  /** Drops the segments that end at or before level index `upTo`. */
  release(upTo: number): void {
    while (this.released < this.segments.length && this.starts[this.released] + this.segments[this.released]!.count <= upTo) {
      this.bytes -= this.segments[this.released]!.memory.byteLength;
      this.segments[this.released++] = null;
    }
  }
}
