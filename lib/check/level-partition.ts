/**
 * One partition of the level-synchronous parallel search (level-search.ts):
 * the work a worker thread (or, in tests, a plain object) does on its share
 * of a BFS level. Pure: it reads and writes only the buffers it is given,
 * which are SharedArrayBuffers when partitions run in separate threads.
 *
 * - expand: the successors of a contiguous range of the frontier, in order,
 *   as candidates (fingerprint, parent, move ordinal); it stops at the first
 *   move that is itself a violation.
 * - dedupe: this partition owns the fingerprints whose low half is ≡ its
 *   index (mod partitions); it inserts its own candidates in the level's order
 *   and flags the first occurrence of each new one.
 * - materialize: rebuilds new states from their parent and move, packs them
 *   into the next frontier and reports the first one that breaks a state
 *   property (invariant, deadlock, stuck).
 */
import type { AnalyzedModel } from '../model/analyzed';
import { makeFingerprinter, type Fingerprinter } from './canonical';
import type { Violation } from './result';
import { Semantics } from './semantics';
import { FingerprintSet } from './store';
import { compileSystem, type CheckOptions, type System } from './system';

/** Shared memory (SharedArrayBuffer across threads, ArrayBuffer in one thread). */
export type Memory = ArrayBufferLike;

/** Ints per candidate: fingerprint high, low, parent (index in the frontier), move ordinal, move. */
export const CANDIDATE_INTS = 5;

/** One expand range's candidates, as one partition dedupes them. */
export interface LevelChunk {
  candidates: Memory;
  /** One byte per candidate, written by dedupe: 1 when it is the first occurrence of a new state. */
  flags: Memory;
  /** The indices of the candidates this partition owns, in order, and how many there are. */
  owned: Memory;
  ownedCount: number;
}

export type PartitionTask =
  | { kind: 'seed'; hi: number; lo: number }
  | { kind: 'expand'; frontier: Memory; from: number; to: number }
  | { kind: 'dedupe'; chunks: LevelChunk[] }
  | { kind: 'materialize'; frontier: Memory; next: Memory; refs: Memory; from: number; to: number };

export type PartitionReply =
  | { kind: 'seed'; bytes: number }
  /** `violation`: a move that is itself a violation, from frontier state `violationParent` by move `violationOrdinal`. */
  | {
      kind: 'expand';
      candidates: Memory;
      count: number;
      /** Per owning partition: the indices of its candidates, and how many. */
      owned: Memory[];
      ownedCounts: number[];
      violation: Violation | null;
      violationParent: number;
      violationOrdinal: number;
    }
  | { kind: 'dedupe'; added: number; bytes: number }
  | { kind: 'materialize'; violationAt: number; violation: Violation | null };

/** How states are packed into a frontier: (value − min) in 1, 2 or 4 bytes a slot. */
export interface Packing {
  size: number;
  width: 1 | 2 | 4;
  mins: Int32Array;
}

export function packingOf(system: System): Packing {
  const ranges = system.slotRanges;
  const span = Math.max(0, ...ranges.map((r) => r.max - r.min));
  const width = span < 256 ? 1 : span < 65536 ? 2 : 4;
  return { size: system.size, width, mins: Int32Array.from(ranges.map((r) => (width === 4 ? 0 : r.min))) };
}

export function frontierView(p: Packing, memory: Memory): Uint8Array | Uint16Array | Int32Array {
  return p.width === 1 ? new Uint8Array(memory) : p.width === 2 ? new Uint16Array(memory) : new Int32Array(memory);
}

export function pack(p: Packing, view: Uint8Array | Uint16Array | Int32Array, index: number, state: Int32Array): void {
  const offset = index * p.size;
  for (let i = 0; i < p.size; i++) view[offset + i] = state[i] - p.mins[i];
}

export function unpack(p: Packing, view: Uint8Array | Uint16Array | Int32Array, index: number, out: Int32Array): void {
  const offset = index * p.size;
  for (let i = 0; i < p.size; i++) out[i] = view[offset + i] + p.mins[i];
}

/** Which partition owns a fingerprint. */
export const ownerOf = (lo: number, partitions: number) => (lo >>> 0) % partitions;

export interface PartitionSetup {
  /** The model document (plain JSON): each partition analyzes and compiles it itself. */
  document: unknown;
  scenario: string;
  options: CheckOptions;
  index: number;
  partitions: number;
}

export class Partition {
  private readonly system: System;
  private readonly semantics: Semantics;
  private readonly fingerprint: Fingerprinter;
  private readonly packing: Packing;
  private readonly seen = new FingerprintSet(1 << 10);
  private readonly current: Int32Array;
  private readonly next: Int32Array;
  private readonly moves: Int32Array;
  private readonly fp = new Int32Array(2);


