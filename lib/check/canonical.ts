/**
 * Fingerprints, with symmetry reduction inside them.
 *
 * A fingerprint is 64 bits, two independent 32-bit lanes, each a sum of one
 * random number per slot and value (tabulation or Zobrist hashing): two
 * different states differ in at least one term, so they collide in a lane
 * with probability 2^-32, as with any good hash, and the terms are
 * independent of each other. That matters for speed: a chained hash
 * (h = mix(h, s[i]) slot after slot) is one long dependency chain the CPU
 * cannot overlap; here the loads and adds of all slots run in parallel.
 *
 * Interchangeable processes (same operation, arguments and placement) own
 * everything about themselves in their own block (status, pc, locals, holds,
 * tokens), so a state and its permutations differ only in the order of those
 * blocks. Each block is hashed with the same block-relative table, mixed, and
 * the group contributes the sum of its blocks' hashes, which is the same for
 * every order: no sorting, and the explorer keeps real (unpermuted) states, so
 * traces replay directly.
 *
 * The tables come from a fixed seed: every thread and worker computes the
 * same fingerprint for the same state.
 */
import type { System } from './system';

/**
 * Writes a 64-bit fingerprint of `s` (two 32-bit halves) into `out`. Never
 * (0, 0): the visited set marks its empty slots with it, so that value comes
 * out as (0, 1), in every variant and thread alike.
 */
export type Fingerprinter = (s: Int32Array, out: Int32Array) => void;

/** Above this many table entries (a wide int field), a slot's term is computed by mixing instead of looked up. */
const MAX_TABLE = 1 << 20;
/** Two neighbouring slots share one term (one pair of table reads) when their values combine into at most this many entries. */
const PAIR_ENTRIES = 64;

/** A symmetric block whose values combine into at most this many entries is one term (its own random number, no mixing). */
const BLOCK_ENTRIES = 4096;

/**
 * One term of a fingerprint: the table entry at base + Σ s[slot] * stride,
 * over one slot, a pair of neighbours, or a whole symmetric block. Slots are
 * absolute for the slots hashed in place, block-relative in a block.
 */
interface Term {
  slots: number[];
  strides: number[];
  base: number;
}

/** The hashing tables of a system's layout. */
interface Tables {
  /** Terms over the slots outside symmetric blocks. */
  plain: Term[];
  /**
   * Per symmetry group: its blocks' starts and the block-relative terms each block is hashed with;
   * `whole`: one term covers the block, so its entry is already a random number of the block's content.
   */
  groups: Array<{ starts: Int32Array; terms: Term[]; whole: boolean }>;
  lane1: Int32Array;
  lane2: Int32Array;
}

