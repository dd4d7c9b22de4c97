/**
 * Fingerprints: the generated code computes what its loops compute; a state's
 * fingerprint does not depend on the order of its twins' blocks, and
 * different states (up to that order) get different fingerprints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import { finish, makeFingerprinter } from './canonical';
import { Semantics } from './semantics';
import { compileSystem } from './system';
import { arbitraryModel } from './testing/arbitrary-model';

const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);

describe('fingerprints', () => {
  it('generated and looping fingerprints agree; twins permuted keep it, other states change it', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof(arbitraryModel(), arbitraryModel({ maxFaults: 0, tokens: true })), fc.boolean(), (doc, symmetry) => {
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
        const system = compileSystem(analyzed.value, 's', { symmetry, mergeLocalSteps: symmetry });
        const semantics = new Semantics(system);
        const generated = makeFingerprinter(system);
        const looping = makeFingerprinter(system, { generated: false });
        const [a, b] = [new Int32Array(2), new Int32Array(2)];
        const moves = new Int32Array(semantics.maxMoves);
        const next = new Int32Array(system.size);
        /** Canonical text of a state: each symmetry group's blocks sorted. */
        const canonical = (s: Int32Array) => {
          const copy = [...s];
          for (const group of system.symmetryGroups) {
            const blocks = group.map((p) => [...s.subarray(system.processes[p].blockStart, system.processes[p].blockStart + system.processes[p].blockSize)]).sort((x, y) => (x.join() < y.join() ? -1 : 1));
            group.forEach((p, i) => copy.splice(system.processes[p].blockStart, blocks[i].length, ...blocks[i]));
          }
          return copy.join();
        };
        const byFingerprint = new Map<string, string>();
        const queue = [semantics.initial().state];
        for (let i = 0; i < queue.length && i < 400; i++) {
          const s = queue[i];
          generated(s, a);
          looping(s, b);
          expect([...a], `[${s}]`).toEqual([...b]);
          const key = canonical(s);
          const known = byFingerprint.get(`${a[0]},${a[1]}`);
          if (known !== undefined) expect(known, 'two different states share a fingerprint').toBe(key);
          byFingerprint.set(`${a[0]},${a[1]}`, key);
          for (const group of system.symmetryGroups) {
            const [p, q] = [system.processes[group[0]], system.processes[group[group.length - 1]]];
            const swapped = s.slice();
            swapped.set(s.subarray(q.blockStart, q.blockStart + q.blockSize), p.blockStart);
            swapped.set(s.subarray(p.blockStart, p.blockStart + p.blockSize), q.blockStart);
            generated(swapped, b);
            expect([...b], 'twins swapped').toEqual([...a]);
          }
          compared++;
          const n = semantics.listMoves(s, moves, false);
          for (let m = 0; m < n; m++) if (!semantics.apply(s, moves[m], next)) queue.push(next.slice());
        }
      }),
      { numRuns: 200 * RUNS },
    );
    expect(compared).toBeGreaterThan(5_000);
  });

  it('never comes out as (0, 0), which marks an empty slot of the visited set', () => {
    const out = new Int32Array(2);
    // fmix(0) is 0: the sums that mix to (0, 0) are 0 and the second lane's constant.
    finish(0, 0x27d4eb2f, out);
    expect([...out]).toEqual([0, 1]);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (h1, h2) => {
        finish(h1, h2, out);
        expect(out[0] !== 0 || out[1] !== 0).toBe(true);
      }),
    );
  });
});
