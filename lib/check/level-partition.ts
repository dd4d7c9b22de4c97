/**
 * One partition of the level-synchronous parallel search (level-search.ts):
 * the work a worker thread (or, in tests, a plain object) does on its share
 * of a BFS level. Pure: it reads the buffers a task gives it and writes only
 * buffers it allocated itself, which it hands back in its reply. So the same
 * protocol works with shared memory (SharedArrayBuffers: nothing is copied)
 * and without (each message copies the buffers it carries).
 *
 * A batch of the level goes through three parts, each in a later step:
 * - expand: the successors of a contiguous range of the frontier, in order.
 *   Each successor (a candidate) is kept here as its parent and move; its
 *   fingerprint goes to the stream of the partition that owns it (by its low
 *   half, `ownerOf`). Stops at the first move that is itself a violation.
 * - dedupe: this partition inserts the fingerprints it owns, chunk by chunk
 *   in the level's order, and flags the first occurrence of each new state.
 * - materialize: walks its own candidates in order, reading the owners'
 *   flags, rebuilds the new states from parent and move into the next
 *   frontier with their parent links, and reports the first one that breaks
 *   a state property (invariant, deadlock, stuck).
 * A step task carries the parts the coordinator found ready for this
 * partition: materializes and dedupes of earlier batches (in batch order),
 * then at most one expand, run in that order. A batch keeps its slot (one of
 * SLOTS buffer sets) from expand to materialize, so a partition can expand up
 * to SLOTS batches ahead of the slowest one.
 */
import type { AnalyzedModel } from '../model/analyzed';
import { makeFingerprinter, type Fingerprinter } from './canonical';
import type { Violation } from './result';
import { Semantics } from './semantics';
import { RecentFingerprints } from './recent';
import { FingerprintSet, packingFor, viewOf, type Packing, type Row } from './store';
import { compileSystem, type CheckOptions, type System } from './system';

/** Shared memory (SharedArrayBuffer across threads, ArrayBuffer in one thread or as a copy). */
export type Memory = ArrayBufferLike;

/** Row [from, to) of a packed frontier buffer. */
export interface Piece {
  memory: Memory;
  from: number;
  to: number;
}

export interface ExpandPart {
  slot: number;
  /** The range's states, in order: the concatenation of the pieces. */
  pieces: Piece[];
}

export interface DedupePart {
  slot: number;
  /**
   * Room every partition makes in its visited set first (the same number in
   * each: FingerprintSet.reserve), so that they all grow in the same batch.
   */
  reserve: number;
  /** Per chunk, in order up to the batch's cut: the (hi, lo) pairs this partition owns and how many. */
  streams: Array<{ memory: Memory; count: number }>;
}

export interface MaterializePart {
  slot: number;
  /** Per owner: its flags for this partition's chunk, one byte per candidate of its stream. */
  flags: Memory[];
  /** How many new states to materialize (fewer than the chunk has when the batch reaches maxStates). */
  limit: number;
  /** Index of the range's first frontier state in the whole search (parent links are absolute). */
  parentBase: number;
}

export type PartitionTask =
  /** Fingerprints already stored, as (hi, lo) pairs: each partition keeps those it owns. */
  | { kind: 'seed'; pairs: Memory; count: number }
  | { kind: 'step'; materialize: MaterializePart[]; dedupe: DedupePart[]; expand: ExpandPart | null };

export interface Expanded {
  /** Candidates listed (before the violating move, if any). */
  count: number;
  /** Per owner: its fingerprint stream and how many pairs. */
  streams: Memory[];
  ownedCounts: number[];
  /** A move that is itself a violation, from range state `violationParent` by move `violationOrdinal`. */
  violation: Violation | null;
  violationParent: number;
  violationOrdinal: number;
  /** Milliseconds the expansion took (the coordinator sizes the next batches by it). */
  ms: number;
}

export interface Deduped {
  /** Per chunk: how many of this partition's candidates were new states. */
  added: number[];
  /** Per chunk: one byte per candidate of the stream, 1 for the first occurrence of a new state. */
  flags: Memory[];
}

