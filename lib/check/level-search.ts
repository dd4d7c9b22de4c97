/**
 * Breadth-first search over K partitions with the exact order of the
 * single-threaded explorer (explore.ts): the same distinct states, the same
 * first violation (so the same shortest trace), the same counts at every
 * bound.
 *
 * The queue (every stored state, in order) is cut into batches of
 * consecutive states, none crossing a BFS level; each batch goes through
 * three parts (level-partition.ts does the work; a `PartitionRunner` runs it,
 * in worker threads, Web Workers, or in this thread):
 *   1. expand — the batch is cut into K contiguous ranges; partition i lists
 *      the successors of range i in order and keeps them. Concatenated in
 *      range order they are in the sequential explorer's order.
 *   2. dedupe — partition o owns the fingerprints ≡ o (mod K) and inserts
 *      them chunk by chunk in that order, batch after batch, flagging first
 *      occurrences.
 *   3. materialize — partition i copies the new states of its own chunk into
 *      the queue and checks them (invariants, deadlock, stuck); here they are
 *      numbered by a prefix sum over the chunks' counts.
 * There is no step every partition waits for: each part is sent to a
 * partition as soon as what it reads exists (a dedupe needs every
 * partition's expansion of its batch, a materialize every owner's flags),
 * and a partition ahead of the others expands up to SLOTS batches ahead.
 * Batches run across levels: the next level's first states exist (and are
 * expanded) long before the level before it is done. Results are taken in
 * batch order, so the first event in the sequential order ends the search;
 * work done past it (a violation, the states bound) is simply dropped.
 *
 * Bounds (time, signal) are checked as replies arrive.
 */
import { makeFingerprinter } from './canonical';
import { parentLinks, pathTo, progressOf, searchStats, type ExploreOptions, type ExploreOutcome, type SearchSnapshot } from './explore';
import {
  MAX_RANGE,
  pack,
  packingOf,
  SLOTS,
  type DedupePart,
  type Deduped,
  type Expanded,
  type ExpandPart,
  type Materialized,
  type MaterializePart,
  type Memory,
  type PartitionReply,
  type PartitionTask,
} from './level-partition';
import { DEFAULT_MAX_STATES, type CheckStats, type Violation } from './result';
import { Semantics } from './semantics';
import { Queue } from './level-queue';
import { viewOf } from './store';
import type { System } from './system';

/** Where the partitions run. */
export interface PartitionRunner {
  readonly partitions: number;
  /** Sends partition `i` a task and resolves with its reply; a partition runs its tasks in the order they were sent. */
  send(partition: number, task: PartitionTask): Promise<PartitionReply>;
  /** Memory every partition can read. */
  alloc(bytes: number): Memory;
  /** The partition that runs in the coordinating thread, between its other work, if one does. */
  inThread?: number;
}

type StepReply = Extract<PartitionReply, { kind: 'step' }>;

const NO_PARENT = 0xffffffff;

export interface LevelSearchOptions extends ExploreOptions {
  /** Queued states per batch (default: adapted to the progress interval, at most 8,192). */
  batchStates?: number;
}

/** A batch of the queue on its way through the three parts. */
interface Batch {
  seq: number;
  /** Which of the partitions' buffer sets it uses. */
  slot: number;
  /** The BFS level of its states. */
  level: number;
  /** Its K ranges, as queue indices [from, to). */
  ranges: Array<[number, number]>;
  /** Per partition, as their replies arrive; `due` counts those still to come. */
  expanded: Array<Expanded | null>;
  expandsDue: number;
  /** The last chunk that counts: the first whose expansion hit a violating move (or reached maxStates), else K − 1. */
  cut: number;
  /** Per partition: the fingerprints its expansions sent it (through the cut): at most that many are new. */
  owned: number[];
  /** What every partition makes room for before its dedupe (DedupePart `reserve`). */
  reserve: number;
  deduped: Array<Deduped | null>;
  dedupesDue: number;
  /** Per chunk: how many new states to materialize (fewer when the batch reaches maxStates); 0 sends no materialize. */
  limits: number[];
  capped: boolean;
  materialized: Array<Materialized | null>;
  materializesDue: number;
}

