/**
 * Typed-array storage for the explorer: a fingerprint set, growable integer
 * columns, and a FIFO of states packed to the fewest bytes their slot ranges
 * allow. No object is allocated per state.
 */

/**
 * Set of 64-bit fingerprints (two 32-bit halves), open addressing with linear
 * probing. Past a million slots (8 MB) it grows by 1.5× at 75 % full, so it is
 * never less than half full: 8 bytes a slot stay ≤ 16 bytes a stored state
 * (doubling at 70 % would leave it 35 % full, 23 bytes a state). Below that it
 * doubles: fewer rehashes while the memory is small anyway.
 */
const DOUBLE_BELOW = 1 << 20;
const grownCapacity = (capacity: number) => (capacity < DOUBLE_BELOW ? capacity * 2 : Math.ceil(capacity * 1.5));

export class FingerprintSet {
  private table: Int32Array;
  private capacity: number;
  private limit: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.capacity = Math.max(16, capacity);
    this.table = new Int32Array(this.capacity * 2);
    this.limit = Math.floor(this.capacity * 0.75);
  }

  /** Adds the fingerprint; returns false when it was already there. (0,0) is reserved for "empty". */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    return this.insert(hi, lo);
  }

  /**
   * Reads the fingerprint's home slot and nothing else: called for a state's
   * successors before they are added, it lets the CPU fetch several slots
   * from memory at once instead of one miss after another.
   */
  touch(hi: number): void {
    // Kept in a field so the compiler cannot drop the read as unused.
    this.sink ^= this.table[Math.floor((hi >>> 0) * this.capacity * 2.3283064365386963e-10) << 1];
  }
  private sink = 0;

  private insert(hi: number, lo: number): boolean {
    const table = this.table;
    const capacity = this.capacity;
    // The halves are already mixed: scale the high one to [0, capacity) (no power-of-two mask needed).
    let i = Math.floor((hi >>> 0) * capacity * 2.3283064365386963e-10);
    for (;;) {
      const at = i << 1;
      const h = table[at];
      const l = table[at + 1];
      if (h === 0 && l === 0) {
        table[at] = hi;
        table[at + 1] = lo;
        if (++this.size > this.limit) this.grow();
        return true;
      }
      if (h === hi && l === lo) return false;
      if (++i === capacity) i = 0;
    }
  }

  /**
   * Room for `n` fingerprints without growing. Adding many at once (another
   * search's, in table order: sorted by home slot) into a table too small
   * for them would pile them into one run of slots and take quadratic time.
   */
  reserve(n: number): void {
    // The size growing one by one would reach (so several sets started at staggered sizes stay staggered).
    let capacity = this.capacity;
    while (Math.floor(capacity * 0.75) < n) capacity = grownCapacity(capacity);
    if (capacity > this.capacity) this.grow(capacity);
  }

  private grow(capacity = grownCapacity(this.capacity)): void {
    const old = this.table;
    this.capacity = capacity;
    this.limit = Math.floor(this.capacity * 0.75);
    this.table = new Int32Array(this.capacity * 2);
    // Written before it is read: a fresh page read first maps the shared zero page, and the first
    // write then copies it and flushes the TLB of every core running this process's threads
    // (an interrupt to each); written first, the page is simply allocated.
    this.table.fill(0);
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] !== 0 || old[at + 1] !== 0) this.insert(old[at], old[at + 1]);
    }
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  /** Writes every fingerprint into `into` as (hi, lo) pairs (2 × size ints), to seed another search with what this one has seen. */
  copyPairs(into: Int32Array): void {
    const table = this.table;
    let n = 0;
    for (let at = 0; at < table.length; at += 2) {
      if (table[at] !== 0 || table[at + 1] !== 0) {
        into[n++] = table[at];
        into[n++] = table[at + 1];
      }
    }
  }
}

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/** An append-only column of unsigned integers in fixed-size chunks (no doubling copies). */
export class Column<T extends Uint8Array | Uint16Array | Uint32Array> {
  private readonly chunks: T[] = [];
  length = 0;
  constructor(private readonly make: (n: number) => T) {}
  push(value: number): void {
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(this.make(CHUNK));
    this.chunks[c][this.length & (CHUNK - 1)] = value;
    this.length++;
  }
  get(index: number): number {
    return this.chunks[index >>> CHUNK_BITS][index & (CHUNK - 1)];
  }
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
}

/**
 * FIFO of states; each slot is stored as (value - min) in 1, 2 or 4 bytes.
 * A consumed chunk is kept for reuse by the next push rather than freed: a
 * fresh chunk costs zeroed memory, page faults and garbage collection, which
 * took more time than packing the states into it.
 */