export interface Materialized {
  /** New states materialized, in order (through the violating one). */
  count: number;
  /** Their packed rows. */
  rows: Memory;
  /** Int32 pairs: absolute parent index, move ordinal. */
  links: Memory;
  violation: Violation | null;
  /** Candidates of the chunk up to and including the last new state materialized. */
  through: number;
}

export type PartitionReply =
  | { kind: 'seed'; tableBytes: number; /** Fingerprints this partition took. */ owned: number }
  | {
      kind: 'step';
      /** One per part of the task, in its order. */
      materialized: Materialized[];
      deduped: Deduped[];
      expanded: Expanded | null;
      /** This partition's visited set, and the scratch buffers it holds, in bytes. */
      tableBytes: number;
      scratchBytes: number;
      /** Milliseconds the task took here (the coordinator balances the next ranges by it). */
      busyMs: number;
    };

/** How states are packed into a frontier: the queue's packing (store.ts). */
export const packingOf = (system: System): Packing => packingFor(system.size, system.slotRanges);

export function pack(p: Packing, view: Row, index: number, state: Int32Array): void {
  p.packRow(view, index * p.stride, state);
}

export function unpack(p: Packing, view: Row, index: number, out: Int32Array): void {
  p.unpackRow(view, index * p.stride, out);
}

/** Which partition owns a fingerprint: its low half's top bits scaled to [0, partitions) (integer ops only). */
export const ownerOf = (lo: number, partitions: number) => ((lo >>> 16) * partitions) >>> 16;

export interface PartitionSetup {
  /** The analyzed model (it survives a structured clone: plain objects, arrays, Maps and Sets): each partition compiles it itself. */
  model: AnalyzedModel;
  scenario: string;
  options: CheckOptions;
  index: number;
  partitions: number;
  /** Int32 flags, one per partition, on shared memory: the thread sets its own once ready (`raiseReady`), which the search can see without waiting for a message. */
  ready?: Memory;
}

const clock = () => globalThis.performance?.now() ?? Date.now();

/** Most states a batch may have (a bound on the search's `batchStates`). */
export const MAX_RANGE = 65_535;

/** `owners` entry of a candidate expand already knows is not new (see `recent`). */
const KNOWN = 255;

/** Most partitions a search can have: a candidate's owner is kept in a byte, KNOWN aside. */
export const MAX_PARTITIONS = KNOWN - 1;

/**
 * Buffer sets per partition: batches in flight at once. Two would do for the
 * three parts if every partition kept pace; more let one that is ahead go on
 * expanding while another finishes (each costs the largest batch's candidates).
 */
export const SLOTS = 4;

/** Dedupe inserts in groups of this many fingerprints, touching all their home slots first. */
const GROUP = 16;

/**
 * One batch's candidates as this partition expanded them (private), and the
 * streams it sent. A candidate is kept as the owner its fingerprint went to
 * (a byte), and, when it went to one, as its move: only those can be new,
 * about two a state here against six or seven candidates. Materialize applies
 * a new state's move to its parent again (about one candidate in six is new),
 * which costs less than keeping every candidate packed; knowing the move, it
 * does not list the parent's moves again (N=7 with two threads: 0.98 of
 * the time in ten paired rounds; in timed runs, 0.18–0.22 µs a new state
 * against 0.22–0.25).
 */
class Slot {
  count = 0;
  /** The range's states, as expand received them. */
  pieces: Piece[] = [];
  /** How many of the range's states were expanded (through the one with a violating move). */
  states = 0;
  /** Per range state: how many candidates it listed (its moves, or those before a violating one). */
  successors = new Uint16Array(1024);
  /** Per candidate: the partition its fingerprint went to, or KNOWN. */
  owners = new Uint8Array(1024);
  /** The moves of the candidates sent to an owner, in order. */
  sentMoves = new Int32Array(1024);
  sent = 0;
  readonly streams: GrowingInts[];
  /** As owner: per chunk, the flags it wrote in dedupe. */
  flags: Memory[] = [];

  constructor(alloc: (bytes: number) => Memory, partitions: number) {
    // Small to start with (they grow to the largest batch's share): a partition has K streams a slot, so K threads hold K² of them.
    this.streams = Array.from({ length: partitions }, () => new GrowingInts(alloc, 64));
  }

