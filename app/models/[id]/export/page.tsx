import { notFound } from 'next/navigation';
import { getModel, getVersion, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { authorizePage } from '@/lib/server/authorize-page';
import { ExportPage } from '@/components/export/ExportPage';

export const dynamic = 'force-dynamic';

/** /models/:id/export[?version=N][&scenario=NAME]: the generated code of a version, generated in the browser. */
export default async function ExportRoute({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ version?: string; scenario?: string }> }) {
  const [{ id }, { version: raw, scenario }] = await Promise.all([params, searchParams]);
  if (!(await authorizePage('model:read', { kind: 'model', id }, `/models/${id}/export`)).ok) notFound();
  const db = await getDb();
  const [model, versions] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id)]);
  if (!model || !versions) notFound();
  const number = raw && /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : model.head.number;
  const version = number === model.head.number ? model.head : await getVersion(db.prisma, id, number);
  if (!version) notFound();
  return <ExportPage modelId={id} modelName={model.name} version={version.number} document={version.document} versions={versions} scenario={scenario ?? null} />;
}
