/**
 * Property tests of the optimized explorer against the naive reference
 * explorer (testing/naive-explorer.ts) on random small valid models
 * (testing/arbitrary-model.ts).
 *
 * (a) reductions off: same verdict, violation kind and distinct-state count,
 *     with one built-in check on, and with every check off (the full space);
 * (b) reductions on (symmetry and/or local-step merging): for each single
 *     check, the same verdict and kind — a reduction may never hide or invent
 *     a violation;
 * (c) every violation's trace replays through the step API to the same kind,
 *     and with reductions off is exactly as long as the naive shortest one.
 *
 * About 4,150 random models per run (~15 s of CPU); LOCKSTEP_PROPERTY_RUNS=N
 * multiplies every count for a longer hunt.
 *
 * Reproduce a failure with the seed and path fast-check prints, e.g.
 * `fc.assert(prop, { seed, path, endOnFailure: true })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../model/validate';
import type { AnalyzedModel } from '../model/analyzed';
import type { Checks, ModelDocument } from '../model/schema';
import { checkScenario, simulateScenario } from './check';
import type { CheckResult } from './result';
import { StepApi } from './step-api';
import { compileSystem, type CheckOptions } from './system';
import { arbitraryModel } from './testing/arbitrary-model';
import { naiveCheck, naiveExplore, type NaiveOutcome } from './testing/naive-explorer';
import { CRASHED, DORMANT, RUNNING, HOLD_CRASHED_SHARED, HOLD_NONE, holdsExclusively, holdsInTable } from './layout';

const CHECK_NAMES = [
  'invariants',
  'assertions',
  'illegalTransition',
  'deadlock',
  'stuckTransitional',
  'lockLeak',
  'releaseUnheld',
  'staleWrite',
] as const satisfies ReadonlyArray<keyof Checks>;
type CheckName = (typeof CHECK_NAMES)[number];

const MAX_STATES = 20_000;
const RUNS = Number(process.env.LOCKSTEP_PROPERTY_RUNS ?? 1);

/** The document with only `only` switched on (every check off when null). */
function withChecks(doc: ModelDocument, only: CheckName | null): ModelDocument {
  const copy = structuredClone(doc);
  copy.scenarios[0].checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, name === only]));
  return copy;
}

function analyze(doc: ModelDocument): AnalyzedModel {
  const analyzed = analyzeModel(doc);
  // A generator bug must surface, not be filtered away.
  if (!analyzed.ok) throw new Error(`generated model is invalid: ${JSON.stringify(analyzed.issues)}`);
  return analyzed.value;
}

/** Replays a trace through the step API from the initial state; returns the violation kind it ends in. */
function replay(model: AnalyzedModel, options: CheckOptions, result: CheckResult): string | null {
  const api = new StepApi(compileSystem(model, 's', options));
  const init = api.initial();
  let state = init.state;
  let violation: { kind: string } | null = init.violation;
  const steps = result.trace!.steps;
  if (steps.length === 0 && !violation) {
    violation = api.semantics.brokenInvariant(state) ?? api.semantics.terminalViolation(state);
  }
  for (const step of steps) {
    // Only the last step may break something, and every step must be enabled where it is taken.
    expect(violation).toBeNull();
    expect(api.moves(state).map((m) => m.move)).toContain(step.move);
    const taken = api.step(state, step.move);
    // The trace shows exactly the state the step API reaches.
    expect(taken.step.state).toEqual(step.state);
    state = taken.state;
    violation = taken.violation;
  }
  return violation?.kind ?? null;
}

function describeRun(naive: NaiveOutcome, result: CheckResult): string {
  return `naive ${naive.verdict}/${naive.kind}/${naive.distinctStates} states/depth ${naive.depth}; ` +
    `explore ${result.verdict}/${result.violation?.kind ?? null}/${result.stats.distinctStates} states/trace ${result.trace?.steps.length ?? '-'}`;
}

