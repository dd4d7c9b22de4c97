import { notFound } from 'next/navigation';
import { getModel, getVersion } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { parseVersionNumber } from '@/lib/model/version-number';
import { authorizePage } from '@/lib/server/authorize-page';
import { CheckWorkbench } from '@/components/check/CheckWorkbench';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ version?: string }> };

export default async function CheckRoute({ params, searchParams }: Props) {
  const { id } = await params;
  const { version } = await searchParams;
  if (!(await authorizePage('model:run', { kind: 'model', id }, `/models/${id}/check`)).ok) notFound();
  const db = await getDb();
  const model = await getModel(db.prisma, id);
  if (!model) notFound();
  let head = model.head;
  if (version !== undefined) {
    const n = parseVersionNumber(version);
    const found = n === null ? null : await getVersion(db.prisma, id, n);
    if (!found) notFound();
    head = found;
  }
  return <CheckWorkbench modelId={model.id} modelName={model.name} versionNumber={head.number} isHead={head.number === model.head.number} document={head.document} />;
}
