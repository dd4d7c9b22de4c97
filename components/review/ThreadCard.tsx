'use client';

/**
 * One thread: its anchor (named in words, shown in context on demand), its
 * status at the review's version (current / changed / outdated — outdated
 * threads stay readable, shown as they were written), the comments, a reply
 * box, resolve / unresolve, and a read-only link to the thread.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ReviewPermissions, ReviewThread } from '@/lib/transport/reviews';
import { REVIEW_LIMITS } from '@/lib/transport/reviews';
import { unreachable, type BlockKey } from '@/lib/model/walk';
import { formatTime } from '@/components/ui/format';
import { reply, setResolved, shareThread } from './api';
import { AnchorContext } from './AnchorContext';
import { useVersionDocument } from './useVersionDocument';
import styles from './review.module.css';

export const STATUS_WORDS: Record<ReviewThread['anchorStatus'], string> = {
  current: 'current',
  changed: 'changed since',
  outdated: 'outdated',
};

export interface ThreadCardProps {
  modelId: string;
  reviewNumber: number;
  /** The review's version (what current / changed threads are shown in). */
  reviewVersion: number;
  thread: ReviewThread;
  /** Null on a read-only share page. */
  permissions: ReviewPermissions | null;
  /** The version a trace-step anchor's run checked, when known. */
  runVersion?: number | null;
  /** Open with its context shown (a link pointed at it). */
  focused?: boolean;
  onChanged?: () => void;
  /** The anchor's context, given (a share page has no API to fetch it with); shown from the start. */
  context?: ReactNode;
}

export function ThreadCard({ modelId, reviewNumber, reviewVersion, thread, permissions, runVersion, focused = false, onChanged, context }: ThreadCardProps) {
  const [showContext, setShowContext] = useState(focused || context !== undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<{ url: string; copied: boolean } | null>(null);
  const root = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) root.current?.scrollIntoView({ block: 'start' });
  }, [focused]);

  const outdated = thread.anchorStatus === 'outdated';
  const shownVersion = outdated ? thread.versionNumber : reviewVersion;
  const trace = thread.anchor.kind === 'trace-step';
  const headingId = `thread-${thread.id}-anchor`;

  const act = async (fn: () => Promise<{ ok: boolean; failure?: { error: string } }>) => {
    setBusy(true);
    setError(null);
    const r = await fn();
    setBusy(false);
    if (!r.ok) setError(r.failure?.error ?? 'failed');
    else onChanged?.();
    return r.ok;
  };

  const copyLink = async () => {
    setError(null);
    const r = await shareThread(modelId, thread, runVersion ?? null);
    if (!r.ok) {
      setError(r.failure.error);
      return;
    }
    const url = new URL(r.data.url, window.location.origin).toString();
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // No clipboard permission: the link is shown to copy by hand.
    }
    setLink({ url, copied });
  };

  return (
    <li
      ref={root}
      id={`thread-${thread.id}`}
      className={`${styles.thread} ${outdated ? styles.threadOutdated : ''} ${thread.resolved ? styles.threadResolved : ''}`}
      data-testid="review-thread"
      data-anchor-kind={thread.anchor.kind}
      data-status={thread.anchorStatus}
      data-resolved={thread.resolved ? 'true' : 'false'}
      aria-labelledby={headingId}
    >
      <div className={styles.threadHead}>
        <strong id={headingId} data-testid="thread-anchor">
          {thread.anchorLabel}
        </strong>
        <span className={`${styles.pill} ${styles[`pill_${thread.anchorStatus}`]}`} data-testid="thread-status" title={statusTitle(thread)}>
          {thread.anchorStatus === 'changed' ? `changed since v${thread.versionNumber}` : STATUS_WORDS[thread.anchorStatus]}
        </span>
        <span className={styles.small}>on v{thread.versionNumber}</span>
        {thread.resolved ? (
          <span className={`${styles.pill} ${styles.pill_resolved}`} data-testid="thread-resolved" title={thread.resolvedBy ? `by ${thread.resolvedBy}` : undefined}>
            resolved
          </span>
        ) : null}
        <span className={styles.spacer} />
        {thread.anchor.kind !== 'model' ? (
          <button type="button" className="btn btn-small" aria-expanded={showContext} onClick={() => setShowContext((v) => !v)}>
            {showContext ? 'Hide context' : trace ? 'Show the trace at this step' : 'Show in context'}
          </button>
        ) : null}
        {permissions ? (
          <button type="button" className="btn btn-small" onClick={copyLink}>
            Copy link
          </button>
        ) : null}
      </div>
      {showContext ? (
        <div className={styles.context} data-testid="thread-context">
          {outdated && !trace ? <p className={styles.small}>As it was in v{thread.versionNumber} (it no longer exists in v{reviewVersion}).</p> : null}
          {outdated && trace ? <p className={styles.small}>The trace of v{runVersion ?? thread.versionNumber}; the review is now at v{reviewVersion}.</p> : null}
          {context ?? <ThreadContext modelId={modelId} thread={thread} version={shownVersion} runVersion={runVersion ?? null} />}
        </div>
      ) : null}
      <ol className={styles.comments}>
        {thread.comments.map((c) => (
          <li key={c.id} className={styles.comment} data-testid="thread-comment">
            <div className={styles.commentMeta}>
              <strong>{c.author}</strong> · {formatTime(c.createdAt)}
            </div>
            <p className={styles.commentBody}>{c.body}</p>
          </li>
        ))}
      </ol>
      {link ? (
        <p className={styles.small} data-testid="thread-link" style={{ padding: '0 12px' }}>
          {link.copied ? 'Link copied: ' : 'Read-only link: '}
          <a href={link.url}>{link.url}</a>
        </p>
      ) : null}
      {permissions && (permissions.comment || permissions.resolve) ? (
        <div className={styles.threadFoot}>
          {permissions.comment ? <ReplyForm label={`Reply to the thread on ${thread.anchorLabel}`} busy={busy} onSubmit={(body) => act(() => reply(modelId, reviewNumber, thread.id, body))} /> : null}
          {permissions.resolve ? (
            <div className={styles.row}>
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => act(() => setResolved(modelId, reviewNumber, thread.id, !thread.resolved))}>
                {thread.resolved ? 'Unresolve' : 'Resolve'}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className={styles.error} role="alert" style={{ padding: '0 12px 8px' }}>
          {error}
        </p>
      ) : null}
    </li>
  );
}

