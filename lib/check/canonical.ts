/**
 * Symmetry reduction and fingerprints. Interchangeable processes (same
 * operation, arguments and placement) are put in a canonical order by sorting
 * their blocks, so states that differ only by which twin did what share one
 * fingerprint. Everything a process owns (status, pc, locals, holds, tokens)
 * lives in its block, so sorting blocks needs no renaming elsewhere.
 */
import type { System } from './system';

export type Canonicalize = (s: Int32Array) => void;

export function makeCanonicalizer(system: System): Canonicalize {
  const groups = system.symmetryGroups.map((group) => ({
    starts: Int32Array.from(group.map((p) => system.processes[p].blockStart)),
    size: system.processes[group[0]].blockSize,
  }));
  if (groups.length === 0) return () => {};
  const temp = new Int32Array(Math.max(...groups.map((g) => g.size)));
  return (s) => {
    for (const { starts, size } of groups) {
      // Insertion sort of blocks: groups are small and usually nearly sorted.
      for (let i = 1; i < starts.length; i++) {
        let j = i;
        while (j > 0 && compareBlocks(s, starts[j - 1], starts[j], size) > 0) {
          const a = starts[j - 1];
          const b = starts[j];
          temp.set(s.subarray(a, a + size));
          s.copyWithin(a, b, b + size);
          s.set(temp.subarray(0, size), b);
          j--;
        }
      }
    }
  };
}

function compareBlocks(s: Int32Array, a: number, b: number, size: number): number {
  for (let i = 0; i < size; i++) {
    const d = s[a + i] - s[b + i];
    if (d !== 0) return d;
  }
  return 0;
}

/** Two independent 32-bit hashes of the state (a 64-bit fingerprint). */
export function fingerprint(s: Int32Array, out: Int32Array): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x2545f491 | 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    h1 = Math.imul(h1 ^ v, 0x01000193);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 + v + 0x7f4a7c15, 0x85ebca6b);
    h2 ^= h2 >>> 13;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x7feb352d);
  h2 = Math.imul(h2 ^ (h2 >>> 15), 0x846ca68b);
  h2 ^= h2 >>> 16;
  out[0] = h1;
  out[1] = h2;
}
