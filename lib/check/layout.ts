/**
 * Where every part of a state lives in its Int32Array, and the encodings of
 * process status and lock holds. A state is plain integers so it can be
 * copied, hashed and stored without allocating objects.
 */

/** Process status. */
export const DORMANT = 0; // a recovery process whose trigger has not crashed
export const RUNNING = 1;
export const DONE = 2;
export const ABORTED = 3;
export const CRASHED = 4;
export const STATUS_NAMES = ['dormant', 'running', 'done', 'aborted', 'crashed'] as const;

/** What a process believes about one lock key. */
export const HOLD_NONE = 0;
export const HOLD_EXCLUSIVE = 1;
export const HOLD_SHARED = 2;
/** Its lease expired while it ran: it still believes it holds the lock; the lock table does not. */
export const HOLD_EXPIRED = 3;
/** Expired, and another process has since acquired the lock. */
export const HOLD_SUPERSEDED = 4;
/** It crashed holding the lock, whose crash rule keeps it held (after-lease, never). */
export const HOLD_CRASHED_EXCLUSIVE = 5;
export const HOLD_CRASHED_SHARED = 6;

export function holdsInTable(hold: number): boolean {
  return hold === HOLD_EXCLUSIVE || hold === HOLD_SHARED || hold === HOLD_CRASHED_EXCLUSIVE || hold === HOLD_CRASHED_SHARED;
}
export function holdsExclusively(hold: number): boolean {
  return hold === HOLD_EXCLUSIVE || hold === HOLD_CRASHED_EXCLUSIVE;
}

/** A slot's possible values, used to pack states into bytes. */
export interface SlotRange {
  min: number;
  max: number;
}

/** Allocates slots in order and records each one's range and name (for debugging and views). */
export class SlotAllocator {
  readonly ranges: SlotRange[] = [];
  readonly names: string[] = [];
  allocate(name: string, min: number, max: number): number {
    this.ranges.push({ min, max });
    this.names.push(name);
    return this.ranges.length - 1;
  }
  get size(): number {
    return this.ranges.length;
  }
}
