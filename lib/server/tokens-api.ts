/**
 * Managing API tokens over HTTP (signed-in accounts only; a token never
 * manages tokens):
 *
 *   GET    /api/tokens        the audit list: your personal tokens and the tokens
 *                             of the workspaces you administer, revoked ones included
 *   POST   /api/tokens        `{ name, scope: "read"|"write", workspaceId?, expiresInDays? }`
 *                             → 201 `{ token, secret }`: the secret is shown this once
 *   DELETE /api/tokens/:id    revoke → 200 `{ token }` (kept in the list as revoked)
 *
 * The token is created by the api-key plugin (which stores only its hash);
 * the list and revocation read and write the plugin's table directly, so a
 * revoked token keeps its row for the audit list.
 */
import { z } from 'zod';
import { getAuth } from '@/lib/auth/server';
import { callAuth } from '@/lib/auth/call';
import { isRole, roles, type Role } from '@/lib/auth/roles';
import { parseMetadata, PERSONAL_CONFIG, scopeFromPermissions, scopePermissions, TOKEN_SCOPES, WORKSPACE_CONFIG, type TokenMetadata, type TokenScope } from '@/lib/auth/tokens';
import { ID_PATTERN } from '@/lib/db/ids';
import type { Granted } from './authorize';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues } from './http';
import { workspacesOf } from './workspaces';
import type { TokenView } from '@/lib/transport/workspaces';

export type { TokenView } from '@/lib/transport/workspaces';

const SELECT = {
  id: true,
  configId: true,
  name: true,
  start: true,
  referenceId: true,
  enabled: true,
  expiresAt: true,
  createdAt: true,
  lastRequest: true,
  permissions: true,
  metadata: true,
} as const;

type Row = {
  id: string;
  configId: string;
  name: string | null;
  start: string | null;
  referenceId: string;
  enabled: boolean | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastRequest: Date | null;
  permissions: string | null;
  metadata: string | null;
};

function view(row: Row, workspaceNames: Map<string, string>, now = Date.now()): TokenView {
  const meta = parseMetadata(row.metadata);
  const workspace = row.configId === WORKSPACE_CONFIG ? { id: row.referenceId, name: workspaceNames.get(row.referenceId) ?? '(deleted workspace)' } : null;
  let scope: TokenScope | null = null;
  try {
    scope = scopeFromPermissions(row.permissions ? JSON.parse(row.permissions) : null);
  } catch {}
  return {
    id: row.id,
    name: row.name ?? '',
    start: row.start ?? '',
    kind: workspace ? 'workspace' : 'personal',
    workspace,
    scope,
    status: row.enabled === false ? 'revoked' : row.expiresAt && row.expiresAt.getTime() < now ? 'expired' : 'active',
    createdAt: row.createdAt.toISOString(),
    createdBy: meta.createdByName ?? '',
    lastUsedAt: row.lastRequest?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: meta.revokedAt ?? null,
    revokedBy: meta.revokedByName ?? null,
  };
}

const mayManage = (role: Role | null) => role !== null && roles[role].authorize({ apiKey: ['create'] }).success;

/** The workspaces whose tokens this account manages (admins and owners), id → name. */
async function managedWorkspaces(userId: string): Promise<Map<string, string>> {
  return new Map((await workspacesOf(userId)).filter((w) => mayManage(w.role)).map((w) => [w.id, w.name]));
}

/** GET /api/tokens */
export async function listTokens(granted: Granted): Promise<Response> {
  const me = granted.actor.userId;
  const managed = await managedWorkspaces(me);
  const db = await getDb();
  const rows = await db.prisma.apiToken.findMany({
    where: {
      OR: [
        { configId: PERSONAL_CONFIG, referenceId: me },
        { configId: WORKSPACE_CONFIG, referenceId: { in: [...managed.keys()] } },
      ],
    },
    select: SELECT,
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return json({ tokens: rows.map((r) => view(r, managed)), workspaces: [...managed].map(([id, name]) => ({ id, name })) });
}

const createSchema = z
  .object({
    name: z.string().trim().min(1, 'name the token (e.g. the build that uses it)').max(100, 'at most 100 characters'),
    scope: z.enum(TOKEN_SCOPES, { message: 'must be "read" or "write"' }),
    workspaceId: z.string().min(1).max(64).optional(),
    expiresInDays: z.number().int('must be a whole number of days').min(1, 'at least 1 day').max(366, 'at most 366 days').optional(),
  })
  .strict();

/** POST /api/tokens */
export async function createToken(request: Request, granted: Granted): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = createSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  const me = granted.actor;

  let workspaceName: string | null = null;
  if (input.workspaceId !== undefined) {
    const mine = (await workspacesOf(me.userId)).find((w) => w.id === input.workspaceId);
    if (!mine) return apiError(404, 'workspace not found', [{ path: 'workspaceId', message: 'not a workspace you belong to' }]);
    if (!mayManage(isRole(mine.role) ? mine.role : null)) {
      return apiError(403, `a workspace ${mine.role} may not create its API tokens: ask an admin`, [{ path: 'workspaceId', message: 'admins and owners manage workspace tokens' }]);
    }
    workspaceName = mine.name;
  }

  const metadata: TokenMetadata = { createdBy: me.userId, createdByName: me.name || me.email };
  const auth = await getAuth();
  // Server-side (no request headers): the scope is a server-only property of the plugin.
  const created = await callAuth(() =>
    auth.api.createApiKey({
      body: {
        configId: input.workspaceId ? WORKSPACE_CONFIG : PERSONAL_CONFIG,
        name: input.name,
        userId: me.userId,
        organizationId: input.workspaceId,
        permissions: scopePermissions(input.scope),
        metadata,
        expiresIn: input.expiresInDays ? input.expiresInDays * 24 * 60 * 60 : null,
      },
    }),
  );
  if (!created.ok) return created.response;
  const db = await getDb();
  const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.value.id }, select: SELECT });
  const names = new Map(input.workspaceId && workspaceName ? [[input.workspaceId, workspaceName]] : []);
  return json({ token: view(row, names), secret: created.value.key }, 201, { location: `/api/tokens/${row.id}` });
}

/** DELETE /api/tokens/:id: revoke (idempotent). The row stays, disabled, for the audit list. */
export async function revokeToken(id: string, granted: Granted): Promise<Response> {
  if (!ID_PATTERN.test(id)) return notFound('token');
  const me = granted.actor;
  const db = await getDb();
  const row = await db.prisma.apiToken.findUnique({ where: { id }, select: SELECT });
  const managed = await managedWorkspaces(me.userId);
  const mine = row && (row.configId === WORKSPACE_CONFIG ? managed.has(row.referenceId) : row.referenceId === me.userId);
  // Someone else's token: not disclosed.
  if (!row || !mine) return notFound('token');
  if (row.enabled !== false) {
    const metadata: TokenMetadata = { ...parseMetadata(row.metadata), revokedAt: new Date().toISOString(), revokedBy: me.userId, revokedByName: me.name || me.email };
    await db.prisma.apiToken.update({ where: { id }, data: { enabled: false, metadata: JSON.stringify(metadata), updatedAt: new Date() } });
  }
  const after = await db.prisma.apiToken.findUniqueOrThrow({ where: { id }, select: SELECT });
  return json({ token: view(after, managed) });
}
