import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModelJson } from '../model';
import { checkScenario, compileSystem, simulateScenario, StepApi } from '.';

const load = (name: string) => {
  const analyzed = analyzeModelJson(readFileSync(join(__dirname, '..', '..', 'examples', name), 'utf8'));
  if (!analyzed.ok) throw new Error(JSON.stringify(analyzed.issues));
  return analyzed.value;
};

describe('random simulation', () => {
  const model = load('share-delete-vs-snapshot.json');

  it('finds the naive race, with a trace that replays to it and is no shorter than the shortest', () => {
    const result = simulateScenario(model, 'naive-delete-vs-snapshot', { runs: 500, seed: 7 });
    expect(result.verdict).toBe('violation');
    expect(result.violation!.kind).toBe('invariant');
    expect(result.meetsExpectation).toBe(true);
    const api = new StepApi(compileSystem(model, 'naive-delete-vs-snapshot'));
    let state = api.initial().state;
    let last = null;
    for (const step of result.trace!.steps) {
      const taken = api.step(state, step.move);
      state = taken.state;
      last = taken.violation;
    }
    expect(last).toMatchObject({ kind: 'invariant', name: 'no-snapshot-of-deleted-share' });
    const shortest = checkScenario(model, 'naive-delete-vs-snapshot').trace!.steps.length;
    expect(result.trace!.steps.length).toBeGreaterThanOrEqual(shortest);
  });

  it('is deterministic for a seed', () => {
    const a = simulateScenario(model, 'naive-two-deletes', { runs: 50, seed: 42 });
    const b = simulateScenario(model, 'naive-two-deletes', { runs: 50, seed: 42 });
    expect(a.trace!.steps.map((s) => s.move)).toEqual(b.trace!.steps.map((s) => s.move));
  });

  it('never reports pass: finding nothing is incomplete', () => {
    const result = simulateScenario(model, 'fixed-delete-vs-snapshot', { runs: 200, seed: 3 });
    expect(result.verdict).toBe('incomplete');
    expect(result.incompleteReason).toBe('simulation');
    expect(result.stats.transitions).toBeGreaterThan(200);
  });
});