describe('explore vs the naive reference explorer', () => {
  it('(a) reductions off, one check on: same verdict, kind, state count; traces replay and are shortest', () => {
    fc.assert(
      fc.property(arbitraryModel(), fc.constantFrom(...CHECK_NAMES), (doc, check) => {
        const model = analyze(withChecks(doc, check));
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        const options = { symmetry: false, mergeLocalSteps: false };
        const result = checkScenario(model, 's', { ...options, maxStates: MAX_STATES });
        const why = describeRun(naive, result);
        expect(result.verdict, why).toBe(naive.verdict);
        expect(result.violation?.kind ?? null, why).toBe(naive.kind);
        expect(result.stats.distinctStates, why).toBe(naive.distinctStates);
        if (result.verdict === 'violation') {
          expect(result.trace, why).not.toBeNull();
          expect(result.trace!.steps.length, why).toBe(naive.depth);
          expect(replay(model, options, result), why).toBe(naive.kind);
        }
      }),
      { numRuns: 1200 * RUNS },
    );
  });

  it('(a) reductions off, every check off: the full space has exactly the same number of states', () => {
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        const model = analyze(withChecks(doc, null));
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        const result = checkScenario(model, 's', { symmetry: false, mergeLocalSteps: false, maxStates: MAX_STATES });
        const why = describeRun(naive, result);
        // Nothing can be violated (generated int writes stay in range: no invalid-value).
        expect(naive.verdict, why).not.toBe('violation');
        expect(result.verdict, why).toBe(naive.verdict);
        expect(result.stats.distinctStates, why).toBe(naive.distinctStates);
      }),
      { numRuns: 500 * RUNS },
    );
  });

  it('symmetry on, merging off, every check off: distinct states = symmetry orbits of the full space', () => {
    let symmetric = 0;
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        const model = analyze(withChecks(doc, null));
        const groups = compileSystem(model, 's', { symmetry: true, mergeLocalSteps: false }).symmetryGroups;
        const full = compileSystem(model, 's', { symmetry: false, mergeLocalSteps: false });
        // Orbits, counted naively: each state's process blocks sorted (as strings) within each symmetry group.
        const orbits = new Set<string>();
        const blocks = groups.map((group) => group.map((p) => full.processes[p]));
        const naive = naiveExplore(full, {
          maxStates: MAX_STATES,
          onState: (s) => {
            const parts: string[] = [];
            let from = 0;
            const spans = blocks.flat().map((p) => [p.blockStart, p.blockStart + p.blockSize]).sort((a, b) => a[0] - b[0]);
            for (const [start, end] of spans) {
              parts.push(Array.from(s.subarray(from, start)).join(','));
              from = end;
            }
            parts.push(Array.from(s.subarray(from)).join(','));
            for (const group of blocks) parts.push(group.map((p) => Array.from(s.subarray(p.blockStart, p.blockStart + p.blockSize)).join(',')).sort().join('|'));
            orbits.add(parts.join('/'));
          },
        });
        if (naive.verdict !== 'pass') return;
        if (groups.length > 0) symmetric++;
        const result = checkScenario(model, 's', { symmetry: true, mergeLocalSteps: false, maxStates: MAX_STATES });
        expect(result.verdict).toBe('pass');
        expect(result.stats.distinctStates, `${naive.distinctStates} states in full`).toBe(orbits.size);
      }),
      { numRuns: 400 * RUNS },
    );
    // The generator must actually produce symmetric processes.
    expect(symmetric).toBeGreaterThan(50 * RUNS);
  });

  it('(b)+(c) reductions on, one check on: same verdict and kind; traces replay to the same kind', () => {
    const reductions: CheckOptions[] = [
      { symmetry: true, mergeLocalSteps: true },
      { symmetry: true, mergeLocalSteps: false },
      { symmetry: false, mergeLocalSteps: true },
    ];
    fc.assert(
      fc.property(arbitraryModel(), fc.constantFrom(...CHECK_NAMES), fc.constantFrom(...reductions), (doc, check, options) => {
        const model = analyze(withChecks(doc, check));
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        if (naive.verdict === 'incomplete') return; // nothing to compare against
        const result = checkScenario(model, 's', { ...options, maxStates: MAX_STATES });
        const why = `${JSON.stringify(options)} ${describeRun(naive, result)}`;
        expect(result.verdict, why).toBe(naive.verdict);
        expect(result.violation?.kind ?? null, why).toBe(naive.kind);
        // A reduced space is never larger than the full one.
        if (result.verdict === 'pass') expect(result.stats.distinctStates, why).toBeLessThanOrEqual(naive.distinctStates);
        if (result.verdict === 'violation') {
          expect(result.trace, why).not.toBeNull();
          // Merging shortens traces; it never lengthens them.
          expect(result.trace!.steps.length, why).toBeLessThanOrEqual(naive.depth!);
          expect(replay(model, options, result), why).toBe(naive.kind);
        }
      }),
      { numRuns: 1200 * RUNS },
    );
  });
});

