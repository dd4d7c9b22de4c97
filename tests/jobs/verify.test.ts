/**
 * Reported runs end verified, refuted or too large to verify, on SQLite and
 * PostgreSQL, through the real queue and the real worker-thread pool: a run
 * is stored as the browser posts it, a JobRunner (as each server process
 * runs one) claims its job and re-checks it, and the share link shows what
 * the server concluded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '@/lib/db/models';
import { createShareLink, getCheckRun, recordCheckRun, resolveShareLink, type CheckRunInput } from '@/lib/db/runs';
import { JobRunner } from '@/lib/jobs/runner';
import { claimJob } from '@/lib/jobs/queue';
import { closePools } from '@/lib/jobs/pool';
import { publicVerification } from '@/lib/server/verify-status';
import { freshDb, providers, type TestDb } from '../helpers/db';
import { example, genuineRun } from './helpers';

const SHARE = example('share-delete-vs-snapshot.json');
const quiet = { log: () => {} };

afterAll(async () => {
  await closePools();
});

describe.each(providers)('verifying reported runs on %s', (provider) => {
  let db: TestDb;
  let modelId: string;
  beforeAll(async () => {
    db = await freshDb(provider);
    modelId = (await createModel(db.prisma, { document: SHARE })).id;
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  async function report(run: Omit<CheckRunInput, 'modelId' | 'versionNumber'>) {
    const stored = await recordCheckRun(db.prisma, { modelId, versionNumber: 1, ...run });
    expect(stored!.status).toBe('reported');
    return stored!.id;
  }
  async function verify(runner = new JobRunner(db.prisma, quiet)) {
    while (await runner.runOnce());
  }

  it('refutes a forged PASS for a scenario that breaks, and its share link says so with the server trace', async () => {
    const genuine = genuineRun(SHARE, 'naive-delete-vs-snapshot');
    const forged = { ...genuine, verdict: 'pass' as const, trace: undefined, stats: { distinctStates: 120, transitions: 300, depth: 9 } };
    const id = await report(forged);
    await verify();
    const run = await getCheckRun(db.prisma, id);
    expect(run!.status).toBe('refuted');
    const v = publicVerification(run!);
    expect(v.reason).toContain('the run reported pass; the server found violation (invariant no-snapshot-of-deleted-share)');
    // The server's own trace: the shortest counterexample, the same one the genuine run has.
    expect(v.server).toMatchObject({ verdict: 'violation', violation: { kind: 'invariant', name: 'no-snapshot-of-deleted-share' } });
    expect(v.server!.moves).toEqual(genuine.trace!.moves);

    const link = await createShareLink(db.prisma, { modelId, versionNumber: 1, checkRunId: id });
    const shared = await resolveShareLink(db.prisma, link!.id);
    expect(shared!.checkRun).toMatchObject({ verdict: 'pass', status: 'refuted' });
  });

  it('verifies a genuine PASS and a genuine violation', async () => {
    const pass = await report(genuineRun(SHARE, 'fixed-delete-vs-snapshot'));
    const violation = await report(genuineRun(SHARE, 'naive-two-deletes'));
    await verify();
    const p = await getCheckRun(db.prisma, pass);
    expect(p).toMatchObject({ status: 'verified' });
    expect(publicVerification(p!).reason).toBe('the server ran the same check and found pass over 17 distinct states');
    const v = await getCheckRun(db.prisma, violation);
    expect(v).toMatchObject({ status: 'verified' });
    expect(publicVerification(v!).reason).toMatch(/^the server replayed its 10-step trace to the same invariant /);
  });

  it('refutes a pass whose state count is invented, and an incomplete run whose space is actually smaller', async () => {
    const genuine = genuineRun(SHARE, 'fixed-delete-vs-snapshot');
    const inflated = await report({ ...genuine, stats: { ...(genuine.stats as object), distinctStates: 5_000_000 } });
    const smaller = await report({ ...genuine, verdict: 'incomplete', stats: { distinctStates: 400, transitions: 900, depth: 6, incompleteReason: 'time-limit' } });
    // The same run stopped by time after 10 states: the server explores the same 10 and confirms.
    const stopped = await report({ ...genuine, verdict: 'incomplete', stats: { distinctStates: 10, transitions: 12, depth: 3, incompleteReason: 'time-limit' } });
    await verify();
    expect(publicVerification((await getCheckRun(db.prisma, inflated))!)).toMatchObject({
      status: 'refuted',
      reason: 'the run reported 5,000,000 distinct states; the same check on the server explores 17',
    });
    expect((await getCheckRun(db.prisma, smaller))!.status).toBe('refuted');
    expect((await getCheckRun(db.prisma, stopped))!.status).toBe('verified');
  });

  it('verifies a random simulation by replaying the same seed', async () => {
    const sim = await report(genuineRun(SHARE, 'fixed-two-deletes', { mode: 'random', runs: 50, seed: 7 }));
    const found = await report(genuineRun(SHARE, 'naive-two-deletes', { mode: 'random', runs: 50, seed: 7 }));
    await verify();
    expect((await getCheckRun(db.prisma, sim))!.status).toBe('verified');
    expect((await getCheckRun(db.prisma, found))!.status).toBe('verified');
  });

  it('says "too large to verify", with the figure, when the check exceeds the server budget', async () => {
    const id = await report(genuineRun(SHARE, 'fixed-delete-vs-snapshot'));
    await verify(new JobRunner(db.prisma, { ...quiet, budget: { maxStates: 5, maxBytes: 2 ** 26, timeLimitMs: 10_000 } }));
    const run = await getCheckRun(db.prisma, id);
    expect(run!.status).toBe('too-large');
    expect(publicVerification(run!).reason).toBe("the check has more than the 5 distinct states the server's budget allows (5 states, 64 MB)");
  });

  it('takes over a job whose instance died mid-way, and it ends verified', async () => {
    const id = await report(genuineRun(SHARE, 'fixed-two-deletes'));
    // Another instance claims the job and dies before finishing: no heartbeat, no result.
    const job = await claimJob(db.prisma, 'dead-instance', 60_000);
    expect(job).not.toBeNull();
    const runner = new JobRunner(db.prisma, { ...quiet, staleAfterMs: 300 });
    expect(await runner.runOnce()).toBe(false); // its heartbeat is still fresh
    await new Promise((r) => setTimeout(r, 400));
    expect(await runner.runOnce()).toBe(true);
    expect((await getCheckRun(db.prisma, id))!.status).toBe('verified');
    expect(await db.prisma.job.findUnique({ where: { id: job!.id } })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('retries a job whose worker thread was killed mid-check, and it ends verified', async () => {
    const id = await report(genuineRun(SHARE, 'fixed-delete-vs-snapshot'));
    const runner = new JobRunner(db.prisma, quiet);
    // A cold pool: the first attempt's thread is still starting when it is killed.
    await closePools();
    const first = runner.runOnce();
    await new Promise((r) => setTimeout(r, 100));
    await closePools();
    await first;
    const after = await db.prisma.job.findFirstOrThrow({ where: { checkRunId: id } });
    expect(after).toMatchObject({ status: 'queued', attempts: 1 });
    expect(after.lastError).toBeTruthy();
    expect((await getCheckRun(db.prisma, id))!.status).toBe('reported');
    await verify(runner);
    expect((await getCheckRun(db.prisma, id))!.status).toBe('verified');
    expect(await db.prisma.job.findFirstOrThrow({ where: { checkRunId: id } })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('checks liveness too: a genuine lasso and a genuine liveness PASS are verified, a PASS forged over a lasso is refuted', async () => {
    const MANILA = example('manila-data-service-ha.json');
    const manilaId = (await createModel(db.prisma, { document: MANILA })).id;
    const reportManila = async (run: Omit<CheckRunInput, 'modelId' | 'versionNumber'>) => (await recordCheckRun(db.prisma, { modelId: manilaId, versionNumber: 1, ...run }))!.id;
    const lasso = genuineRun(MANILA, 'service-heartbeat-hides-dead-worker');
    expect(lasso.trace?.violation).toMatchObject({ kind: 'stays-transitional' });
    expect(lasso.trace?.violation?.cycleStart).toBeGreaterThanOrEqual(0);
    const live = genuineRun(MANILA, 'owner-crash-job-finishes');
    expect(live.verdict).toBe('pass');
    // Forged: the lasso's scenario reported as a pass, with the figures of its safety search alone.
    const safetyOnly = structuredClone(MANILA);
    const scenario = safetyOnly.scenarios.find((x: { name: string }) => x.name === 'service-heartbeat-hides-dead-worker');
    scenario.checks = { ...scenario.checks, termination: false, leavesTransitional: false };
    const safety = genuineRun(safetyOnly, 'service-heartbeat-hides-dead-worker');
    expect(safety.verdict).toBe('pass');
    const forged = { ...lasso, verdict: 'pass' as const, trace: undefined, stats: safety.stats };
    const ids = [await reportManila(lasso), await reportManila(live), await reportManila(forged)];
    await verify();
    const [a, b, c] = await Promise.all(ids.map((id) => getCheckRun(db.prisma, id)));
    expect(a!.status).toBe('verified');
    expect(b!.status).toBe('verified');
    expect(c!.status).toBe('refuted');
    expect(publicVerification(c!).server).toMatchObject({ verdict: 'violation', violation: { kind: 'stays-transitional' } });
  });
});
