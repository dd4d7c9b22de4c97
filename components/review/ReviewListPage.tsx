'use client';

/** Every review of a model (open first), the approved version, and the form to open a review. */
import Link from 'next/link';
import { useState } from 'react';
import type { VersionSummary } from '@/lib/transport/models';
import type { ReviewList as ReviewListData } from '@/lib/transport/reviews';
import { OpenReviewForm } from './OpenReviewForm';
import { ReviewList } from './ReviewList';
import styles from './review.module.css';

export function ReviewListPage({
  modelId,
  modelName,
  workspace,
  versions,
  reviews: data,
  canOpen,
}: {
  modelId: string;
  modelName: string;
  workspace: string | null;
  versions: VersionSummary[];
  reviews: ReviewListData;
  canOpen: boolean;
}) {
  const [opening, setOpening] = useState(false);
  const open = data.reviews.filter((r) => r.status === 'open');
  const closed = data.reviews.filter((r) => r.status !== 'open');
  return (
    <div className={styles.page}>
      <nav className={styles.crumbs}>
        <Link href="/">Models</Link> <span aria-hidden>/</span> <span>{workspace ?? 'Examples'}</span> <span aria-hidden>/</span> <Link href={`/models/${modelId}`}>{modelName}</Link>{' '}
        <span aria-hidden>/</span> <span>Reviews</span>
      </nav>
      <header className={styles.header}>
        <div>
          <h1>Reviews of {modelName}</h1>
          {data.approved ? (
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
      {opening ? (
        <section className={`card ${styles.section}`}>
          <OpenReviewForm modelId={modelId} versions={versions} approved={data.approved} onCancel={() => setOpening(false)} />
        </section>
      ) : null}
      <section className={`card ${styles.section}`} aria-labelledby="open-reviews">
        <h2 id="open-reviews">Open</h2>
        <ReviewList modelId={modelId} reviews={open} empty="No open review." />
      </section>
      <section className={`card ${styles.section}`} aria-labelledby="closed-reviews">
        <h2 id="closed-reviews">Closed</h2>
        <ReviewList modelId={modelId} reviews={closed} empty="No closed review." />
      </section>
    </div>
  );
}
