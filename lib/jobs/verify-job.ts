/**
 * The `verify-run` job: re-checks a reported run in the jobs pool under the
 * verification budget and writes what the server concluded.
 */
import type { Db } from '@/lib/db/client';
import { getRunForVerification, recordVerification, type RunStatus } from '@/lib/db/runs';
import type { ReportedRun, Verification, VerifyBudget } from '@/lib/check/verify';
import { BudgetExceeded, runInPool } from './pool';
import { verifyTimeoutMs } from './budget';
import { finishJob, type ClaimedJob } from './queue';

/** The run as the browser reported it, rebuilt from what is stored. */
export function reportedRun(run: { scenario: string; options: unknown; verdict: string; stats: unknown; trace: { moves: number[]; violation: unknown } | null }): ReportedRun {
  const { mode, ...options } = (run.options ?? {}) as ReportedRun['options'] & { mode?: ReportedRun['mode'] };
  const stats = (run.stats ?? {}) as ReportedRun['stats'] & { incompleteReason?: ReportedRun['incompleteReason'] };
  return {
    scenario: run.scenario,
    mode: mode === 'random' ? 'random' : 'exhaustive',
    options: { ...options, symmetry: options.symmetry !== false, mergeLocalSteps: options.mergeLocalSteps !== false },
    verdict: run.verdict as ReportedRun['verdict'],
    ...(stats.incompleteReason ? { incompleteReason: stats.incompleteReason } : {}),
    violation: (run.trace?.violation ?? null) as ReportedRun['violation'],
    stats: { distinctStates: Number(stats.distinctStates) || 0, transitions: Number(stats.transitions) || 0, depth: Number(stats.depth) || 0 },
    moves: run.trace?.moves ?? [],
  };
}

/** Runs the verification in a worker; a budget overrun is a "too large" verdict, not an error. */
export async function verifyInPool(document: unknown, run: ReportedRun, budget: VerifyBudget): Promise<Verification> {
  try {
    const result = await runInPool('jobs', { kind: 'verify', document, run, budget }, verifyTimeoutMs(budget));
    if (result.kind === 'verify') return result.verification;
    if (result.kind === 'invalid-model') {
      return { status: 'refuted', reason: `this version is not a valid model (${result.issues[0]?.path}: ${result.issues[0]?.message})`, server: null, budget };
    }
    throw new Error(`unexpected task result ${result.kind}`);
  } catch (error) {
    if (error instanceof BudgetExceeded && error.resource !== 'busy') {
      return { status: 'too-large', reason: `the server stopped verifying: ${error.message}`, server: null, budget };
    }
    throw error;
  }
}

export async function runVerifyJob(db: Db, job: ClaimedJob, owner: string, budget: VerifyBudget): Promise<{ status: RunStatus | 'gone'; verification?: Verification }> {
  const loaded = job.checkRunId ? await getRunForVerification(db, job.checkRunId) : null;
  if (!loaded) {
    await finishJob(db, job.id, owner, 'done');
    return { status: 'gone' };
  }
  const verification = await verifyInPool(loaded.document, reportedRun(loaded.run), budget);
  await recordVerification(db, { runId: loaded.run.id, jobId: job.id, owner, status: verification.status, verification });
  return { status: verification.status, verification };
}
