import { notFound, redirect } from 'next/navigation';
import { getModel, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { authorizePage } from '@/lib/server/authorize-page';
import { Editor } from '@/components/editor/Editor';

export const dynamic = 'force-dynamic';

export default async function EditRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await authorizePage('model:write', { kind: 'model', id }, `/models/${id}/edit`);
  // A viewer (or anyone on a shipped example) reads the model page instead: the editor writes.
  if (!access.ok) redirect(`/models/${id}`);
  const db = await getDb();
  const [model, versions] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id)]);
  if (!model || !versions) notFound();
  return <Editor model={model} versions={versions} />;
}