  /** Room for `n` more candidates. */
  reserve(n: number): void {
    // 1.25×, not 2×: these grow only until the largest batch fits, and they count against bytes a state.
    if (this.count + n > this.owners.length) this.owners = grown(this.owners, this.count, this.count + n);
    if (this.sent + n > this.sentMoves.length) this.sentMoves = grown(this.sentMoves, this.sent, this.sent + n);
  }

  /** Room for the successor counts of a range of `n` states. */
  reserveStates(n: number): void {
    if (n > this.successors.length) this.successors = new Uint16Array(n);
  }

  get bytes(): number {
    return (
      this.successors.byteLength +
      this.owners.byteLength +
      this.sentMoves.byteLength +
      this.streams.reduce((n, s) => n + s.memory.byteLength, 0) +
      this.flags.reduce((n, f) => n + f.byteLength, 0)
    );
  }
}

/** What a partition runs: the scenario compiled once per thread (its warm-up's peers share it). */
export interface PartitionCode {
  system: System;
  semantics: Semantics;
  fingerprint: Fingerprinter;
}

export function partitionCode(model: AnalyzedModel, scenario: string, options: CheckOptions): PartitionCode {
  const system = compileSystem(model, scenario, options);
  return { system, semantics: new Semantics(system), fingerprint: makeFingerprinter(system) };
}

export class Partition {
  /** The scenario this partition searches, compiled. */
  readonly system: System;
  private readonly semantics: Semantics;
  private readonly fingerprint: Fingerprinter;
  private readonly packing: Packing;
  private readonly seen: FingerprintSet;
  private readonly current: Int32Array;
  private readonly next: Int32Array;
  private readonly moves: Int32Array;
  private readonly fp = new Int32Array(2);
  /** One state's successors' fingerprints, as (hi, lo) pairs. */
  private readonly fps: Int32Array;
  private readonly slots: Slot[];
  /**
   * Fingerprints this partition expanded before, in the sequential order: a
   * candidate found here repeats an earlier one (inserted by its owner before
   * this one would be), so it is not new and goes to no owner. Most repeat
   * visits are recent ones (explore.ts uses the same cache).
   */
  private readonly recent: RecentFingerprints;

  /** Which partition this is, of how many. Numbers, not the setup object: a field's type is part of the object's shape to V8, and the warm-up's peers (`peer`) must have this one's. */
  private readonly index: number;
  readonly partitions: number;

  constructor(
    setup: { index: number; partitions: number },
    code: PartitionCode,
    /** Where its buffers come from (shared memory between threads). */
    readonly alloc: (bytes: number) => Memory,
  ) {
    this.index = setup.index;
    this.partitions = setup.partitions;
    this.system = code.system;
    this.semantics = code.semantics;
    this.fingerprint = code.fingerprint;
    // The same size in every partition, and grown together (DedupePart `reserve`): a partition that
    // grew alone (rehashing ten million fingerprints took 0.3 s) held up the others, which need its flags.
    this.seen = new FingerprintSet(1024);
    if (setup.partitions > MAX_PARTITIONS) throw new Error(`at most ${MAX_PARTITIONS} partitions`);
    // 2^16 entries in all (512 KiB): each partition sees 1/K of the candidates.
    this.recent = new RecentFingerprints(Math.max(12, 16 - Math.ceil(Math.log2(setup.partitions))));
    this.packing = packingOf(this.system);
    this.current = new Int32Array(this.system.size);
    this.next = new Int32Array(this.system.size);
    this.moves = new Int32Array(this.semantics.maxMoves);
    this.fps = new Int32Array(Math.max(1, this.semantics.maxMoves) * 2);
    this.slots = Array.from({ length: SLOTS }, () => new Slot(alloc, setup.partitions));
  }

  /**
   * Partition `index` of `partitions` in a private search that runs this
   * partition's compiled code (the model's generated steps and fingerprint,
   * and these methods), so that a warm-up through it (level-thread.ts
   * `warmUp`) leaves its type feedback and optimised code to the real search.
   */
  peer(index: number, partitions: number): Partition {
    const { system, semantics, fingerprint } = this;
    return new Partition({ index, partitions }, { system, semantics, fingerprint }, this.alloc);
  }

