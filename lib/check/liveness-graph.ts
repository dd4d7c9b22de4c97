/**
 * The reachable state graph, recorded for the liveness search: breadth-first
 * like explore.ts (so state index order is depth order and the parent links
 * give shortest prefixes), but every edge is kept, in compressed sparse rows:
 * `firstEdge[s]..firstEdge[s+1]` are the moves of state s in `listMoves`
 * order (so an edge's offset in its row is the move ordinal a trace replays),
 * each with its target state and its *actor* — the fairness obligation it
 * discharges (a process taking a step, or a crashed holder's lease running
 * out), or FAULT. Per state it keeps bit rows: which obligations are enabled,
 * and the property bits the liveness checks read.
 *
 * Symmetry reduction is off here (the caller compiles the system without it):
 * weak fairness is per process, and a quotient graph would merge processes.
 */
import { makeFingerprinter } from './canonical';
import { RUNNING } from './layout';
import { DEFAULT_MAX_STATES, type CheckLimits, type CheckStats, type SearchIncompleteReason, type Violation } from './result';
import { MOVE_CALL_FAILS, MOVE_CRASH, MOVE_HEARTBEAT_LAPSES, MOVE_LEASE_EXPIRES, MOVE_LEASE_RELEASED, moveKind, moveProcess, moveSub, Semantics } from './semantics';
import { StateQueue } from './store';
import type { System } from './system';

/** Actor of an edge that is a fault: never forced by fairness, not progress. */
export const FAULT = 0xffff;

/** The graph the SCC and lasso searches run on: plain typed arrays, so tests can build one by hand. */
export interface LiveGraph {
  states: number;
  /** states + 1 offsets into `target`/`actor`. */
  firstEdge: Uint32Array;
  target: Uint32Array;
  /** Obligation id of each edge, or FAULT. */
  actor: Uint16Array;
  /** Number of fairness obligations (processes, then crashed-holder leases). */
  obligations: number;
  /** 32-bit words per state in `enabled`. */
  words: number;
  /** Bit e of state s's row: obligation e is enabled in s. */
  enabled: Uint32Array;
  /** BFS tree: parent state (0xffffffff for the initial state) and the move ordinal that reached it. */
  parent: Uint32Array;
  ordinal: Uint16Array;
  /** levelStart[d] = index of the first state at depth d. */
  levelStart: number[];
}

export interface RecordedGraph extends LiveGraph {
  /** Per state, one bit per process: running and not a daemon (termination). Row of `runningWords` words. */
  running: Uint32Array;
  runningWords: number;
  /** Per state, one bit per instance: in a transitional state (leavesTransitional). Row of `transitionalWords` words. */
  transitional: Uint32Array;
  transitionalWords: number;
  /** Which obligation ids are leases: [process, hold index] (processes come first, id = process index). */
  leaseOf: Array<[number, number]>;
  bytes: number;
}

export type RecordOutcome =
  | { kind: 'graph'; graph: RecordedGraph; transitions: number; depth: number }
  | { kind: 'incomplete'; reason: SearchIncompleteReason; states: number; transitions: number; depth: number; bytes: number }
  /** A safety violation met while recording (the safety search had symmetry on; should not happen). */
  | { kind: 'violation'; violation: Violation; states: number };

export interface RecordOptions extends CheckLimits {
  signal?: AbortSignal;
  now?: () => number;
  /** Progress, as the safety search reports it (every `progressEveryMs`, default 200). */
  onProgress?: (progress: Pick<CheckStats, 'distinctStates' | 'transitions' | 'depth' | 'queue' | 'elapsedMs' | 'statesPerSecond'>) => void;
  progressEveryMs?: number;
  /** Record per-state running bits (termination). */
  termination: boolean;
  /** Record per-state transitional bits (leavesTransitional). */
  leavesTransitional: boolean;
  /** Processes exempt from termination (daemons). */
  daemon: (process: number) => boolean;
  /** Stop (incomplete, as max-states) once the recorded graph holds this many bytes (default LIVENESS_MAX_BYTES). */
  maxBytes?: number;
}

/**
 * The recorded graph's memory bound: about 90–100 bytes a state on the
 * benchmark (docs/checker.md, Liveness), so about 10 million states; the
 * Tarjan pass adds 24 bytes a state on top.
 */
export const LIVENESS_MAX_BYTES = 1024 * 1024 * 1024;

/** A growable typed array (1.5× growth); `view()` is the filled part, without a copy. */
class Grow<T extends Uint32Array | Uint16Array> {
  length = 0;
  constructor(
    private array: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.array.length) this.grow(this.length + 1);
    this.array[this.length++] = value;
  }
  ensure(extra: number): T {
    if (this.length + extra > this.array.length) this.grow(this.length + extra);
    return this.array;
  }
  private grow(min: number): void {
    const next = this.make(Math.max(min, Math.ceil(this.array.length * 1.5) + 16));
    next.set(this.array);
    this.array = next;
  }
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }
  get bytes(): number {
    return this.array.byteLength;
  }
}

