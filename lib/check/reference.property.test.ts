/**
 * The checker's semantics against an independent reference interpreter
 * (testing/reference-interpreter.ts) that walks the step tree directly, on
 * random fault-free models (with and without locks): the explorers share
 * `Semantics`, this does not. Same verdict, kind and shortest depth for each single check; and
 * with every check off, the same set of reachable states once projected to
 * instance fields and process statuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { AnalyzedModel } from '../model/analyzed';
import type { Checks, ModelDocument } from '../model/schema';
import { STATUS_NAMES } from './layout';
import { compileSystem } from './system';
import { arbitraryModel } from './testing/arbitrary-model';
import { naiveCheck, naiveExplore } from './testing/naive-explorer';
import { referenceCheck } from './testing/reference-interpreter';

const CHECK_NAMES = ['invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite'] as const satisfies ReadonlyArray<keyof Checks>;
const ALL_CHECKS = CHECK_NAMES;
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const MAX_STATES = 10_000;
const lockFree = arbitraryModel({ locks: false, maxFaults: 0 });
const withLocks = arbitraryModel({ maxFaults: 0 });
const withFaults = arbitraryModel();

function analyze(doc: ModelDocument, only: string | null): AnalyzedModel {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = Object.fromEntries(ALL_CHECKS.map((name) => [name, name === only]));
  const analyzed = analyzeModel(copy);
  if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
  return analyzed.value;
}

describe('the checker vs an independent reference interpreter (no faults)', () => {
  it('one check on: same verdict, kind and shortest depth', () => {
    fc.assert(
      fc.property(fc.oneof(lockFree, withLocks, withFaults), fc.constantFrom(...CHECK_NAMES), (doc, check) => {
        const model = analyze(doc, check);
        const reference = referenceCheck(model, 's', MAX_STATES);
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        if (reference.verdict === 'incomplete' || naive.verdict === 'incomplete') return;
        const why = `reference ${reference.verdict}/${reference.kind}/depth ${reference.depth}; checker ${naive.verdict}/${naive.kind}/depth ${naive.depth}`;
        expect(naive.verdict, why).toBe(reference.verdict);
        expect(naive.kind, why).toBe(reference.kind);
        expect(naive.depth, why).toBe(reference.depth);
      }),
      { numRuns: 800 * RUNS },
    );
  });

  it('every check off: the same reachable instance fields and process statuses', () => {
    fc.assert(
      fc.property(fc.oneof(lockFree, withLocks, withFaults), (doc) => {
        const model = analyze(doc, null);
        const reference = referenceCheck(model, 's', MAX_STATES);
        if (reference.verdict !== 'pass') return;
        const system = compileSystem(model, 's', { symmetry: false, mergeLocalSteps: false });
        const projections = new Set<string>();
        const naive = naiveExplore(system, {
          maxStates: MAX_STATES,
          onState: (s) => {
            const fields = system.instances.map((inst) => [...inst.resource.fields.keys()].map((_, offset) => s[inst.base + offset]));
            projections.add(JSON.stringify([fields, system.processes.map((p) => STATUS_NAMES[s[p.statusSlot]])]));
          },
        });
        if (naive.verdict !== 'pass') return;
        const missing = [...reference.projections].filter((p) => !projections.has(p));
        const extra = [...projections].filter((p) => !reference.projections.has(p));
        expect({ missing: missing.slice(0, 3), extra: extra.slice(0, 3) }).toEqual({ missing: [], extra: [] });
      }),
      { numRuns: 500 * RUNS },
    );
  });
});
