/**
 * The server's own check of one scenario with the default options, for the
 * verdict diff of a review. Runs in a jobs-pool worker (lib/jobs/tasks.ts),
 * so relative imports only.
 *
 * It asks lib/check/verify's `verifyRun` to confirm a claim nobody made (a
 * pass over no states): that runs the very check, under the very budget,
 * that verifying a browser's run does, and hands back the server's own
 * result — verified by construction — or says the budget ran out.
 */
import type { AnalyzedModel } from '../model';
import { meetsExpectation } from '../check/check';
import { verifyRun, type ServerResult, type VerifyBudget } from '../check/verify';

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
  const { mode, ...options } = REVIEW_CHECK_OPTIONS;
  const verification = verifyRun(
    model,
    { scenario, mode, options, verdict: 'pass', violation: null, stats: { distinctStates: -1, transitions: 0, depth: 0 }, moves: [] },
    budget,
  );
  if (!verification.server) throw new Error(`the server's check of '${scenario}' gave no result`);
  const result = verification.server;
  const expect = model.scenarios.find((s) => s.source.name === scenario)?.source.expect;
  return {
    scenario,
    result,
    tooLarge: verification.status === 'too-large' ? verification.reason : null,
    meetsExpectation: expect ? meetsExpectation(expect, result.verdict, result.violation as Parameters<typeof meetsExpectation>[2]) : null,
    budget,
  };
}
