/** Reviews as a list: number and title (a link), versions, who opened it, status and outcome, threads left open. */
import Link from 'next/link';
import type { ReviewSummary } from '@/lib/transport/reviews';
import { formatTime, plural } from '@/components/ui/format';
import { outcomeWords } from './ReviewHeader';
import styles from './review.module.css';

export function ReviewList({ modelId, reviews, empty }: { modelId: string; reviews: ReviewSummary[]; empty: string }) {
  if (reviews.length === 0) return <p className={styles.muted}>{empty}</p>;
  return (
    <ol className={styles.reviewList} data-testid="review-list">
      {reviews.map((r) => (
        <li key={r.number} className={styles.reviewItem} data-testid="review-item" data-number={r.number} data-status={r.status} data-outcome={r.outcome ?? 'none'}>
          <div className={styles.row}>
            <Link href={`/models/${modelId}/reviews/${r.number}`}>
              #{r.number} {r.title}
            </Link>
            <span className={`${styles.pill} ${styles[`pill_${r.status}`]}`}>{r.status}</span>
            <span className={`${styles.pill} ${r.outcome ? styles[`pill_${r.outcome}`] : ''}`}>{outcomeWords(r.outcome)}</span>
          </div>
          <span className={styles.small}>
            v{r.versionNumber}
            {r.baseNumber ? ` against v${r.baseNumber}` : ''} · {r.author} · {formatTime(r.createdAt)} · {plural(r.unresolvedThreadCount, 'unresolved thread')}
          </span>
        </li>
      ))}
    </ol>
  );
}
