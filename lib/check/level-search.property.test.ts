/**
 * The level-parallel search (level-search.ts) against the single-threaded
 * explorer on random valid models (testing/arbitrary-model.ts): with K = 1, 2
 * and 4 partitions (run in this thread, which exercises the same partitioning,
 * ordering and cuts as worker threads), the same verdict, violation, distinct
 * states, transitions, depth and trace length — with one check or none on,
 * reductions on or off, under maxStates / maxDepth bounds, and with levels
 * cut into small batches. K = 2 also runs with every message copied, as
 * between Web Workers on a page without shared memory; K = 2 and 4 with the
 * partitions' tasks run in a random interleaving, as threads of unequal
 * speed run them; K = 2 once more, resuming a one-thread search handed over
 * at the start of a level; and the one thread resuming its own search level
 * after level (both as checkScenarioScaled does).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checks, ModelDocument } from '../model/schema';
import { analyzeModel } from '../model/validate';
import { checkResultOf, checkScenario } from './check';
import { explore } from './explore';
import { checkScenarioInLevels, inThreadRunner, partitionSetups, withThisThread } from './level-runner';
import { exploreLevels } from './level-search';
import { randomGenerator } from './simulate';
import { compileSystem } from './system';
import type { CheckResult } from './result';
import { arbitraryModel } from './testing/arbitrary-model';

const CHECK_NAMES = ['invariants', 'assertions', 'illegalTransition', 'deadlock', 'stuckTransitional', 'lockLeak', 'releaseUnheld', 'staleWrite'] as const satisfies ReadonlyArray<
  keyof Checks
>;
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);

function withChecks(doc: ModelDocument, only: string | null): ModelDocument {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, name === only]));
  return copy;
}

/** What must not depend on the number of partitions. */
function observable(r: CheckResult) {
  return {
    verdict: r.verdict,
    incompleteReason: r.incompleteReason ?? null,
    violation: r.violation,
    distinctStates: r.stats.distinctStates,
    transitions: r.stats.transitions,
    depth: r.stats.depth,
    traceLength: r.trace?.steps.length ?? null,
  };
}

describe('level-parallel search = single-threaded search', () => {
  it('same verdict, violation, counts, depth and trace length with K = 1, 2, 4 (and 2 without shared memory)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryModel(),
        fc.constantFrom(null, ...CHECK_NAMES),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        async (doc, check, reductions, maxStates, maxDepth, batchStates, handOffAfter, seed) => {
          const analyzed = analyzeModel(withChecks(doc, check));
          if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
          const model = analyzed.value;
          const options = { symmetry: reductions, mergeLocalSteps: reductions, maxStates: maxStates ?? 20_000, ...(maxDepth !== undefined ? { maxDepth } : {}) };
          const expected = observable(checkScenario(model, 's', options));
          const runs = [
            { k: 1, how: {} },
            { k: 2, how: {} },
            { k: 4, how: {} },
            { k: 2, how: { copies: true } },
            { k: 2, how: { interleave: randomGenerator(seed) } },
            { k: 4, how: { interleave: randomGenerator(seed) } },
          ];
          for (const { k, how } of runs) {
            const result = await checkScenarioInLevels(model, 's', inThreadRunner(partitionSetups(model, 's', options, k), how), { ...options, batchStates });
            expect(observable(result), `K=${k} ${Object.keys(how).join(', ')} batch ${batchStates} ${JSON.stringify(options)}`).toEqual(expected);
          }
          const system = compileSystem(model, 's', options);
          const first = explore(system, { ...options, handOff: { afterStates: handOffAfter } });
          const resumed = first.snapshot ? await exploreLevels(system, inThreadRunner(partitionSetups(model, 's', options, 2)), { ...options, batchStates }, first.snapshot) : first;
          expect(observable(checkResultOf(system, 's', resumed, options)), `handed over after ${handOffAfter} states, batch ${batchStates} ${JSON.stringify(options)}`).toEqual(expected);
          // Handed over with the calling thread as partition 0 (what checkScenarioScaled does), the others' tasks interleaved.
          const handedOver = explore(system, { ...options, handOff: { afterStates: handOffAfter } });
          if (handedOver.snapshot) {
            const setups = partitionSetups(model, 's', options, 3);
            const threads = inThreadRunner(setups.slice(1), { interleave: randomGenerator(seed) });
            const joined = await exploreLevels(system, withThisThread(threads, setups[0], handedOver.snapshot), { ...options, batchStates }, handedOver.snapshot);
            expect(observable(checkResultOf(system, 's', joined, options)), `this thread and two others after ${handOffAfter} states, batch ${batchStates} ${JSON.stringify(options)}`).toEqual(expected);
          }
          // The one thread going on from its own snapshot, state after state (as it does, in slices, while threads start).
          let sliced = explore(system, { ...options, handOff: { afterStates: handOffAfter } });
          while (sliced.snapshot) sliced = explore(system, { ...options, handOff: { afterStates: 0 } }, sliced.snapshot);
          expect(observable(checkResultOf(system, 's', sliced, options)), `resumed in one thread after ${handOffAfter} states ${JSON.stringify(options)}`).toEqual(expected);
        },
      ),
      { numRuns: 400 * RUNS },
    );
  }, 120_000);
});
