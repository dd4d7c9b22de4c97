/**
 * Check runs and read-only share links over real HTTP, against the `next
 * start` servers `npm test` starts (SQLite and PostgreSQL):
 * LOCKSTEP_TEST_BASE_URLS. The browser computes a run; the server replays its
 * moves (bounded, in a worker) before storing it as *reported*, then its
 * background job verifies or refutes it; a share link answers only GET, says
 * what the server concluded, and carries no handle on the model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackDocument, attackRun } from '../../bench/worst-run.mjs';
import { apiSession } from '../helpers/api-session';
import { postedRun } from '../helpers/posted-run';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const NAIVE = 'naive-delete-vs-snapshot';

/** As the signed-in test administrator; share links are read with `anonymous`. */
async function call(base: string, url: string, init: RequestInit & { anonymous?: boolean } = {}) {
  const session = init.anonymous ? {} : (await apiSession(base)).headers;
  const response = await fetch(base + url, { ...init, headers: { 'content-type': 'application/json', ...session, ...(init.headers ?? {}) } });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body, text, headers: response.headers };
}
const post = (base: string, url: string, value: unknown) => call(base, url, { method: 'POST', body: JSON.stringify(value) });

const computedRun = (scenario: string) => postedRun(example, scenario);

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
    expect(stored.body.run).toMatchObject({ versionNumber: 1, scenario: NAIVE, verdict: 'violation', steps: run.moves.length, verification: { status: 'reported' } });

    const link = await post(base, '/api/share', { modelId: id, versionNumber: 1, runId: stored.body.run.id, step: 4 });
    expect(link.status).toBe(201);
    expect(link.body.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(link.body.url).toBe(`/share/${link.body.id}`);

    const shared = await call(base, `/api/share/${link.body.id}`, { anonymous: true });
    expect(shared.status).toBe(200);
    expect(shared.text).not.toContain(id);
    expect(shared.body.share).toMatchObject({ readOnly: true, versionNumber: 1, scenario: NAIVE, step: 4 });
    // The link stores moves, not states; the states come a page at a time.
    expect(shared.body.share.run.trace.moves).toEqual(run.moves);
    expect(shared.body.share.run.trace.violation).toMatchObject({ kind: 'invariant', name: 'no-snapshot-of-deleted-share' });
    expect(shared.body.share.run.stats.meetsExpectation).toBe(true);
    const page = await call(base, `/api/share/${link.body.id}/steps?from=2&count=3`, { anonymous: true });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ trace: 'reported', from: 2, total: run.moves.length, rejectedAt: null });
    expect(page.body.steps.map((s: any) => s.move)).toEqual(run.moves.slice(2, 5));
    expect(page.body.steps[0].state.instances.map((i: any) => i.name)).toEqual(['share1', 'snap1']);
    expect((await call(base, `/api/share/${link.body.id}/steps?from=-1`)).status).toBe(400);
    expect((await call(base, `/api/share/${link.body.id}/steps?count=51`)).status).toBe(400);
    expect((await call(base, `/api/share/${link.body.id}/steps?trace=mine`)).status).toBe(400);

    // The server's job replays it: verified.
    expect((await settled(base, `/api/models/${id}/versions/1/runs/${stored.body.run.id}`)).status).toBe('verified');
    expect((await call(base, `/api/share/${link.body.id}`, { anonymous: true })).body.share.run.verification).toMatchObject({ status: 'verified' });

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
    // The threads a search ended in: a count the page shows, not a free field.
    for (const threads of [0, 1.5, 257, '2']) {
      const bad = await post(base, runs, { ...good, stats: { ...good.stats, threads } });
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('stats.threads');
    }
    expect((await post(base, `/api/models/${id}/versions/9/runs`, good)).status).toBe(404);
    expect((await call(base, runs, { method: 'POST', body: '{' })).status).toBe(400);

    const pass = computedRun('fixed-delete-vs-snapshot');
    const stored = await post(base, runs, { ...pass, stats: { ...pass.stats, threads: 2 } });
    expect(stored.status).toBe(201);
    expect(stored.body.run.steps).toBe(0);
    expect((await call(base, `${runs}/${stored.body.run.id}`)).body.run.stats.threads).toBe(2);

    // A link must name a run of that same model version.
    const other = await newModel('other model');
    expect((await post(base, '/api/share', { modelId: other, versionNumber: 1, runId: stored.body.run.id })).status).toBe(404);
    expect((await post(base, '/api/share', { modelId: id, versionNumber: 1, runId: stored.body.run.id, scenario: NAIVE })).status).toBe(400);
    expect((await post(base, '/api/share', { modelId: id, versionNumber: 2 })).status).toBe(404);
  });

  it('refutes a forged PASS for a breaking scenario: the API and the share page say so, with the server trace', async () => {
    const id = await newModel('forged pass');
    const genuine = computedRun(NAIVE);
    const forged = { ...genuine, verdict: 'pass', violation: null, moves: [], stats: { ...genuine.stats, distinctStates: 99 } };
    const stored = await post(base, `/api/models/${id}/versions/1/runs`, forged);
    expect(stored.status).toBe(201);
    expect(stored.body.run.verification.status).toBe('reported');
    const v = await settled(base, `/api/models/${id}/versions/1/runs/${stored.body.run.id}`);
    expect(v.status).toBe('refuted');
    expect(v.reason).toBe('the run reported pass; the server found violation (invariant no-snapshot-of-deleted-share)');
    expect(v.server.moves).toEqual(genuine.moves);

    const link = await post(base, '/api/share', { modelId: id, versionNumber: 1, runId: stored.body.run.id });
    const shared = await call(base, `/api/share/${link.body.id}`, { anonymous: true });
    expect(shared.body.share.run).toMatchObject({ verdict: 'pass', verification: { status: 'refuted', server: { verdict: 'violation', length: genuine.moves.length } } });
    const steps = await call(base, `/api/share/${link.body.id}/steps?trace=server`, { anonymous: true });
    expect(steps.body.steps.map((s: any) => s.move)).toEqual(genuine.moves);

    const html = await (await fetch(`${base}/share/${link.body.id}`)).text();
    const top = html.indexOf('Refuted by the server');
    expect(top).toBeGreaterThan(-1);
    // Said before the model's name and the reported verdict, with the server's trace on the page.
    expect(top).toBeLessThan(html.indexOf('data-testid="shared-model-name"'));
    expect(html).toContain("The server&#x27;s trace");
    expect(html).toContain('data-trace="server"');
  });

  it('verifies a genuine PASS', async () => {
    const id = await newModel('genuine pass');
    const stored = await post(base, `/api/models/${id}/versions/1/runs`, computedRun('fixed-delete-vs-snapshot'));
    const v = await settled(base, `/api/models/${id}/versions/1/runs/${stored.body.run.id}`);
    expect(v).toMatchObject({ status: 'verified', reason: 'the server ran the same check and found pass over 17 distinct states' });
  });

  it('refuses a trace longer than any this check can produce, with 413 and the limit', async () => {
    const id = await newModel('long traces');
    const good = computedRun(NAIVE);
    const runs = `/api/models/${id}/versions/1/runs`;
    const deep = await post(base, runs, { ...good, options: { ...good.options, maxDepth: 5 } });
    expect(deep.status).toBe(413);
    expect(deep.body.error).toBe('the trace has 7 moves; a run of this check has at most 5 (its maxDepth option is 5)');
    expect(deep.body.issues[0].path).toBe('moves');

    // The issue's attack: ~100 KB model, ~600 KB run of 81,001 moves. Refused at once, and the server stays up.
    const created = await post(base, '/api/models', { document: attackDocument(1000, 80) });
    expect(created.status).toBe(201);
    const started = Date.now();
    const attack = await post(base, `/api/models/${created.body.model.id}/versions/1/runs`, attackRun(1000, 80));
    expect(attack.status).toBe(413);
    expect(attack.body.error).toBe('the trace has 81,001 moves; a run of this check has at most 10,000 (no stored trace is longer than 10,000 moves)');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await call(base, '/api/health')).status).toBe(200);

    // Shorter, but each move of 1,000 processes on 1,000 instances costs 2,000 units: at most 1,000 moves.
    const wide = await post(base, `/api/models/${created.body.model.id}/versions/1/runs`, attackRun(1000, 1));
    expect(wide.status).toBe(413);
    expect(wide.body.error).toBe('the trace has 2,001 moves; a run of this check has at most 1,000 (a scenario of 2,000 processes and instances may replay at most 2,000,000 process-moves)');
  });
});

/** Polls a run until the server's verification settles; returns it. */
async function settled(base: string, url: string, timeoutMs = 30_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(base, url);
    expect(r.status).toBe(200);
    if (r.body.run.verification.status !== 'reported') return r.body.run.verification;
    if (Date.now() > until) throw new Error(`still reported after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

