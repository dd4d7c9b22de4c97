'use client';

/**
 * Opening a review: the version to review (the latest by default) and what to
 * compare it with (by default the last approved version, else the one before,
 * else none), a title and an optional description.
 */
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import type { VersionSummary } from '@/lib/transport/models';
import { REVIEW_LIMITS, type ApprovedVersion } from '@/lib/transport/reviews';
import { openReview } from './api';
import styles from './review.module.css';

export function defaultBase(version: number, approved: ApprovedVersion | null, numbers: readonly number[]): number | null {
  if (approved && approved.versionNumber < version) return approved.versionNumber;
  const before = numbers.filter((n) => n < version);
  return before.length ? Math.max(...before) : null;
}

export function OpenReviewForm({ modelId, versions, approved, onCancel }: { modelId: string; versions: VersionSummary[]; approved: ApprovedVersion | null; onCancel?: () => void }) {
  const router = useRouter();
  const numbers = versions.map((v) => v.number);
  const latest = numbers.length ? Math.max(...numbers) : 1;
  const id = useId();
  const [version, setVersion] = useState(latest);
  const [base, setBase] = useState<number | null | undefined>(undefined);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shownBase = base === undefined ? defaultBase(version, approved, numbers) : base;
  const messageOf = (n: number) => versions.find((v) => v.number === n)?.message;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await openReview(modelId, { version, baseVersion: shownBase, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
    setBusy(false);
    if (!r.ok) {
      setError(r.failure.issues.length ? r.failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : r.failure.error);
      return;
    }
    router.push(`/models/${modelId}/reviews/${r.data.review.number}`);
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Open a review" data-testid="open-review-form">
      <div className={styles.formRow}>
        <div className={styles.field}>
          <label htmlFor={`${id}-version`}>Version to review</label>
          <select id={`${id}-version`} className="input" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {[...numbers].sort((a, b) => b - a).map((n) => (
              <option key={n} value={n}>
                v{n}
                {messageOf(n) ? ` — ${messageOf(n)}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-base`}>Compare with</label>
          <select id={`${id}-base`} className="input" value={shownBase ?? ''} onChange={(e) => setBase(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">no base version</option>
            {[...numbers]
              .filter((n) => n < version)
              .sort((a, b) => b - a)
              .map((n) => (
                <option key={n} value={n}>
                  v{n}
                  {approved?.versionNumber === n ? ' (approved)' : ''}
                </option>
              ))}
          </select>
        </div>
      </div>
      <label>
        Title
        <input className="input" value={title} maxLength={REVIEW_LIMITS.title} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label>
        Description (optional)
        <textarea className="textarea" rows={3} value={description} maxLength={REVIEW_LIMITS.description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.row}>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !title.trim()}>
          Open review
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-small" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