/** Fingerprint → state index, open addressing (hi, lo, index per slot), ≤ 75 % full. */
class FingerprintIndex {
  private table: Int32Array;
  private capacity: number;
  size = 0;
  constructor(capacity = 256) {
    this.capacity = capacity;
    this.table = new Int32Array(capacity * 3);
    this.clear(this.table);
  }
  private clear(t: Int32Array): void {
    for (let i = 2; i < t.length; i += 3) t[i] = -1;
  }
  /** The index of the fingerprint, adding it as `size` when new (then returns -1 - index). */
  lookupOrAdd(hi: number, lo: number): number {
    let i = Math.floor((hi >>> 0) * this.capacity * 2.3283064365386963e-10);
    const t = this.table;
    for (;;) {
      const at = i * 3;
      const index = t[at + 2];
      if (index < 0) {
        t[at] = hi;
        t[at + 1] = lo;
        t[at + 2] = this.size;
        const added = this.size++;
        if (this.size > this.capacity * 0.75) this.grow();
        return -1 - added;
      }
      if (t[at] === hi && t[at + 1] === lo) return index;
      if (++i === this.capacity) i = 0;
    }
  }
  private grow(): void {
    const old = this.table;
    this.capacity = Math.ceil(this.capacity * 1.5);
    this.table = new Int32Array(this.capacity * 3);
    this.clear(this.table);
    const t = this.table;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] < 0) continue;
      let i = Math.floor((old[at] >>> 0) * this.capacity * 2.3283064365386963e-10);
      while (t[i * 3 + 2] >= 0) if (++i === this.capacity) i = 0;
      t[i * 3] = old[at];
      t[i * 3 + 1] = old[at + 1];
      t[i * 3 + 2] = old[at + 2];
    }
  }
  get bytes(): number {
    return this.table.byteLength;
  }
}

/** Move kinds that are faults (see semantics.ts): never forced by fairness, not progress. */
export const FAULT_KINDS: ReadonlySet<number> = new Set([MOVE_CALL_FAILS, MOVE_CRASH, MOVE_LEASE_EXPIRES, MOVE_HEARTBEAT_LAPSES]);

const words = (bits: number) => Math.max(1, Math.ceil(bits / 32));

