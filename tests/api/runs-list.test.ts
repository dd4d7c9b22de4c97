/**
 * GET /api/models/:id/versions/:n/runs: the stored runs of a version, newest
 * first, with who, when, verdict, verification and options — what the check
 * page lists and reopens — readable only by those who may read the model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSession, callApi } from '../helpers/api-session';
import { postedRun } from '../helpers/posted-run';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const example = JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const NAIVE = 'naive-delete-vs-snapshot';
const FIXED = 'fixed-delete-vs-snapshot';

describe.skipIf(bases.length === 0).each(bases)('the runs list at %s', (base) => {
  it('lists a version’s runs newest first, filters by scenario, and keeps the trace to reopen', async () => {
    const owner = await apiSession(base);
    const created = await callApi(base, owner, 'POST', '/api/models', { document: { ...example, name: 'runs list' } });
    expect(created.status).toBe(201);
    const id = created.body.model.id as string;
    const runs = `/api/models/${id}/versions/1/runs`;

    const empty = await callApi(base, owner, 'GET', runs);
    expect(empty.status).toBe(200);
    expect(empty.body.runs).toEqual([]);

    const naive = postedRun(example, NAIVE);
    const first = await callApi(base, owner, 'POST', runs, naive);
    expect(first.status).toBe(201);
    const second = await callApi(base, owner, 'POST', runs, postedRun(example, FIXED));
    expect(second.status).toBe(201);

    const all = await callApi(base, owner, 'GET', runs);
    expect(all.status).toBe(200);
    expect(all.body.runs.map((r: any) => r.id)).toEqual([second.body.run.id, first.body.run.id]);
    const [fixed, broken] = all.body.runs;
    expect(fixed).toMatchObject({ scenario: FIXED, verdict: 'pass', versionNumber: 1, author: owner.user.name, options: { symmetry: true, mergeLocalSteps: true }, trace: null });
    expect(broken).toMatchObject({ scenario: NAIVE, verdict: 'violation', steps: naive.moves.length, trace: { moves: naive.moves } });
    expect(['reported', 'verified']).toContain(broken.verification.status);
    expect(Date.parse(broken.createdAt)).toBeGreaterThan(Date.now() - 10 * 60_000);

    const one = await callApi(base, owner, 'GET', `${runs}?scenario=${NAIVE}`);
    expect(one.body.runs.map((r: any) => r.id)).toEqual([first.body.run.id]);
    expect((await callApi(base, owner, 'GET', `${runs}?scenario=nope`)).body.runs).toEqual([]);
  });

  it('answers 404 for an unknown version or model, 400 naming a bad segment or filter, and not to strangers', async () => {
    const owner = await apiSession(base);
    const created = await callApi(base, owner, 'POST', '/api/models', { document: { ...example, name: 'runs list errors' } });
    const id = created.body.model.id as string;
    expect((await callApi(base, owner, 'GET', `/api/models/${id}/versions/9/runs`)).status).toBe(404);
    expect((await callApi(base, owner, 'GET', `/api/models/${'x'.repeat(20)}/versions/1/runs`)).status).toBe(404);
    const bad = await callApi(base, owner, 'GET', `/api/models/${id}/versions/abc/runs`);
    expect(bad.status).toBe(400);
    const filter = await callApi(base, owner, 'GET', `/api/models/${id}/versions/1/runs?scenario=`);
    expect(filter.status).toBe(400);
    expect(filter.body.issues[0].path).toBe('?scenario');
    const stranger = await callApi(base, null, 'GET', `/api/models/${id}/versions/1/runs`);
    expect([401, 403, 404]).toContain(stranger.status);
  });
});
