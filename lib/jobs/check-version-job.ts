/**
 * The `check-version` job: the server checks every scenario of one model
 * version with the default options (a review's verdict diff needs them) and
 * stores each result as a CheckRun — verified by construction, author
 * "server" — unless a settled run with those options is already stored.
 * One scenario at a time, each in the jobs pool under the verification
 * budget; a scenario the budget cannot finish is stored as too large.
 */
import type { Db } from '@/lib/db/client';
import { recordServerRun, settledRuns, versionRow } from '@/lib/db/reviews';
import type { VerifyBudget } from '@/lib/check/verify';
import { REVIEW_CHECK_OPTIONS } from '@/lib/reviews/server-check';
import { newId } from '@/lib/db/ids';
import { pickRun } from '@/lib/reviews/verdicts';
import { BudgetExceeded, runInPool } from './pool';
import { verifyTimeoutMs } from './budget';
import { finishJob, type ClaimedJob } from './queue';

export const CHECK_VERSION = 'check-version';

/** The job's subject: which version (also what de-duplicates jobs). */
export const versionSubject = (modelId: string, number: number) => `version:${modelId}:${number}`;

function parseSubject(subject: string | null): { modelId: string; number: number } | null {
  const m = /^version:([A-Za-z0-9_-]{16,64}):([1-9][0-9]{0,9})$/.exec(subject ?? '');
  return m ? { modelId: m[1], number: Number(m[2]) } : null;
}

function scenarioNames(document: unknown): string[] {
  const scenarios = (document as { scenarios?: unknown })?.scenarios;
  return Array.isArray(scenarios) ? scenarios.map((s) => (s as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string') : [];
}

/**
 * Queues the check of a version unless one is already queued or running, or
 * every scenario already has a settled run. True when a job was queued.
 */
export async function enqueueVersionCheck(db: Db, modelId: string, number: number): Promise<boolean> {
  const version = await versionRow(db, modelId, number);
  if (!version) return false;
  const runs = await settledRuns(db, modelId, [number]);
  if (scenarioNames(version.document).every((s) => pickRun(runs, number, s))) return false;
  const subject = versionSubject(modelId, number);
  if (await activeCheck(db, subject)) return false;
  await db.job.create({ data: { id: newId(), kind: CHECK_VERSION, subject, status: 'queued' } });
  return true;
}

/** Whether a check of this version is queued or running. */
export async function versionCheckActive(db: Db, modelId: string, number: number): Promise<boolean> {
  return activeCheck(db, versionSubject(modelId, number));
}

async function activeCheck(db: Db, subject: string): Promise<boolean> {
  const active = await db.job.findFirst({ where: { kind: CHECK_VERSION, subject, status: { in: ['queued', 'running'] } }, select: { id: true } });
  return active !== null;
}

/** Where the server's check of a version stands, judged by its latest job. */
export type VersionCheckState = { state: 'active' } | { state: 'failed'; error: string; at: Date } | { state: 'idle' };

export async function versionCheckState(db: Db, modelId: string, number: number): Promise<VersionCheckState> {
  const subject = versionSubject(modelId, number);
  if (await activeCheck(db, subject)) return { state: 'active' };
  const latest = await db.job.findFirst({
    where: { kind: CHECK_VERSION, subject, status: { in: ['done', 'failed'] } },
    orderBy: { finishedAt: 'desc' },
    select: { status: true, lastError: true, finishedAt: true, createdAt: true },
  });
  if (latest?.status !== 'failed') return { state: 'idle' };
  return { state: 'failed', error: latest.lastError ?? 'the check failed', at: latest.finishedAt ?? latest.createdAt };
}

type Outcome = Parameters<typeof recordServerRun>[1];

/** Runs one scenario's check in a worker; a budget overrun is a "too large" run, not an error. */
async function checkOne(document: unknown, modelVersionId: string, scenario: string, budget: VerifyBudget): Promise<Outcome | 'invalid'> {
  const base = { modelVersionId, scenario, options: REVIEW_CHECK_OPTIONS };
  try {
    const result = await runInPool('jobs', { kind: 'check-scenario', document, scenario, budget }, verifyTimeoutMs(budget));
    if (result.kind === 'invalid-model') return 'invalid';
    if (result.kind !== 'check-scenario') throw new Error(`unexpected task result ${result.kind}`);
    const { result: server, tooLarge, meetsExpectation } = result.check;
    const stats = { ...server.stats, ...(server.incompleteReason ? { incompleteReason: server.incompleteReason } : {}), meetsExpectation };
    const trace = server.verdict === 'violation' && server.violation ? { moves: server.moves, violation: server.violation } : null;
    const n = server.stats.distinctStates.toLocaleString('en');
    const reason = tooLarge ?? `the server ran this check itself and found ${server.verdict}${server.violation ? ` (${server.violation.kind})` : ''} over ${n} distinct states`;
    return {
      ...base,
      verdict: server.verdict,
      stats,
      trace,
      status: tooLarge ? 'too-large' : 'verified',
      verification: { status: tooLarge ? 'too-large' : 'verified', reason, server: null, budget },
    };
  } catch (error) {
    if (!(error instanceof BudgetExceeded) || error.resource === 'busy') throw error;
    const reason = `the server stopped checking: ${error.message}`;
    return { ...base, verdict: 'incomplete', stats: { distinctStates: 0, transitions: 0, depth: 0, meetsExpectation: false }, trace: null, status: 'too-large', verification: { status: 'too-large', reason, server: null, budget } };
  }
}

export async function runCheckVersionJob(db: Db, job: ClaimedJob, owner: string, budget: VerifyBudget, maxAttempts: number): Promise<void> {
  const row = await db.job.findUnique({ where: { id: job.id }, select: { subject: true } });
  const subject = parseSubject(row?.subject ?? null);
  const version = subject ? await versionRow(db, subject.modelId, subject.number) : null;
  if (!subject || !version) {
    await finishJob(db, job.id, owner, 'done');
    return;
  }
  const runs = await settledRuns(db, subject.modelId, [subject.number]);
  // Each earlier attempt died with its instance: what is left is what kills them.
  const givingUp = job.attempts > maxAttempts;
  for (const scenario of scenarioNames(version.document)) {
    if (pickRun(runs, subject.number, scenario)) continue;
    if (givingUp) {
      const reason = `the server gave up checking after ${job.attempts - 1} attempts that did not finish`;
      await recordServerRun(db, {
        modelVersionId: version.id,
        scenario,
        options: REVIEW_CHECK_OPTIONS,
        verdict: 'incomplete',
        stats: { distinctStates: 0, transitions: 0, depth: 0, meetsExpectation: false },
        trace: null,
        status: 'too-large',
        verification: { status: 'too-large', reason, server: null, budget },
      });
      continue;
    }
    const outcome = await checkOne(version.document, version.id, scenario, budget);
    if (outcome === 'invalid') break; // Versions are validated when saved; nothing to check in one that is not.
    // A browser's run may have been verified meanwhile: keep one settled run per scenario.
    const again = await settledRuns(db, subject.modelId, [subject.number]);
    if (pickRun(again, subject.number, scenario)) continue;
    await recordServerRun(db, outcome);
  }
  await finishJob(db, job.id, owner, 'done');
}
