/**
 * The liveness search against a naive reference (testing/naive-liveness.ts:
 * the reference interpreter's graph, components by mutual reachability,
 * least cycles by brute force) on random models with loops: the same
 * verdict, kind, prefix and cycle length with local steps unmerged (as the
 * reference runs), and the same verdict with the default options. Safety
 * checks are off, so the liveness verdict is reached whenever the state
 * space is small enough.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { AnalyzedModel } from '../model/analyzed';
import type { Checks, ModelDocument } from '../model/schema';
import { checkScenario } from './check';
import { arbitraryModel } from './testing/arbitrary-model';
import { naiveLiveness } from './testing/naive-liveness';

const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const MAX_STATES = 800;
const MAX_CYCLE = 7;
const SAFETY_OFF: Partial<Checks> = {
  invariants: false,
  assertions: false,
  illegalTransition: false,
  deadlock: false,
  stuckTransitional: false,
  lockLeak: false,
  releaseUnheld: false,
  staleWrite: false,
};

function analyze(doc: ModelDocument, liveness: 'termination' | 'leavesTransitional'): AnalyzedModel | null {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = { ...SAFETY_OFF, [liveness]: true };
  delete copy.scenarios[0].expect;
  const analyzed = analyzeModel(copy);
  if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
  return analyzed.value;
}

describe('liveness vs a naive reference', () => {
  const models = fc.oneof(arbitraryModel({ locks: false, maxFaults: 0, maxProcesses: 2 }), arbitraryModel({ maxProcesses: 2 }));
  let compared = 0;
  let violations = 0;

  it('same verdict, kind, least prefix and least cycle', () => {
    fc.assert(
      fc.property(models, (doc) => {
        // Loops are a minority of generated models, and a liveness violation rarer still: judge each model both ways.
        compare(doc, 'termination');
        compare(doc, 'leavesTransitional');
      }),
      { numRuns: 500 * RUNS },
    );
    // The property must have compared something, violations included (about 1 in 15 is one).
    expect(compared).toBeGreaterThan(200 * RUNS);
    expect(violations).toBeGreaterThan(10 * RUNS);

    function compare(doc: ModelDocument, liveness: 'termination' | 'leavesTransitional') {
      const model = analyze(doc, liveness);
      if (!model) return;
      const reference = naiveLiveness(model, 's', { maxStates: MAX_STATES, maxCycle: MAX_CYCLE });
      if (reference.verdict === 'incomplete' || reference.verdict === 'unsafe') return;
      const result = checkScenario(model, 's', { mergeLocalSteps: false, maxStates: 50_000 });
      if (result.verdict === 'incomplete') return;
      compared++;
      const k = result.violation?.cycleStart ?? null;
      const steps = result.trace?.steps.length ?? null;
      const mine = { verdict: result.verdict, kind: result.violation?.kind ?? null, prefix: k, cycle: k === null || steps === null ? null : steps - k };
      const why = `reference ${JSON.stringify(reference)}; checker ${JSON.stringify(mine)}: ${result.violation?.message ?? ''}`;
      expect(mine.verdict, why).toBe(reference.verdict);
      // With the default options (local steps merged, symmetry for the safety search) the verdict is the same; lengths may be shorter.
      const merged = checkScenario(model, 's', { maxStates: 50_000 });
      if (merged.verdict !== 'incomplete') expect(merged.verdict, `merged: ${merged.violation?.message ?? ''}; ${why}`).toBe(reference.verdict);
      if (reference.verdict !== 'violation') return;
      violations++;
      expect(mine.prefix, why).toBe(reference.prefix);
      // The brute force stops at MAX_CYCLE steps: beyond it only "longer" is known.
      if (reference.cycle !== null) {
        expect(mine.cycle, why).toBe(reference.cycle);
        expect(mine.kind, why).toBe(reference.kind);
      } else expect(mine.cycle!, why).toBeGreaterThan(MAX_CYCLE);
    }
  }, 60_000 * RUNS);
});
