import type { Lint } from '@/lib/check';
import styles from './check.module.css';

export function LintList({ lints }: { lints: Lint[] }) {
  if (lints.length === 0) return <p className={styles.note} data-testid="lints-none">No static problems found.</p>;
  return (
    <ul className={styles.lints} data-testid="lints">
      {lints.map((l, i) => (
        <li key={i} className={styles.lint} data-testid="lint-item" data-code={l.code}>
          <span className={`${styles.sev} ${styles[`sev-${l.severity}`]}`}>{l.severity}</span>
          <span>
            {l.message} <span className={styles.path}>{l.path}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
