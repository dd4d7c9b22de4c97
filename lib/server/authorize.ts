/**
 * The one authorization decision: may this request do `action` to `resource`?
 * Every route handler and server component asks here, and nowhere else.
 *
 * - No account → 401 (pages turn it into the sign-in page).
 * - A model in a workspace the account is not a member of → 404: its existence is not disclosed.
 * - A shipped example (a model in no workspace) → readable and runnable by every account; writing or deleting it → 403.
 * - Otherwise the member's role decides, by the table in lib/auth/roles.ts.
 * - An API token (`Authorization: Bearer`, lib/auth/bearer.ts): invalid → 401; its
 *   scope caps the action (read: read models and exports; write: also save versions);
 *   a workspace token acts only in its workspace, as a viewer (read) or editor (write).
 */
import { resolveActor, type Actor } from '@/lib/auth/actor';
import { hasBearer, TOKEN_REJECTED, tokenRefusal, workspaceTokenRole } from '@/lib/auth/bearer';
import { isRole, roles, type Role } from '@/lib/auth/roles';
import { getDb } from './db';
import { apiError } from './http';
import { ID_PATTERN } from '@/lib/db/ids';

/** comment: write in review threads (viewer+); resolve: resolve threads (editor+); decide: approve / request changes (viewer+; the author rule is the review's, lib/server/reviews-api.ts). */
export type ModelAction = 'read' | 'run' | 'write' | 'delete' | 'comment' | 'resolve' | 'decide';
export type WorkspaceAction = 'read' | 'create-model' | 'manage-members' | 'delete';
export type Action = `model:${ModelAction}` | `workspace:${WorkspaceAction}` | 'account';

export type Resource =
  | { kind: 'model'; id: string }
  | { kind: 'workspace'; id: string }
  /** Anything every signed-in account may do (list models, create a workspace, the gallery). */
  | { kind: 'app' };

export interface Granted {
  ok: true;
  actor: Actor;
  /** The actor's role in the resource's workspace; null for the gallery and account-level actions. */
  role: Role | null;
  /** The resource's workspace (null: a shipped example, or an account-level action). */
  workspaceId: string | null;
}

export interface Denied {
  ok: false;
  status: 401 | 403 | 404;
  message: string;
  response: Response;
}

const deny = (status: 401 | 403 | 404, message: string): Denied => ({ ok: false, status, message, response: apiError(status, message) });

/** What each role may do to a workspace, expressed in the roles' access-control statements. */
const WORKSPACE_NEEDS: Record<WorkspaceAction, Parameters<(typeof roles)['viewer']['authorize']>[0]> = {
  read: { model: ['read'] },
  'create-model': { model: ['write'] },
  'manage-members': { member: ['update'] },
  delete: { organization: ['delete'] },
};

export function roleAllows(role: Role, action: Action): boolean {
  if (action === 'account') return true;
  const [kind, verb] = action.split(':') as ['model' | 'workspace', string];
  const needs = kind === 'model' ? { model: [verb as ModelAction] } : WORKSPACE_NEEDS[verb as WorkspaceAction];
  return roles[role].authorize(needs as never).success;
}

async function memberRole(userId: string, workspaceId: string): Promise<Role | null> {
  const db = await getDb();
  const member = await db.prisma.member.findUnique({ where: { organizationId_userId: { organizationId: workspaceId, userId } }, select: { role: true } });
  return member && isRole(member.role) ? member.role : null;
}

// A handler may authorize twice (signed in at all, then the workspace its body names): resolve the session once per request.
const actors = new WeakMap<object, Promise<Actor | null>>();

function actorOf(request: Request | Headers): Promise<Actor | null> {
  const headers = request instanceof Headers ? request : request.headers;
  let actor = actors.get(request);
  if (!actor) actors.set(request, (actor = resolveActor(headers)));
  return actor;
}

export async function authorize(request: Request | Headers, action: Action, resource: Resource): Promise<Granted | Denied> {
  const actor = await actorOf(request);
  if (!actor) return deny(401, hasBearer(request) ? TOKEN_REJECTED : 'sign in first');
  // API tokens (lib/auth/bearer.ts): the token's scope caps the action before anything else is looked at.
  const refusal = actor.token ? tokenRefusal(actor.token, action, request) : null;
  if (refusal) return deny(403, refusal);

  if (resource.kind === 'app') {
    return action === 'account' ? { ok: true, actor, role: null, workspaceId: null } : deny(403, 'not allowed');
  }

  let workspaceId: string | null;
  if (resource.kind === 'model') {
    if (!action.startsWith('model:')) return deny(403, 'not allowed');
    if (!ID_PATTERN.test(resource.id)) return deny(404, 'model not found');
    const db = await getDb();
    const model = await db.prisma.model.findUnique({ where: { id: resource.id }, select: { workspaceId: true } });
    if (!model) return deny(404, 'model not found');
    workspaceId = model.workspaceId;
    if (workspaceId === null) {
      // The gallery: every account reads and checks the examples; nobody changes them in place.
      return action === 'model:read' || action === 'model:run'
        ? { ok: true, actor, role: null, workspaceId: null }
        : deny(403, 'the shipped examples are read-only: use "Use as template" to copy one into your workspace');
    }
  } else {
    if (!action.startsWith('workspace:')) return deny(403, 'not allowed');
    workspaceId = resource.id;
  }

  // A workspace API token acts in its own workspace with its scope's role; anyone else by membership.
  const tokenRole = workspaceTokenRole(actor.token, workspaceId);
  const role = tokenRole !== undefined ? tokenRole : await memberRole(actor.userId, workspaceId);
  if (!role) return deny(404, resource.kind === 'model' ? 'model not found' : 'workspace not found');
  if (!roleAllows(role, action)) return deny(403, `a workspace ${role} may not ${describe(action)}`);
  return { ok: true, actor, role, workspaceId };
}

function describe(action: Action): string {
  switch (action) {
    case 'model:read': return 'read this model';
    case 'model:run': return 'check this model';
    case 'model:write': return 'save versions of this model';
    case 'model:delete': return 'delete this model';
    case 'model:comment': return 'comment on reviews of this model';
    case 'model:resolve': return 'resolve review threads';
    case 'model:decide': return 'approve or request changes';
    case 'workspace:read': return 'see this workspace';
    case 'workspace:create-model': return 'create models in this workspace';
    case 'workspace:manage-members': return 'manage members and invitations';
    case 'workspace:delete': return 'delete this workspace';
    default: return 'do that';
  }
}

/** Who a write is recorded as: the signed-in account (never a name the client sends). */
export function authorOf(granted: Granted): { author: string; authorId: string } {
  return { author: granted.actor.name || granted.actor.email, authorId: granted.actor.userId };
}