/** Which batches a message to a partition carried, part by part. */
interface Sent {
  materialize: number[];
  dedupe: number[];
  expand: number | null;
}

/** Messages a partition may have queued: with two, it finds its next task waiting when it finishes one. */
const OUTSTANDING = 2;

/** Searches from the initial state, or resumes the one-thread search where `from` stopped it (explore.ts `handOff`). */
export async function exploreLevels(system: System, runner: PartitionRunner, options: LevelSearchOptions = {}, from?: SearchSnapshot): Promise<ExploreOutcome> {
  const ticker = { id: null as ReturnType<typeof setInterval> | null };
  try {
    return await search(system, runner, options, from, ticker);
  } finally {
    if (ticker.id !== null) clearInterval(ticker.id);
  }
}

async function search(
  system: System,
  runner: PartitionRunner,
  options: LevelSearchOptions,
  from: SearchSnapshot | undefined,
  ticker: { id: ReturnType<typeof setInterval> | null },
): Promise<ExploreOutcome> {
  // Batch size: fixed when asked; else adapted so an expansion takes an eighth to a quarter of the
  // progress interval (Stop and the time limit are checked between replies), within [MIN_BATCH, maxBatch].
  const fixedBatch = options.batchStates !== undefined ? Math.min(MAX_RANGE, Math.max(1, options.batchStates)) : null;
  let batchSize = fixedBatch ?? MIN_BATCH;
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = from?.started ?? now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const progressEvery = options.progressEveryMs ?? 200;
  const K = runner.partitions;

  // A resumed search goes on with the one-thread search's compiled steps.
  const semantics = from?.engine.semantics ?? new Semantics(system);
  const packing = packingOf(system);
  const links = from ?? parentLinks(semantics.maxMoves);
  const { parents, moves } = links;

  let distinct = 0;
  let transitions = from?.transitions ?? 0;
  let depth = from?.depth ?? 0;
  const tableBytes = new Float64Array(K);
  /** Per partition: the fingerprints in its visited set after the dedupes taken, and at most how many more the batches between will add. */
  const tableEntries = new Float64Array(K);
  const pendingEntries = new Float64Array(K);
  const scratchBytes = new Float64Array(K);
  let peakQueueBytes = 0;
  const queue = new Queue(from ? from.seen.size - from.frontier.length : 0);
  /** Where each BFS level starts in the queue, as far as known: level d's start is known once level d − 2 is all committed. */
  const levelStarts = new Map<number, number>();

  /**
   * Parent links of committed states not yet in the columns: they are
   * copied while the partitions work, not while they wait.
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

  let expandFrom = 0; // the next batch starts at this queue index
  const stats = (): CheckStats => {
    link();
    return searchStats({
      distinctStates: distinct,
      transitions,
      depth,
      queue: Math.max(0, distinct - expandFrom),
      elapsedMs: now() - started,
      bytes: sum(tableBytes) + parents.bytes + moves.bytes + peakQueueBytes,
      threads: K,
    });
  };
  const found = (violation: Violation, index: number, extra: number | null): ExploreOutcome => {
    link();
    const path = pathTo(links, index, extra);
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
    options.onProgress?.(progressOf(stats()));
  };
  /** Between replies: the time limit, the stop signal and progress. */
  const interrupted = (): ExploreOutcome | null => {
    const t = now();
    if (options.signal?.aborted) return incomplete('stopped');
    if (t - started > timeLimit) return incomplete('time-limit');
    if (options.onProgress && t - lastReport >= progressEvery) report();
    return null;
  };
  // While the partitions work, progress keeps its pace (figures as of the last reply).
  if (options.onProgress) ticker.id = setInterval(() => now() - lastReport >= progressEvery && report(), Math.max(10, progressEvery / 2));

  const seedAll = async (pairs: Memory, count: number) => {
    const replies = await Promise.all(Array.from({ length: K }, (_, i) => runner.send(i, { kind: 'seed', pairs, count })));
    replies.forEach((r, i) => {
      tableBytes[i] = r.tableBytes;
      if (r.kind === 'seed') tableEntries[i] += r.owned;
    });
  };
  const rowBytes = packing.rowBytes;
  if (from) {
    // ---- resuming: the partitions take the stored fingerprints they own; the level is the queue --
    const stored = from.seen.size;
    const pairs = runner.alloc(stored * 8);
    from.seen.copyPairs(new Int32Array(pairs));
    await seedAll(pairs, stored);
    distinct = stored;
    const levelBase = distinct - from.frontier.length;
    // In segments of at most a batch: a message carries the segments its ranges read, and
    // without shared memory it carries copies (one segment of the whole level cost 4× the search at N=7).
    for (let at = 0; at < from.frontier.length; at += MAX_SEGMENT) {
      const count = Math.min(MAX_SEGMENT, from.frontier.length - at);
      const memory = runner.alloc(count * rowBytes);
      from.frontier.copyPacked(viewOf(packing, memory), at, count);
      queue.append({ memory, count });
    }
    // The frontier's first state is of level from.depth (the level may be partly expanded already).
    expandFrom = levelBase;
    levelStarts.set(from.depth + 1, from.nextLevelStart);
  } else {
    // ---- the initial state ---------------------------------------------------------------
    const { state: init, violation: initViolation } = semantics.initial();
    if (initViolation) return { verdict: 'violation', violation: initViolation, path: [], stats: stats() };
    const fp = new Int32Array(2);
    makeFingerprinter(system)(init, fp);
    const pairs = runner.alloc(8);
    new Int32Array(pairs).set(fp);
    await seedAll(pairs, 1);
    distinct = 1;
    parents.push(NO_PARENT);
    moves.push(0);
    const v0 = semantics.brokenInvariant(init) ?? semantics.terminalViolation(init);
    if (v0) return found(v0, 0, null);
    if (distinct >= maxStates) return incomplete('max-states');
    const first = runner.alloc(rowBytes);
    pack(packing, viewOf(packing, first), 0, init);
    queue.append({ memory: first, count: 1 });
    levelStarts.set(0, 0);
    levelStarts.set(1, 1);
  }
  let expandLevel = depth; // the level of the state at expandFrom

  // ---- the batches in flight, and how far each part has gone ------------------------------
  /** Batches not yet committed, oldest first: flight[k] has seq committed + k. */
  const flight: Batch[] = [];
  let created = 0; // batches created (the next one's seq)
  let expandsTaken = 0; // batches whose expansions are all in and looked at (their cut found)
  let dedupesTaken = 0; // batches whose dedupes are all in and looked at (their limits known)
  let committed = 0; // batches whose new states are numbered and stored
  let last = Infinity; // the batch a violating move or the states bound ends the search in: none later counts
  let fresh = 0; // new states of the batches whose dedupes are taken, beyond `distinct` at their start
  const expandsSent = new Array<number>(K).fill(0);
  const dedupesSent = new Array<number>(K).fill(0);
  const materializesSent = new Array<number>(K).fill(0);
  const outstanding = new Array<number>(K).fill(0); // messages sent, not yet answered
  const expanding = new Array<number>(K).fill(0); // of which carry an expansion
  const batch = (seq: number) => flight[seq - committed];
  // One expansion at a time (see dispatch), but two for the threads when this thread is a partition
  // too: their next one is then queued while this thread runs its own tasks and cannot send it.
  const expansionsAhead = (i: number) => (runner.inThread === undefined || runner.inThread === i ? 1 : 2);

  /**
   * Each partition's share of the next batch. Any split keeps the order (ranges are
   * contiguous and concatenated in order); this one evens out the partitions' busy time,
   * all parts counted: one slowed by the machine's other work (or by owning costlier
   * fingerprints) gets less to expand and materialize, and the others wait less for it.
   */
  const shares = new Float64Array(K).fill(1 / K);
  const busy = new Float64Array(K); // recent milliseconds of work, per partition (halved at each rebalance)
  const work = new Float64Array(K); // recent states expanded, likewise
  const rebalance = () => {
    if (busy.some((ms) => ms <= 0)) return;
    // States a millisecond of its time buys: shares in that ratio give every partition the same busy time
    // (dedupe work does not shrink with the range, so this settles where the times, not the paces, are equal).
    let paceSum = 0;
    const paces = Array.from(busy, (ms, i) => {
      const pace = (work[i] + 1) / ms;
      paceSum += pace;
      return pace;
    });
    // Halfway towards them (damped: times are noisy), within [¼, 4] × even.
    for (let i = 0; i < K; i++) shares[i] = Math.min(4 / K, Math.max(0.25 / K, (shares[i] + paces[i] / paceSum) / 2));
    const total = sum(shares);
    for (let i = 0; i < K; i++) {
      shares[i] /= total;
      busy[i] /= 2;
      work[i] /= 2;
    }
  };
  const split = (a: number, b: number): Array<[number, number]> => {
    const ranges: Array<[number, number]> = [];
    let at = a;
    let cumulative = 0;
    for (let i = 0; i < K; i++) {
      cumulative += shares[i];
      const end = i === K - 1 ? b : Math.min(b, a + Math.round((b - a) * cumulative));
      ranges.push([at, Math.max(at, end)]);
      at = Math.max(at, end);
    }
    return ranges;
  };

  /** Cuts the next batches from the queue's states not yet expanded, while some partition has a slot for them. */
  const createBatches = () => {
    for (;;) {
      if (last !== Infinity) return;
      if (created - SLOTS >= Math.max(committed, ...materializesSent)) return; // no partition could take it yet
      const levelEnd = levelStarts.get(expandLevel + 1);
      if (levelEnd !== undefined && expandFrom === levelEnd) {
        expandLevel++;
        continue;
      }
      if (expandLevel >= maxDepth) return;
      // The committed states: an unknown level end lies beyond them (the level before is still being committed).
      const end = Math.min(expandFrom + batchSize, distinct, levelEnd ?? Infinity);
      if (end <= expandFrom) return;
      flight.push({
        seq: created,
        slot: created % SLOTS,
        level: expandLevel,
        ranges: split(expandFrom, end),
        expanded: new Array(K).fill(null),
        expandsDue: K,
        cut: K - 1,
        owned: [],
        reserve: 0,
        deduped: new Array(K).fill(null),
        dedupesDue: K,
        limits: [],
        capped: false,
        materialized: new Array(K).fill(null),
        materializesDue: K,
      });
      created++;
      expandFrom = end;
    }
  };

  // ---- messages: each partition gets whatever is ready for it ------------------------------
  const arrived: Array<{ i: number; sent: Sent; reply: StepReply }> = [];
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const dispatch = (i: number) => {
    // Batches committed without a materialize here (none of its new states were in this chunk).
    if (materializesSent[i] < committed) materializesSent[i] = committed;
    const open = outstanding[i] < OUTSTANDING;
    const sent: Sent = { materialize: [], dedupe: [], expand: null };
    const task = { kind: 'step' as const, materialize: [] as MaterializePart[], dedupe: [] as DedupePart[], expand: null as ExpandPart | null };
    for (; materializesSent[i] < dedupesTaken && materializesSent[i] <= last; materializesSent[i]++) {
      const m = batch(materializesSent[i]);
      if (i > m.cut || m.limits[i] === 0) continue; // nothing to materialize here (counted as done when the limits were set)
      if (!open) break;
      task.materialize.push({ slot: m.slot, flags: m.deduped.map((r) => r!.flags[i]), limit: m.limits[i], parentBase: m.ranges[i][0] });
      sent.materialize.push(m.seq);
    }
    if (!open) return;
    for (; dedupesSent[i] < expandsTaken && dedupesSent[i] <= last; dedupesSent[i]++) {
      const d = batch(dedupesSent[i]);
      task.dedupe.push({ slot: d.slot, reserve: d.reserve, streams: d.expanded.slice(0, d.cut + 1).map((r) => ({ memory: r!.streams[i], count: r!.ownedCounts[i] })) });
      sent.dedupe.push(d.seq);
    }
    // Its slot is free once the batch SLOTS before it was materialized here (sent: this partition runs its tasks in order).
    // One expansion at a time (two for a thread when this thread is a partition too: `expansionsAhead`): a dedupe or
    // materialize sent later must not wait behind more, since the others wait for it.
    if (expanding[i] < expansionsAhead(i) && expandsSent[i] < created && expandsSent[i] <= last && expandsSent[i] - SLOTS < materializesSent[i]) {
      const e = batch(expandsSent[i]++);
      task.expand = { slot: e.slot, pieces: queue.pieces(e.ranges[i][0], e.ranges[i][1]) };
      sent.expand = e.seq;
      expanding[i]++;
    }
    if (task.materialize.length === 0 && task.dedupe.length === 0 && task.expand === null) return;
    outstanding[i]++;
    runner.send(i, task).then(
      (reply) => {
        arrived.push({ i, sent, reply: reply as StepReply });
        wake?.();
      },
      (error: unknown) => {
        failure ??= { error };
        wake?.();
      },
    );
  };

  /** Takes partition i's reply: its parts' results go to their batches. */
  const receive = ({ i, sent, reply }: { i: number; sent: Sent; reply: StepReply }) => {
    outstanding[i]--;
    if (sent.expand !== null) expanding[i]--;
    busy[i] += reply.busyMs;
    tableBytes[i] = reply.tableBytes;
    scratchBytes[i] = reply.scratchBytes;
    sent.materialize.forEach((seq, k) => {
      const m = batch(seq);
      m.materialized[i] = reply.materialized[k];
      m.materializesDue--;
    });
    sent.dedupe.forEach((seq, k) => {
      const d = batch(seq);
      d.deduped[i] = reply.deduped[k];
      d.dedupesDue--;
    });
    if (sent.expand !== null) {
      const e = batch(sent.expand);
      work[i] += e.ranges[i][1] - e.ranges[i][0];
      e.expanded[i] = reply.expanded;
      e.expandsDue--;
    }
  };

  /** Expansions all in, in batch order: the first violating move cuts the batch, and ends expansion. */
  const takeExpansions = () => {
    for (; expandsTaken < created && expandsTaken <= last && batch(expandsTaken).expandsDue === 0; expandsTaken++) {
      const e = batch(expandsTaken);
      if (K > 1) rebalance();
      if (fixedBatch === null) {
        const took = Math.max(...e.expanded.map((r) => r!.ms));
        if (took < progressEvery / 8) batchSize = Math.min(maxBatch(distinct), batchSize * 2);
        else if (took > progressEvery / 4) batchSize = Math.max(MIN_BATCH, batchSize >> 1);
      }
      const cut = e.expanded.findIndex((r) => r!.violation !== null);
      if (cut >= 0) {
        e.cut = cut;
        last = e.seq;
      }
      // Room in every visited set for as many as the fullest may hold after this batch: they all grow in
      // this batch's dedupe, at once, where one growing alone held the others up for as long as it took.
      let reserve = 0;
      for (let i = 0; i < K; i++) {
        let owned = 0;
        for (let c = 0; c <= e.cut; c++) owned += e.expanded[c]!.ownedCounts[i];
        e.owned.push(owned);
        pendingEntries[i] += owned;
        reserve = Math.max(reserve, tableEntries[i] + pendingEntries[i]);
      }
      e.reserve = reserve;
    }
  };

  /** Dedupes all in, in batch order: how many new states each chunk has, up to the states bound. */
  const takeDedupes = () => {
    for (; dedupesTaken < expandsTaken && dedupesTaken <= last && batch(dedupesTaken).dedupesDue === 0; dedupesTaken++) {
      const d = batch(dedupesTaken);
      for (let i = 0; i < K; i++) {
        tableEntries[i] += sum(d.deduped[i]!.added);
        pendingEntries[i] -= d.owned[i];
      }
      let room = maxStates - distinct - fresh;
      for (let c = 0; c <= d.cut; c++) {
        const added = d.deduped.reduce((n, r) => n + r!.added[c], 0);
        d.limits.push(Math.min(added, room));
        if (added >= room) {
          d.capped = true;
          d.cut = c;
          last = d.seq; // the batches after it come after the bound: dropped
          break;
        }
        room -= added;
      }
      fresh += sum(d.limits);
      for (let i = 0; i < K; i++) if (i > d.cut || d.limits[i] === 0) d.materializesDue--;
    }
  };

  /** Materializes all in, in batch order: the new states are numbered and queued; the first event ends the search. */
  const commit = (): ExploreOutcome | null => {
    while (committed < dedupesTaken && committed <= last && flight[0].materializesDue === 0) {
      const m = flight.shift()!;
      committed++;
      depth = m.level;
      let before = transitions;
      for (let c = 0; c <= m.cut; c++) {
        const r = m.materialized[c];
        if (r && r.count > 0) {
          unlinked.push({ links: r.links, count: r.count });
          distinct += r.count;
          fresh -= r.count;
          queue.append({ memory: r.rows, count: r.count });
        }
        if (r?.violation) {
          transitions = before + r.through;
          depth = m.level + 1;
          return found(r.violation, distinct - 1, null);
        }
        if (m.capped && r && distinct >= maxStates) {
          transitions = before + r.through;
          return incomplete('max-states');
        }
        before += m.expanded[c]!.count;
      }
      const cutReply = m.expanded[m.cut]!;
      if (cutReply.violation) {
        // The violating move comes after every candidate before it.
        transitions = before + 1;
        return found(cutReply.violation, m.ranges[m.cut][0] + cutReply.violationParent, cutReply.violationOrdinal);
      }
      transitions = before;
      // The level's last batch: every state of the next level is now known, so where the one after starts.
      if (m.ranges[K - 1][1] === levelStarts.get(m.level + 1)) levelStarts.set(m.level + 2, distinct);
    }
    return null;
  };

  for (;;) {
    createBatches();
    for (let i = 0; i < K; i++) dispatch(i);
    if (outstanding.every((n) => n === 0)) {
      // Nothing in flight and nothing to send: the queue is done with, or what is left lies beyond maxDepth.
      if (flight.length > 0) throw new Error('the level search stalled with batches in flight');
      if (expandFrom < distinct) {
        depth = Math.max(depth, maxDepth);
        return incomplete('max-depth');
      }
      return { verdict: 'pass', violation: null, path: null, stats: stats() };
    }
    link();
    peakQueueBytes = Math.max(peakQueueBytes, queue.bytes + sum(scratchBytes));
    while (arrived.length === 0 && failure === null) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    if (failure) throw (failure as { error: unknown }).error;
    for (const reply of arrived.splice(0)) receive(reply);
    takeExpansions();
    takeDedupes();
    const outcome = commit();
    if (outcome) return outcome;
    // The queue before the oldest batch still in flight is done with: let it go.
    queue.release(flight[0]?.ranges[0][0] ?? expandFrom);
    const stop = interrupted();
    if (stop) return stop;
  }
}

const sum = (values: ArrayLike<number>) => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
};

const MIN_BATCH = 256;
/** States per segment of a handed-over level. */
const MAX_SEGMENT = 1 << 14;
/**
 * The largest batch, once `stored` states are stored. Each batch costs
 * messages and the coordinator's work, so larger batches cost less; but a
 * batch's candidates are kept until materialized (a byte each, and 13 more
 * for those sent to an owner: fingerprint, flag and move; up to SLOTS batches
 * at once), which counts against the bytes a state. At N=7 of the Spin
 * benchmark with two threads (paired runs, docs/checker.md): 16,384 states
 * ran 0.91 of the time 8,192 took, at
 * 22.5 bytes a state against 22.1; 32,768 ran 0.97 of 16,384's (14 rounds),
 * at 22.0 bytes a state against 21.1, and 65,535 no faster than 32,768 at
 * 23.3. At N=8 with symmetry (692,746 states) 16,384 took 24.3–24.7 bytes a
 * state against 23.9: so the larger batches come once a million states are
 * stored.
 */
const maxBatch = (stored: number) => (stored >= 1 << 20 ? 1 << 15 : 1 << 13);