  constructor(
    private readonly setup: { index: number; partitions: number },
    model: AnalyzedModel,
    scenario: string,
    options: CheckOptions,
    private readonly alloc: (bytes: number) => Memory,
  ) {
    this.system = compileSystem(model, scenario, options);
    this.semantics = new Semantics(this.system);
    this.fingerprint = makeFingerprinter(this.system);
    this.packing = packingOf(this.system);
    this.current = new Int32Array(this.system.size);
    this.next = new Int32Array(this.system.size);
    this.moves = new Int32Array(this.semantics.maxMoves);
  }

  /** Bytes a packed state takes in a frontier. */
  get rowBytes(): number {
    return this.packing.size * this.packing.width;
  }

  handle(task: PartitionTask): PartitionReply {
    switch (task.kind) {
      case 'seed':
        if (ownerOf(task.lo, this.setup.partitions) === this.setup.index) this.seen.add(task.hi, task.lo);
        return { kind: 'seed', bytes: this.seen.bytes };
      case 'expand':
        return this.expand(task.frontier, task.from, task.to);
      case 'dedupe':
        return this.dedupe(task.chunks);
      case 'materialize':
        return this.materialize(task);
    }
  }

  private expand(frontier: Memory, from: number, to: number): PartitionReply {
    const { semantics, fingerprint, current, next, moves, fp } = this;
    const partitions = this.setup.partitions;
    const view = frontierView(this.packing, frontier);
    const out = new GrowingInts(this.alloc, Math.max(1024, (to - from) * 8 * CANDIDATE_INTS));
    const owned = Array.from({ length: partitions }, () => new GrowingInts(this.alloc, Math.max(256, (to - from) * 2)));
    let count = 0;
    const reply = (violation: Violation | null, parent: number, ordinal: number): PartitionReply => ({
      kind: 'expand',
      candidates: out.memory,
      count,
      owned: owned.map((o) => o.memory),
      ownedCounts: owned.map((o) => o.length),
      violation,
      violationParent: parent,
      violationOrdinal: ordinal,
    });
    for (let j = from; j < to; j++) {
      unpack(this.packing, view, j, current);
      const n = semantics.listMoves(current, moves, true);
      for (let ordinal = 0; ordinal < n; ordinal++) {
        const violation = semantics.apply(current, moves[ordinal], next);
        if (violation) return reply(violation, j, ordinal);
        fingerprint(next, fp);
        const lo = fp[1] === 0 && fp[0] === 0 ? 1 : fp[1];
        out.push5(fp[0], lo, j, ordinal, moves[ordinal]);
        owned[ownerOf(lo, partitions)].push(count++);
      }
    }
    return reply(null, -1, -1);
  }

  private dedupe(chunks: LevelChunk[]): PartitionReply {
    const seen = this.seen;
    let added = 0;
    for (const chunk of chunks) {
      const c = new Int32Array(chunk.candidates);
      const flags = new Uint8Array(chunk.flags);
      const owned = new Int32Array(chunk.owned);
      for (let o = 0; o < chunk.ownedCount; o++) {
        const k = owned[o];
        if (seen.add(c[k * CANDIDATE_INTS], c[k * CANDIDATE_INTS + 1])) {
          flags[k] = 1;
          added++;
        }
      }
    }
    return { kind: 'dedupe', added, bytes: seen.bytes };
  }

  private materialize(task: Extract<PartitionTask, { kind: 'materialize' }>): PartitionReply {
    const { semantics, current, next } = this;
    const from = frontierView(this.packing, task.frontier);
    const to = frontierView(this.packing, task.next);
    const refs = new Int32Array(task.refs);
    let lastParent = -1;
    for (let i = task.from; i < task.to; i++) {
      const parent = refs[i * 2];
      if (parent !== lastParent) {
        unpack(this.packing, from, parent, current);
        lastParent = parent;
      }
      semantics.apply(current, refs[i * 2 + 1], next);
      pack(this.packing, to, i, next);
      const violation = semantics.brokenInvariant(next) ?? semantics.terminalViolation(next);
      if (violation) return { kind: 'materialize', violationAt: i, violation };
    }
    return { kind: 'materialize', violationAt: -1, violation: null };
  }
}

/** An Int32 list in memory from `alloc`, doubled by copying when full. */
class GrowingInts {
  memory: Memory;
  private ints: Int32Array;
  length = 0;
  constructor(
    private readonly alloc: (bytes: number) => Memory,
    capacity: number,
  ) {
    this.memory = alloc(capacity * 4);
    this.ints = new Int32Array(this.memory);
  }
  private grow(): void {
    const bigger = this.alloc(this.ints.length * 8);
    const ints = new Int32Array(bigger);
    ints.set(this.ints);
    this.memory = bigger;
    this.ints = ints;
  }
  push(v: number): void {
    if (this.length === this.ints.length) this.grow();
    this.ints[this.length++] = v;
  }
  push5(a: number, b: number, c: number, d: number, e: number): void {
    if (this.length + 5 > this.ints.length) this.grow();
    const ints = this.ints;
    const at = this.length;
    ints[at] = a;
    ints[at + 1] = b;
    ints[at + 2] = c;
    ints[at + 3] = d;
    ints[at + 4] = e;
    this.length = at + 5;
  }
}
