import { listModels } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { requireAccount } from '@/lib/server/authorize-page';
import { roleAllows } from '@/lib/server/authorize';
import { workspacesOf } from '@/lib/server/workspaces';
import { ModelsPage } from '@/components/models/ModelsPage';

export const dynamic = 'force-dynamic';

export default async function Home({ searchParams }: { searchParams: Promise<{ workspace?: string }> }) {
  const access = await requireAccount('/');
  const { workspace } = await searchParams;
  const workspaces = await workspacesOf(access.actor.userId);
  const current = workspaces.find((w) => w.id === workspace) ?? workspaces[0] ?? null;
  const db = await getDb();
  const listed = await listModels(db.prisma, { workspaceIds: current ? [current.id] : [] });
  return (
    <ModelsPage
      workspaces={workspaces}
      current={current}
      models={listed.filter((m) => m.workspaceId !== null)}
      examples={listed.filter((m) => m.workspaceId === null)}
      canWrite={current !== null && roleAllows(current.role, 'model:write')}
      canDelete={current !== null && roleAllows(current.role, 'model:delete')}
    />
  );
}
