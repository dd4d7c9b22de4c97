/**
 * The specialised step function (specialize.ts) against the interpreter it
 * stands in for: on random models — locks, fencing tokens, faults, atomic
 * blocks, updates, loops — every reachable state (up to a bound) must list
 * the same moves in the same order, and every move must lead to the same
 * successor and the same violation, with and without reductions and with
 * each check on or off.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { Checks, ModelDocument } from '../model/schema';
import { fingerprint } from './canonical';
import { Semantics } from './semantics';
import { compileSystem, type CheckOptions } from './system';
import { arbitraryModel } from './testing/arbitrary-model';
import { compileExpr } from './compile-expr';
import { exprSource } from './expr-source';
import type { Typed } from '../model/expr/types';

const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const STATES_PER_MODEL = 1500;
const CHECK_NAMES = ['invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite'] as const satisfies ReadonlyArray<keyof Checks>;

/** Walks the interpreter's reachable states breadth-first and compares both step functions at each; returns how many moves the fast path took itself. */
function compareOn(doc: ModelDocument, checksOn: boolean, options: CheckOptions): { moves: number; states: number } {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, checksOn]));
  const analyzed = analyzeModel(copy);
  if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
  const system = compileSystem(analyzed.value, 's', options);
  const interpreter = new Semantics(system, { specialized: false });
  const fast = new Semantics(system);
  const listA = new Int32Array(interpreter.maxMoves);
  const listB = new Int32Array(fast.maxMoves);
  const nextA = new Int32Array(system.size);
  const nextB = new Int32Array(system.size);
  const fp = new Int32Array(2);
  const seen = new Set<string>();
  const queue: Int32Array[] = [interpreter.initial().state];
  let moves = 0;
  while (queue.length > 0 && seen.size < STATES_PER_MODEL) {
    const s = queue.shift()!;
    fingerprint(s, fp);
    const key = `${fp[0]},${fp[1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    expect(fast.brokenInvariant(s), `invariants in [${s}]`).toEqual(interpreter.brokenInvariant(s));
    expect(fast.terminalViolation(s), `end of [${s}]`).toEqual(interpreter.terminalViolation(s));
    for (const skip of [false, true]) {
      const a = interpreter.listMoves(s, listA, skip);
      const b = fast.listMoves(s, listB, skip);
      expect([...listB.subarray(0, b)], `moves of [${s}] (skipSymmetric ${skip})`).toEqual([...listA.subarray(0, a)]);
    }
    const count = interpreter.listMoves(s, listA, false);
    for (let i = 0; i < count; i++) {
      const violationA = interpreter.apply(s, listA[i], nextA);
      const violationB = fast.apply(s, listA[i], nextB);
      expect(violationB, `violation of move ${listA[i]} from [${s}]`).toEqual(violationA);
      if (violationA) continue;
      expect([...nextB], `successor of move ${listA[i]} from [${s}]`).toEqual([...nextA]);
      queue.push(nextA.slice());
      moves++;
    }
  }
  return { moves, states: seen.size };
}

describe('the specialised step function takes every move as the interpreter does', () => {
  const models = fc.oneof(arbitraryModel({ maxFaults: 0 }), arbitraryModel(), arbitraryModel({ tokens: true }), arbitraryModel({ locks: false, maxFaults: 0 }));

  it('same moves, successors and violations in every reachable state of random models', () => {
    let moves = 0;
    fc.assert(
      fc.property(models, fc.boolean(), fc.boolean(), (doc, checksOn, reduced) => {
        moves += compareOn(doc, checksOn, { symmetry: reduced, mergeLocalSteps: reduced }).moves;
      }),
      { numRuns: 300 * RUNS },
    );
    // The comparison is only worth something if the random models take many moves.
    expect(moves).toBeGreaterThan(10_000);
  });

  it('every expression written as source has the value of its closure in any state, reachable or not', () => {
    let compared = 0;
    fc.assert(
      fc.property(models, fc.integer(), (doc, seed) => {
        const analyzed = analyzeModel(doc);
        if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
        const system = compileSystem(analyzed.value, 's', { symmetry: false, mergeLocalSteps: false });
        let x = seed | 1;
        const random = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
        // Arbitrary states within each slot's range: statuses, pcs, holds and fields in every combination.
        const states = Array.from({ length: 100 }, () => Int32Array.from(system.slotRanges, (r) => r.min + (random() % (r.max - r.min + 1))));
        const sources: Array<{ env: NonNullable<(typeof system.processes)[number]['env']>; expressions: Typed[] }> = system.invariants.map((inv) => ({ env: inv.env, expressions: [inv.expr] }));
        for (const proc of system.processes) {
          const expressions: Typed[] = [];
          for (const instr of proc.program) {
            const step = instr.step as { cond?: Typed; expr?: Typed; value?: Typed; until?: Typed | null };
            for (const e of [step.cond, step.expr, step.value, step.until]) if (e && typeof e === 'object' && 'kind' in e) expressions.push(e);
          }
          sources.push({ env: proc.env!, expressions });
        }
        // Invariants (with at(), count() and quantifiers over every instance) and each process's expressions.
        for (const { env, expressions } of sources) {
          for (const e of expressions) {
            const closure = compileExpr(e, env);
            const constants: unknown[] = [];
            const source = exprSource(e, env, (v) => `k${constants.push(v) - 1}`);
            const generated = new Function(...constants.map((_, i) => `k${i}`), `return (s) => ${source};`)(...constants) as (s: Int32Array) => number;
            for (const s of states) {
              expect(generated(s), `${source} in [${s}]`).toBe(closure(s));
              compared++;
            }
          }
        }
      }),
      { numRuns: 200 * RUNS },
    );
    expect(compared).toBeGreaterThan(10_000);
  });

  it('an atomic block that aborts after writing rolls back, and one that returns does not', () => {
    // Random models rarely write and then fail inside an atomic block: this one does on every path.
    const doc = {
      name: 'rollback',
      resources: [
        {
          name: 'R',
          states: [{ name: 'a', kind: 'stable' }, { name: 'b', kind: 'stable' }, { name: 'c', kind: 'stable' }],
          initial: 'a',
          transitions: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'b', to: 'a' }, { from: 'c', to: 'a' }],
          fields: [{ name: 'n', type: { kind: 'int', min: 0, max: 2 }, initial: 0 }],
        },
      ],
      operations: [
        {
          name: 'bump',
          params: [{ name: 'r', type: 'R' }],
          steps: [
            {
              kind: 'atomic',
              steps: [
                { kind: 'write', target: 'r.n', value: 'r.n + 1' },
                { kind: 'cas', target: 'r.state', from: ['a'], to: 'b', else: 'abort', message: 'not a' },
                { kind: 'if', cond: 'r.n == 2', then: [{ kind: 'return' }] },
                { kind: 'require', cond: 'r.n == 1', message: 'too late' },
              ],
            },
            { kind: 'write', target: 'r.state', value: '"a"' },
          ],
        },
      ],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R', state: 'a' }],
          processes: [{ name: 'p', operation: 'bump', args: { r: 'r1' }, count: 3 }],
        },
      ],
    } as unknown as ModelDocument;
    for (const reduced of [false, true]) for (const checksOn of [false, true]) expect(compareOn(doc, checksOn, { symmetry: reduced, mergeLocalSteps: reduced }).moves).toBeGreaterThan(20);
  });

  it('the shipped examples: same moves and successors in every scenario', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(import.meta.dirname, '..', '..', 'examples');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ModelDocument;
      for (const scenario of doc.scenarios) {
        const single = { ...doc, scenarios: [{ ...scenario, name: 's' }] } as ModelDocument;
        for (const reduced of [false, true]) compareOn(single, true, { symmetry: reduced, mergeLocalSteps: reduced });
      }
    }
  });
});
