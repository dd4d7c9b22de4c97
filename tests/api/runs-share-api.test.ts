/**
 * Check runs and read-only share links over real HTTP, against the `next
 * start` servers `npm test` starts (SQLite and PostgreSQL):
 * LOCKSTEP_TEST_BASE_URLS. The browser computes a run; the server replays its
 * moves through the step API before storing it; a share link answers only GET
 * and carries no handle on the model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '@/lib/model';
import { checkScenario } from '@/lib/check';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const NAIVE = 'naive-delete-vs-snapshot';

async function call(base: string, url: string, init: RequestInit = {}) {
  const response = await fetch(base + url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text, headers: response.headers };
}
const post = (base: string, url: string, value: unknown) => call(base, url, { method: 'POST', body: JSON.stringify(value) });

function computedRun(scenario: string) {
  const analyzed = analyzeModel(example);
  if (!analyzed.ok) throw new Error('example invalid');
  const r = checkScenario(analyzed.value, scenario);
  return {
    scenario,
    mode: 'exhaustive' as const,
    options: { symmetry: true, mergeLocalSteps: true },
    verdict: r.verdict,
    violation: r.violation,
    stats: { distinctStates: r.stats.distinctStates, transitions: r.stats.transitions, depth: r.stats.depth, queue: r.stats.queue, elapsedMs: r.stats.elapsedMs, statesPerSecond: r.stats.statesPerSecond },
    moves: r.trace?.steps.map((s) => s.move) ?? [],
  };
}

describe.skipIf(bases.length === 0).each(bases)('runs and share links at %s', (base) => {
  async function newModel(name: string): Promise<string> {
    const r = await post(base, '/api/models', { document: { ...example, name }, author: 'api-test' });
    expect(r.status).toBe(201);
    return r.body.model.id;
  }

  it('stores a run after replaying it, and shares it read-only at a step', async () => {
    const id = await newModel('runs api');
    const run = computedRun(NAIVE);
    const stored = await post(base, `/api/models/${id}/versions/1/runs`, run);
    expect(stored.status).toBe(201);
    expect(stored.body.run).toMatchObject({ versionNumber: 1, scenario: NAIVE, verdict: 'violation', steps: run.moves.length });

    const link = await post(base, '/api/share', { modelId: id, versionNumber: 1, runId: stored.body.run.id, step: 4 });
    expect(link.status).toBe(201);
    expect(link.body.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(link.body.url).toBe(`/share/${link.body.id}`);

    const shared = await call(base, `/api/share/${link.body.id}`);
    expect(shared.status).toBe(200);
    expect(shared.text).not.toContain(id);
    expect(shared.body.share).toMatchObject({ readOnly: true, versionNumber: 1, scenario: NAIVE, step: 4 });
    expect(shared.body.share.run.trace.steps.map((s: any) => s.move)).toEqual(run.moves);
    expect(shared.body.share.run.trace.violation).toMatchObject({ kind: 'invariant', name: 'no-snapshot-of-deleted-share' });
    expect(shared.body.share.run.stats.meetsExpectation).toBe(true);

    // The page for it renders; an unknown one is a 404 page.
    expect((await fetch(`${base}/share/${link.body.id}`)).status).toBe(200);
    expect((await fetch(`${base}/share/${'B'.repeat(32)}`)).status).toBe(404);
  });

  it('a share link answers only GET; its id is no handle on a model', async () => {
    const id = await newModel('read-only link');
    const link = await post(base, '/api/share', { modelId: id, versionNumber: 1, scenario: NAIVE });
    expect(link.status).toBe(201);
    const sid = link.body.id as string;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await call(base, `/api/share/${sid}`, { method, body: JSON.stringify({ document: example }) });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow')).toContain('GET');
    }
    expect((await post(base, `/api/models/${sid}/versions`, { baseVersion: 1, document: example })).status).toBe(404);
    expect((await post(base, `/api/models/${sid}/versions/1/runs`, computedRun(NAIVE))).status).toBe(404);
    expect((await call(base, `/api/models/${sid}`, { method: 'DELETE' })).status).toBe(404);
    const still = await call(base, `/api/share/${sid}`);
    expect(still.status).toBe(200);
    expect(still.body.share.run).toBeNull();
    expect((await call(base, `/api/models/${id}`)).body.model.headNumber).toBe(1);
    expect((await call(base, `/api/share/${'C'.repeat(32)}`)).status).toBe(404);
    expect((await call(base, '/api/share/not*an*id')).status).toBe(404);
  });

  it('refuses runs that do not replay, contradict themselves or name what does not exist', async () => {
    const id = await newModel('refused runs');
    const good = computedRun(NAIVE);
    const runs = `/api/models/${id}/versions/1/runs`;

    const notEnabled = await post(base, runs, { ...good, moves: [...good.moves.slice(0, 3), 0x7ffffff] });
    expect(notEnabled.status).toBe(422);
    expect(notEnabled.body.issues[0].path).toBe('moves[3]');

    const wrongKind = await post(base, runs, { ...good, violation: { kind: 'deadlock', message: 'no' } });
    expect(wrongKind.status).toBe(422);
    const tooShort = await post(base, runs, { ...good, moves: good.moves.slice(0, -1) });
    expect(tooShort.status).toBe(422);

    expect((await post(base, runs, { ...good, verdict: 'pass', violation: null })).status).toBe(400);
    expect((await post(base, runs, { ...good, verdict: 'incomplete', violation: null, moves: [] })).status).toBe(400);
    expect((await post(base, runs, { ...good, scenario: 'nope' })).status).toBe(400);
    expect((await post(base, runs, { ...good, extra: 1 })).status).toBe(400);
    expect((await post(base, `/api/models/${id}/versions/9/runs`, good)).status).toBe(404);
    expect((await call(base, runs, { method: 'POST', body: '{' })).status).toBe(400);

    const pass = computedRun('fixed-delete-vs-snapshot');
    const stored = await post(base, runs, pass);
    expect(stored.status).toBe(201);
    expect(stored.body.run.steps).toBe(0);

    // A link must name a run of that same model version.
    const other = await newModel('other model');
    expect((await post(base, '/api/share', { modelId: other, versionNumber: 1, runId: stored.body.run.id })).status).toBe(404);
    expect((await post(base, '/api/share', { modelId: id, versionNumber: 1, runId: stored.body.run.id, scenario: NAIVE })).status).toBe(400);
    expect((await post(base, '/api/share', { modelId: id, versionNumber: 2 })).status).toBe(404);
  });
});
