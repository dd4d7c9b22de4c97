/**
 * Design reviews over real HTTP, against the `next start` servers `npm test`
 * starts (SQLite and PostgreSQL): LOCKSTEP_TEST_BASE_URLS. Three accounts in
 * one workspace — the author (owner), a reviewer (editor) and a viewer — and
 * one outsider. The author saves a version with a race, opens a review; the
 * reviewer and the viewer comment on model elements and on a step of the
 * naive run's trace; the server checks every scenario itself (a job) and the
 * verdict diff names what moved; the author fixes it, threads follow their
 * anchors (current / changed / outdated), the reviewer approves.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, callApi, inviteMember, type ApiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const example = () => JSON.parse(readFileSync(path.join(process.cwd(), 'examples', 'share-delete-vs-snapshot.json'), 'utf8'));
const op = (doc: any, name: string) => doc.operations.find((o: any) => o.name === name);
const scenario = (doc: any, name: string) => doc.scenarios.find((s: any) => s.name === name);

/** v1: the example, with a lock to comment on. */
function good(name: string) {
  const doc = example();
  doc.name = name;
  doc.locks = [{ name: 'share-lock', key: 'Share', backend: 'etcd' }];
  return doc;
}
/** v2: fixed-two-deletes made naive — its deletes no longer cas, so its `expect: pass` fails. */
function racy(name: string) {
  const doc = good(name);
  for (const p of scenario(doc, 'fixed-two-deletes').processes) p.operation = 'deleteShareNaive';
  return doc;
}
/**
 * v3: the fix, plus two edits the threads notice: deleteShareNaive's
 * `mark-deleting` step removed, createSnapshotNaive's step 2 (`require`) reworded.
 */
function fixed(name: string) {
  const doc = good(name);
  op(doc, 'deleteShareNaive').steps = op(doc, 'deleteShareNaive').steps.filter((s: any) => s.label !== 'mark-deleting');
  op(doc, 'createSnapshotNaive').steps[1].message = 'the share is busy';
  return doc;
}

