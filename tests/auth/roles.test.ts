/**
 * The roles table over real HTTP (the servers `npm test` starts, SQLite and
 * PostgreSQL): for each role and each endpoint, the status a user gets.
 * "outsider" is an account that is not a member of the workspace; "anonymous"
 * has no session at all.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleDocument } from '../helpers/db';
import { apiSession, callApi, inviteMember, type ApiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const WHO = ['owner', 'admin', 'editor', 'viewer', 'outsider', 'anonymous'] as const;
type Who = (typeof WHO)[number];
type Row = Record<Who, number>;

/** Statuses by role: members read, editors write, admins delete and manage, owners delete the workspace. */
const READ: Row = { owner: 200, admin: 200, editor: 200, viewer: 200, outsider: 404, anonymous: 401 };
const CREATE: Row = { owner: 201, admin: 201, editor: 201, viewer: 403, outsider: 404, anonymous: 401 };
const DELETE: Row = { owner: 204, admin: 204, editor: 403, viewer: 403, outsider: 404, anonymous: 401 };
const MANAGE_CREATE: Row = { owner: 201, admin: 201, editor: 403, viewer: 403, outsider: 404, anonymous: 401 };
const MANAGE: Row = { owner: 200, admin: 200, editor: 403, viewer: 403, outsider: 404, anonymous: 401 };
const EVERY_ACCOUNT: Row = { owner: 200, admin: 200, editor: 200, viewer: 200, outsider: 200, anonymous: 401 };
const EXAMPLE_WRITE: Row = { owner: 403, admin: 403, editor: 403, viewer: 403, outsider: 403, anonymous: 401 };
const EXAMPLE_COPY: Row = { owner: 201, admin: 201, editor: 201, viewer: 403, outsider: 404, anonymous: 401 };