/** Explores every reachable state (no symmetry) and records the graph. */
export function recordGraph(system: System, options: RecordOptions): RecordOutcome {
  const now = options.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const started = now();
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const maxBytes = options.maxBytes ?? LIVENESS_MAX_BYTES;
  const semantics = new Semantics(system);
  const fingerprint = makeFingerprinter(system);
  const procs = system.processes;

  // Obligations: every process, then every (process, hold) whose lease can run out after a crash.
  const leaseOf: Array<[number, number]> = [];
  const leaseId: number[][] = procs.map((p) => [...p.holds.keys()].map((keyId, k) => {
    if (system.lockKeys[keyId].policy.onCrash !== 'after-lease') return -1;
    leaseOf.push([p.index, k]);
    return procs.length + leaseOf.length - 1;
  }));
  const obligations = procs.length + leaseOf.length;
  if (obligations >= FAULT) throw new Error('too many processes and leases for the liveness search');
  const W = words(obligations);
  const RW = options.termination ? words(procs.length) : 0;
  const TW = options.leavesTransitional ? words(system.instances.length) : 0;
  const daemon = procs.map((p) => options.daemon(p.index));

  const index = new FingerprintIndex();
  const firstEdge = new Grow(new Uint32Array(256), (n) => new Uint32Array(n));
  const target = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const actor = new Grow(new Uint16Array(1024), (n) => new Uint16Array(n));
  const enabled = new Grow(new Uint32Array(256 * W), (n) => new Uint32Array(n));
  const running = new Grow(new Uint32Array(RW > 0 ? 256 * RW : 0), (n) => new Uint32Array(n));
  const transitional = new Grow(new Uint32Array(TW > 0 ? 256 * TW : 0), (n) => new Uint32Array(n));
  const parent = new Grow(new Uint32Array(256), (n) => new Uint32Array(n));
  const ordinal = new Grow(new Uint16Array(256), (n) => new Uint16Array(n));
  const levelStart: number[] = [0];

  const queue = new StateQueue(system.size, system.slotRanges);
  const fp = new Int32Array(2);
  const moves = new Int32Array(Math.max(1, semantics.maxMoves));
  const s = new Int32Array(system.size);
  const next = new Int32Array(system.size);
  const bytesNow = () =>
    index.bytes + firstEdge.bytes + target.bytes + actor.bytes + enabled.bytes + running.bytes + transitional.bytes + parent.bytes + ordinal.bytes + queue.peakBytes;

  const { state: init, violation: initViolation } = semantics.initial();
  if (initViolation) return { kind: 'violation', violation: initViolation, states: 0 };
  /** The state's index; a new state is queued with its parent link. */
  const add = (state: Int32Array, from: number, ord: number): number => {
    fingerprint(state, fp);
    const found = index.lookupOrAdd(fp[0], fp[1]);
    if (found >= 0) return found;
    parent.push(from);
    ordinal.push(ord);
    queue.push(state);
    return -1 - found;
  };
  add(init, 0xffffffff, 0);

  let transitions = 0;
  let lastReport = started;
  let levelEnd = 1;
  let expanded = 0;
  const incomplete = (reason: SearchIncompleteReason): RecordOutcome => ({
    kind: 'incomplete',
    reason,
    states: index.size,
    transitions,
    depth: levelStart.length - 1,
    bytes: bytesNow(),
  });
  if (index.size >= maxStates) return incomplete('max-states');
  while (queue.length > 0) {
    if ((expanded & 1023) === 0) {
      if (options.signal?.aborted) return incomplete('stopped');
      if (now() - started > timeLimit) return incomplete('time-limit');
      if (bytesNow() > maxBytes) return incomplete('max-states');
      const t = now();
      if (options.onProgress && t - lastReport >= (options.progressEveryMs ?? 200)) {
        lastReport = t;
        const elapsedMs = Math.round((t - started) * 10) / 10;
        const statesPerSecond = elapsedMs > 0 ? Math.round((index.size / elapsedMs) * 1000) : 0;
        options.onProgress({ distinctStates: index.size, transitions, depth: levelStart.length - 1, queue: queue.length, elapsedMs, statesPerSecond });
      }
    }
    const from = expanded++;
    if (from === levelEnd) {
      levelStart.push(from);
      levelEnd = index.size;
    }
    queue.shift(s);
    firstEdge.push(target.length);
    const en = enabled.ensure(W);
    const enAt = enabled.length;
    en.fill(0, enAt, enAt + W);
    enabled.length += W;
    if (RW > 0) {
      const r = running.ensure(RW);
      const at = running.length;
      r.fill(0, at, at + RW);
      for (let p = 0; p < procs.length; p++) if (!daemon[p] && s[procs[p].statusSlot] === RUNNING) r[at + (p >>> 5)] |= 1 << (p & 31);
      running.length += RW;
    }
    if (TW > 0) {
      const t = transitional.ensure(TW);
      const at = transitional.length;
      t.fill(0, at, at + TW);
      const instances = system.instances;
      for (let i = 0; i < instances.length; i++) {
        if (instances[i].resource.stateKinds[s[instances[i].base]] === 'transitional') t[at + (i >>> 5)] |= 1 << (i & 31);
      }
      transitional.length += TW;
    }
    const count = semantics.listMoves(s, moves, false);
    for (let k = 0; k < count; k++) {
      const move = moves[k];
      const kind = moveKind(move);
      const p = moveProcess(move);
      const a = FAULT_KINDS.has(kind) ? FAULT : kind === MOVE_LEASE_RELEASED ? leaseId[p][moveSub(move)] : p;
      if (a !== FAULT && a >= 0) en[enAt + (a >>> 5)] |= 1 << (a & 31);
      const moveViolation = semantics.apply(s, move, next);
      if (moveViolation) return { kind: 'violation', violation: moveViolation, states: index.size };
      transitions++;
      const before = index.size;
      const t = add(next, from, k);
      target.push(t);
      actor.push(a < 0 ? FAULT : a);
      if (index.size > before) {
        // A state's own properties are judged once, when it is discovered (as explore.ts does).
        const stateViolation = semantics.brokenInvariant(next) ?? semantics.terminalViolation(next);
        if (stateViolation) return { kind: 'violation', violation: stateViolation, states: index.size };
        if (index.size >= maxStates) return incomplete('max-states');
      }
    }
  }
  firstEdge.push(target.length);
  const graph: RecordedGraph = {
    states: index.size,
    firstEdge: firstEdge.view(),
    target: target.view(),
    actor: actor.view(),
    obligations,
    words: W,
    enabled: enabled.view(),
    parent: parent.view(),
    ordinal: ordinal.view(),
    levelStart,
    running: running.view(),
    runningWords: RW,
    transitional: transitional.view(),
    transitionalWords: TW,
    leaseOf,
    bytes: bytesNow(),
  };
  return { kind: 'graph', graph, transitions, depth: levelStart.length - 1 };
}
