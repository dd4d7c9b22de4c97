import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateModel } from '@/lib/model';
import { createModel, deleteModel, saveVersion } from '@/lib/db/models';
import { createShareLink, getCheckRun, recordCheckRun, resolveShareLink, storedTrace } from '@/lib/db/runs';
import { freshDb, providers, sampleDocument, type TestDb } from '../helpers/db';

const doc = (name: string) => {
  const r = validateModel(sampleDocument(name));
  if (!r.ok) throw new Error('fixture');
  return r.value;
};

describe.each(providers)('check runs and share links on %s', (provider) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(provider);
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it('stores a run with its version, and a share link shows exactly that version, run and step', async () => {
    const m = await createModel(db.prisma, { document: doc('checked v1') });
    const trace = { moves: [3, 17], violation: { kind: 'invariant' as const, message: 'broken', name: 'inv' } };
    const run = await recordCheckRun(db.prisma, {
      modelId: m.id,
      versionNumber: 1,
      scenario: 'naive',
      options: { maxStates: 1000 },
      verdict: 'violation',
      stats: { states: 42 },
      trace,
    });
    expect(run).toMatchObject({ versionNumber: 1, verdict: 'violation', scenario: 'naive', trace, author: 'anonymous', status: 'reported', verification: null });
    expect(await getCheckRun(db.prisma, run!.id)).toEqual(run);

    const link = await createShareLink(db.prisma, { modelId: m.id, versionNumber: 1, checkRunId: run!.id, scenario: 'naive', step: 1 });
    // 192 random bits, base64url.
    expect(link!.id).toMatch(/^[A-Za-z0-9_-]{32}$/);

    // A later save does not change what the link shows.
    await saveVersion(db.prisma, m.id, 1, { document: doc('checked v2') });
    const view = await resolveShareLink(db.prisma, link!.id);
    expect(view).toMatchObject({ readOnly: true, versionNumber: 1, scenario: 'naive', step: 1 });
    expect(view!.document.name).toBe('checked v1');
    expect(view!.checkRun?.trace).toEqual(trace);
  });

  it('gives every link a different id and refuses links to things that do not exist', async () => {
    const m = await createModel(db.prisma, { document: doc('linked') });
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await createShareLink(db.prisma, { modelId: m.id, versionNumber: 1 }))!.id);
    expect(ids.size).toBe(20);
    expect(await createShareLink(db.prisma, { modelId: m.id, versionNumber: 9 })).toBeNull();
    expect(await createShareLink(db.prisma, { modelId: m.id, versionNumber: 1, checkRunId: 'AAAAAAAAAAAAAAAAAAAAAA' })).toBeNull();
    expect(await resolveShareLink(db.prisma, 'A'.repeat(32))).toBeNull();
    expect(await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 5, scenario: 's', options: {}, verdict: 'pass', stats: {} })).toBeNull();
  });

  it('deleting a model removes its runs and share links', async () => {
    const m = await createModel(db.prisma, { document: doc('short-lived') });
    const run = await recordCheckRun(db.prisma, { modelId: m.id, versionNumber: 1, scenario: 's', options: {}, verdict: 'pass', stats: {} });
    const link = await createShareLink(db.prisma, { modelId: m.id, versionNumber: 1, checkRunId: run!.id });
    await deleteModel(db.prisma, m.id);
    expect(await getCheckRun(db.prisma, run!.id)).toBeNull();
    expect(await resolveShareLink(db.prisma, link!.id)).toBeNull();
  });

  it('stores a trace as its moves only, queues its verification with it, and reads older full traces as moves', async () => {
    const m = await createModel(db.prisma, { document: doc('moves only') });
    const moves = Array.from({ length: 5000 }, (_, i) => i % 7);
    const run = await recordCheckRun(db.prisma, {
      modelId: m.id,
      versionNumber: 1,
      scenario: 's',
      options: {},
      verdict: 'violation',
      stats: {},
      trace: { moves, violation: { kind: 'deadlock', message: 'stuck' } },
      author: 'alice',
    });
    expect(run).toMatchObject({ author: 'alice', status: 'reported' });
    const raw = await db.prisma.checkRun.findUnique({ where: { id: run!.id }, select: { trace: true } });
    // 5,000 moves cost about 10 KB, not a state view per step.
    expect(JSON.stringify(raw!.trace).length).toBeLessThan(12_000);
    expect(Object.keys(raw!.trace as object).sort()).toEqual(['moves', 'violation']);
    const jobs = await db.prisma.job.findMany({ where: { checkRunId: run!.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'verify-run', status: 'queued', attempts: 0 });

    // Runs stored before this change kept `{ initial, steps: [{ move, state, … }], violation }`.
    expect(storedTrace({ initial: {}, steps: [{ move: 4, state: {} }, { move: 9, state: {} }], violation: { kind: 'invariant', message: 'x' } })).toEqual({
      moves: [4, 9],
      violation: { kind: 'invariant', message: 'x' },
    });
    expect(storedTrace(null)).toBeNull();
  });
});

