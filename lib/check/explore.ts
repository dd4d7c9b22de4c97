/**
 * Breadth-first exploration of distinct states. Visiting in BFS order makes
 * every counterexample a shortest one. Per state it keeps a 64-bit
 * fingerprint, a parent index and the ordinal of the move that reached it;
 * the states themselves live only while queued, packed into bytes. The
 * fingerprint is symmetric (canonical.ts), so the queue holds real states and
 * a trace is rebuilt by replaying the recorded moves (see trace.ts).
 */
import { makeFingerprinter, type Fingerprinter } from './canonical';
import { DEFAULT_MAX_STATES, type CheckLimits, type CheckStats, type SearchIncompleteReason, type Verdict, type Violation } from './result';
import { Semantics } from './semantics';
import { Column, FingerprintSet, StateQueue } from './store';
import { RecentFingerprints } from './recent';
import type { System } from './system';

export type Progress = Pick<CheckStats, 'distinctStates' | 'transitions' | 'depth' | 'queue' | 'elapsedMs' | 'statesPerSecond' | 'threads'>;

/** What a progress report carries of a search's figures. */
export const progressOf = ({ distinctStates, transitions, depth, queue, elapsedMs, statesPerSecond, threads }: CheckStats): Progress => ({
  distinctStates,
  transitions,
  depth,
  queue,
  elapsedMs,
  statesPerSecond,
  ...(threads ? { threads } : {}),
});

export interface ExploreOptions extends CheckLimits {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Milliseconds between progress reports (default 200). */
  progressEveryMs?: number;
  /** Clock, injectable for determinism (default Date.now). */
  now?: () => number;
}

/**
 * When to stop and hand the search over to worker threads (level-search.ts
 * resumes it): once the search has stored `afterStates` states (checked at
 * every state), or this call has run `afterMs`, or `when()` says so (both
 * checked every 1,024 states and at each level's start), whichever comes
 * first. It may stop inside a level: threads that become ready take over
 * without waiting for the level to end. A resumed call first expands at
 * least one state.
 */
export interface HandOff {
  afterMs?: number;
  afterStates?: number;
  when?: () => boolean;
}

/** A stopped search: what the level-parallel search (or this one) needs to go on. */
export interface SearchSnapshot {
  /** Every stored state's fingerprint. */
  seen: FingerprintSet;
  /** The states not yet expanded: the last `frontier.length` stored, in order. */
  frontier: StateQueue;
  parents: Column<Uint32Array>;
  moves: Column<Uint8Array | Uint16Array>;
  transitions: number;
  /** The BFS level of the frontier's first state. */
  depth: number;
  /** Index of the first stored state of level `depth + 1` (the number stored when the frontier starts a level). */
  nextLevelStart: number;
  /** When the search started (the `now` clock). */
  started: number;
  /** The search's compiled step and fingerprint code and its cache, which a resumed search goes on with (already optimised by the JIT). */
  engine: { semantics: Semantics; fingerprint: Fingerprinter; recent: RecentFingerprints };
}

export interface ExploreOutcome {
  verdict: Verdict;
  violation: Violation | null;
  incompleteReason?: SearchIncompleteReason;
  /** Move ordinals from the initial state to the violating state (or to the state the violating move leaves). */
  path: number[] | null;
  stats: CheckStats;
  /** Present when the search stopped to be handed over (`handOff`); verdict is then 'incomplete'. */
  snapshot?: SearchSnapshot;
}

const NO_PARENT = 0xffffffff;

/** Per stored state, the index of the state it was reached from and by which of its moves (both searches keep these). */
export interface ParentLinks {
  parents: Column<Uint32Array>;
  moves: Column<Uint8Array | Uint16Array>;
}

/** Empty links; a move's ordinal takes one byte, unless a state can enable more than 255 moves. */
export function parentLinks(maxMoves: number): ParentLinks {
  return {
    parents: new Column((n) => new Uint32Array(n)),
    moves: maxMoves <= 255 ? new Column((n) => new Uint8Array(n)) : new Column((n) => new Uint16Array(n)),
  };
}

/** Move ordinals from the initial state (index 0) to state `index`, then `extra` (a move from it) when given. */
export function pathTo({ parents, moves }: ParentLinks, index: number, extra: number | null): number[] {
  const path: number[] = extra === null ? [] : [extra];
  for (let i = index; i !== 0; i = parents.get(i)) path.push(moves.get(i));
  return path.reverse();
}