describe('limits end in incomplete, never pass', () => {
  it('maxStates, maxDepth and the time limit (reductions off, every check off)', () => {
    fc.assert(
      fc.property(arbitraryModel(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (doc, a, b) => {
        const model = analyze(withChecks(doc, null));
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        if (naive.verdict !== 'pass' || naive.distinctStates > 3000) return;
        const options = { symmetry: false, mergeLocalSteps: false };
        const n = naive.distinctStates;
        const d = naive.deepest;
        // States: fewer than the space holds → incomplete; more → pass.
        const fewer = Math.floor(a * (n - 1));
        if (fewer >= 1 && fewer < n) {
          const r = checkScenario(model, 's', { ...options, maxStates: fewer });
          expect(r.verdict, `maxStates ${fewer} of ${n}`).toBe('incomplete');
          expect(r.incompleteReason).toBe('max-states');
          expect(r.stats.distinctStates).toBe(fewer);
        }
        expect(checkScenario(model, 's', { ...options, maxStates: n + 1 }).verdict).toBe('pass');
        // Depth: shallower than the deepest level → incomplete; deeper → pass.
        const shallower = Math.floor(b * d);
        if (shallower < d) {
          const r = checkScenario(model, 's', { ...options, maxDepth: shallower });
          expect(r.verdict, `maxDepth ${shallower} of ${d}`).toBe('incomplete');
          expect(r.incompleteReason).toBe('max-depth');
        }
        expect(checkScenario(model, 's', { ...options, maxDepth: d + 1 }).verdict).toBe('pass');
        // Time: a clock that always moves on.
        let clock = 0;
        const timed = checkScenario(model, 's', { ...options, timeLimitMs: 0, now: () => (clock += 5) });
        expect(timed.verdict).toBe('incomplete');
        expect(timed.incompleteReason).toBe('time-limit');
      }),
      { numRuns: 150 * RUNS },
    );
  });
});

describe('random simulation vs the naive explorer', () => {
  it('never passes; every violation it reports is real, no shorter than the shortest, and replays', () => {
    fc.assert(
      fc.property(arbitraryModel(), fc.constantFrom(...CHECK_NAMES), fc.boolean(), fc.integer({ min: 1, max: 1000 }), (doc, check, reduce, seed) => {
        const model = analyze(withChecks(doc, check));
        const naive = naiveCheck(model, 's', { maxStates: MAX_STATES });
        const options = reduce ? {} : { symmetry: false, mergeLocalSteps: false };
        const sim = simulateScenario(model, 's', { ...options, runs: 20, seed, maxDepth: 200 });
        const why = `seed ${seed} ${JSON.stringify(options)} naive ${naive.verdict}/${naive.kind}/depth ${naive.depth}; simulation ${sim.verdict}/${sim.violation?.kind ?? null}/trace ${sim.trace?.steps.length ?? '-'}`;
        expect(sim.verdict, why).not.toBe('pass');
        if (sim.verdict !== 'violation') {
          expect(sim.violation, why).toBeNull();
          return;
        }
        if (naive.verdict === 'incomplete') return;
        expect(naive.verdict, why).toBe('violation');
        expect(sim.violation!.kind, why).toBe(naive.kind);
        expect(sim.trace, why).not.toBeNull();
        if (!reduce) expect(sim.trace!.steps.length, why).toBeGreaterThanOrEqual(naive.depth!);
        expect(replay(model, options, sim), why).toBe(naive.kind);
      }),
      { numRuns: 300 * RUNS },
    );
  });
});

describe('semantics sanity over every reachable state (naive explorer, every check off)', () => {
  it('the lock table never has two exclusive holders (or an exclusive and a shared one) in one domain; budgets, status and pc stay in range', () => {
    fc.assert(
      fc.property(arbitraryModel(), (doc) => {
        const model = analyze(withChecks(doc, null));
        const system = compileSystem(model, 's', { symmetry: false, mergeLocalSteps: false });
        // Plain comparisons in the hot loop (expect() per slot per state is too slow); throw with the details.
        const fail = (what: string, s: Int32Array) => {
          throw new Error(`${what} in state ${system.slotNames.map((n, i) => `${n}=${s[i]}`).join(' ')}`);
        };
        const budgets = Object.entries(system.budgetSlots).filter(([, slot]) => slot >= 0) as Array<[keyof typeof system.budgets, number]>;
        const check = (s: Int32Array) => {
          for (const key of system.lockKeys) {
            const exclusive = new Map<number, number>();
            const shared = new Map<number, number>();
            for (const proc of system.processes) {
              const slot = proc.holds.get(key.id);
              if (slot === undefined) continue;
              const h = s[slot];
              if (h < HOLD_NONE || h > HOLD_CRASHED_SHARED) fail(`${proc.name}'s hold on ${key.name} is ${h}`, s);
              if (!holdsInTable(h)) continue;
              const domain = proc.domain[key.policy.scope];
              const table = holdsExclusively(h) ? exclusive : shared;
              table.set(domain, (table.get(domain) ?? 0) + 1);
            }
            for (const [domain, n] of exclusive) {
              if (n > 1) fail(`${n} exclusive holders of ${key.name} in domain ${domain}`, s);
              if (shared.get(domain)) fail(`${key.name} held exclusively and shared in domain ${domain}`, s);
            }
          }
          for (const [kind, slot] of budgets) if (s[slot] < 0 || s[slot] > system.budgets[kind]) fail(`${kind} budget ${s[slot]}`, s);
          for (const proc of system.processes) {
            const status = s[proc.statusSlot];
            if (status < DORMANT || status > CRASHED) fail(`${proc.name} has status ${status}`, s);
            if (status === RUNNING && (s[proc.pcSlot] < 0 || s[proc.pcSlot] >= proc.program.length)) fail(`${proc.name} at pc ${s[proc.pcSlot]}`, s);
            if (status === DORMANT && !proc.isRecovery) fail(`${proc.name} is dormant`, s);
          }
          for (let i = 0; i < system.size; i++) {
            const range = system.slotRanges[i];
            if (s[i] < range.min || s[i] > range.max) fail(`${system.slotNames[i]} = ${s[i]} outside ${range.min}..${range.max}`, s);
          }
        };
        naiveExplore(system, { maxStates: MAX_STATES, onState: check });
      }),
      { numRuns: 400 * RUNS },
    );
  });
});

describe('regressions found by the property tests', () => {
  it('a process aborting inside `with` releases its own lock instance, not a twin operation’s', () => {
    // Two processes of one operation on different instances; the first to abort used to fill a
    // per-step cache with *its* lock use, so the other later released the wrong instance: a false lock leak.
    const doc: ModelDocument = {
      name: 'with-release-regression',
      resources: [{ name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [] }],
      locks: [{ name: 'L', key: 'R' }],
      operations: [
        {
          name: 'op',
          params: [{ name: 'r', type: 'R' }],
          steps: [{ kind: 'with', lock: 'L', on: 'r', steps: [{ kind: 'abort', message: 'stop' }] }],
        },
      ],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [
            { name: 'r1', type: 'R' },
            { name: 'r2', type: 'R' },
          ],
          processes: [
            { name: 'p1', operation: 'op', args: { r: 'r1' } },
            { name: 'p2', operation: 'op', args: { r: 'r2' } },
          ],
        },
      ],
    };
    const model = analyze(doc);
    for (const options of [{ symmetry: false, mergeLocalSteps: false }, {}]) {
      expect(naiveCheck(model, 's').verdict).toBe('pass');
      expect(checkScenario(model, 's', options).verdict).toBe('pass');
    }
  });
});

