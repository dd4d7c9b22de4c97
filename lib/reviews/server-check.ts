/**
 * The server's own check of one scenario with the default options, for the
 * verdict diff of a review. Runs in a jobs-pool worker (lib/jobs/tasks.ts),
 * so relative imports only.
 * It is the same check, under the same budget, that verifying a browser's
 * run performs (lib/check/verify), so its result is verified by construction,
 * or it says the budget ran out.
 */
import type { AnalyzedModel } from '../model';
import { meetsExpectation } from '../check/check';
import { checkUnderBudget, type ServerResult, type VerifyBudget } from '../check/verify';

/** The options a review's checks use: the checker's defaults (reductions on, no limits of its own). */
export const REVIEW_CHECK_OPTIONS = { mode: 'exhaustive', symmetry: true, mergeLocalSteps: true } as const;

export interface ServerCheck {
  scenario: string;
  result: ServerResult;
  /** Why the budget ran out before the check finished (then the result is incomplete), or null. */
  tooLarge: string | null;
  /** Whether the result meets the scenario's expect (null: it has none). */
  meetsExpectation: boolean | null;
  budget: VerifyBudget;
}

export function checkScenarioOnServer(model: AnalyzedModel, scenario: string, budget: VerifyBudget): ServerCheck {
  const { symmetry, mergeLocalSteps } = REVIEW_CHECK_OPTIONS;
  const { server: result, budgetHit } = checkUnderBudget(model, scenario, { symmetry, mergeLocalSteps }, budget);
  const expect = model.scenarios.find((s) => s.source.name === scenario)?.source.expect;
  return {
    scenario,
    result,
    tooLarge: budgetHit,
    meetsExpectation: expect ? meetsExpectation(expect, result.verdict, result.violation as Parameters<typeof meetsExpectation>[2]) : null,
    budget,
  };
}