export class StateQueue {
  private readonly chunks: Array<Row | null> = [];
  private readonly spare: Row[] = [];
  private readonly width: 1 | 2 | 4;
  private readonly perChunk: number;
  private head = 0;
  private tail = 0;
  private live = 0;
  peakBytes = 0;
  private readonly packRow: RowCopy;
  private readonly unpackRow: RowCopy;

  constructor(
    private readonly size: number,
    ranges: Array<{ min: number; max: number }>,
  ) {
    ({ width: this.width, packRow: this.packRow, unpackRow: this.unpackRow } = packingFor(size, ranges));
    this.perChunk = Math.max(64, Math.floor(16384 / Math.max(1, size)));
  }

  get length(): number {
    return this.tail - this.head;
  }

  push(state: Int32Array): void {
    const c = Math.floor(this.tail / this.perChunk);
    if (c === this.chunks.length) {
      const n = this.perChunk * this.size;
      const chunk = this.spare.pop() ?? (this.width === 1 ? new Uint8Array(n) : this.width === 2 ? new Uint16Array(n) : new Int32Array(n));
      this.chunks.push(chunk);
      this.live += chunk.byteLength;
      this.peakBytes = Math.max(this.peakBytes, this.live);
    }
    const chunk = this.chunks[c]!;
    this.packRow(chunk, (this.tail % this.perChunk) * this.size, state);
    this.tail++;
  }

  /** Copies `count` queued states, packed, from the `from`-th oldest on, into `into` (a row view with room for them). */
  copyPacked(into: Row, from = 0, count = this.length): void {
    let at = 0;
    const end = this.head + from + count;
    for (let i = this.head + from; i < end; ) {
      const c = Math.floor(i / this.perChunk);
      const a = i % this.perChunk;
      const b = Math.min(this.perChunk, a + (end - i));
      const chunk = this.chunks[c]!;
      (into as Uint8Array).set((chunk as Uint8Array).subarray(a * this.size, b * this.size), at);
      at += (b - a) * this.size;
      i += b - a;
    }
  }

  /** Removes the oldest state into `out`. */
  shift(out: Int32Array): void {
    const c = Math.floor(this.head / this.perChunk);
    const chunk = this.chunks[c]!;
    this.unpackRow(chunk, (this.head % this.perChunk) * this.size, out);
    this.head++;
    if (this.head % this.perChunk === 0) {
      this.live -= chunk.byteLength;
      this.chunks[c] = null;
      this.spare.push(chunk);
    }
  }
}

/** Packed states: each slot as (value − min) in 1, 2 or 4 bytes. */
export type Row = Uint8Array | Uint16Array | Int32Array;

/** How states of a layout are packed (the queue's chunks, the parallel search's frontiers). */
export interface Packing {
  size: number;
  width: 1 | 2 | 4;
  mins: Int32Array;
  /** Straight-line copies for this layout (rowCopiers): several times faster than a loop. */
  packRow: RowCopy;
  unpackRow: RowCopy;
}

/** The fewest bytes a slot needs for every slot's range (4: values kept as they are). */
export function packingFor(size: number, ranges: ReadonlyArray<{ min: number; max: number }>): Packing {
  const span = Math.max(0, ...ranges.map((r) => r.max - r.min));
  const width = span < 256 ? 1 : span < 65536 ? 2 : 4;
  const mins = Int32Array.from(ranges.map((r) => (width === 4 ? 0 : r.min)));
  const [packRow, unpackRow] = rowCopiers(size, mins);
  return { size, width, mins, packRow, unpackRow };
}

/** Copies one state between a chunk (at `offset`) and an Int32Array. */
export type RowCopy = (chunk: Row, offset: number, state: Int32Array) => void;

/**
 * Pack and unpack for one layout as straight-line code (each slot's minimum a
 * constant, none where it is 0): three times faster than the loop, which
 * is what the queue's time went to. Loops where code cannot be generated at
 * run time (a Content-Security-Policy without 'unsafe-eval').
 */
export function rowCopiers(size: number, mins: Int32Array): [RowCopy, RowCopy] {
  const shift = (i: number, sign: '-' | '+') => (mins[i] === 0 ? '' : ` ${sign} (${mins[i]})`);
  const pack = Array.from({ length: size }, (_, i) => `chunk[offset + ${i}] = state[${i}]${shift(i, '-')};`).join('\n');
  const unpack = Array.from({ length: size }, (_, i) => `state[${i}] = chunk[offset + ${i}]${shift(i, '+')};`).join('\n');
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the state layout, never from user text
    return [new Function('chunk', 'offset', 'state', pack) as RowCopy, new Function('chunk', 'offset', 'state', unpack) as RowCopy];
  } catch {
    return [
      (chunk, offset, state) => {
        for (let i = 0; i < size; i++) chunk[offset + i] = state[i] - mins[i];
      },
      (chunk, offset, state) => {
        for (let i = 0; i < size; i++) state[i] = chunk[offset + i] + mins[i];
      },
    ];
  }
}
