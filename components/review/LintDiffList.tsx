/** The static lints that appeared or went away between the base and the review's version. */
import type { LintDiff } from '@/lib/transport/reviews';
import styles from './review.module.css';

export function LintDiffList({ diff }: { diff: LintDiff }) {
  if (diff.appeared.length === 0 && diff.resolved.length === 0) return <p className={styles.muted}>No lint appeared or went away.</p>;
  return (
    <ul className={styles.lints} data-testid="lint-diff">
      {diff.appeared.map((l, i) => (
        <li key={`a${i}`} data-testid="lint-appeared">
          <span className={styles.regressed}>+ appeared</span> <code>{l.code}</code> {l.message} <span className={styles.small}>({l.severity})</span>
        </li>
      ))}
      {diff.resolved.map((l, i) => (
        <li key={`r${i}`} data-testid="lint-resolved">
          <span className={styles.verdict_pass}>− went away</span> <code>{l.code}</code> {l.message}
        </li>
      ))}
    </ul>
  );
}
