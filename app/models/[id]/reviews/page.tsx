import { notFound } from 'next/navigation';
import { getModel, listVersions } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { authorizePage } from '@/lib/server/authorize-page';
import { modelAccess } from '@/lib/server/model-access';
import { loadReviewList } from '@/lib/server/reviews-api';
import { ReviewListPage } from '@/components/review/ReviewListPage';

export const dynamic = 'force-dynamic';

/** Every review of a model, open and closed, and the form to open one. */
export default async function ReviewsRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await authorizePage('model:read', { kind: 'model', id }, `/models/${id}/reviews`);
  if (!access.ok) notFound();
  const db = await getDb();
  const [model, versions, reviews] = await Promise.all([getModel(db.prisma, id), listVersions(db.prisma, id), loadReviewList(id)]);
  if (!model || !versions) notFound();
  const { workspace, canWrite } = await modelAccess(access);
  return <ReviewListPage modelId={model.id} modelName={model.name} workspace={workspace} versions={versions} reviews={reviews} canOpen={canWrite} />;
}