/** `generated: false` takes the loops the generated code stands in for (what it is tested against). */
export function makeFingerprinter(system: System, options: { generated?: boolean } = {}): Fingerprinter {
  const size = system.size;
  const ranges = system.slotRanges;
  const inSymmetricBlock = new Uint8Array(size);
  for (const group of system.symmetryGroups) {
    for (const p of group) inSymmetricBlock.fill(1, system.processes[p].blockStart, system.processes[p].blockStart + system.processes[p].blockSize);
  }
  const ordered = [...Array(size).keys()].filter((i) => !inSymmetricBlock[i]);
  const groups = system.symmetryGroups.map((group) => ({
    starts: Int32Array.from(group.map((p) => system.processes[p].blockStart)),
    blockSize: system.processes[group[0]].blockSize,
  }));
  const blockRange = (starts: Int32Array, j: number) => {
    const slots = [...starts].map((start) => ranges[start + j]);
    return { min: Math.min(...slots.map((r) => r.min)), max: Math.max(...slots.map((r) => r.max)) };
  };
  let used = 0;
  type Position = { slot: number; min: number; max: number };
  const span = (p: Position) => p.max - p.min + 1;
  /** One term over positions: entries for every combination of their values (mixed radix). */
  const term = (positions: Position[]): Term => {
    const strides = positions.map((_, k) => positions.slice(k + 1).reduce((n, p) => n * span(p), 1));
    const base = used - positions.reduce((n, p, k) => n + p.min * strides[k], 0);
    used += positions.reduce((n, p) => n * span(p), 1);
    return { slots: positions.map((p) => p.slot), strides, base };
  };
  /** Terms over positions, pairing neighbours whose values combine into few entries. */
  const termsOf = (positions: Position[]): Term[] => {
    const terms: Term[] = [];
    for (let k = 0; k < positions.length; k++) {
      const pair = positions[k + 1] && span(positions[k]) * span(positions[k + 1]) <= PAIR_ENTRIES;
      terms.push(term(pair ? [positions[k], positions[k + 1]] : [positions[k]]));
      if (pair) k++;
    }
    return terms;
  };
  const tables: Omit<Tables, 'lane1' | 'lane2'> = {
    plain: termsOf(ordered.map((slot) => ({ slot, ...ranges[slot] }))),
    groups: groups.map(({ starts, blockSize }) => {
      const positions = Array.from({ length: blockSize }, (_, j) => ({ slot: j, ...blockRange(starts, j) }));
      const whole = positions.reduce((n, p) => n * span(p), 1) <= BLOCK_ENTRIES;
      return { starts, terms: whole ? [term(positions)] : termsOf(positions), whole };
    }),
  };
  if (used > MAX_TABLE) return mixingFingerprinter(ordered, groups);
  const { lane1, lane2 } = randomTables(used);
  return (options.generated !== false ? unrolledFingerprinter({ ...tables, lane1, lane2 }) : null) ?? loopingFingerprinter({ ...tables, lane1, lane2 });
}

function loopingFingerprinter({ plain, groups, lane1, lane2 }: Tables): Fingerprinter {
  const index = (term: Term, s: Int32Array, start: number) => {
    let e = term.base;
    for (let k = 0; k < term.slots.length; k++) e += s[start + term.slots[k]] * term.strides[k];
    return e;
  };
  return (s, out) => {
    let h1 = 0;
    let h2 = 0;
    for (const term of plain) {
      const e = index(term, s, 0);
      h1 = (h1 + lane1[e]) | 0;
      h2 = (h2 + lane2[e]) | 0;
    }
    for (let g = 0; g < groups.length; g++) {
      const { starts, terms, whole } = groups[g];
      for (let b = 0; b < starts.length; b++) {
        let b1 = 0;
        let b2 = 0;
        for (const term of terms) {
          const e = index(term, s, starts[b]);
          b1 = (b1 + lane1[e]) | 0;
          b2 = (b2 + lane2[e]) | 0;
        }
        // A block hashed in several terms is mixed before it is summed: a plain sum of table entries
        // could not tell which block a value belongs to (two twins swapping one slot each).
        h1 = (h1 + (whole ? b1 : fmix(b1 ^ (0x9e3779b9 + g)))) | 0;
        h2 = (h2 + (whole ? b2 : fmix(b2 ^ (0x632be5ab - g)))) | 0;
      }
    }
    finish(h1, h2, out);
  };
}

/**
 * The same function as straight-line code with every slot and table offset a
 * constant (no index loads, no loop): most of a fingerprint's cost was
 * bookkeeping. Null where code cannot be generated at run time (a
 * Content-Security-Policy without 'unsafe-eval').
 */