/** A search's figures from its counts (elapsed milliseconds to a tenth, rates derived). */
export function searchStats(counts: Pick<CheckStats, 'distinctStates' | 'transitions' | 'depth' | 'queue' | 'elapsedMs' | 'bytes' | 'threads'>): CheckStats {
  const { distinctStates, transitions, depth, queue, bytes, threads } = counts;
  const elapsedMs = Math.round(Math.max(0, counts.elapsedMs) * 10) / 10;
  return {
    distinctStates,
    transitions,
    depth,
    queue,
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? Math.round((distinctStates / elapsedMs) * 1000) : 0,
    bytes,
    bytesPerState: distinctStates > 0 ? Math.round((bytes / distinctStates) * 10) / 10 : 0,
    ...(threads ? { threads } : {}),
  };
}

/** Searches from the initial state, or goes on with a stopped search (`from`: the snapshot a hand-off returned). */
export function explore(system: System, options: ExploreOptions & { handOff?: HandOff } = {}, from?: SearchSnapshot): ExploreOutcome {
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const callStarted = now();
  const started = from?.started ?? callStarted;
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const progressEvery = options.progressEveryMs ?? 200;

  const semantics = from?.engine.semantics ?? new Semantics(system);
  const fingerprint = from?.engine.fingerprint ?? makeFingerprinter(system);
  const seen = from?.seen ?? new FingerprintSet(1 << 10);
  const recent = from?.engine.recent ?? new RecentFingerprints();
  const links = from ?? parentLinks(semantics.maxMoves);
  const { parents, moves } = links;
  const handOff = options.handOff;
  const queue = from?.frontier ?? new StateQueue(system.size, system.slotRanges);
  const fp = new Int32Array(2);
  const current = new Int32Array(system.size);
  const moveList = new Int32Array(semantics.maxMoves);
  // The successors of the state being expanded, and their fingerprints.
  const successorRows = new Int32Array(Math.max(1, semantics.maxMoves) * system.size);
  const successors = Array.from({ length: Math.max(1, semantics.maxMoves) }, (_, i) => successorRows.subarray(i * system.size, (i + 1) * system.size));
  const fps = new Int32Array(Math.max(1, semantics.maxMoves) * 2);
  /** Per successor: 1 when the recent-fingerprint cache already knows it was seen. */
  const known = new Uint8Array(Math.max(1, semantics.maxMoves));

  let transitions = from?.transitions ?? 0;
  let depth = from?.depth ?? 0; // the level of the states being expanded
  let expanded = from ? seen.size - queue.length : 0;
  let levelEnd = from?.nextLevelStart ?? 1; // index of the first state of the next BFS level
  const resumedAt = expanded;
  let cutByDepth = false;

  const stats = (): CheckStats =>
    searchStats({
      distinctStates: seen.size,
      transitions,
      depth,
      queue: queue.length,
      elapsedMs: now() - started,
      bytes: seen.bytes + recent.bytes + parents.bytes + moves.bytes + queue.peakBytes,
    });
  const found = (violation: Violation, index: number, extra: number | null): ExploreOutcome => ({
    verdict: 'violation',
    violation,
    path: pathTo(links, index, extra),
    stats: stats(),
  });
  const withDepth = (o: ExploreOutcome): ExploreOutcome => {
    o.stats.depth = Math.max(o.stats.depth, o.path ? o.path.length : depth);
    return o;
  };
  const stateViolation = (s: Int32Array) => semantics.brokenInvariant(s) ?? semantics.terminalViolation(s);

  if (!from) {
    const { state: init, violation: initViolation } = semantics.initial();
    if (initViolation) return { verdict: 'violation', violation: initViolation, path: [], stats: stats() };
    fingerprint(init, fp);
    seen.add(fp[0], fp[1]);
    parents.push(NO_PARENT);
    moves.push(0);
    queue.push(init);
    const v0 = stateViolation(init);
    if (v0) return found(v0, 0, null);
    // The initial state counts against maxStates like any other (maxStates 1 used to store 2 states).
    if (seen.size >= maxStates) return { verdict: 'incomplete', violation: null, incompleteReason: 'max-states', path: null, stats: stats() };
  }

  /**
   * Expands the state just taken from the queue (the `index`-th stored) into
   * `current`: its successors, in order, into the visited set and the queue.
   * The search's outcome when it ends there. A function of its own, called
   * once a state, so the JIT optimises it after a few hundred states instead
   * of waiting to replace the whole search loop while it runs.
   */
  const expandState = (index: number): ExploreOutcome | null => {
    // Three passes over the successors, with the same outcome as one: apply every move (up to
    // one that is itself a violation) and fingerprint the results; look each up in the recent
    // cache and touch the unknown ones' slots in the visited set; then add them in order. The
    // lookups are cache misses: issued close together, they overlap, where between two
    // fingerprints they came one after another (N=8 with symmetry and N=7 without: 6 % faster).
    const count = semantics.listMoves(current, moveList, true);
    let applied = 0;
    let moveViolation: Violation | null = null;
    for (; applied < count; applied++) {
      const row = successors[applied];
      moveViolation = semantics.apply(current, moveList[applied], row);
      if (moveViolation) break;
      fingerprint(row, fp);
      fps[applied * 2] = fp[0];
      fps[applied * 2 + 1] = fp[1];
    }
    for (let ordinal = 0; ordinal < applied; ordinal++) {
      const hi = fps[ordinal * 2];
      if (recent.has(hi, fps[ordinal * 2 + 1])) known[ordinal] = 1;
      else {
        known[ordinal] = 0;
        seen.touch(hi);
      }
    }
    for (let ordinal = 0; ordinal < applied; ordinal++) {
      transitions++;
      if (known[ordinal] === 1) continue;
      const hi = fps[ordinal * 2];
      const lo = fps[ordinal * 2 + 1];
      recent.remember(hi, lo);
      if (!seen.add(hi, lo)) continue;
      const row = successors[ordinal];
      parents.push(index);
      moves.push(ordinal);
      const v = stateViolation(row);
      if (v) return withDepth(found(v, seen.size - 1, null));
      if (seen.size >= maxStates) {
        return { verdict: 'incomplete', violation: null, incompleteReason: 'max-states', path: null, stats: stats() };
      }
      queue.push(row);
    }
    if (moveViolation) {
      transitions++;
      return withDepth(found(moveViolation, index, applied));
    }
    return null;
  };

  let lastReport = callStarted;
  const handOffStates = handOff?.afterStates ?? Infinity;
  while (queue.length > 0) {
    const checkpoint = (expanded & 1023) === 0;
    if (checkpoint) {
      const t = now();
      if (options.signal?.aborted) return { verdict: 'incomplete', violation: null, incompleteReason: 'stopped', path: null, stats: stats() };
      if (t - started > timeLimit) return { verdict: 'incomplete', violation: null, incompleteReason: 'time-limit', path: null, stats: stats() };
      if (options.onProgress && t - lastReport >= progressEvery) {
        lastReport = t;
        options.onProgress(progressOf(stats()));
      }
    }
    if (
      handOff &&
      expanded > resumedAt &&
      (seen.size >= handOffStates ||
        ((checkpoint || expanded === levelEnd) && (now() - callStarted >= (handOff.afterMs ?? Infinity) || handOff.when?.() === true)))
    ) {
      const atLevelStart = expanded === levelEnd;
      const level = atLevelStart ? depth + 1 : depth; // the next state's
      if (level < maxDepth) {
        const nextLevelStart = atLevelStart ? seen.size : levelEnd;
        const snapshot: SearchSnapshot = { seen, frontier: queue, parents, moves, transitions, depth: level, nextLevelStart, started, engine: { semantics, fingerprint, recent } };
        return { verdict: 'incomplete', violation: null, path: null, stats: stats(), snapshot };
      }
    }
    const index = expanded++;
    if (index === levelEnd) {
      depth++;
      levelEnd = seen.size;
    }
    queue.shift(current);
    if (depth >= maxDepth) {
      cutByDepth = true;
      continue;
    }
    const end = expandState(index);
    if (end) return end;
  }
  if (cutByDepth) return { verdict: 'incomplete', violation: null, incompleteReason: 'max-depth', path: null, stats: stats() };
  return { verdict: 'pass', violation: null, path: null, stats: stats() };
}
