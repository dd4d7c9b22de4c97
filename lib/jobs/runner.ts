/**
 * The job runner of one server process: claims jobs from the queue one at a
 * time, keeps their heartbeat while a worker thread does the work, and
 * records the outcome. Several instances on one PostgreSQL database each run
 * one; a job whose instance died (stale heartbeat) is taken over by another.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { recordVerification } from '@/lib/db/runs';
import type { VerifyBudget } from '@/lib/check/verify';
import { verifyBudget } from './budget';
import { claimJob, finishJob, heartbeat, pruneFinishedJobs, requeueJob, VERIFY_RUN, type ClaimedJob } from './queue';
import { runVerifyJob } from './verify-job';
import { CHECK_VERSION, runCheckVersionJob } from './check-version-job';

export interface RunnerOptions {
  /** This instance's name in `Job.lockedBy` (default host:pid:random). */
  owner?: string;
  /** Idle wait between looks at the queue. */
  pollMs?: number;
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this is taken over. */
  staleAfterMs?: number;
  /** After this many claims (each one a crash or a lost worker) a job is given up. */
  maxAttempts?: number;
  budget?: VerifyBudget;
  /** Finished jobs older than this are deleted (default 14 days; LOCKSTEP_JOB_RETENTION_DAYS). */
  retentionMs?: number;
  log?: (message: string) => void;
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export class JobRunner {
  readonly owner: string;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  readonly staleAfterMs: number;
  private readonly maxAttempts: number;
  private readonly budget: VerifyBudget;
  private readonly log: (message: string) => void;
  private readonly retentionMs: number;
  private prunedAt = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Jobs finished by this runner, for the benchmark and tests. */
  finished = 0;

  constructor(
    private readonly db: Db,
    options: RunnerOptions = {},
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.pollMs = options.pollMs ?? envInt('LOCKSTEP_JOB_POLL_MS', 1000);
    this.heartbeatMs = options.heartbeatMs ?? envInt('LOCKSTEP_JOB_HEARTBEAT_MS', 5000);
    this.staleAfterMs = options.staleAfterMs ?? envInt('LOCKSTEP_JOB_STALE_MS', 30_000);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.budget = options.budget ?? verifyBudget();
    this.retentionMs = options.retentionMs ?? envInt('LOCKSTEP_JOB_RETENTION_DAYS', 14) * 24 * 60 * 60 * 1000;
    this.log = options.log ?? ((m) => console.log(`[lockstep jobs] ${m}`));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking jobs; waits for the one in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    this.loop = null;
  }

  /** Looks at the queue now rather than at the next poll (a run was just posted). */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.log(`queue error: ${(error as Error).message}`);
      }
      if (!worked && this.running) {
        await this.pruneNowAndThen();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  /** When idle, at most once an hour: forgets finished jobs past the retention period. */
  async pruneNowAndThen(now = Date.now()): Promise<void> {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    try {
      const n = await pruneFinishedJobs(this.db, new Date(now - this.retentionMs));
      if (n > 0) this.log(`forgot ${n} finished jobs older than ${Math.round(this.retentionMs / 86_400_000)} days`);
    } catch (error) {
      this.log(`could not prune finished jobs: ${(error as Error).message}`);
    }
  }

  /** Claims and does one job; false when the queue had none to give. */
  async runOnce(): Promise<boolean> {
    const job = await claimJob(this.db, this.owner, this.staleAfterMs);
    if (!job) return false;
    if (job.attempts > 1) this.log(`took over job ${job.id} (attempt ${job.attempts})`);
    const beat = setInterval(() => {
      heartbeat(this.db, job.id, this.owner).catch(() => {});
    }, this.heartbeatMs);
    try {
      await this.work(job);
      this.finished++;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.log(`job ${job.id} failed: ${message}`);
      if (job.attempts >= this.maxAttempts) await finishJob(this.db, job.id, this.owner, 'failed', message);
      else await requeueJob(this.db, job.id, this.owner, message);
    } finally {
      clearInterval(beat);
    }
    return true;
  }

  private async work(job: ClaimedJob): Promise<void> {
    if (job.kind === CHECK_VERSION) {
      await runCheckVersionJob(this.db, job, this.owner, this.budget, this.maxAttempts);
      return;
    }
    if (job.kind !== VERIFY_RUN) {
      await finishJob(this.db, job.id, this.owner, 'failed', `unknown job kind ${job.kind}`);
      return;
    }
    if (job.attempts > this.maxAttempts && job.checkRunId) {
      // Each earlier attempt died with its instance: the run itself is what kills them.
      const reason = `the server gave up verifying after ${job.attempts - 1} attempts that did not finish`;
      await recordVerification(this.db, {
        runId: job.checkRunId,
        jobId: job.id,
        owner: this.owner,
        status: 'too-large',
        verification: { status: 'too-large', reason, server: null, budget: this.budget },
      });
      return;
    }
    await runVerifyJob(this.db, job, this.owner, this.budget);
  }
}
