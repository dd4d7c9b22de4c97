/** The workspaces an account belongs to, with its role in each. */
import { isRole, roleAllowsWrite, type Role } from '@/lib/auth/roles';
import { getDb } from './db';
import type { MyWorkspace } from '@/lib/transport/workspaces';

export type { MyWorkspace } from '@/lib/transport/workspaces';

export async function workspacesOf(userId: string): Promise<MyWorkspace[]> {
  const db = await getDb();
  const rows = await db.prisma.member.findMany({
    where: { userId },
    select: { role: true, workspace: { select: { id: true, name: true, slug: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.filter((r) => isRole(r.role)).map((r) => ({ ...r.workspace, role: r.role as Role }));
}

/** The first workspace the account may create models in, for requests that name none. */
export async function defaultWritableWorkspace(userId: string): Promise<MyWorkspace | null> {
  return (await workspacesOf(userId)).find((w) => roleAllowsWrite(w.role)) ?? null;
}