function unrolledFingerprinter({ plain, groups, lane1, lane2 }: Tables): Fingerprinter | null {
  const index = (term: Term, start: number) => [String(term.base), ...term.slots.map((slot, k) => (term.strides[k] === 1 ? `s[${start + slot}]` : `s[${start + slot}] * ${term.strides[k]}`))].join(' + ');
  const lines: string[] = ['let h1 = 0, h2 = 0, b1 = 0, b2 = 0, e = 0;'];
  for (const term of plain) lines.push(`e = ${index(term, 0)}; h1 = (h1 + L1[e]) | 0; h2 = (h2 + L2[e]) | 0;`);
  groups.forEach(({ starts, terms, whole }, g) => {
    for (const start of starts) {
      if (whole) {
        lines.push(`e = ${index(terms[0], start)}; h1 = (h1 + L1[e]) | 0; h2 = (h2 + L2[e]) | 0;`);
        continue;
      }
      lines.push('b1 = 0; b2 = 0;');
      for (const term of terms) lines.push(`e = ${index(term, start)}; b1 = (b1 + L1[e]) | 0; b2 = (b2 + L2[e]) | 0;`);
      lines.push(`h1 = (h1 + fmix(b1 ^ ${(0x9e3779b9 + g) | 0})) | 0; h2 = (h2 + fmix(b2 ^ ${(0x632be5ab - g) | 0})) | 0;`);
    }
  });
  lines.push('finish(h1, h2, out);');
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the state layout, never from user text
    return new Function('L1', 'L2', 'fmix', 'finish', `"use strict";\nreturn function fingerprint(s, out) {\n${lines.join('\n')}\n};`)(lane1, lane2, fmix, finish) as Fingerprinter;
  } catch {
    return null;
  }
}

/** The same construction with each term computed by mixing (slot, value): for states with very wide int fields. */
function mixingFingerprinter(ordered: number[], groups: Array<{ starts: Int32Array; blockSize: number }>): Fingerprinter {
  const slots = Int32Array.from(ordered);
  const term1 = (k: number, v: number) => fmix(Math.imul(k + 1, 0x9e3779b1) ^ Math.imul(v, 0x85ebca77));
  const term2 = (k: number, v: number) => fmix(Math.imul(k + 1, 0xc2b2ae3d) ^ Math.imul(v, 0x27d4eb2f) ^ 0x165667b1);
  return (s, out) => {
    let h1 = 0;
    let h2 = 0;
    for (let k = 0; k < slots.length; k++) {
      h1 += term1(k, s[slots[k]]);
      h2 += term2(k, s[slots[k]]);
    }
    for (let g = 0; g < groups.length; g++) {
      const { starts, blockSize } = groups[g];
      for (let b = 0; b < starts.length; b++) {
        let b1 = 0;
        let b2 = 0;
        for (let j = 0; j < blockSize; j++) {
          b1 += term1(slots.length + j, s[starts[b] + j]);
          b2 += term2(slots.length + j, s[starts[b] + j]);
        }
        h1 += fmix((b1 | 0) ^ (0x9e3779b9 + g));
        h2 += fmix((b2 | 0) ^ (0x632be5ab - g));
      }
    }
    finish(h1 | 0, h2 | 0, out);
  };
}

/** Two tables of random 32-bit numbers from a fixed seed (splitmix32): the same in every thread. */
function randomTables(entries: number): { lane1: Int32Array; lane2: Int32Array } {
  const lane1 = new Int32Array(entries);
  const lane2 = new Int32Array(entries);
  let state = 0x6a09e667;
  const next = () => {
    state = (state + 0x9e3779b9) | 0;
    return fmix(state);
  };
  for (let i = 0; i < entries; i++) {
    lane1[i] = next();
    lane2[i] = next();
  }
  return { lane1, lane2 };
}

/** The two sums, mixed, into `out`; (0, 0) as (0, 1) (see Fingerprinter). Every variant ends with it. */
export function finish(h1: number, h2: number, out: Int32Array): void {
  const hi = fmix(h1);
  const lo = fmix(h2 ^ 0x27d4eb2f);
  out[0] = hi;
  out[1] = hi === 0 && lo === 0 ? 1 : lo;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Order-sensitive 64-bit fingerprint of the whole state (tests and tools; the explorer uses makeFingerprinter). */
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
