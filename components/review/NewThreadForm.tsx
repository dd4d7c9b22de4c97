'use client';

/**
 * Starting a thread: on something picked from the version's document (a
 * state, transition, step, lock, invariant, scenario or the model), or on a
 * fixed anchor (a trace step, from the trace view).
 */
import { useId, useMemo, useState } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { Anchor } from '@/lib/reviews/anchor';
import { REVIEW_LIMITS } from '@/lib/transport/reviews';
import { anchorGroups } from './anchor-options';
import { startThread } from './api';
import styles from './review.module.css';

export function NewThreadForm({
  modelId,
  reviewNumber,
  document,
  fixed,
  onStarted,
  onCancel,
}: {
  modelId: string;
  reviewNumber: number;
  /** The review's version: what the picker lists. */
  document?: ModelDocument;
  /** A given anchor and the words for it (no picker). */
  fixed?: { anchor: Anchor; label: string };
  onStarted: () => void;
  onCancel?: () => void;
}) {
  const groups = useMemo(() => (document ? anchorGroups(document) : []), [document]);
  const id = useId();
  const [key, setKey] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picked = fixed?.anchor ?? groups.flatMap((g) => g.options).find((o) => o.key === key)?.anchor ?? null;
  const title = fixed ? `Comment on ${fixed.label}` : 'Start a thread';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!picked || !body.trim()) return;
    setBusy(true);
    setError(null);
    const r = await startThread(modelId, reviewNumber, { anchor: picked, body: body.trim() });
    setBusy(false);
    if (!r.ok) {
      setError(r.failure.issues[0] ? `${r.failure.error}: ${r.failure.issues[0].message}` : r.failure.error);
      return;
    }
    setBody('');
    setKey('');
    onStarted();
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label={title} data-testid="new-thread-form">
      {fixed ? (
        <strong>{title}</strong>
      ) : (
        <div className={styles.field}>
          <label htmlFor={`${id}-about`}>About</label>
          <select id={`${id}-about`} className="input" value={key} onChange={(e) => setKey(e.target.value)} required>
            <option value="" disabled>
              Pick what the comment is about…
            </option>
            {groups.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.options.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
      <div className={styles.field}>
        <label htmlFor={`${id}-body`}>Comment</label>
        <textarea id={`${id}-body`} className="textarea" rows={3} value={body} maxLength={REVIEW_LIMITS.comment} onChange={(e) => setBody(e.target.value)} required />
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.row}>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !picked || !body.trim()}>
          Comment
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
