import { notFound } from 'next/navigation';
import { getModel, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { authorizePage } from '@/lib/server/authorize-page';
import { modelAccess } from '@/lib/server/model-access';
import { ModelPage } from '@/components/model-page/ModelPage';

export const dynamic = 'force-dynamic';

export default async function ModelRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await authorizePage('model:read', { kind: 'model', id }, `/models/${id}`);
  if (!access.ok) notFound();
  const db = await getDb();
  const [model, versions] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id)]);
  if (!model || !versions) notFound();
  return <ModelPage model={model} versions={versions} access={await modelAccess(access)} />;
}