describe.skipIf(bases.length === 0).each(bases)('reviews at %s', (base) => {
  const tag = randomBytes(4).toString('hex');
  let author: ApiSession;
  let reviewer: ApiSession;
  let viewer: ApiSession;
  let outsider: ApiSession;
  let workspaceId = '';

  const call = (who: ApiSession | null, method: string, url: string, body?: unknown) => callApi(base, who, method, url, body);

  async function newModel(document: unknown, workspace = workspaceId): Promise<string> {
    const r = await call(author, 'POST', '/api/models', { document, workspaceId: workspace });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.model.id;
  }

  async function save(id: string, baseVersion: number, document: unknown): Promise<number> {
    const r = await call(author, 'POST', `/api/models/${id}/versions`, { baseVersion, document, message: `v${baseVersion + 1}` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.version.number;
  }

  /** The review once the server has a verdict for every scenario of both versions. */
  async function ready(id: string, number: number): Promise<any> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await call(author, 'GET', `/api/models/${id}/reviews/${number}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      if (r.body.verdictDiff.status === 'ready') return r.body;
      expect(r.body.verdictDiff.status).toBe('pending');
      if (Date.now() > deadline) throw new Error(`verdicts still pending: ${JSON.stringify(r.body.verdictDiff)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  const row = (detail: any, name: string) => detail.verdictDiff.rows.find((r: any) => r.scenario === name);
  const threadOf = (detail: any, id: string) => detail.threads.find((t: any) => t.id === id);

  beforeAll(async () => {
    author = await apiSession(base);
    const ws = await call(author, 'POST', '/api/workspaces', { name: `Reviews ${tag}` });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    workspaceId = ws.body.workspace.id;
    reviewer = await inviteMember(base, author, workspaceId, 'editor', `reviewer-${tag}@lockstep.test`);
    viewer = await inviteMember(base, author, workspaceId, 'viewer', `viewer-${tag}@lockstep.test`);
    const elsewhere = await call(author, 'POST', '/api/workspaces', { name: `Elsewhere ${tag}` });
    outsider = await inviteMember(base, author, elsewhere.body.workspace.id, 'editor', `outsider-${tag}@lockstep.test`);
  }, 120_000);

  it('runs a whole review: verdicts, threads on every anchor, a fix, decisions, approval', async () => {
    const id = await newModel(good('review flow'));
    expect(await save(id, 1, racy('review flow'))).toBe(2);

    // Opened on v2 with no base given: the previous version (nothing approved yet).
    const opened = await call(author, 'POST', `/api/models/${id}/reviews`, { version: 2, title: 'Two deletes without cas', description: 'Simpler delete path' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.review).toMatchObject({ number: 1, versionNumber: 2, baseNumber: 1, status: 'open', outcome: null, author: author.user.name });

    // The server checks both versions itself; the regression is named.
    let detail = await ready(id, 1);
    expect(row(detail, 'fixed-two-deletes')).toMatchObject({
      changes: ['pass → violation (illegal-transition)'],
      regressed: true,
      before: { verdict: 'pass', verification: 'verified', meetsExpectation: true },
      after: { verdict: 'violation', kind: 'illegal-transition', verification: 'verified', meetsExpectation: false },
    });
    expect(row(detail, 'naive-two-deletes')).toMatchObject({ changes: [], regressed: false });
    expect(detail.verdictDiff.rows).toHaveLength(7);
    expect(detail.structuralDiff.some((e: any) => e.area === 'scenario' && e.kind === 'changed')).toBe(true);
    expect(detail.permissions).toMatchObject({ isAuthor: true, decide: false, comment: true, resolve: true });
    const naiveRun = row(detail, 'fixed-two-deletes').after;
    expect(naiveRun.runId).toEqual(expect.any(String));
    expect(naiveRun.traceLength).toBeGreaterThanOrEqual(5);

    // Threads on each kind of anchor, by the reviewer and by the viewer.
    const anchors = {
      model: { kind: 'model' },
      state: { kind: 'state', resource: 'Share', state: 'deleting' },
      transition: { kind: 'transition', resource: 'Share', from: 'available', to: 'deleting' },
      removedStep: { kind: 'step', operation: 'deleteShareNaive', path: [4] },
      editedStep: { kind: 'step', operation: 'createSnapshotNaive', path: [1] },
      lock: { kind: 'lock', lock: 'share-lock' },
      invariant: { kind: 'invariant', invariant: 'no-snapshot-of-deleted-share' },
      scenario: { kind: 'scenario', scenario: 'fixed-two-deletes' },
      traceStep: { kind: 'trace-step', runId: naiveRun.runId, scenario: 'fixed-two-deletes', step: 5 },
    } as const;
    const threads: Record<string, string> = {};
    for (const [key, anchor] of Object.entries(anchors)) {
      const who = key === 'lock' ? viewer : reviewer;
      const r = await call(who, 'POST', `/api/models/${id}/reviews/1/threads`, { anchor, body: `about the ${key}` });
      expect(r.status, `${key}: ${JSON.stringify(r.body)}`).toBe(201);
      expect(r.body.thread).toMatchObject({ versionNumber: 2, anchorStatus: 'current', resolved: false, comments: [{ body: `about the ${key}` }] });
      threads[key] = r.body.thread.id;
    }
    detail = await ready(id, 1);
    // The step's own label is kept so the thread can follow it.
    expect(threadOf(detail, threads.removedStep).anchor).toEqual({ kind: 'step', operation: 'deleteShareNaive', path: [4], label: 'mark-deleting' });
    expect(threadOf(detail, threads.traceStep).anchorLabel).toBe('trace step 5 of fixed-two-deletes');
    expect(threadOf(detail, threads.traceStep).runVersionNumber).toBe(2);
    expect(threadOf(detail, threads.lock).author).toBe('viewer user');

    // A reply; text round-trips exactly.
    const text = 'Both deletes pass the check — naïve “status” read 🚀\n\tthen both call the driver.';
    const reply = await call(author, 'POST', `/api/models/${id}/reviews/1/threads/${threads.traceStep}/comments`, { body: text });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.comment.body).toBe(text);

    // One thread shared read-only: the link shows it in its anchor's context, without the model's id.
    const link = await call(viewer, 'POST', '/api/share', { modelId: id, versionNumber: 2, runId: naiveRun.runId, step: 5, threadId: threads.traceStep });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const shared = await call(null, 'GET', `/api/share/${link.body.id}`);
    expect(shared.status).toBe(200);
    expect(JSON.stringify(shared.body)).not.toContain(id);
    expect(shared.body.share).toMatchObject({
      versionNumber: 2,
      step: 5,
      scenario: 'fixed-two-deletes',
      thread: { reviewNumber: 1, reviewTitle: 'Two deletes without cas', anchor: anchors.traceStep, anchorLabel: 'trace step 5 of fixed-two-deletes', comments: [{ body: 'about the traceStep' }, { body: text }] },
    });
    const otherModel = await newModel(good('elsewhere'));
    expect((await call(author, 'POST', '/api/share', { modelId: otherModel, versionNumber: 1, threadId: threads.traceStep })).status).toBe(404);

    // The reviewer requests changes; the author fixes it and moves the review to v3.
    const request = await call(reviewer, 'POST', `/api/models/${id}/reviews/1/decisions`, { decision: 'request-changes', body: 'Use a cas' });
    expect(request.status, JSON.stringify(request.body)).toBe(201);
    expect(request.body.review.outcome).toBe('changes-requested');
    expect(await save(id, 2, fixed('review flow'))).toBe(3);
    const moved = await call(author, 'PATCH', `/api/models/${id}/reviews/1`, { version: 3 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.review).toMatchObject({ versionNumber: 3, baseNumber: 1, outcome: null });

    detail = await ready(id, 1);
    expect(row(detail, 'fixed-two-deletes')).toMatchObject({ changes: [], regressed: false, after: { verdict: 'pass' } });
    const status = Object.fromEntries(Object.entries(threads).map(([key, tid]) => [key, threadOf(detail, tid).anchorStatus]));
    expect(status).toEqual({
      model: 'current',
      state: 'current',
      transition: 'current',
      removedStep: 'outdated',
      editedStep: 'changed',
      lock: 'current',
      invariant: 'current',
      scenario: 'changed',
      traceStep: 'outdated',
    });
    // Outdated, still readable: the thread, its anchor and both comments.
    expect(threadOf(detail, threads.traceStep)).toMatchObject({
      versionNumber: 2,
      anchor: anchors.traceStep,
      runVersionNumber: 2,
      comments: [{ body: 'about the traceStep' }, { body: text }],
    });
    expect(detail.decisions).toMatchObject([{ decision: 'request-changes', versionNumber: 2, current: false }]);

    // Roles: the viewer comments but cannot resolve; the reviewer (editor) resolves; the author cannot approve.
    expect((await call(viewer, 'POST', `/api/models/${id}/reviews/1/threads/${threads.state}/comments`, { body: 'agreed' })).status).toBe(201);
    expect((await call(viewer, 'PATCH', `/api/models/${id}/reviews/1/threads/${threads.state}`, { resolved: true })).status).toBe(403);
    const resolved = await call(reviewer, 'PATCH', `/api/models/${id}/reviews/1/threads/${threads.state}`, { resolved: true });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.thread).toMatchObject({ resolved: true, resolvedBy: 'editor user' });
    const own = await call(author, 'POST', `/api/models/${id}/reviews/1/decisions`, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.error).toContain('author');
    expect((await call(viewer, 'PATCH', `/api/models/${id}/reviews/1`, { title: 'x' })).status).toBe(403);
    expect((await call(outsider, 'GET', `/api/models/${id}/reviews/1`)).status).toBe(404);
    expect((await call(outsider, 'POST', `/api/models/${id}/reviews/1/threads`, { anchor: { kind: 'model' }, body: 'hi' })).status).toBe(404);
    expect((await call(null, 'GET', `/api/models/${id}/reviews`)).status).toBe(401);

    // The reviewer approves v3: the model's latest approved version.
    const approve = await call(reviewer, 'POST', `/api/models/${id}/reviews/1/decisions`, { decision: 'approve', body: 'cas fixes it' });
    expect(approve.status, JSON.stringify(approve.body)).toBe(201);
    expect(approve.body.review.outcome).toBe('approved');
    const list = await call(viewer, 'GET', `/api/models/${id}/reviews`);
    expect(list.status).toBe(200);
    expect(list.body.approved).toMatchObject({ versionNumber: 3, reviewNumber: 1, approvedAt: expect.any(String) });
    expect(list.body.reviews).toMatchObject([{ number: 1, outcome: 'approved', threadCount: 9, unresolvedThreadCount: 8 }]);

    // The next review's default base is the approved version, not the previous one.
    expect(await save(id, 3, racy('review flow'))).toBe(4);
    expect(await save(id, 4, fixed('review flow'))).toBe(5);
    const next = await call(author, 'POST', `/api/models/${id}/reviews`, { version: 5, title: 'Next' });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.review).toMatchObject({ number: 2, baseNumber: 3 });

    // The fix reviewed against the racy version: "violation → pass", verified.
    const fixReview = await call(author, 'POST', `/api/models/${id}/reviews`, { version: 3, baseVersion: 2, title: 'The cas fix' });
    expect(fixReview.status, JSON.stringify(fixReview.body)).toBe(201);
    const fix = await ready(id, fixReview.body.review.number);
    expect(row(fix, 'fixed-two-deletes')).toMatchObject({
      changes: ['violation → pass'],
      regressed: false,
      before: { verdict: 'violation', verification: 'verified' },
      after: { verdict: 'pass', verification: 'verified', meetsExpectation: true },
    });
    // The runs were reused, not checked again: the same run ids as in review 1.
    expect(row(fix, 'fixed-two-deletes').before.runId).toBe(naiveRun.runId);
  });

  it('refuses bad input with the path named, and writes to a closed review', async () => {
    const id = await newModel(good('review input'));
    const bad = async (body: unknown, pathName: string) => {
      const r = await call(author, 'POST', `/api/models/${id}/reviews`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.issues.map((i: any) => i.path)).toContain(pathName);
    };
    await bad({ version: 2, title: 't' }, 'version');
    await bad({ version: 1, baseVersion: 1, title: 't' }, 'baseVersion');
    await bad({ version: 1, title: '   ' }, 'title');
    await bad({ version: 1, title: 't', extra: 1 }, '');
    const opened = await call(author, 'POST', `/api/models/${id}/reviews`, { version: 1, title: 'First version' });
    expect(opened.status).toBe(201);
    expect(opened.body.review.baseNumber).toBeNull();

    const thread = (anchor: unknown, body: unknown = 'x') => call(reviewer, 'POST', `/api/models/${id}/reviews/1/threads`, { anchor, body });
    let r = await thread({ kind: 'state', resource: 'Share', state: 'gone' });
    expect(r.status).toBe(400);
    expect(r.body.issues[0]).toMatchObject({ path: 'anchor', message: "not in version 1: resource 'Share' has no state 'gone'" });
    r = await thread({ kind: 'step', operation: 'deleteShare', path: [0, 'then'] });
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('anchor.path');
    r = await thread({ kind: 'trace-step', runId: 'A'.repeat(22), scenario: 'naive-two-deletes', step: 1 });
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('anchor.runId');
    r = await thread({ kind: 'model' }, 'x'.repeat(10_001));
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('body');
    expect((await thread({ kind: 'model' }, 'x'.repeat(10_000))).status).toBe(201);
    // Text PostgreSQL cannot store is refused on both databases.
    const nul = await fetch(`${base}/api/models/${id}/reviews/1/threads`, {
      method: 'POST',
      headers: { ...reviewer.headers, 'content-type': 'application/json' },
      body: '{"anchor":{"kind":"model"},"body":"a\\u0000b"}',
    });
    expect(nul.status).toBe(400);

    expect((await call(author, 'GET', `/api/models/${id}/reviews/abc`)).status).toBe(400);
    expect((await call(author, 'GET', `/api/models/${id}/reviews/99`)).status).toBe(404);
    expect((await call(author, 'GET', `/api/models/${id}/reviews/1/threads`)).status).toBe(405);
    // Checking the versions again: any member who may run checks; bad numbers named; an outsider sees nothing.
    const again = await call(viewer, 'POST', `/api/models/${id}/reviews/1/verdicts`, {});
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(typeof again.body.queued).toBe('boolean');
    expect((await call(author, 'POST', `/api/models/${id}/reviews/abc/verdicts`, {})).status).toBe(400);
    expect((await call(author, 'POST', `/api/models/${id}/reviews/99/verdicts`, {})).status).toBe(404);
    expect((await call(outsider, 'POST', `/api/models/${id}/reviews/1/verdicts`, {})).status).toBe(404);
    expect((await call(null, 'POST', `/api/models/${id}/reviews/1/verdicts`, {})).status).toBe(401);

    const closed = await call(author, 'PATCH', `/api/models/${id}/reviews/1`, { status: 'closed' });
    expect(closed.body.review.status).toBe('closed');
    expect((await thread({ kind: 'model' })).status).toBe(409);
    expect((await call(reviewer, 'POST', `/api/models/${id}/reviews/1/decisions`, { decision: 'approve' })).status).toBe(409);
    expect((await call(author, 'PATCH', `/api/models/${id}/reviews/1`, { status: 'open' })).body.review.status).toBe('open');
    expect((await thread({ kind: 'model' })).status).toBe(201);
  });

  it('lets the author decide when they are the only member', async () => {
    const ws = await call(author, 'POST', '/api/workspaces', { name: `Solo ${tag}` });
    const id = await newModel(good('solo'), ws.body.workspace.id);
    expect((await call(author, 'POST', `/api/models/${id}/reviews`, { version: 1, title: 'Solo' })).status).toBe(201);
    const approve = await call(author, 'POST', `/api/models/${id}/reviews/1/decisions`, { decision: 'approve' });
    expect(approve.status, JSON.stringify(approve.body)).toBe(201);
    expect((await call(author, 'GET', `/api/models/${id}/reviews`)).body.approved).toMatchObject({ versionNumber: 1, reviewNumber: 1 });
  });
});
