/**
 * The `check-version` job behind a review's verdict diff, on SQLite and
 * PostgreSQL, through the real queue and worker pool: the server checks every
 * scenario of a version with the default options, reusing a browser's run that
 * was verified with those options, and stores a scenario its budget cannot
 * finish as too large (never as a pass).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '@/lib/db/models';
import { recordCheckRun, getCheckRun } from '@/lib/db/runs';
import { settledRuns } from '@/lib/db/reviews';
import { JobRunner } from '@/lib/jobs/runner';
import { closePools } from '@/lib/jobs/pool';
import { CHECK_VERSION, enqueueVersionCheck, versionCheckActive, versionCheckState } from '@/lib/jobs/check-version-job';
import { claimJob, finishJob } from '@/lib/jobs/queue';
import { reviewVerdicts } from '@/lib/reviews/verdicts';
import { freshDb, providers, type TestDb } from '../helpers/db';
import { example, genuineRun } from './helpers';

const SHARE = example('share-delete-vs-snapshot.json');
const SCENARIOS: string[] = SHARE.scenarios.map((s: { name: string }) => s.name);
const REFS = SHARE.scenarios.map((s: any) => ({ name: s.name, expect: s.expect }));
const quiet = { log: () => {} };

afterAll(async () => {
  await closePools();
});

describe.each(providers)('checking a version for a review on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider);
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  async function drain(runner: JobRunner) {
    while (await runner.runOnce());
  }

  it('checks every scenario once, reusing a verified browser run with the default options', async () => {
    const modelId = (await createModel(db.prisma, { document: SHARE })).id;
    // A browser's run of one scenario, verified by its own job first.
    const posted = await recordCheckRun(db.prisma, { modelId, versionNumber: 1, ...genuineRun(SHARE, 'naive-two-deletes'), author: 'Ann' });
    await drain(new JobRunner(db.prisma, quiet));
    expect((await getCheckRun(db.prisma, posted!.id))!.status).toBe('verified');

    expect(await enqueueVersionCheck(db.prisma, modelId, 1)).toBe(true);
    // A second request while it is queued adds nothing.
    expect(await enqueueVersionCheck(db.prisma, modelId, 1)).toBe(false);
    expect(await versionCheckActive(db.prisma, modelId, 1)).toBe(true);
    await drain(new JobRunner(db.prisma, quiet));
    expect(await versionCheckActive(db.prisma, modelId, 1)).toBe(false);

    const runs = await settledRuns(db.prisma, modelId, [1]);
    const server = runs.filter((r) => r.author === 'server');
    expect(server.map((r) => r.scenario).sort()).toEqual(SCENARIOS.filter((s) => s !== 'naive-two-deletes').sort());
    expect(server.every((r) => r.status === 'verified')).toBe(true);
    const diff = reviewVerdicts(runs, { versionNumber: 1, scenarios: REFS }, null);
    expect(diff.status).toBe('ready');
    const byName = Object.fromEntries(diff.rows.map((r) => [r.scenario, r.after]));
    expect(byName['naive-two-deletes']).toMatchObject({ runId: posted!.id, verdict: 'violation', kind: 'invariant', verification: 'verified', meetsExpectation: true });
    expect(byName['fixed-delete-vs-snapshot']).toMatchObject({ verdict: 'pass', states: 17, verification: 'verified', meetsExpectation: true });
    expect(byName['naive-delete-vs-snapshot']).toMatchObject({ verdict: 'violation', traceLength: 7, states: 35 });
    // Everything is in: nothing more to queue.
    expect(await enqueueVersionCheck(db.prisma, modelId, 1)).toBe(false);
    expect(await db.prisma.job.count({ where: { kind: CHECK_VERSION } })).toBe(1);
  });

  it('stores what the budget cannot finish as too large, which does not meet its expect', async () => {
    const modelId = (await createModel(db.prisma, { document: SHARE })).id;
    await enqueueVersionCheck(db.prisma, modelId, 1);
    await drain(new JobRunner(db.prisma, { ...quiet, budget: { maxStates: 5, maxBytes: 2 ** 26, timeLimitMs: 10_000 } }));
    const runs = await settledRuns(db.prisma, modelId, [1]);
    const fixed = runs.find((r) => r.scenario === 'fixed-delete-vs-snapshot')!;
    expect(fixed).toMatchObject({ author: 'server', status: 'too-large', verdict: 'incomplete' });
    const diff = reviewVerdicts(runs, { versionNumber: 1, scenarios: REFS }, null);
    expect(diff.status).toBe('ready');
    expect(diff.rows.find((r) => r.scenario === 'fixed-delete-vs-snapshot')!.after).toMatchObject({ verification: 'too-large', meetsExpectation: false });
  });

  it('says a check that failed for good has failed (not pending) until someone asks again', async () => {
    const modelId = (await createModel(db.prisma, { document: SHARE })).id;
    expect(await versionCheckState(db.prisma, modelId, 1)).toEqual({ state: 'idle' });
    expect(await enqueueVersionCheck(db.prisma, modelId, 1)).toBe(true);
    expect(await versionCheckState(db.prisma, modelId, 1)).toEqual({ state: 'active' });
    // What the runner does once a job's last attempt threw.
    const job = await claimJob(db.prisma, 'test-owner', 30_000);
    expect(job?.kind).toBe(CHECK_VERSION);
    expect(await finishJob(db.prisma, job!.id, 'test-owner', 'failed', 'worker thread exited with code 1')).toBe(true);
    const failed = await versionCheckState(db.prisma, modelId, 1);
    expect(failed).toMatchObject({ state: 'failed', error: 'worker thread exited with code 1' });
    expect(await versionCheckActive(db.prisma, modelId, 1)).toBe(false);
    // Asking again queues a new check, which then stands for the version.
    expect(await enqueueVersionCheck(db.prisma, modelId, 1)).toBe(true);
    expect(await versionCheckState(db.prisma, modelId, 1)).toEqual({ state: 'active' });
    await drain(new JobRunner(db.prisma, quiet));
    expect(await versionCheckState(db.prisma, modelId, 1)).toEqual({ state: 'idle' });
    const diff = reviewVerdicts(await settledRuns(db.prisma, modelId, [1]), { versionNumber: 1, scenarios: REFS }, null);
    expect(diff.status).toBe('ready');
  });
});
