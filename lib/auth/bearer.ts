/**
 * Requests authenticated by an API token (`Authorization: Bearer lockstep_…`):
 * the token is verified by the api-key plugin (hash lookup, revoked or expired
 * → refused, last use stamped), and the request then acts as the token's
 * principal. Such a request is judged by its token alone: a cookie it also
 * carries is ignored, so a bad token is a 401 even beside a valid session.
 */
import type { Role } from './roles';
import { getAuth } from './server';
import { bearerToken, principalFromKey, SCOPE_ACTIONS, type TokenPrincipal } from './tokens';
import { getDb } from '@/lib/server/db';
import { workspacesOf, type MyWorkspace } from '@/lib/server/workspaces';

export const TOKEN_REJECTED = 'the API token is invalid, expired or revoked';

export function hasBearer(request: Request | Headers): boolean {
  return bearerToken(request instanceof Headers ? request : request.headers) !== null;
}

/** The token's principal with its account's name, or null when the token is missing, malformed, unknown, revoked or expired. */
export async function resolveTokenActor(headers: Headers): Promise<{ userId: string; name: string; email: string; token: TokenPrincipal } | null> {
  const key = bearerToken(headers);
  if (key === null || key === 'malformed') return null;
  const auth = await getAuth();
  const verified = (await auth.api.verifyApiKey({ body: { key } })) as { valid: boolean; key: Parameters<typeof principalFromKey>[0] | null };
  if (!verified.valid || !verified.key) return null;
  const token = principalFromKey(verified.key);
  if (!token) return null;
  const db = await getDb();
  const user = await db.prisma.user.findUnique({ where: { id: token.userId }, select: { name: true, email: true } });
  // A personal token dies with its account; a workspace token outlives its creator.
  if (!user && token.tokenKind === 'personal') return null;
  const who = user?.name || user?.email || 'a former member';
  return { userId: token.userId, name: `${who} (API token "${token.tokenName}")`, email: user?.email ?? '', token };
}

const OUT_OF_SCOPE = 'an API token may not do that: it lists and reads models, versions and exports (read scope) and saves versions (write scope)';

/**
 * Why a token may not do `action` at all, whatever the resource; null when its
 * scope allows it. The only account-level action in scope is listing models
 * (GET /api/models); the only change in scope is saving a version (model:write),
 * so a state-changing request authorised as anything else (copying a model,
 * creating one, posting a run) is refused.
 */
export function tokenRefusal(token: TokenPrincipal, action: string, request: Request | Headers): string | null {
  const method = request instanceof Request ? request.method.toUpperCase() : 'GET';
  const path = request instanceof Request ? new URL(request.url).pathname : '';
  const reading = method === 'GET' || method === 'HEAD';
  const allowed = SCOPE_ACTIONS[token.scope] as readonly string[];
  if (action === 'model:write') return allowed.includes('write') ? null : "this token's scope is read: saving versions needs a token with the write scope";
  if (!reading) return OUT_OF_SCOPE;
  if (action === 'account') return path === '/api/models' ? null : OUT_OF_SCOPE;
  if (action === 'model:read') return allowed.includes('read') ? null : OUT_OF_SCOPE;
  return OUT_OF_SCOPE;
}

/**
 * The role a workspace token acts with in `workspaceId`: its scope as a role
 * (read → viewer, write → editor) in its own workspace, null anywhere else.
 * Undefined for a personal token: its account's membership decides.
 */
export function workspaceTokenRole(token: TokenPrincipal | undefined, workspaceId: string): Role | null | undefined {
  if (!token || token.workspaceId === null) return undefined;
  if (token.workspaceId !== workspaceId) return null;
  return token.scope === 'write' ? 'editor' : 'viewer';
}

/** The workspaces a token-authenticated request sees: its account's for a personal token, its own for a workspace token. */
export async function tokenWorkspaces(actor: { userId: string; token?: TokenPrincipal }): Promise<MyWorkspace[]> {
  const token = actor.token;
  if (!token || token.workspaceId === null) return workspacesOf(actor.userId);
  const db = await getDb();
  const workspace = await db.prisma.workspace.findUnique({ where: { id: token.workspaceId }, select: { id: true, name: true, slug: true } });
  return workspace ? [{ ...workspace, role: workspaceTokenRole(token, workspace.id)! }] : [];
}
