import { notFound, redirect } from 'next/navigation';
import { getModel, listVersions } from '@/lib/db/models';
import { getDraft } from '@/lib/db/drafts';
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
  // The user's draft (their unsaved work, from any device) opens in place of the latest version.
  const [model, versions, draft] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id), getDraft(db.prisma, access.actor.userId, id)]);
  if (!model || !versions) notFound();
  return <Editor model={model} versions={versions} draft={draft} />;
}
