/**
 * FingerprintSet answers as a Set of (hi, lo) pairs would, through every
 * growth: its rehash places each fingerprint by its home slot, so runs that
 * wrap past the table's end, equal high halves and (0, 0) (stored as (0, 1))
 * are where it could go wrong. The search's own tests reach growth only in
 * large models.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './store';

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
