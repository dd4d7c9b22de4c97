/**
 * Invitation links over HTTP: who may use one, and that it works once.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, inviteMember, type ApiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

describe.skipIf(bases.length === 0).each(bases)('invitation links at %s', (base) => {
  let admin: ApiSession;
  let workspaceId = '';
  const tag = randomBytes(4).toString('hex');

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = { origin: base }) => {
    const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  const invite = async (email: string, role: string) => {
    const r = await send('POST', `/api/workspaces/${workspaceId}/invitations`, { email, role }, admin.headers);
    expect(r.status).toBe(201);
    expect(r.body.invitation.url).toBe(`${base}/invite/${r.body.invitation.id}`);
    return r.body.invitation.id as string;
  };

  beforeAll(async () => {
    admin = await apiSession(base);
    workspaceId = (await send('POST', '/api/workspaces', { name: `Invitations ${tag}` }, admin.headers)).body.workspace.id;
  });

  it('a new account joins with the invited role; the link then stops working', async () => {
    const id = await invite(`new-${tag}@lockstep.test`, 'editor');
    const weak = await send('POST', `/api/invitations/${id}/accept`, { name: 'New', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.issues).toEqual([{ path: 'password', message: 'at least 10 characters' }]);
    const joined = await send('POST', `/api/invitations/${id}/accept`, { name: 'New', password: 'new-password-1' });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ workspace: { id: workspaceId }, role: 'editor' });
    expect((await send('POST', `/api/invitations/${id}/accept`, { name: 'Again', password: 'again-password-1' })).status).toBe(404);
    const members = await (await fetch(`${base}/api/workspaces/${workspaceId}/members`, { headers: admin.headers })).json();
    expect(members.members.find((m: any) => m.email === `new-${tag}@lockstep.test`)).toMatchObject({ role: 'editor', name: 'New' });
  });

  it('an existing account must sign in as the invited email to accept', async () => {
    const other = await send('POST', '/api/workspaces', { name: `Other ${tag}` }, admin.headers);
    const existing = await inviteMember(base, admin, other.body.workspace.id, 'viewer', `existing-${tag}@lockstep.test`);
    const stranger = await inviteMember(base, admin, other.body.workspace.id, 'viewer', `stranger-${tag}@lockstep.test`);
    const id = await invite(`existing-${tag}@lockstep.test`, 'admin');
    // Anonymous: the account exists, so no new one is made with that email.
    expect((await send('POST', `/api/invitations/${id}/accept`, { name: 'Impostor', password: 'impostor-password' })).status).toBe(401);
    // Signed in as someone else: refused, and the invitation stays usable.
    expect((await send('POST', `/api/invitations/${id}/accept`, {}, stranger.headers)).status).toBe(403);
    const accepted = await send('POST', `/api/invitations/${id}/accept`, {}, existing.headers);
    expect(accepted.status).toBe(200);
    expect(accepted.body.role).toBe('admin');
    const mine = await (await fetch(`${base}/api/workspaces`, { headers: existing.headers })).json();
    expect(mine.workspaces.find((w: any) => w.id === workspaceId)).toMatchObject({ role: 'admin' });
  });

  it('a cancelled invitation cannot be used', async () => {
    const id = await invite(`cancelled-${tag}@lockstep.test`, 'viewer');
    expect((await send('DELETE', `/api/workspaces/${workspaceId}/invitations/${id}`, undefined, admin.headers)).status).toBe(204);
    expect((await send('POST', `/api/invitations/${id}/accept`, { name: 'Late', password: 'late-password-1' })).status).toBe(404);
    expect((await send('POST', '/api/invitations/not-a-real-invitation-id/accept', { name: 'X', password: 'x-password-12' })).status).toBe(404);
  });

  it('the organization endpoints of better-auth are not reachable from outside', async () => {
    const r = await send('POST', '/api/auth/organization/create', { name: 'Sneaky', slug: `sneaky-${tag}` }, admin.headers);
    expect(r.status).toBe(404);
    const list = await (await fetch(`${base}/api/workspaces`, { headers: admin.headers })).json();
    expect(list.workspaces.some((w: any) => w.name === 'Sneaky')).toBe(false);
  });
});
