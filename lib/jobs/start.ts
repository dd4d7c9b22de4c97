/**
 * Starts this server process's job runner (from instrumentation.ts) and
 * lets request handlers nudge it. One per process, kept on globalThis:
 * Next loads instrumentation and route handlers as separate module graphs.
 */
import { getDb } from '@/lib/server/db';
import { JobRunner } from './runner';
import { enqueueJob, requeueInterrupted, VERIFY_RUN } from './queue';

const holder = globalThis as unknown as { __lockstepJobRunner?: JobRunner };

export async function startJobRunner(): Promise<JobRunner | null> {
  if (process.env.LOCKSTEP_JOBS === 'off') return null;
  if (holder.__lockstepJobRunner) return holder.__lockstepJobRunner;
  const db = await getDb();
  const runner = new JobRunner(db.prisma);
  holder.__lockstepJobRunner = runner;
  if (db.config.provider === 'sqlite') {
    // On SQLite this process owns the queue: a job left running is from a
    // previous life of this server, so it goes back to the queue at once.
    const count = await requeueInterrupted(db.prisma);
    if (count > 0) console.log(`[lockstep jobs] requeued ${count} job(s) interrupted by the last stop`);
  }
  // Runs stored before verification existed (or whose job was lost) get one now.
  const orphans = await db.prisma.checkRun.findMany({ where: { status: 'reported', jobs: { none: {} } }, select: { id: true }, take: 10_000 });
  for (const run of orphans) await enqueueJob(db.prisma, VERIFY_RUN, run.id);
  if (orphans.length > 0) console.log(`[lockstep jobs] queued verification of ${orphans.length} earlier run(s)`);
  // No signal handlers: a job cut short by a stop is taken up again (above, or by heartbeat expiry).
  runner.start();
  return runner;
}

/** Tells this process's runner that a job was just queued. */
export function nudgeJobRunner(): void {
  holder.__lockstepJobRunner?.nudge();
}
