/**
 * Workspaces, members and invitations. Route handlers authorize first
 * (lib/server/authorize.ts); these then call the organization plugin
 * server-side with the caller's headers (it re-checks the same role table).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getAuth } from '@/lib/auth/server';
import { callAuth } from '@/lib/auth/call';
import { emailField, slugFor, workspaceNameField } from '@/lib/auth/account-input';
import { ROLES, type Role } from '@/lib/auth/roles';
import { appOrigin } from './origin';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues } from './http';
import type { Granted } from './authorize';
import { workspacesOf } from './workspaces';

const roleField = z.enum(ROLES, { message: `one of ${ROLES.join(', ')}` });

export const invitationUrl = (id: string) => `${appOrigin()}/invite/${id}`;

export async function listWorkspaces(granted: Granted): Promise<Response> {
  return json({ workspaces: await workspacesOf(granted.actor.userId) });
}

/** POST /api/workspaces `{ name }`: a new workspace the caller owns. */
export async function createWorkspace(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = z.object({ name: workspaceNameField }).strict().safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const auth = await getAuth();
  const { name } = parsed.data;
  const created = await callAuth(() =>
    auth.api.createOrganization({ body: { name, slug: slugFor(name, randomBytes(3).toString('hex')) }, headers: request.headers }),
  );
  if (!created.ok) return created.response;
  return json({ workspace: { id: created.value!.id, name, role: 'owner' } }, 201);
}

export async function deleteWorkspace(request: Request, id: string): Promise<Response> {
  const auth = await getAuth();
  const done = await callAuth(() => auth.api.deleteOrganization({ body: { organizationId: id }, headers: request.headers }));
  return done.ok ? new Response(null, { status: 204 }) : done.response;
}

/** Members with their roles; admins and owners also see the pending invitations and their links. */
export async function listMembers(id: string, granted: Granted, canManage: boolean): Promise<Response> {
  const db = await getDb();
  const workspace = await db.prisma.workspace.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      members: { select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: 'asc' } },
      invitations: canManage
        ? { where: { status: 'pending', expiresAt: { gt: new Date() } }, select: { id: true, email: true, role: true, expiresAt: true }, orderBy: { createdAt: 'asc' } }
        : false,
    },
  });
  if (!workspace) return notFound('workspace');
  return json({
    workspace: { id: workspace.id, name: workspace.name, role: granted.role },
    members: workspace.members.map((m) => ({ id: m.id, role: m.role, userId: m.user.id, name: m.user.name, email: m.user.email, joinedAt: m.createdAt.toISOString() })),
    invitations: (workspace.invitations ?? []).map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), url: invitationUrl(i.id) })),
  });
}

/** POST /api/workspaces/:id/invitations `{ email, role }` → 201 with the link the admin passes on. */
export async function createInvitation(request: Request, id: string, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = z.object({ email: emailField, role: roleField }).strict().safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  if (parsed.data.role === 'owner' && granted.role !== 'owner') return apiError(403, 'only an owner may invite another owner', [{ path: 'role', message: 'choose admin, editor or viewer' }]);
  const auth = await getAuth();
  const created = await callAuth(() =>
    auth.api.createInvitation({ body: { organizationId: id, email: parsed.data.email, role: parsed.data.role as Role, resend: true }, headers: request.headers }),
  );
  if (!created.ok) return created.response;
  const invitation = created.value as { id: string; email: string; role: string; expiresAt: Date };
  return json({ invitation: { id: invitation.id, email: invitation.email, role: invitation.role, expiresAt: new Date(invitation.expiresAt).toISOString(), url: invitationUrl(invitation.id) } }, 201);
}

export async function cancelInvitation(request: Request, workspaceId: string, invitationId: string): Promise<Response> {
  const db = await getDb();
  const found = await db.prisma.invitation.findFirst({ where: { id: invitationId, organizationId: workspaceId }, select: { id: true } });
  if (!found) return notFound('invitation');
  const auth = await getAuth();
  const done = await callAuth(() => auth.api.cancelInvitation({ body: { invitationId }, headers: request.headers }));
  return done.ok ? new Response(null, { status: 204 }) : done.response;
}

async function memberIn(workspaceId: string, memberId: string) {
  const db = await getDb();
  return db.prisma.member.findFirst({ where: { id: memberId, organizationId: workspaceId }, select: { id: true, role: true } });
}

/** PATCH /api/workspaces/:id/members/:memberId `{ role }`. */
export async function updateMember(request: Request, workspaceId: string, memberId: string, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = z.object({ role: roleField }).strict().safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const member = await memberIn(workspaceId, memberId);
  if (!member) return notFound('member');
  if ((member.role === 'owner' || parsed.data.role === 'owner') && granted.role !== 'owner') return apiError(403, 'only an owner may grant or change the owner role');
  const auth = await getAuth();
  const done = await callAuth(() =>
    auth.api.updateMemberRole({ body: { organizationId: workspaceId, memberId, role: parsed.data.role as Role }, headers: request.headers }),
  );
  return done.ok ? json({ member: { id: memberId, role: parsed.data.role } }) : done.response;
}

export async function removeMember(request: Request, workspaceId: string, memberId: string, granted: Granted): Promise<Response> {
  const member = await memberIn(workspaceId, memberId);
  if (!member) return notFound('member');
  if (member.role === 'owner' && granted.role !== 'owner') return apiError(403, 'only an owner may remove an owner');
  const auth = await getAuth();
  const done = await callAuth(() => auth.api.removeMember({ body: { organizationId: workspaceId, memberIdOrEmail: memberId }, headers: request.headers }));
  return done.ok ? new Response(null, { status: 204 }) : done.response;
}
