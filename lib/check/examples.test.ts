/**
 * The shipped examples are golden fixtures: every scenario meets its
 * `expect`, every trace replays through the step API to the same violation,
 * and no shorter counterexample exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModelJson, type AnalyzedModel } from '../model';
import { checkScenario, compileSystem, StepApi } from '.';

const dir = join(__dirname, '..', '..', 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function load(file: string): AnalyzedModel {
  const analyzed = analyzeModelJson(readFileSync(join(dir, file), 'utf8'));
  if (!analyzed.ok) throw new Error(`${file}: ${JSON.stringify(analyzed.issues)}`);
  return analyzed.value;
}

it('ships the example models of the design', () => {
  expect(files).toEqual([
    'crash-in-transitional-state.json',
    'image-cache-ageing-vs-spawn.json',
    'lease-and-fencing.json',
    'lock-scope.json',
    'manila-data-service-ha.json',
    'nova-vmware-image-cache.json',
    'share-delete-vs-snapshot.json',
  ]);
});

describe.each(files)('%s', (file) => {
  const model = load(file);
  const scenarios = model.scenarios.map((s) => s.source);

  it('has a naive scenario that breaks and a fixed one that passes, each with an expect', () => {
    expect(scenarios.every((s) => s.expect)).toBe(true);
    expect(scenarios.some((s) => s.expect?.verdict === 'pass')).toBe(true);
    expect(scenarios.some((s) => s.expect?.verdict === 'violation')).toBe(true);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s meets its expect', (name, scenario) => {
    for (const reductions of [true, false]) {
      const result = checkScenario(model, name, { symmetry: reductions, mergeLocalSteps: reductions });
      expect(result.verdict).toBe(scenario.expect!.verdict);
      expect(result.meetsExpectation).toBe(true);
      if (scenario.expect!.verdict === 'violation') {
        expect(result.violation!.kind).toBe(scenario.expect!.kind);
        expect(result.violation!.message.length).toBeGreaterThan(20);
      } else {
        expect(result.stats.distinctStates).toBeGreaterThan(1);
        expect(result.trace).toBeNull();
      }
    }
  });

  const violating = scenarios.filter((s) => s.expect?.verdict === 'violation');
  it.each(violating.map((s) => [s.name] as const))('%s: the trace replays through the step API and is shortest', (name) => {
    const result = checkScenario(model, name);
    const trace = result.trace!;
    expect(trace.steps.length).toBeGreaterThan(0);

    const api = new StepApi(compileSystem(model, name));
    let state = api.initial().state;
    expect(api.view(state)).toEqual(trace.initial);
    let violation = null;
    const lasso = result.violation!.cycleStart !== undefined;
    trace.steps.forEach((step, i) => {
      // Each recorded move is enabled where the trace says it was taken.
      expect(api.moves(state).map((m) => m.move)).toContain(step.move);
      const taken = api.step(state, step.move);
      expect(taken.step.state).toEqual(step.state);
      if (i < trace.steps.length - 1 || lasso) expect(taken.violation).toBeNull();
      state = taken.state;
      violation = taken.violation;
    });
    if (lasso) {
      // A liveness lasso: no single step is wrong; the last step closes the cycle back onto the state before cycleStart.
      const cycleStart = result.violation!.cycleStart!;
      expect(cycleStart).toBeGreaterThanOrEqual(0);
      expect(cycleStart).toBeLessThan(trace.steps.length);
      const entry = cycleStart === 0 ? trace.initial : trace.steps[cycleStart - 1]!.state;
      expect(trace.steps.at(-1)!.state).toEqual(entry);
    } else {
      expect(violation).toMatchObject({ kind: result.violation!.kind, message: result.violation!.message });
    }

    // No counterexample within one step fewer: exploring to that depth finds nothing.
    const shorter = checkScenario(model, name, { maxDepth: trace.steps.length - 1 });
    expect(shorter.verdict).not.toBe('violation');
  });
});
