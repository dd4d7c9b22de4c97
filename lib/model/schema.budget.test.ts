/**
 * The schema stops examining steps once MAX_SCHEMA_STEP_ISSUES issues were
 * found in them (zod alone would report every issue of every step). Counted,
 * not timed: how many steps the schema parsed and how many issues it made.
 */
import { describe, expect, it } from 'vitest';
import { lastStepBudget, modelSchema } from './schema';
import { validateModel } from './validate';
import { MAX_ISSUES_LISTED, MAX_SCHEMA_STEP_ISSUES } from './limits';
import type { ModelIssue } from './issues';

const resource = { name: 'R', states: [{ name: 'idle', kind: 'stable' }], initial: 'idle', transitions: [] };
/** An empty cas step: four schema issues (target, from, to, else). */
const emptyCas = { kind: 'cas' };
const ISSUES_PER_EMPTY_CAS = 4;
const withOperations = (operations: unknown[]) => ({ name: 'budget', resources: [resource], operations });
const badSteps = (count: number) => Array.from({ length: count }, () => emptyCas);
const nestIn = (depth: number, leaf: unknown[]): unknown[] => (depth === 0 ? leaf : [{ kind: 'if', cond: 'true', then: nestIn(depth - 1, leaf) }]);

function issuesOf(input: unknown): ModelIssue[] {
  const result = validateModel(input);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
}

describe('schema issues in steps: the schema stops after MAX_SCHEMA_STEP_ISSUES', () => {
  it('30,000 empty cas steps: about cap / 4 steps parsed, about cap issues made', () => {
    // Over the document size limit, so this goes to the schema directly (validateModel refuses it before).
    const operations = [0, 1, 2].map((i) => ({ name: `o${i}`, params: [], steps: badSteps(10_000) }));
    const parsed = modelSchema.safeParse(withOperations(operations));
    expect(parsed.success).toBe(false);
    const budget = lastStepBudget();
    expect(budget.stopped).toBe(true);
    expect(budget.stepsParsed).toBe(MAX_SCHEMA_STEP_ISSUES / ISSUES_PER_EMPTY_CAS);
    expect(parsed.error!.issues).toHaveLength(MAX_SCHEMA_STEP_ISSUES);
    expect(parsed.error!.issues.at(-1)?.path).toEqual(['operations', 0, 'steps', MAX_SCHEMA_STEP_ISSUES / ISSUES_PER_EMPTY_CAS - 1, 'else']);
  });

  it('bad steps nested 10 blocks deep stop just as early', () => {
    const parsed = modelSchema.safeParse(withOperations([{ name: 'op', params: [], steps: nestIn(10, badSteps(1_500)) }]));
    expect(parsed.success).toBe(false);
    const budget = lastStepBudget();
    expect(budget.stopped).toBe(true);
    // The ten enclosing if steps, then the leaves up to the cap.
    expect(budget.stepsParsed).toBe(10 + MAX_SCHEMA_STEP_ISSUES / ISSUES_PER_EMPTY_CAS);
    expect(parsed.error!.issues).toHaveLength(MAX_SCHEMA_STEP_ISSUES);
    expect(parsed.error!.issues[0].path).toEqual(['operations', 0, 'steps', 0, ...Array(9).fill(['then', 0]).flat(), 'then', 0, 'target']);
  });

  it('a user sees the first issues in full, then a count marked as a lower bound', () => {
    const operations = [0, 1, 2, 3, 4].map((i) => ({ name: `o${i}`, params: [], steps: badSteps(4_900) }));
    const issues = issuesOf(withOperations(operations));
    expect(issues).toHaveLength(MAX_ISSUES_LISTED + 1);
    expect(issues[0]).toEqual({ path: 'operations[0].steps[0].target', message: 'Invalid input: expected string, received undefined', code: 'LS101' });
    expect(issues.at(-1)).toEqual({
      path: '',
      message: `…and at least ${MAX_SCHEMA_STEP_ISSUES - MAX_ISSUES_LISTED} more issues (validation stopped after ${MAX_SCHEMA_STEP_ISSUES})`,
      code: 'LS199',
    });
  });

  it('under the cap every step is parsed and the count is exact', () => {
    const steps = badSteps(200);
    const issues = issuesOf(withOperations([{ name: 'op', params: [], steps }]));
    expect(lastStepBudget()).toEqual({ issues: 200 * ISSUES_PER_EMPTY_CAS, stepsParsed: 200, stopped: false });
    expect(issues.at(-1)).toEqual({ path: '', message: `…and ${200 * ISSUES_PER_EMPTY_CAS - MAX_ISSUES_LISTED} more issues`, code: 'LS199' });
  });

  it('each document starts with a fresh budget: a good one after a stopped one validates', () => {
    modelSchema.safeParse(withOperations([{ name: 'op', params: [], steps: badSteps(5_000) }]));
    expect(lastStepBudget().stopped).toBe(true);
    const good = withOperations([{ name: 'op', params: [], steps: [{ kind: 'if', cond: 'true', then: [{ kind: 'return' }] }] }]);
    expect(validateModel(good).ok).toBe(true);
    expect(lastStepBudget()).toEqual({ issues: 0, stepsParsed: 2, stopped: false });
  });
});
