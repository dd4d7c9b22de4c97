'use client';

/**
 * A review's header: title, author, the version under review against its
 * base, status and outcome; Approve / Request changes for reviewers; "Move
 * to version N" when a newer version exists; close / reopen.
 */
import { useState } from 'react';
import type { ReviewDetail } from '@/lib/transport/reviews';
import { formatTime } from '@/components/ui/format';
import { decide, updateReview } from './api';
import styles from './review.module.css';

export function outcomeWords(outcome: ReviewDetail['review']['outcome']): string {
  return outcome === 'approved' ? 'approved' : outcome === 'changes-requested' ? 'changes requested' : 'awaiting review';
}

export function ReviewHeader({ modelId, detail, latestVersion, onChanged }: { modelId: string; detail: ReviewDetail; latestVersion: number; onChanged: () => void }) {
  const { review, permissions } = detail;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<{ ok: true } | { ok: false; failure: { error: string } }>) => {
    setBusy(true);
    setError(null);
    const r = await fn();
    setBusy(false);
    if (!r.ok) setError(r.failure.error);
    else onChanged();
    return r.ok;
  };
  const decideAs = async (decision: 'approve' | 'request-changes') => {
    if (await run(() => decide(modelId, review.number, { decision, ...(note.trim() ? { body: note.trim() } : {}) }))) setNote('');
  };

  return (
    <header className={`card ${styles.section}`} data-testid="review-header">
      <div className={styles.header}>
        <div>
          <h1 data-testid="review-title">
            {review.title} <span className={styles.muted}>#{review.number}</span>
          </h1>
          <p className={styles.meta}>
            Opened by {review.author} · {formatTime(review.createdAt)} ·{' '}
            <span data-testid="review-versions">
              <a href={`/api/models/${modelId}/export?version=${review.versionNumber}`} download title={`Download version ${review.versionNumber}`}>v{review.versionNumber}</a>
              {review.baseNumber ? ` against v${review.baseNumber}` : ' (no base version)'}
            </span>
          </p>
        </div>
        <div className={styles.actions}>
          <span className={`${styles.pill} ${styles[`pill_${review.status}`]}`} data-testid="review-status">
            {review.status}
          </span>
          <span className={`${styles.pill} ${review.outcome ? styles[`pill_${review.outcome}`] : ''}`} data-testid="review-outcome" data-outcome={review.outcome ?? 'none'}>
            {outcomeWords(review.outcome)}
          </span>
        </div>
      </div>
      {review.description ? <p className={styles.description}>{review.description}</p> : null}
      {permissions.edit && latestVersion > review.versionNumber && review.status === 'open' ? (
        <div className={styles.row}>
          <span className={styles.small}>v{latestVersion} is newer than the version under review.</span>
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => run(() => updateReview(modelId, review.number, { version: latestVersion }))}>
            Move to version {latestVersion}
          </button>
        </div>
      ) : null}
      {permissions.decide && review.status === 'open' ? (
        <div className={styles.form} aria-label="Your decision" role="group">
          <label>
            Decision note (optional)
            <textarea className="textarea" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className={styles.row}>
            <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => decideAs('approve')}>
              Approve
            </button>
            <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => decideAs('request-changes')}>
              Request changes
            </button>
          </div>
        </div>
      ) : null}
      {permissions.edit ? (
        <div className={styles.row}>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => run(() => updateReview(modelId, review.number, { status: review.status === 'open' ? 'closed' : 'open' }))}>
            {review.status === 'open' ? 'Close review' : 'Reopen review'}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </header>
  );
}