describe('regressions: recovery', () => {
  it('a recovery operation with no steps is done as soon as a crash starts it (it used to throw)', () => {
    const doc: ModelDocument = {
      name: 'empty-recovery',
      resources: [{ name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [] }],
      locks: [],
      operations: [
        { name: 'work', params: [], steps: [{ kind: 'call', name: 'x' }] },
        { name: 'nothing', params: [], steps: [] },
      ],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R' }],
          processes: [{ name: 'w', operation: 'work', args: {} }],
          recovery: [{ name: 'rec', operation: 'nothing', args: {}, after: 'w' }],
          faults: { crash: 1 },
        },
      ],
    };
    const model = analyze(doc);
    for (const options of [{ symmetry: false, mergeLocalSteps: false }, {}]) expect(checkScenario(model, 's', options).verdict).toBe('pass');
    expect(naiveCheck(model, 's').verdict).toBe('pass');
  });
});

describe('regressions: local-step merging and faults', () => {
  it('merging local steps keeps the crash just before a process ends (it starts recovery)', () => {
    // `work` has only a local step. Merged into the initial state, it finished before it could crash, so the
    // recovery that blocks forever (a deadlock) was never started: merging hid the violation.
    const doc: ModelDocument = {
      name: 'crash-at-local-tail',
      resources: [{ name: 'R', states: [{ name: 'idle', kind: 'stable' }, { name: 'busy', kind: 'stable' }], initial: 'busy', transitions: [] }],
      locks: [],
      operations: [
        { name: 'work', params: [], steps: [{ kind: 'read', local: 'x', expr: 'true' }] },
        { name: 'cleanup', params: [{ name: 'r', type: 'R' }], steps: [{ kind: 'await', cond: 'r.state == "idle"' }] },
      ],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R' }],
          processes: [{ name: 'w', operation: 'work', args: {} }],
          recovery: [{ name: 'rec', operation: 'cleanup', args: { r: 'r1' }, after: 'w' }],
          faults: { crash: 1 },
        },
      ],
    };
    const model = analyze(doc);
    expect(naiveCheck(model, 's').kind).toBe('deadlock');
    for (const options of [{ symmetry: false, mergeLocalSteps: false }, { mergeLocalSteps: true }]) {
      const result = checkScenario(model, 's', options);
      expect(result.violation?.kind).toBe('deadlock');
      expect(replay(model, options, result)).toBe('deadlock');
    }
  });
});

