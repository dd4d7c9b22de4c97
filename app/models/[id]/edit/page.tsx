import { notFound } from 'next/navigation';
import { getModel, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { Editor } from '@/components/editor/Editor';

export const dynamic = 'force-dynamic';

export default async function EditRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = await getDb();
  const [model, versions] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id)]);
  if (!model || !versions) notFound();
  return <Editor model={model} versions={versions} />;
}
