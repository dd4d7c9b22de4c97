'use client';

/** Every review of a model (open first), the approved version, and the form to open a review. */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { VersionSummary } from '@/lib/transport/models';
import type { ReviewList as ReviewListData } from '@/lib/transport/reviews';
import { listReviews } from './api';
import { OpenReviewForm } from './OpenReviewForm';
import { ReviewList } from './ReviewList';
import styles from './review.module.css';

export function ReviewListPage({ modelId, modelName, workspace, versions, canOpen }: { modelId: string; modelName: string; workspace: string | null; versions: VersionSummary[]; canOpen: boolean }) {
  const [data, setData] = useState<ReviewListData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  useEffect(() => {
    listReviews(modelId).then((r) => (r.ok ? setData(r.data) : setError(r.failure.error)));
  }, [modelId]);
  const open = data?.reviews.filter((r) => r.status === 'open') ?? [];
  const closed = data?.reviews.filter((r) => r.status !== 'open') ?? [];
  return (
    <div className={styles.page}>
      <nav className={styles.crumbs}>
        <Link href="/">Models</Link> <span aria-hidden>/</span> <span>{workspace ?? 'Examples'}</span> <span aria-hidden>/</span> <Link href={`/models/${modelId}`}>{modelName}</Link>{' '}
        <span aria-hidden>/</span> <span>Reviews</span>
      </nav>
      <header className={styles.header}>
        <div>
          <h1>Reviews of {modelName}</h1>
          {data?.approved ? (
            <p className={styles.meta} data-testid="approved-version">
              Approved: <Link href={`/models/${modelId}/reviews/${data.approved.reviewNumber}`}>v{data.approved.versionNumber}</Link> (review #{data.approved.reviewNumber})
            </p>
          ) : null}
        </div>
        {canOpen && !opening ? (
          <button type="button" className="btn btn-primary" onClick={() => setOpening(true)}>
            Open review
          </button>
        ) : null}
      </header>
      {opening && data ? (
        <section className={`card ${styles.section}`}>
          <OpenReviewForm modelId={modelId} versions={versions} approved={data.approved} onCancel={() => setOpening(false)} />
        </section>
      ) : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <section className={`card ${styles.section}`} aria-labelledby="open-reviews">
            <h2 id="open-reviews">Open</h2>
            <ReviewList modelId={modelId} reviews={open} empty="No open review." />
          </section>
          <section className={`card ${styles.section}`} aria-labelledby="closed-reviews">
            <h2 id="closed-reviews">Closed</h2>
            <ReviewList modelId={modelId} reviews={closed} empty="No closed review." />
          </section>
        </>
      ) : !error ? (
        <p className={styles.muted}>Loading…</p>
      ) : null}
    </div>
  );
}
