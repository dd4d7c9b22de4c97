/**
 * The Job table as a queue, on SQLite and PostgreSQL: a claim is a
 * conditional update that exactly one claimer wins; a running job with a
 * fresh heartbeat is left alone, one with a stale heartbeat (its instance
 * died) is taken over; the old owner can then neither heartbeat nor finish it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '@/lib/db/models';
import { recordCheckRun } from '@/lib/db/runs';
import { openDatabase } from '@/lib/db';
import { claimJob, finishJob, heartbeat, pruneFinishedJobs, queueCounts, requeueInterrupted, requeueJob } from '@/lib/jobs/queue';
import { JobRunner } from '@/lib/jobs/runner';
import { validateModel } from '@/lib/model';
import { freshDb, providers, sampleDocument, type TestDb } from '../helpers/db';

const doc = (name: string) => {
  const r = validateModel(sampleDocument(name));
  if (!r.ok) throw new Error('fixture');
  return r.value;
};

describe.each(providers)('job queue on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider);
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  async function queuedJob(): Promise<string> {
    await db.prisma.job.updateMany({ where: { status: { in: ['queued', 'running'] } }, data: { status: 'done' } });
    const m = await createModel(db.prisma, { document: doc(`m${Math.random()}`) });
    const run = await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 1, scenario: 's', options: {}, verdict: 'pass', stats: {} });
    const job = await db.prisma.job.findFirstOrThrow({ where: { checkRunId: run!.id } });
    return job.id;
  }

  it('gives a queued job to exactly one of many concurrent claimers', async () => {
    const id = await queuedJob();
    // Separate clients (connections), as separate app instances would have.
    const others = await Promise.all([1, 2, 3].map(() => openDatabase(db.config)));
    try {
      const claims = await Promise.all([db.prisma, ...others.map((o) => o.prisma)].flatMap((p, i) => [claimJob(p, `instance-${i}a`, 60_000), claimJob(p, `instance-${i}b`, 60_000)]));
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ id, kind: 'verify-run', attempts: 1 });
      expect(await queueCounts(db.prisma)).toMatchObject({ queued: 0, running: 1 });
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('leaves a job with a fresh heartbeat alone and takes over one whose heartbeat is stale', async () => {
    const id = await queuedJob();
    const t0 = new Date();
    expect(await claimJob(db.prisma, 'alive', 10_000, t0)).toMatchObject({ id });
    // 5 s later the owner is still within its 10 s lease: nothing to claim.
    expect(await claimJob(db.prisma, 'rival', 10_000, new Date(t0.getTime() + 5_000))).toBeNull();
    expect(await heartbeat(db.prisma, id, 'alive', new Date(t0.getTime() + 6_000))).toBe(true);
    // 15 s after the claim, but only 9 s after the heartbeat: still its.
    expect(await claimJob(db.prisma, 'rival', 10_000, new Date(t0.getTime() + 15_000))).toBeNull();
    // The owner dies; 11 s after its last heartbeat another instance takes the job over.
    const taken = await claimJob(db.prisma, 'rival', 10_000, new Date(t0.getTime() + 17_001));
    expect(taken).toMatchObject({ id, attempts: 2 });
    // The old owner, if it was only slow, has lost it: its heartbeat and its result are refused.
    expect(await heartbeat(db.prisma, id, 'alive')).toBe(false);
    expect(await finishJob(db.prisma, id, 'alive', 'done')).toBe(false);
    expect(await finishJob(db.prisma, id, 'rival', 'done')).toBe(true);
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: 'done', lockedBy: null });
    // A finished job is never claimed again.
    expect(await claimJob(db.prisma, 'late', 1, new Date(Date.now() + 3_600_000))).toBeNull();
  });

  it('puts a failed attempt back in the queue, and every interrupted job at a restart', async () => {
    const id = await queuedJob();
    await claimJob(db.prisma, 'a', 60_000);
    expect(await requeueJob(db.prisma, id, 'a', 'worker died')).toBe(true);
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: 'queued', lastError: 'worker died', attempts: 1 });
    expect(await claimJob(db.prisma, 'b', 60_000)).toMatchObject({ id, attempts: 2 });
    // The process that owned the queue stops mid-job; at its next start the job is queued again at once.
    expect(await requeueInterrupted(db.prisma)).toBe(1);
    expect(await claimJob(db.prisma, 'c', 60_000)).toMatchObject({ id, attempts: 3 });
  });

  it('deleting a run (with its model) deletes its job', async () => {
    const id = await queuedJob();
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id }, select: { checkRun: { select: { modelVersion: { select: { modelId: true } } } } } });
    await db.prisma.model.delete({ where: { id: job.checkRun!.modelVersion.modelId } });
    expect(await db.prisma.job.findUnique({ where: { id } })).toBeNull();
  });

  it('forgets finished jobs past the retention period, never queued or running ones', async () => {
    const done = await queuedJob();
    expect(await claimJob(db.prisma, 'old', 60_000)).toMatchObject({ id: done });
    await finishJob(db.prisma, done, 'old', 'done');
    const running = await queuedJob();
    expect(await claimJob(db.prisma, 'busy', 60_000)).toMatchObject({ id: running });
    const waiting = await queuedJob();
    const day = 24 * 60 * 60 * 1000;
    // Nothing is old enough yet.
    expect(await pruneFinishedJobs(db.prisma, new Date(Date.now() - day))).toBe(0);
    // A runner whose retention has passed for the finished job removes it and only it.
    const messages: string[] = [];
    await new JobRunner(db.prisma, { retentionMs: -day, log: (m) => messages.push(m) }).pruneNowAndThen();
    const left = new Set((await db.prisma.job.findMany({ select: { id: true } })).map((j) => j.id));
    expect(left.has(done)).toBe(false);
    expect(left.has(running) && left.has(waiting)).toBe(true);
    expect(messages.some((m) => /^forgot \d+ finished jobs/.test(m))).toBe(true);
  });
});