function statusTitle(thread: ReviewThread): string {
  switch (thread.anchorStatus) {
    case 'current':
      return 'The anchored item is unchanged in the review’s version.';
    case 'changed':
      return `The anchored item exists but changed since v${thread.versionNumber}.`;
    case 'outdated':
      return `The anchored item no longer exists in the review’s version; shown as it was in v${thread.versionNumber}.`;
    default:
      return unreachable(thread.anchorStatus, 'anchor status');
  }
}

/** The anchor in its version's document. */
export function ThreadContext({ modelId, thread, version, runVersion }: { modelId: string; thread: ReviewThread; version: number; runVersion: number | null }) {
  const doc = useVersionDocument(modelId, version);
  if (doc.status === 'loading') return <p className={styles.muted}>Loading v{version}…</p>;
  if (doc.status === 'error') return <p className={styles.error}>v{version} cannot be loaded: {doc.error}</p>;
  const stepPath = thread.anchorStatus !== 'outdated' && thread.currentPath ? (thread.currentPath as Array<number | BlockKey>) : undefined;
  return <AnchorContext modelId={modelId} anchor={thread.anchor} document={doc.document} stepPath={stepPath} runVersion={runVersion ?? thread.versionNumber} />;
}

function ReplyForm({ label, busy, onSubmit }: { label: string; busy: boolean; onSubmit: (body: string) => Promise<boolean> }) {
  const [body, setBody] = useState('');
  return (
    <form
      className={styles.row}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!body.trim()) return;
        if (await onSubmit(body.trim())) setBody('');
      }}
    >
      <textarea className="textarea" rows={2} value={body} maxLength={REVIEW_LIMITS.comment} onChange={(e) => setBody(e.target.value)} aria-label={label} placeholder="Reply…" style={{ flex: 1 }} />
      <button type="submit" className="btn btn-small" disabled={busy || !body.trim()}>
        Reply
      </button>
    </form>
  );
}