  /** Bytes a packed state takes in a frontier. */
  get rowBytes(): number {
    return this.packing.rowBytes;
  }

  handle(task: PartitionTask): PartitionReply {
    if (task.kind === 'seed') {
      const pairs = new Int32Array(task.pairs);
      const { index, partitions } = this;
      // Room for as many as the partition that owns most, in every partition: they start at one size.
      const owned = new Float64Array(partitions);
      for (let i = 1; i < task.count * 2; i += 2) owned[ownerOf(pairs[i], partitions)]++;
      this.seen.reserve(Math.max(...owned));
      for (let i = 0; i < task.count * 2; i += 2) if (ownerOf(pairs[i + 1], partitions) === index) this.seen.add(pairs[i], pairs[i + 1]);
      return { kind: 'seed', tableBytes: this.seen.bytes, owned: owned[index] };
    }
    const started = clock();
    // In this order: a materialize reads the slot an expand may be about to reuse.
    const materialized = task.materialize.map((part) => this.materialize(part));
    const deduped = task.dedupe.map((part) => this.dedupe(part));
    let expanded: Expanded | null = null;
    if (task.expand) {
      const expandStarted = clock();
      expanded = this.expand(task.expand);
      expanded.ms = clock() - expandStarted;
    }
    const scratchBytes = this.slots.reduce((n, s) => n + s.bytes, this.recent.bytes);
    return { kind: 'step', materialized, deduped, expanded, tableBytes: this.seen.bytes, scratchBytes, busyMs: clock() - started };
  }

  private expand(part: ExpandPart): Expanded {
    const { semantics, fingerprint, current, next, moves, fp, fps, packing, recent } = this;
    const partitions = this.partitions;
    const slot = this.slots[part.slot];
    slot.count = 0;
    slot.sent = 0;
    slot.pieces = part.pieces;
    slot.reserveStates(part.pieces.reduce((n, piece) => n + piece.to - piece.from, 0));
    for (const s of slot.streams) s.length = 0;
    const reply = (violation: Violation | null, parent: number, ordinal: number): Expanded => ({
      count: slot.count,
      streams: slot.streams.map((s) => s.memory),
      ownedCounts: slot.streams.map((s) => s.length >> 1),
      violation,
      violationParent: parent,
      violationOrdinal: ordinal,
      ms: 0,
    });
    const successors = slot.successors;
    let j = 0; // index in the range
    for (const piece of part.pieces) {
      const view = viewOf(packing, piece.memory);
      for (let r = piece.from; r < piece.to; r++, j++) {
        unpack(packing, view, r, current);
        const n = semantics.listMoves(current, moves, true);
        slot.reserve(n);
        const { owners, streams, sentMoves } = slot;
        // Fingerprints first, then the recent cache's lookups close together (see explore.ts).
        let applied = 0;
        let violation: Violation | null = null;
        for (; applied < n; applied++) {
          violation = semantics.apply(current, moves[applied], next);
          if (violation) break;
          fingerprint(next, fp);
          fps[applied * 2] = fp[0];
          fps[applied * 2 + 1] = fp[1];
        }
        successors[j] = applied;
        for (let ordinal = 0; ordinal < applied; ordinal++) {
          const hi = fps[ordinal * 2];
          const lo = fps[ordinal * 2 + 1];
          const k = slot.count++;
          if (recent.has(hi, lo)) {
            owners[k] = KNOWN;
          } else {
            recent.remember(hi, lo);
            const owner = partitions === 1 ? 0 : ownerOf(lo, partitions);
            owners[k] = owner;
            streams[owner].push2(hi, lo);
            sentMoves[slot.sent++] = moves[ordinal];
          }
        }
        if (violation) {
          slot.states = j + 1;
          return reply(violation, j, applied);
        }
      }
    }
    slot.states = j;
    return reply(null, -1, -1);
  }

