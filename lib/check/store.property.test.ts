/**
 * FingerprintSet answers as a Set of (hi, lo) pairs would, through every
 * growth: its rehash places each fingerprint by its home slot, so runs that
 * wrap past the table's end, equal high halves and (0, 0) (stored as (0, 1))
 * are where it could go wrong. The search's own tests reach growth only in
 * large models.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet, packingFor, rowCopiers, StateQueue, viewOf } from './store';

const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const key = (hi: number, lo: number) => `${hi},${hi === 0 && lo === 0 ? 1 : lo}`;

// High halves from a few values (collisions, runs) or near 2^32 (home slots at the table's end: runs wrap).
const half = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -8, max: 8 }), fc.integer({ min: -(2 ** 20), max: -1 }));
const pairs = fc.array(fc.tuple(half, fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 3 }))), { minLength: 100, maxLength: 2000, size: 'max' });

describe('FingerprintSet', () => {
  it('adds, finds and counts like a Set while it grows', () => {
    fc.assert(
      fc.property(pairs, fc.integer({ min: 16, max: 64 }), (list, capacity) => {
        const set = new FingerprintSet(capacity);
        const model = new Set<string>();
        for (const [hi, lo] of list) {
          expect(set.add(hi, lo)).toBe(!model.has(key(hi, lo)));
          model.add(key(hi, lo));
        }
        expect(set.size).toBe(model.size);
        // After every growth, each one is still found (adding it again says so).
        for (const [hi, lo] of list) expect(set.add(hi, lo)).toBe(false);
        expect(set.size).toBe(model.size);
      }),
      { numRuns: 50 * RUNS },
    );
  });

  it('keeps what it holds when room is reserved for more', () => {
    const set = new FingerprintSet(16);
    for (let i = 0; i < 1000; i++) set.add(-(i % 7) - 1, i);
    set.reserve(100_000);
    expect(set.size).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(set.add(-(i % 7) - 1, i)).toBe(false);
    expect(set.add(5, 5)).toBe(true);
  });
});

// Layouts: each slot's range somewhere in [-70,000, 70,000], narrow enough for one or two bytes or not.
const layout = fc
  .array(fc.tuple(fc.integer({ min: -70_000, max: 70_000 }), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 65_535 }), fc.integer({ min: 0, max: 140_000 }))), { maxLength: 23 })
  .map((slots) => slots.map(([min, span]) => ({ min, max: min + span })));
const statesOf = (ranges: Array<{ min: number; max: number }>) =>
  fc.array(fc.tuple(...ranges.map((r) => fc.integer({ min: r.min, max: r.max }))).map((values) => Int32Array.from(values as number[])), { minLength: 1, maxLength: 300 });

describe('packed states', () => {
  it('come back as they went in, generated or looped, and the queue is first in, first out', () => {
    let packings = new Set<string>();
    fc.assert(
      fc.property(
        layout.chain((ranges) => fc.tuple(fc.constant(ranges), statesOf(ranges.length > 0 ? ranges : [{ min: 0, max: 0 }]))),
        ([ranges, rawStates]) => {
          const states = ranges.length > 0 ? rawStates : rawStates.map(() => new Int32Array(0));
          const packing = packingFor(ranges.length, ranges);
          packings.add(packing.element);
          // The loops a Content-Security-Policy falls back to, against the generated copies.
          const loops = rowCopiers(packing.element, packing.size, packing.mins);
          const memory = new ArrayBuffer(states.length * packing.rowBytes);
          const view = viewOf(packing, memory);
          const out = new Int32Array(ranges.length);
          states.forEach((state, i) => packing.packRow(view, i * packing.stride, state));
          states.forEach((state, i) => {
            packing.unpackRow(view, i * packing.stride, out);
            expect([...out]).toEqual([...state]);
            out.fill(0);
            loops[1](view, i * packing.stride, out);
            expect([...out]).toEqual([...state]);
          });
          const looped = viewOf(packing, new ArrayBuffer(states.length * packing.rowBytes));
          states.forEach((state, i) => loops[0](looped, i * packing.stride, state));
          expect([...looped]).toEqual([...view]);

          // Through the queue, across chunks (a chunk holds at least 64 states), with a copy of part of it on the way.
          const queue = new StateQueue(ranges.length, ranges);
          const copies = 3;
          for (let round = 0; round < copies; round++) for (const state of states) queue.push(state);
          const skip = Math.floor(states.length / 2);
          const copied = viewOf(packing, new ArrayBuffer(states.length * packing.rowBytes));
          queue.copyPacked(copied, skip, states.length);
          for (let i = 0; i < states.length; i++) {
            packing.unpackRow(copied, i * packing.stride, out);
            expect([...out]).toEqual([...states[(skip + i) % states.length]]);
          }
          for (let round = 0; round < copies; round++) {
            for (const state of states) {
              queue.shift(out);
              expect([...out]).toEqual([...state]);
            }
          }
          expect(queue.length).toBe(0);
        },
      ),
      { numRuns: 150 * RUNS },
    );
    expect([...packings].sort()).toEqual(['bytes', 'i32', 'u16']);
  });
});

