import { notFound } from 'next/navigation';
import { getModel, getVersion, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { parseVersionNumber } from '@/lib/model/version-number';
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
  // No ?version: the latest. A ?version that spells no version number is a page that does not exist, never the latest.
  const number = raw === undefined ? model.head.number : parseVersionNumber(raw);
  if (number === null) notFound();
  const version = number === model.head.number ? model.head : await getVersion(db.prisma, id, number);
  if (!version) notFound();
  return <ExportPage modelId={id} modelName={model.name} version={version.number} document={version.document} versions={versions} scenario={scenario ?? null} />;
}
