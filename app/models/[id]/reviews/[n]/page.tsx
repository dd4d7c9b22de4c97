import { notFound } from 'next/navigation';
import { getModel } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { parseVersionNumber } from '@/lib/model/version-number';
import { loadReviewPage, parseReviewNumber } from '@/lib/server/reviews-api';
import { authorizePage } from '@/lib/server/authorize-page';
import { modelAccess } from '@/lib/server/model-access';
import { ReviewPage } from '@/components/review/ReviewPage';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

/** One review of a model (rendered from the server's detail; the page then polls the reviews API while verdicts are pending). */
export default async function ReviewRoute({ params, searchParams }: { params: Promise<{ id: string; n: string }>; searchParams: Search }) {
  const { id, n } = await params;
  const number = parseReviewNumber(n);
  if (number === null) notFound();
  const access = await authorizePage('model:read', { kind: 'model', id }, `/models/${id}/reviews/${n}`);
  if (!access.ok) notFound();
  const db = await getDb();
  const model = await getModel(db.prisma, id);
  if (!model) notFound();
  const detail = await loadReviewPage(access, id, number);
  if (!detail) notFound();
  const query = await searchParams;
  const one = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : null);
  const runVersion = parseVersionNumber(one('v'));
  const run = one('run');
  const scenario = one('scenario');
  const step = one('step');
  const openRun =
    run && runVersion !== null && scenario ? { runId: run, versionNumber: runVersion, scenario, ...(step && /^[0-9]{1,6}$/.test(step) ? { step: Number(step) } : {}) } : null;
  const { workspace } = await modelAccess(access);
  return (
    <ReviewPage
      modelId={model.id}
      modelName={model.name}
      workspace={workspace}
      number={number}
      initial={detail}
      latestVersion={model.head.number}
      openRun={openRun}
      focusThread={one('thread')}
    />
  );
}
