/** What the model pages show for an account: derived from the same role table authorize() uses. */
import type { Granted } from './authorize';
import { roleAllows } from './authorize';
import { getDb } from './db';
import { workspacesOf } from './workspaces';
import type { ModelAccess } from '@/lib/transport/models';

export async function modelAccess(granted: Granted): Promise<ModelAccess> {
  const role = granted.role;
  const inWorkspace = granted.workspaceId !== null && role !== null;
  let workspace: string | null = null;
  if (granted.workspaceId) {
    const db = await getDb();
    workspace = (await db.prisma.workspace.findUnique({ where: { id: granted.workspaceId }, select: { name: true } }))?.name ?? null;
  }
  const templateTargets = granted.workspaceId === null ? (await workspacesOf(granted.actor.userId)).filter((w) => roleAllows(w.role, 'model:write')) : [];
  return {
    canWrite: inWorkspace && roleAllows(role!, 'model:write'),
    canDelete: inWorkspace && roleAllows(role!, 'model:delete'),
    workspace,
    templateTargets,
  };
}
