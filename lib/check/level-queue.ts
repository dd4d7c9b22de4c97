/**
 * The level-parallel search's queue (level-search.ts): the stored states not
 * yet expanded, packed, by queue index. Batches append the states they
 * number, in order; the segments are released once every batch that reads
 * them is done.
 */
import type { Memory, Piece } from './level-partition';

/** Part of the queue, packed (level-partition.ts `pack`). */
export interface Segment {
  memory: Memory;
  count: number;
}

/** The queued states not yet expanded, by queue index: segments appended as batches commit, released as the batches move past them. */
export class Queue {
  private readonly segments: Array<Segment | null> = [];
  private readonly starts: number[] = [];
  private released = 0; // segments before this one are released
  private end: number;
  bytes = 0;

  constructor(start: number) {
    this.end = start;
  }

  append(segment: Segment): void {
    this.segments.push(segment);
    this.starts.push(this.end);
    this.end += segment.count;
    this.bytes += segment.memory.byteLength;
  }

  /** The pieces that hold the states [from, to). */
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

  /** Drops the segments that end at or before queue index `upTo`. */
  release(upTo: number): void {
    while (this.released < this.segments.length && this.starts[this.released] + this.segments[this.released]!.count <= upTo) {
      this.bytes -= this.segments[this.released]!.memory.byteLength;
      this.segments[this.released++] = null;
    }
  }
}
