/**
 * The job queue: a Job table on the app's own database (SQLite or
 * PostgreSQL), so a job survives a restart and, on PostgreSQL, several app
 * instances share it. A job is claimed by a conditional update — it moves to
 * `running` only if it is still queued, or running with a heartbeat older
 * than `staleAfterMs` (its instance died) — so exactly one claimer wins, on
 * both databases, without locks held across the work. The owner refreshes
 * `heartbeatAt` while it works and finishes only while it still owns the job.
 */
import type { Db } from '@/lib/db/client';
import { newId } from '@/lib/db/ids';

export const VERIFY_RUN = 'verify-run';

/** A Prisma client or the `tx` of one of its transactions. */
type Client = Pick<Db, 'job'>;

export interface ClaimedJob {
  id: string;
  kind: string;
  checkRunId: string | null;
  /** Including this claim: 1 the first time, more when it was taken over. */
  attempts: number;
}

export async function enqueueJob(db: Client, kind: string, checkRunId: string): Promise<string> {
  const id = newId();
  await db.job.create({ data: { id, kind, checkRunId, status: 'queued' } });
  return id;
}

const claimable = (cutoff: Date) => ({ OR: [{ status: 'queued' }, { status: 'running', heartbeatAt: { lt: cutoff } }] });

/** Claims the oldest claimable job for `owner`; null when there is none (or others won every race). */
export async function claimJob(db: Client, owner: string, staleAfterMs: number, now = new Date()): Promise<ClaimedJob | null> {
  const cutoff = new Date(now.getTime() - staleAfterMs);
  const candidates = await db.job.findMany({ where: claimable(cutoff), orderBy: { createdAt: 'asc' }, take: 8, select: { id: true } });
  for (const { id } of candidates) {
    const won = await db.job.updateMany({
      where: { id, ...claimable(cutoff) },
      data: { status: 'running', lockedBy: owner, heartbeatAt: now, attempts: { increment: 1 } },
    });
    if (won.count !== 1) continue;
    const job = await db.job.findUnique({ where: { id }, select: { id: true, kind: true, checkRunId: true, attempts: true } });
    if (job) return job;
  }
  return null;
}

/** Says `owner` is still working on it; false when the job is no longer its own (taken over, or gone). */
export async function heartbeat(db: Client, id: string, owner: string, now = new Date()): Promise<boolean> {
  const r = await db.job.updateMany({ where: { id, lockedBy: owner, status: 'running' }, data: { heartbeatAt: now } });
  return r.count === 1;
}

/** Ends a job `owner` still holds; false when it lost it meanwhile (then someone else finishes it). */
export async function finishJob(db: Client, id: string, owner: string, status: 'done' | 'failed', error?: string): Promise<boolean> {
  const r = await db.job.updateMany({
    where: { id, lockedBy: owner, status: 'running' },
    data: { status, finishedAt: new Date(), lockedBy: null, ...(error ? { lastError: error.slice(0, 2000) } : {}) },
  });
  return r.count === 1;
}

/** Puts a job back in the queue after a failure worth retrying. */
export async function requeueJob(db: Client, id: string, owner: string, error: string): Promise<boolean> {
  const r = await db.job.updateMany({
    where: { id, lockedBy: owner, status: 'running' },
    data: { status: 'queued', lockedBy: null, heartbeatAt: null, lastError: error.slice(0, 2000) },
  });
  return r.count === 1;
}

/**
 * Puts every running job back in the queue. Only for a process that owns the
 * whole queue (SQLite, at start): a job still running then was cut short by
 * this server's last stop.
 */
export async function requeueInterrupted(db: Client): Promise<number> {
  const r = await db.job.updateMany({ where: { status: 'running' }, data: { status: 'queued', lockedBy: null, heartbeatAt: null } });
  return r.count;
}

/**
 * Deletes jobs that finished (done or failed) before `before`. What a job produced lives in its
 * CheckRun; the row itself only keeps the queue's history, which would otherwise grow for ever.
 */
export async function pruneFinishedJobs(db: Client, before: Date): Promise<number> {
  const r = await db.job.deleteMany({ where: { status: { in: ['done', 'failed'] }, finishedAt: { lt: before } } });
  return r.count;
}

export interface QueueCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
}

export async function queueCounts(db: Client): Promise<QueueCounts> {
  const rows = await db.job.groupBy({ by: ['status'], _count: { _all: true } });
  const counts: QueueCounts = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const r of rows) if (r.status in counts) counts[r.status as keyof QueueCounts] = r._count._all;
  return counts;
}
