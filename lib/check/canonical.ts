/**
 * Fingerprints, with symmetry reduction inside them. Interchangeable
 * processes (same operation, arguments and placement) own everything about
 * themselves in their own block (status, pc, locals, holds, tokens), so a
 * state and its permutations differ only in the order of those blocks. The
 * fingerprint hashes each group of twins as a multiset — the sum of a strong
 * hash of each block — which is the same for every order: no sorting, and the
 * explorer keeps real (unpermuted) states, so traces replay directly.
 */
import type { System } from './system';

/** Writes a 64-bit fingerprint of `s` (two 32-bit halves) into `out`. */
export type Fingerprinter = (s: Int32Array, out: Int32Array) => void;

export function makeFingerprinter(system: System): Fingerprinter {
  const size = system.size;
  // Slots hashed in order: everything outside the symmetric blocks.
  const inSymmetricBlock = new Uint8Array(size);
  const groups = system.symmetryGroups.map((group) => {
    const starts = Int32Array.from(group.map((p) => system.processes[p].blockStart));
    const blockSize = system.processes[group[0]].blockSize;
    for (const start of starts) inSymmetricBlock.fill(1, start, start + blockSize);
    return { starts, blockSize };
  });
  const ordered = Int32Array.from([...Array(size).keys()].filter((i) => !inSymmetricBlock[i]));
  if (groups.length === 0) return fingerprint;
  return (s, out) => {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x2545f491 | 0;
    for (let k = 0; k < ordered.length; k++) {
      const v = s[ordered[k]];
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 + v + 0x7f4a7c15, 0x85ebca6b);
      h2 ^= h2 >>> 13;
    }
    for (let g = 0; g < groups.length; g++) {
      const { starts, blockSize } = groups[g];
      let sum1 = 0;
      let sum2 = 0;
      for (let b = 0; b < starts.length; b++) {
        const start = starts[b];
        let b1 = (0x9e3779b9 + g) | 0;
        let b2 = (0x632be5ab - g) | 0;
        for (let i = 0; i < blockSize; i++) {
          const v = s[start + i];
          b1 = Math.imul(b1 ^ v, 0x01000193);
          b1 ^= b1 >>> 15;
          b2 = Math.imul(b2 + v + 0x7f4a7c15, 0x85ebca6b);
          b2 ^= b2 >>> 13;
        }
        // Finalize each block's hash so that sums of them behave like sums of random numbers.
        sum1 = (sum1 + fmix(b1)) | 0;
        sum2 = (sum2 + fmix(b2 ^ 0x5bd1e995)) | 0;
      }
      h1 = Math.imul(h1 ^ sum1, 0x01000193);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 + sum2 + 0x7f4a7c15, 0x85ebca6b);
      h2 ^= h2 >>> 13;
    }
    out[0] = fmix(h1);
    out[1] = fmix(h2 ^ 0x27d4eb2f);
  };
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Order-sensitive 64-bit fingerprint of the whole state. */
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
  out[0] = fmix(h1);
  out[1] = fmix(h2 ^ 0x27d4eb2f);
}
