'use client';

/**
 * A review thread opened from a read-only share link: the thread and its
 * comments, and its anchor in context in the version it was written on (a
 * trace step is shown by the shared trace, at that step, passed as `trace`).
 * Nothing here can write or lead to the model's other pages.
 */
import type { ReactNode } from 'react';
import type { ModelDocument } from '@/lib/model';
import type { SharedThread as SharedThreadData } from '@/lib/transport/reviews';
import { formatTime } from '@/components/ui/format';
import { AnchorContext } from './AnchorContext';
import styles from './review.module.css';

export function SharedThread({ thread, document, trace }: { thread: SharedThreadData; document: ModelDocument; trace?: ReactNode }) {
  return (
    <div className={styles.page} data-testid="shared-thread" data-read-only="true">
      <header>
        <span className={styles.pill}>Read-only link</span>
        <h1 data-testid="shared-model-name">{document.name}</h1>
        <p className={styles.meta}>
          Review #{thread.reviewNumber}: <strong>{thread.reviewTitle}</strong> · a thread on v{thread.versionNumber}
        </p>
      </header>
      <article className={styles.thread} aria-labelledby="shared-thread-anchor">
        <div className={styles.threadHead}>
          <strong id="shared-thread-anchor" data-testid="thread-anchor">
            {thread.anchorLabel}
          </strong>
          {thread.resolved ? <span className={`${styles.pill} ${styles.pill_resolved}`}>resolved</span> : null}
        </div>
        {thread.anchor.kind !== 'trace-step' && thread.anchor.kind !== 'model' ? (
          <div className={styles.context} data-testid="thread-context">
            <AnchorContext modelId="" anchor={thread.anchor} document={document} />
          </div>
        ) : null}
        <ol className={styles.comments}>
          {thread.comments.map((c, i) => (
            <li key={i} className={styles.comment} data-testid="thread-comment">
              <div className={styles.commentMeta}>
                <strong>{c.author}</strong> · {formatTime(c.createdAt)}
              </div>
              <p className={styles.commentBody}>{c.body}</p>
            </li>
          ))}
        </ol>
      </article>
      {trace}
    </div>
  );
}
