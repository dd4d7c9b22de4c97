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
   * The level search's partitions call it before each batch, to grow together.
   */
  reserve(n: number): void {
    // The size growing one by one would reach: sets of one size asked for the same room end at one size.
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
 * FIFO of states, packed (`Packing`). A consumed chunk is kept for reuse by
 * the next push rather than freed: a fresh chunk costs zeroed memory, page
 * faults and garbage collection, which took more time than packing the
 * states into it.
 */
export class StateQueue {
  private readonly chunks: Array<Row | null> = [];
  private readonly spare: Row[] = [];
  private readonly packing: Packing;
  private readonly perChunk: number;
  private head = 0;
  private tail = 0;
  private live = 0;
  peakBytes = 0;

  constructor(size: number, ranges: Array<{ min: number; max: number }>) {
    this.packing = packingFor(size, ranges);
    this.perChunk = Math.max(64, Math.floor(16384 / Math.max(1, size)));
  }

  get length(): number {
    return this.tail - this.head;
  }

  push(state: Int32Array): void {
    const { stride } = this.packing;
    const c = Math.floor(this.tail / this.perChunk);
    if (c === this.chunks.length) {
      const chunk = this.spare.pop() ?? rowsOf(this.packing, this.perChunk);
      this.chunks.push(chunk);
      this.live += chunk.byteLength;
      this.peakBytes = Math.max(this.peakBytes, this.live);
    }
    this.packing.packRow(this.chunks[c]!, (this.tail % this.perChunk) * stride, state);
    this.tail++;
  }

  /** Copies `count` queued states, packed, from the `from`-th oldest on, into `into` (a view of this packing with room for them). */
  copyPacked(into: Row, from = 0, count = this.length): void {
    const { stride } = this.packing;
    let at = 0;
    const end = this.head + from + count;
    for (let i = this.head + from; i < end; ) {
      const c = Math.floor(i / this.perChunk);
      const a = i % this.perChunk;
      const b = Math.min(this.perChunk, a + (end - i));
      (into as Int32Array).set((this.chunks[c] as Int32Array).subarray(a * stride, b * stride), at);
      at += (b - a) * stride;
      i += b - a;
    }
  }

  /** Removes the oldest state into `out`. */
  shift(out: Int32Array): void {
    const c = Math.floor(this.head / this.perChunk);
    const chunk = this.chunks[c]!;
    this.packing.unpackRow(chunk, (this.head % this.perChunk) * this.packing.stride, out);
    this.head++;
    if (this.head % this.perChunk === 0) {
      this.live -= chunk.byteLength;
      this.chunks[c] = null;
      this.spare.push(chunk);
    }
  }
}

/** Packed states in memory: Int32 words (four one-byte slots each, or one slot each), or two bytes a slot. */
export type Row = Int32Array | Uint16Array;

/**
 * How states of a layout are packed (the queue's chunks, the parallel
 * search's frontiers): each slot as (value − min) in one byte, four to an
 * Int32 word (`bytes`); in two bytes (`u16`); or as it is (`i32`).
 */
export interface Packing {
  /** Slots in a state. */
  size: number;
  element: 'bytes' | 'u16' | 'i32';
  /** Elements of its view (`viewOf`) a packed state takes. */
  stride: number;
  /** Bytes a packed state takes (at least 1). */
  rowBytes: number;
  mins: Int32Array;
  /** Straight-line copies for this layout (rowCopiers): several times faster than a loop. */
  packRow: RowCopy;
  unpackRow: RowCopy;
}

/** The fewest bytes a slot needs for every slot's range. */
export function packingFor(size: number, ranges: ReadonlyArray<{ min: number; max: number }>): Packing {
  const span = Math.max(0, ...ranges.map((r) => r.max - r.min));
  const element = span < 256 ? 'bytes' : span < 65536 ? 'u16' : 'i32';
  const mins = Int32Array.from(ranges.map((r) => (element === 'i32' ? 0 : r.min)));
  const stride = element === 'bytes' ? Math.ceil(size / 4) : size;
  const [packRow, unpackRow] = rowCopiers(element, size, mins);
  return { size, element, stride, rowBytes: Math.max(1, stride) * (element === 'u16' ? 2 : 4), mins, packRow, unpackRow };
}

/** A view of packed states in `memory`. */
export function viewOf(p: Packing, memory: ArrayBufferLike): Row {
  return p.element === 'u16' ? new Uint16Array(memory) : new Int32Array(memory);
}

/** Room for `count` packed states. */
const rowsOf = (p: Packing, count: number): Row => viewOf(p, new ArrayBuffer(count * p.rowBytes));

/** Copies one state between packed rows (at `offset`, in elements) and an Int32Array. */
export type RowCopy = (chunk: Row, offset: number, state: Int32Array) => void;

/**
 * Pack and unpack for one layout as straight-line code (each slot's minimum a
 * constant, none where it is 0): three times faster than the loop, which
 * is what the queue's time went to. One-byte slots go four to a word: a
 * quarter of the loads and stores of one per byte (packing and unpacking
 * 700,000 states of 41 one-byte slots, N=8's layout, alone: 20–30% less
 * time than a byte each). Loops where code cannot
 * be generated at run time (a Content-Security-Policy without 'unsafe-eval').
 */
export function rowCopiers(element: Packing['element'], size: number, mins: Int32Array): [RowCopy, RowCopy] {
  const shift = (i: number, sign: '-' | '+') => (mins[i] === 0 ? '' : ` ${sign} (${mins[i]})`);
  let pack: string;
  let unpack: string;
  if (element === 'bytes') {
    const words = Array.from({ length: Math.ceil(size / 4) }, (_, w) => Array.from({ length: Math.min(4, size - 4 * w) }, (_, b) => 4 * w + b));
    pack = words.map((slots, w) => `chunk[offset + ${w}] = ${slots.map((i, b) => (b === 0 ? `(state[${i}]${shift(i, '-')})` : `((state[${i}]${shift(i, '-')}) << ${8 * b})`)).join(' | ')};`).join('\n');
    unpack = words
      .map((slots, w) => [`x = chunk[offset + ${w}];`, ...slots.map((i, b) => `state[${i}] = (${b === 0 ? 'x & 255' : b === 3 ? 'x >>> 24' : `(x >>> ${8 * b}) & 255`})${shift(i, '+')};`)].join('\n'))
      .join('\n');
    unpack = `let x = 0;\n${unpack}`;
  } else {
    pack = Array.from({ length: size }, (_, i) => `chunk[offset + ${i}] = state[${i}]${shift(i, '-')};`).join('\n');
    unpack = Array.from({ length: size }, (_, i) => `state[${i}] = chunk[offset + ${i}]${shift(i, '+')};`).join('\n');
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the state layout, never from user text
    return [new Function('chunk', 'offset', 'state', pack) as RowCopy, new Function('chunk', 'offset', 'state', unpack) as RowCopy];
  } catch {
    if (element !== 'bytes') {
      return [
        (chunk, offset, state) => {
          for (let i = 0; i < size; i++) chunk[offset + i] = state[i] - mins[i];
        },
        (chunk, offset, state) => {
          for (let i = 0; i < size; i++) state[i] = chunk[offset + i] + mins[i];
        },
      ];
    }
    return [
      (chunk, offset, state) => {
        for (let w = 0; 4 * w < size; w++) {
          let x = 0;
          for (let b = 0; b < 4 && 4 * w + b < size; b++) x |= (state[4 * w + b] - mins[4 * w + b]) << (8 * b);
          chunk[offset + w] = x;
        }
      },
      (chunk, offset, state) => {
        for (let i = 0; i < size; i++) state[i] = ((chunk[offset + (i >> 2)] >>> (8 * (i & 3))) & 255) + mins[i];
      },
    ];
  }
}