describe('scenario lock overrides', () => {
  // A scenario that implements a fencing lock with a backend that issues no tokens: the storage cannot
  // check a token, so the fenced write runs as an unfenced one (and stale-write judges it).
  it('a fenced write under a non-fencing scenario override is rejected by validation or runs unfenced', () => {
    const doc: ModelDocument = {
      name: 'fence-override',
      resources: [{ name: 'R', states: [{ name: 'a', kind: 'stable' }, { name: 'b', kind: 'stable' }], initial: 'a', transitions: [{ from: 'a', to: 'b' }] }],
      locks: [{ name: 'F', key: 'R', backend: 'etcd' }],
      operations: [
        {
          name: 'op',
          params: [{ name: 'r', type: 'R' }],
          steps: [
            { kind: 'acquire', lock: 'F', on: 'r' },
            { kind: 'write', target: 'r.state', value: '"b"', fencedBy: { lock: 'F', on: 'r' } },
            { kind: 'release', lock: 'F', on: 'r' },
          ],
        },
      ],
      invariants: [{ name: 'still-a', expr: 'all(x: R, x.state == "a")' }],
      scenarios: [
        { name: 'file', instances: [{ name: 'r1', type: 'R' }], processes: [{ operation: 'op', args: { r: 'r1' } }], locks: { F: { backend: 'file' } } },
      ],
    };
    const analyzed = analyzeModel(doc);
    if (!analyzed.ok) {
      expect(analyzed.issues.some((i) => i.path.startsWith('scenarios[0].locks'))).toBe(true);
      return;
    }
    // The write happens (the invariant that forbids it is what breaks), not a rejection and a lock leak.
    expect(checkScenario(analyzed.value, 'file').violation?.kind).toBe('invariant');
  });
});

describe('with-blocks keyed by a local', () => {
  // `with L(v) { read v = … }`: like `with lock(x):`, the block releases the instance it acquired, even
  // though `v` names another one by then.
  it('a with block releases the lock instance it acquired, even if its `on` local changes', () => {
    const doc: ModelDocument = {
      name: 'with-local',
      resources: [
        { name: 'R', states: [{ name: 'a', kind: 'stable' }], initial: 'a', transitions: [] },
        {
          name: 'S',
          states: [{ name: 'x', kind: 'stable' }],
          initial: 'x',
          transitions: [],
          fields: [
            { name: 'first', type: { kind: 'ref', resource: 'R' } },
            { name: 'second', type: { kind: 'ref', resource: 'R' } },
          ],
        },
      ],
      locks: [{ name: 'L', key: 'R' }],
      operations: [
        {
          name: 'op',
          params: [{ name: 's', type: 'S' }],
          steps: [
            { kind: 'read', local: 'v', expr: 's.first' },
            { kind: 'with', lock: 'L', on: 'v', steps: [{ kind: 'read', local: 'v', expr: 's.second' }] },
          ],
        },
      ],
      invariants: [],
      scenarios: [
        {
          name: 's',
          instances: [{ name: 'r1', type: 'R' }, { name: 'r2', type: 'R' }, { name: 's1', type: 'S', fields: { first: 'r1', second: 'r2' } }],
          processes: [{ operation: 'op', args: { s: 's1' } }],
        },
      ],
    };
    const analyzed = analyzeModel(doc);
    if (!analyzed.ok) {
      expect(analyzed.issues.some((i) => i.path.startsWith('operations[0].steps[1]'))).toBe(true);
      return;
    }
    expect(checkScenario(analyzed.value, 's').verdict).toBe('pass');
  });
});