describe.skipIf(bases.length === 0).each(bases)('roles table at %s', (base) => {
  const sessions = {} as Record<Who, ApiSession>;
  let workspaceId = '';
  let editorMemberId = '';
  let exampleId = '';

  const call = (who: Who, method: string, path: string, body?: unknown) => callApi(base, who === 'anonymous' ? null : sessions[who], method, path, body);

  async function newModel(name: string): Promise<string> {
    const r = await call('owner', 'POST', '/api/models', { document: sampleDocument(name), workspaceId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.model.id;
  }

  /** Runs `request` once per role and compares every status with the row at once, so a failure shows the whole row. */
  async function expectRow(row: Row, request: (who: Who) => Promise<{ status: number }>) {
    const got = {} as Row;
    for (const who of WHO) got[who] = (await request(who)).status;
    expect(got).toEqual(row);
  }

  beforeAll(async () => {
    sessions.owner = await apiSession(base);
    const tag = randomBytes(4).toString('hex');
    const ws = await call('owner', 'POST', '/api/workspaces', { name: `Roles ${tag}` });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    workspaceId = ws.body.workspace.id;
    const other = await call('owner', 'POST', '/api/workspaces', { name: `Elsewhere ${tag}` });
    for (const role of ['admin', 'editor', 'viewer'] as const) {
      const member = await inviteMember(base, sessions.owner, workspaceId, role, `${role}-${tag}@lockstep.test`);
      sessions[role] = member;
      if (role === 'editor') editorMemberId = member.memberId;
    }
    sessions.outsider = await inviteMember(base, sessions.owner, other.body.workspace.id, 'viewer', `outsider-${tag}@lockstep.test`);
    const list = await call('owner', 'GET', '/api/models');
    exampleId = list.body.models.find((m: any) => m.workspaceId === null)?.id;
    expect(exampleId, 'the shipped examples are seeded').toBeTruthy();
  }, 60_000);

  it('lists models: every account, only its own workspaces and the examples', async () => {
    await expectRow(EVERY_ACCOUNT, (who) => call(who, 'GET', '/api/models'));
    const mine = await newModel('listed in roles workspace');
    const outsiderList = await call('outsider', 'GET', '/api/models');
    expect(outsiderList.body.models.map((m: any) => m.id)).not.toContain(mine);
    expect(outsiderList.body.models.some((m: any) => m.workspaceId === null)).toBe(true);
  });

  it('reads a model, its versions, exports and generated code', async () => {
    const id = await newModel('readable');
    for (const path of [`/api/models/${id}`, `/api/models/${id}/versions`, `/api/models/${id}/versions/1`, `/api/models/${id}/export`, `/api/models/${id}/export/code`, `/api/models/${id}/versions/1/export/code/states.ts`]) {
      await expectRow(READ, (who) => call(who, 'GET', path));
    }
  });

  it('creates and imports models in the workspace', async () => {
    await expectRow(CREATE, (who) => call(who, 'POST', '/api/models', { document: sampleDocument(`by ${who}`), workspaceId }));
    await expectRow(CREATE, (who) => call(who, 'POST', `/api/models/import?workspace=${workspaceId}`, sampleDocument(`imported by ${who}`)));
  });

  it('saves versions; the author is the signed-in account, never a free-text field', async () => {
    const id = await newModel('saved');
    let head = 1;
    await expectRow(CREATE, async (who) => {
      const r = await call(who, 'POST', `/api/models/${id}/versions`, { baseVersion: head, document: sampleDocument(`v by ${who}`), author: 'someone else' });
      if (r.status === 201) {
        head = r.body.version.number;
        expect(r.body.version.author).toBe(sessions[who].user.name);
      }
      return r;
    });
  });

  it('deletes models: admins and owners only', async () => {
    const ids = Object.fromEntries(await Promise.all(WHO.map(async (who) => [who, await newModel(`doomed ${who}`)] as const))) as Record<Who, string>;
    await expectRow(DELETE, (who) => call(who, 'DELETE', `/api/models/${ids[who]}`));
    // The refused deletes deleted nothing.
    for (const who of ['editor', 'viewer', 'outsider', 'anonymous'] as const) expect((await call('owner', 'GET', `/api/models/${ids[who]}`)).status).toBe(200);
  });

  it('copies a model into the workspace ("Use as template")', async () => {
    const id = await newModel('template source');
    await expectRow(CREATE, (who) => call(who, 'POST', `/api/models/${id}/copy`, { workspaceId }));
  });

  it('shipped examples: every account reads them, nobody changes them in place, editors copy them', async () => {
    await expectRow(EVERY_ACCOUNT, (who) => call(who, 'GET', `/api/models/${exampleId}`));
    await expectRow(EXAMPLE_WRITE, (who) => call(who, 'POST', `/api/models/${exampleId}/versions`, { baseVersion: 1, document: sampleDocument('defaced') }));
    await expectRow(EXAMPLE_WRITE, (who) => call(who, 'DELETE', `/api/models/${exampleId}`));
    await expectRow(EXAMPLE_COPY, (who) => call(who, 'POST', `/api/models/${exampleId}/copy`, { workspaceId }));
    expect((await call('owner', 'GET', `/api/models/${exampleId}`)).body.model.headNumber).toBe(1);
  });

  it('members and invitations: members see them, admins manage them', async () => {
    await expectRow(READ, (who) => call(who, 'GET', `/api/workspaces/${workspaceId}/members`));
    await expectRow(MANAGE_CREATE, (who) => call(who, 'POST', `/api/workspaces/${workspaceId}/invitations`, { email: `invited-by-${who}@lockstep.test`, role: 'viewer' }));
    await expectRow(MANAGE, (who) => call(who, 'PATCH', `/api/workspaces/${workspaceId}/members/${editorMemberId}`, { role: 'editor' }));
    // Only an owner may make an owner.
    expect((await call('admin', 'POST', `/api/workspaces/${workspaceId}/invitations`, { email: 'would-be-owner@lockstep.test', role: 'owner' })).status).toBe(403);
  });

  it('deletes the workspace: its owner only', async () => {
    const row: Row = { owner: 204, admin: 403, editor: 403, viewer: 403, outsider: 404, anonymous: 401 };
    const order: Who[] = ['anonymous', 'outsider', 'viewer', 'editor', 'admin', 'owner'];
    const got = {} as Row;
    for (const who of order) got[who] = (await call(who, 'DELETE', `/api/workspaces/${workspaceId}`)).status;
    expect(got).toEqual(row);
    expect((await call('owner', 'GET', `/api/workspaces/${workspaceId}/members`)).status).toBe(404);
  });

  it('first-run setup is closed once an account exists', async () => {
    const r = await call('anonymous', 'POST', '/api/setup', { name: 'Mallory', email: 'mallory@lockstep.test', password: 'mallory-password' });
    expect(r.status).toBe(404);
  });
});
