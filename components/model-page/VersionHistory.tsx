import type { VersionSummary } from '@/lib/transport/models';
import { formatTime } from '@/components/ui/format';
import styles from './model-page.module.css';

/** Every version of the model, newest first; each can be downloaded as it was. */
export function VersionHistory({ modelId, versions }: { modelId: string; versions: VersionSummary[] }) {
  return (
    <section className={`card ${styles.section}`} aria-label="Version history">
      <h2>History</h2>
      <ol className={styles.history} data-testid="version-history">
        {versions.map((v, i) => (
          <li key={v.number} className={styles.version} data-testid="version-item">
            <div className={styles.versionHead}>
              <span className={styles.versionNumber}>v{v.number}</span>
              {i === 0 && <span className={styles.badge}>latest</span>}
              <a className={styles.download} href={`/api/models/${modelId}/export?version=${v.number}`} download title={`Download version ${v.number}`}>
                JSON
              </a>
            </div>
            <div className={styles.versionMessage}>{v.message || <span className="muted">(no message)</span>}</div>
            <div className={styles.versionMeta}>
              {v.author} · {formatTime(v.createdAt)}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
