import { notFound } from 'next/navigation';
import { getDb } from '@/lib/server/db';
import { authorizePage } from '@/lib/server/authorize-page';
import { roleAllows } from '@/lib/server/authorize';
import { invitationUrl } from '@/lib/server/workspaces-api';
import { MembersPanel } from '@/components/workspace/MembersPanel';

export const dynamic = 'force-dynamic';

/** A workspace's members and (for admins) its invitations. */
export default async function WorkspaceRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await authorizePage('workspace:read', { kind: 'workspace', id }, `/workspaces/${id}`);
  if (!access.ok || !access.role) notFound();
  const canManage = roleAllows(access.role, 'workspace:manage-members');
  const db = await getDb();
  const workspace = await db.prisma.workspace.findUnique({
    where: { id },
    select: {
      name: true,
      members: { select: { id: true, role: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: 'asc' } },
      invitations: canManage ? { where: { status: 'pending', expiresAt: { gt: new Date() } }, select: { id: true, email: true, role: true }, orderBy: { createdAt: 'asc' } } : false,
    },
  });
  if (!workspace) notFound();
  return (
    <MembersPanel
      workspace={{ id, name: workspace.name }}
      me={{ userId: access.actor.userId, role: access.role }}
      canManage={canManage}
      canDelete={roleAllows(access.role, 'workspace:delete')}
      members={workspace.members.map((m) => ({ id: m.id, role: m.role, name: m.user.name, email: m.user.email, userId: m.user.id }))}
      invitations={(workspace.invitations ?? []).map((i) => ({ id: i.id, email: i.email, role: i.role ?? 'viewer', url: invitationUrl(i.id) }))}
    />
  );
}
