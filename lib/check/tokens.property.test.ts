/**
 * token() and fence() against the independent reference interpreter, on
 * random models whose locks all hand out tokens and whose conditions read
 * them often (inside `with` blocks, where a token is held): the general
 * property test rarely reaches a token that decides anything.
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
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);
const MAX_STATES = 10_000;
const tokens = fc.oneof(arbitraryModel({ tokens: true, maxFaults: 0 }), arbitraryModel({ tokens: true }));

function analyze(doc: ModelDocument, only: string | null): AnalyzedModel {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, name === only]));
  const analyzed = analyzeModel(copy);
  if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
  return analyzed.value;
}

describe('token() and fence(): the checker vs the reference interpreter', () => {
  it('one check on: same verdict, kind and shortest depth', () => {
    fc.assert(
      fc.property(tokens, fc.constantFrom(...CHECK_NAMES), (doc, check) => {
        const model = analyze(doc, check);
        const reference = referenceCheck(model, 's', MAX_STATES);
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        if (reference.verdict === 'incomplete' || naive.verdict === 'incomplete') return;
        const why = `reference ${reference.verdict}/${reference.kind}/depth ${reference.depth}; checker ${naive.verdict}/${naive.kind}/depth ${naive.depth}`;
        expect({ verdict: naive.verdict, kind: naive.kind, depth: naive.depth }, why).toEqual({ verdict: reference.verdict, kind: reference.kind, depth: reference.depth });
      }),
      { numRuns: 300 * RUNS },
    );
  });

  it('every check off: the same reachable instance fields and process statuses', () => {
    fc.assert(
      fc.property(tokens, (doc) => {
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
      { numRuns: 200 * RUNS },
    );
  });
});
