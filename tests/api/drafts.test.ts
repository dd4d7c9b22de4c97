/**
 * Drafts and saving versions over real HTTP, against the servers `npm test`
 * starts (SQLite and PostgreSQL): LOCKSTEP_TEST_BASE_URLS.
 *
 * A draft is one user's unsaved work on a model (GET/PUT/DELETE
 * /api/models/:id/draft); it never appears in the version history. Saving a
 * version on a stale base merges three-way: clean → saved; conflicts → 409
 * listing them, then the client's resolutions finish the save; merged but
 * invalid → 422 with the issues, nothing saved.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_LIST_ITEMS } from '@/lib/model/limits';
import { apiSession, callApi, inviteMember, type ApiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const SHARE = JSON.parse(readFileSync(new URL('../../examples/share-delete-vs-snapshot.json', import.meta.url), 'utf8'));
/** The share example; `operations[0]` is deleteShareNaive, `operations[1]` createSnapshotNaive. */
const share = (name: string) => ({ ...structuredClone(SHARE), name });

type Who = 'owner' | 'editor' | 'viewer' | 'outsider' | 'anonymous';

describe.skipIf(bases.length === 0).each(bases)('drafts at %s', (base) => {
  const sessions = {} as Record<Exclude<Who, 'anonymous'>, ApiSession>;
  let workspaceId = '';
  let exampleId = '';

  const call = (who: Who, method: string, path: string, body?: unknown, raw?: string) =>
    callApi(base, who === 'anonymous' ? null : sessions[who], method, path, body, raw);

  async function newModel(document: unknown): Promise<string> {
    const r = await call('owner', 'POST', '/api/models', { document, workspaceId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.model.id;
  }

  const versionNumbers = async (id: string) => (await call('owner', 'GET', `/api/models/${id}/versions`)).body.versions.map((v: any) => v.number);

  beforeAll(async () => {
    sessions.owner = await apiSession(base);
    const tag = randomBytes(4).toString('hex');
    const ws = await call('owner', 'POST', '/api/workspaces', { name: `Drafts ${tag}` });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    workspaceId = ws.body.workspace.id;
    sessions.editor = await inviteMember(base, sessions.owner, workspaceId, 'editor', `drafts-editor-${tag}@lockstep.test`);
    sessions.viewer = await inviteMember(base, sessions.owner, workspaceId, 'viewer', `drafts-viewer-${tag}@lockstep.test`);
    const other = await call('owner', 'POST', '/api/workspaces', { name: `Not drafts ${tag}` });
    sessions.outsider = await inviteMember(base, sessions.owner, other.body.workspace.id, 'editor', `drafts-outsider-${tag}@lockstep.test`);
    const list = await call('owner', 'GET', '/api/models');
    exampleId = list.body.models.find((m: any) => m.workspaceId === null)?.id;
    expect(exampleId, 'the shipped examples are seeded').toBeTruthy();
  }, 60_000);

  it('keeps one draft per user and model, invalid mid-edit, out of the version history', async () => {
    const id = await newModel(share('draft crud'));
    expect(await call('editor', 'GET', `/api/models/${id}/draft`)).toEqual({ status: 200, body: { draft: null } });

    // Half-edited: a condition naming a state that does not exist. A draft keeps it; a version would not.
    const halfDone = share('draft crud');
    halfDone.operations[0].steps[1].cond = 'status == "gone"';
    const put = await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: halfDone });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.draft).toMatchObject({ modelId: id, baseVersion: 1 });
    expect((await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: halfDone })).status).toBe(400);

    const got = await call('editor', 'GET', `/api/models/${id}/draft`);
    expect(got.body.draft.document.operations[0].steps[1].cond).toBe('status == "gone"');
    expect(got.body.draft.baseVersion).toBe(1);

    // Overwritten in place, never a new row in the history.
    const again = share('draft crud, renamed');
    const second = await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: again });
    expect(second.status).toBe(200);
    expect(Date.parse(second.body.draft.updatedAt)).toBeGreaterThanOrEqual(Date.parse(put.body.draft.updatedAt));
    expect(second.body.draft.createdAt).toBe(put.body.draft.createdAt);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft.document.name).toBe('draft crud, renamed');
    expect(await versionNumbers(id)).toEqual([1]);
    expect((await call('owner', 'GET', `/api/models/${id}`)).body.model.head.document.name).toBe('draft crud');

    expect((await call('editor', 'DELETE', `/api/models/${id}/draft`)).status).toBe(204);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body).toEqual({ draft: null });
    expect((await call('editor', 'DELETE', `/api/models/${id}/draft`)).status).toBe(204);
  });

  it('bounds a draft like a version: body size, shape limits, and a base that exists — each refusal names its path', async () => {
    const id = await newModel(share('draft bounds'));
    const put = (body: unknown) => call('editor', 'PUT', `/api/models/${id}/draft`, body);
    const issue = (r: { body: any }) => r.body.issues?.[0]?.path;

    const array = await put({ baseVersion: 1, document: [] });
    expect([array.status, issue(array)]).toEqual([400, 'document']);
    const missing = await put({ baseVersion: 1 });
    expect([missing.status, issue(missing)]).toEqual([400, 'document']);
    const future = await put({ baseVersion: 7, document: share('x') });
    expect([future.status, issue(future)]).toEqual([400, 'baseVersion']);
    expect(future.body.issues[0].message).toContain('there is no version 7');
    const text = await put({ baseVersion: '1', document: share('x') });
    expect([text.status, issue(text)]).toEqual([400, 'baseVersion']);
    const extra = await put({ baseVersion: 1, document: share('x'), author: 'me' });
    expect(extra.status).toBe(400);

    const long = share('x');
    long.invariants = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => 0);
    const tooLong = await put({ baseVersion: 1, document: long });
    expect([tooLong.status, issue(tooLong)]).toEqual([400, 'document.invariants']);

    const big = await call('editor', 'PUT', `/api/models/${id}/draft`, undefined, JSON.stringify({ baseVersion: 1, document: { name: 'x'.repeat(1024 * 1024) } }));
    expect(big.status).toBe(413);
    const malformed = await call('editor', 'PUT', `/api/models/${id}/draft`, undefined, '{"baseVersion": 1,');
    expect(malformed.status).toBe(400);

    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft).toBeNull();
  });

  it('is private to its author; viewers have none; outsiders and anonymous callers learn nothing', async () => {
    const id = await newModel(share('draft privacy'));
    const doc = share('editor only');
    expect((await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: doc })).status).toBe(200);
    // The owner (who may do everything else) does not see the editor's draft, and writing their own leaves it alone.
    expect((await call('owner', 'GET', `/api/models/${id}/draft`)).body).toEqual({ draft: null });
    expect((await call('owner', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: share('owner draft') })).status).toBe(200);
    expect((await call('owner', 'DELETE', `/api/models/${id}/draft`)).status).toBe(204);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft.document.name).toBe('editor only');

    for (const [who, status] of [['viewer', 403], ['outsider', 404], ['anonymous', 401]] as const) {
      expect((await call(who, 'GET', `/api/models/${id}/draft`)).status, `${who} GET`).toBe(status);
      expect((await call(who, 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: share(who) })).status, `${who} PUT`).toBe(status);
      expect((await call(who, 'DELETE', `/api/models/${id}/draft`)).status, `${who} DELETE`).toBe(status);
    }
    expect((await call('outsider', 'GET', `/api/models/${id}/draft`)).body.error).toBe('model not found');
    // The shipped examples are read-only for everyone: no drafts of them either.
    expect((await call('owner', 'PUT', `/api/models/${exampleId}/draft`, { baseVersion: 1, document: share('x') })).status).toBe(403);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft.document.name).toBe('editor only');
  });

  it('a save on a stale base merges edits of different operations: both land in the next version, the draft is gone', async () => {
    const id = await newModel(share('clean merge'));
    const alice = share('clean merge');
    alice.operations[0].steps[1].message = 'alice: share is busy';
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: alice, message: 'alice' })).status).toBe(201);

    const bob = share('clean merge');
    bob.operations[1].steps[0].label = 'bob-reads-status';
    expect((await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: bob })).status).toBe(200);
    const saved = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, message: 'bob' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.merged).toBe(true);
    expect(saved.body.mergedWith).toMatchObject({ number: 2, author: sessions.owner.user.name });
    expect(saved.body.version).toMatchObject({ number: 3, basedOn: 2, author: sessions.editor.user.name, message: 'bob' });

    const v3 = (await call('owner', 'GET', `/api/models/${id}/versions/3`)).body.version.document;
    expect(v3.operations[0].steps[1].message).toBe('alice: share is busy');
    expect(v3.operations[1].steps[0].label).toBe('bob-reads-status');
    expect(await versionNumbers(id)).toEqual([3, 2, 1]);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft).toBeNull();
  });

  it('a save on a stale base that edits the same step: 409 with each conflict and nothing saved; resolutions finish it', async () => {
    const id = await newModel(share('conflict'));
    const alice = share('conflict');
    alice.operations[0].steps[1].message = 'alice: busy';
    alice.operations[0].description = 'alice described it';
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: alice })).status).toBe(201);

    const bob = share('conflict');
    bob.operations[0].steps[1].message = 'bob: busy';
    bob.operations[1].steps[0].label = 'bob-label';
    expect((await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: bob })).status).toBe(200);
    const refused = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, message: 'bob' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.baseVersion).toBe(1);
    expect(refused.body.head).toMatchObject({ number: 2, author: sessions.owner.user.name });
    expect(refused.body.conflicts).toEqual([
      expect.objectContaining({ path: 'operations[0].steps[1].message', base: 'share is busy', head: 'alice: busy', draft: 'bob: busy' }),
    ]);
    const [conflict] = refused.body.conflicts;
    expect(conflict.where).toContain('deleteShareNaive');
    expect(refused.body.issues.map((i: any) => i.path)).toContain('operations[0].steps[1].message');
    expect(await versionNumbers(id)).toEqual([2, 1]);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft.document.operations[0].steps[1].message).toBe('bob: busy');

    // A resolution for a conflict id that is not the one asked about settles nothing.
    const wrongId = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, resolutions: { 'operations/nope': { pick: 'draft' } }, headVersion: 2 });
    expect(wrongId.status).toBe(409);
    const badPick = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, resolutions: { [conflict.id]: { pick: 'mine' } } });
    expect(badPick.status).toBe(400);
    expect(badPick.body.issues[0].path).toContain('resolutions');

    // Edit the value by hand: it lands, and so do the edits that merged by themselves.
    const resolved = await call('editor', 'POST', `/api/models/${id}/versions`, {
      baseVersion: 1,
      document: bob,
      message: 'bob, merged',
      resolutions: { [conflict.id]: { value: 'share is busy (alice + bob)' } },
      headVersion: 2,
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(201);
    expect(resolved.body).toMatchObject({ merged: true, mergedWith: { number: 2 }, version: { number: 3, basedOn: 2, message: 'bob, merged' } });
    const v3 = (await call('owner', 'GET', `/api/models/${id}/versions/3`)).body.version.document;
    expect(v3.operations[0].steps[1].message).toBe('share is busy (alice + bob)');
    expect(v3.operations[0].description).toBe('alice described it');
    expect(v3.operations[1].steps[0].label).toBe('bob-label');
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft).toBeNull();
  });

  it('resolutions made against one head are not applied to a newer one: the user is asked again', async () => {
    const id = await newModel(share('moving head'));
    const alice = share('moving head');
    alice.operations[0].steps[1].message = 'alice: busy';
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: alice })).status).toBe(201);
    const bob = share('moving head');
    bob.operations[0].steps[1].message = 'bob: busy';
    const first = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob });
    expect(first.status).toBe(409);
    const conflictId = first.body.conflicts[0].id;

    // Meanwhile Alice saves again, changing the same message.
    const alice2 = structuredClone(alice);
    alice2.operations[0].steps[1].message = 'alice: really busy';
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 2, document: alice2 })).status).toBe(201);

    const late = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, resolutions: { [conflictId]: { pick: 'head' } }, headVersion: 2 });
    expect(late.status).toBe(409);
    expect(late.body.head.number).toBe(3);
    expect(late.body.conflicts[0]).toMatchObject({ head: 'alice: really busy', draft: 'bob: busy' });
    expect(await versionNumbers(id)).toEqual([3, 2, 1]);

    const picked = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, resolutions: { [conflictId]: { pick: 'draft' } }, headVersion: 3 });
    expect(picked.status).toBe(201);
    expect((await call('owner', 'GET', `/api/models/${id}/versions/4`)).body.version.document.operations[0].steps[1].message).toBe('bob: busy');
  });

  it('a merge that is clean but invalid is refused with 422 and the issues; nothing is saved, the draft stays', async () => {
    const doc = {
      name: 'invalid merge',
      resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }, { name: 'busy', kind: 'stable' }], initial: 'available', transitions: [] }],
    };
    const id = await newModel(doc);
    // Alice removes the state "busy"; Bob, from version 1, makes it the initial state. Each is valid alone.
    const alice = structuredClone(doc);
    alice.resources[0].states.pop();
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: alice })).status).toBe(201);
    const bob = structuredClone(doc);
    bob.resources[0].initial = 'busy';
    expect((await call('editor', 'PUT', `/api/models/${id}/draft`, { baseVersion: 1, document: bob })).status).toBe(200);

    const refused = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, message: 'bob' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toContain('not a valid model');
    expect(refused.body.issues).toEqual([expect.objectContaining({ path: 'resources[0].initial', message: expect.stringContaining("unknown state 'busy'") })]);
    expect(refused.body.head.number).toBe(2);
    expect(refused.body.merged.resources[0]).toMatchObject({ initial: 'busy', states: [{ name: 'available' }] });
    expect(await versionNumbers(id)).toEqual([2, 1]);
    expect((await call('editor', 'GET', `/api/models/${id}/draft`)).body.draft.document.resources[0].initial).toBe('busy');
  });

  it('a rename on one side follows into what the other side added: the merge is saved with the new name', async () => {
    const doc = {
      name: 'rename merge',
      resources: [{ name: 'Share', states: [{ name: 'available', kind: 'stable' }, { name: 'busy', kind: 'stable' }], initial: 'available', transitions: [] as Array<{ from: string; to: string }> }],
    };
    const id = await newModel(doc);
    // Alice renames "busy" to "occupied"; Bob, from version 1, adds an edge into "busy".
    const alice = structuredClone(doc);
    alice.resources[0].states[1].name = 'occupied';
    expect((await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: alice })).status).toBe(201);
    const bob = structuredClone(doc);
    bob.resources[0].transitions.push({ from: 'available', to: 'busy' });

    const saved = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: bob, message: 'bob' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.merged).toBe(true);
    const v3 = await call('owner', 'GET', `/api/models/${id}/versions/3`);
    expect(v3.body.version.document.resources[0].states.map((s: any) => s.name)).toEqual(['available', 'occupied']);
    expect(v3.body.version.document.resources[0].transitions).toEqual([{ from: 'available', to: 'occupied' }]);
  });

  it('saving on the head needs no merge; the same edit made twice does not make an empty version', async () => {
    const id = await newModel(share('same edit'));
    const edit = share('same edit');
    edit.operations[0].steps[1].message = 'both: busy';
    const first = await call('owner', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: edit });
    expect(first.status).toBe(201);
    expect(first.body.merged).toBe(false);
    const twice = await call('editor', 'POST', `/api/models/${id}/versions`, { baseVersion: 1, document: edit });
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ merged: true, version: { number: 2 } });
    expect(await versionNumbers(id)).toEqual([2, 1]);
  });
});
