'use client';

/**
 * The model page's review box: the latest approved version (a badge and a
 * link to its review), the open reviews, and "Open review".
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { VersionSummary } from '@/lib/transport/models';
import type { ReviewList as ReviewListData } from '@/lib/transport/reviews';
import { listReviews } from '@/components/review/api';
import { OpenReviewForm } from '@/components/review/OpenReviewForm';
import { ReviewList } from '@/components/review/ReviewList';
import styles from './model-page.module.css';

export function ModelReviews({ modelId, versions, canOpen }: { modelId: string; versions: VersionSummary[]; canOpen: boolean }) {
  const [data, setData] = useState<ReviewListData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  useEffect(() => {
    listReviews(modelId).then((r) => (r.ok ? setData(r.data) : setError(r.failure.error)));
  }, [modelId]);
  const open = data?.reviews.filter((r) => r.status === 'open') ?? [];
  return (
    <section className={`card ${styles.section}`} aria-labelledby="reviews-heading" data-testid="model-reviews">
      <div className={styles.versionHead}>
        <h2 id="reviews-heading">Reviews</h2>
        {data?.approved ? (
          <Link className={styles.approvedBadge} href={`/models/${modelId}/reviews/${data.approved.reviewNumber}`} data-testid="approved-version" title={`Approved in review #${data.approved.reviewNumber}`}>
            approved: v{data.approved.versionNumber}
          </Link>
        ) : data ? (
          <span className="muted" data-testid="approved-version-none">
            no approved version yet
          </span>
        ) : null}
        <Link className={styles.download} href={`/models/${modelId}/reviews`}>
          All reviews
        </Link>
      </div>
      {error ? <p className="muted">Reviews cannot be shown: {error}</p> : null}
      {data ? <ReviewList modelId={modelId} reviews={open} empty="No open review." /> : !error ? <p className="muted">Loading…</p> : null}
      {canOpen && data ? (
        opening ? (
          <OpenReviewForm modelId={modelId} versions={versions} approved={data.approved} onCancel={() => setOpening(false)} />
        ) : (
          <div>
            <button type="button" className="btn btn-small" onClick={() => setOpening(true)}>
              Open review
            </button>
          </div>
        )
      ) : null}
    </section>
  );
}