  private dedupe(part: DedupePart): Deduped {
    const seen = this.seen;
    seen.reserve(part.reserve);
    const slot = this.slots[part.slot];
    const added: number[] = [];
    part.streams.forEach((stream, c) => {
      const n = stream.count;
      if (!slot.flags[c] || slot.flags[c].byteLength < n) slot.flags[c] = this.alloc(Math.max(64, n + (n >> 1)));
      const flags = new Uint8Array(slot.flags[c]);
      const ints = new Int32Array(stream.memory);
      let fresh = 0;
      // In groups: touch every home slot of the group, then insert. The touches are a few
      // instructions each, so all the group's cache misses are in flight at once.
      for (let start = 0; start < n; start += GROUP) {
        const end = Math.min(n, start + GROUP);
        for (let x = start; x < end; x++) seen.touch(ints[x << 1]);
        for (let x = start; x < end; x++) {
          const isNew = seen.add(ints[x << 1], ints[(x << 1) + 1]);
          flags[x] = isNew ? 1 : 0;
          if (isNew) fresh++;
        }
      }
      added.push(fresh);
    });
    return { added, flags: slot.flags.slice(0, part.streams.length) };
  }

  private materialize(part: MaterializePart): Materialized {
    const { semantics, packing, current, next } = this;
    const slot = this.slots[part.slot];
    const { successors, owners, sentMoves, pieces } = slot;
    const flags = part.flags.map((f) => new Uint8Array(f));
    const cursors = new Int32Array(flags.length);
    const limit = part.limit;
    const outMemory = this.alloc(Math.max(1, limit) * this.rowBytes);
    const linksMemory = this.alloc(Math.max(1, limit) * 8);
    const out = viewOf(packing, outMemory);
    const links = new Int32Array(linksMemory);
    // The parents' rows: candidates come in range order, so the pieces are walked once.
    let piece = 0;
    let pieceStart = 0; // range index of the piece's first state
    let view = viewOf(packing, pieces[0]?.memory ?? new ArrayBuffer(0));
    let m = 0;
    let through = 0;
    let violation: Violation | null = null;
    let k = 0; // the candidate
    let sent = 0; // its move's index in sentMoves, when it went to an owner
    for (let parent = 0; m < limit && parent < slot.states; parent++) {
      const n = successors[parent];
      let unpacked = false;
      for (let ordinal = 0; ordinal < n; ordinal++, k++) {
        const o = owners[k];
        if (o === KNOWN) continue;
        const move = sentMoves[sent++];
        if (flags[o][cursors[o]++] === 0) continue;
        if (!unpacked) {
          while (parent - pieceStart >= pieces[piece].to - pieces[piece].from) {
            pieceStart += pieces[piece].to - pieces[piece].from;
            view = viewOf(packing, pieces[++piece].memory);
          }
          unpack(packing, view, pieces[piece].from + parent - pieceStart, current);
          unpacked = true;
        }
        semantics.apply(current, move, next);
        pack(packing, out, m, next);
        links[m * 2] = part.parentBase + parent;
        links[m * 2 + 1] = ordinal;
        m++;
        through = k + 1;
        violation = semantics.brokenInvariant(next) ?? semantics.terminalViolation(next);
        if (violation || m === limit) break;
      }
      if (violation) break;
    }
    return { count: m, rows: outMemory, links: linksMemory, violation, through };
  }
}

/**
 * A copy of `array`'s first `used` elements in room for at least `need`
 * (1.25× its length or more), made by `make` (by default, an array of its
 * type in memory of its own).
 */
function grown<T extends Uint8Array | Int32Array>(array: T, used: number, need: number, make?: (length: number) => T): T {
  const length = Math.max(need, Math.ceil(array.length * 1.25));
  const bigger = make ? make(length) : new (array.constructor as new (length: number) => T)(length);
  bigger.set(array.subarray(0, used));
  return bigger;
}

/** An Int32 list in memory from `alloc`, grown by copying when full. */
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
    // In memory from `alloc`: the owner's thread reads the stream.
    this.ints = grown(this.ints, this.length, this.length + 2, (length) => {
      this.memory = this.alloc(length * 4);
      return new Int32Array(this.memory);
    });
  }
  push2(a: number, b: number): void {
    if (this.length + 2 > this.ints.length) this.grow();
    const ints = this.ints;
    ints[this.length] = a;
    ints[this.length + 1] = b;
    this.length += 2;
  }
}
